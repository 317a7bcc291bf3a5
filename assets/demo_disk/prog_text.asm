; prog_text.asm - program 1: text through the BIOS.
;
; In text mode 03h the screen is 80x25 character cells. Each cell is two bytes in video memory at
; B800:0000: the character's code (code page 437) and its attribute, whose bits are
;     7 blink (or bright background)   6-4 background colour   3-0 foreground colour
; (IBM VGA Technical Reference, "Attribute Controller"; the colours 0-15 are the CGA's: 0 black,
; 1 blue, 2 green, 3 cyan, 4 red, 5 magenta, 6 brown, 7 light grey, 8-15 their bright forms).
; This program never touches video memory itself: it asks the video BIOS (INT 10h) to, which is
; what DOS programs did to be portable between MDA, CGA, EGA and VGA.

prog_text:
        mov     bl, ATTR_NORMAL
        call    clear_screen

        ; The banner: a double-line box, then a title inside it.
        mov     dx, 0x0009              ; row 0, column 9
        mov     cx, 0x033C              ; 3 rows, 60 columns inside
        mov     bl, ATTR_BOX
        call    draw_box
        mov     dx, 0x011E
        mov     bl, ATTR_TITLE
        mov     si, text_msg_banner
        call    print_at
        mov     dx, 0x0212
        mov     bl, ATTR_BOX
        mov     si, text_msg_banner2
        call    print_at

        ; Teletype output: AH=0Eh writes a character at the cursor and moves the cursor on,
        ; wrapping at the end of the line and scrolling at the bottom of the screen.
        mov     dx, 0x0600
        call    set_cursor
        mov     si, text_msg_teletype
        call    print

        ; The 128 attributes with the blink bit clear: 8 backgrounds x 16 foregrounds, each cell
        ; showing its own attribute byte in hex, written with AH=09h (character + attribute).
        mov     dx, 0x0900
        call    set_cursor
        mov     si, text_msg_table
        call    print
        mov     dh, 10                  ; row
        xor     bl, bl                  ; attribute 00h first
.table_row:
        mov     dl, 8                   ; column
.table_cell:
        mov     al, ' '
        mov     cx, 4
        call    fill_at                 ; the cell's background, 4 columns wide
        inc     dl
        mov     al, bl
        call    text_hex_cell           ; two hex digits in the cell's own colours
        add     dl, 3
        inc     bl
        test    bl, 0x0F
        jnz     .table_cell
        inc     dh
        cmp     bl, 0x80
        jb      .table_row

        ; Bit 7 of the attribute: blinking text (with the Attribute Controller's blink enable
        ; on, which the BIOS sets; otherwise it selects the bright backgrounds 8-15).
        mov     dx, 0x1208
        mov     bl, 0x8E                ; blink, yellow on black
        mov     si, text_msg_blink
        call    print_at

        ; The cursor: AH=03h reads its row/column (DH/DL) and its shape (CH = first and
        ; CL = last scan line of the cell it covers).
        mov     dx, 0x1400
        call    set_cursor
        mov     si, text_msg_cursor1
        call    print
        mov     ah, 0x03
        xor     bh, bh
        int     0x10
        mov     al, dh
        xor     ah, ah
        call    print_dec16
        mov     si, text_msg_cursor2
        call    print
        mov     al, dl
        xor     ah, ah
        call    print_dec16
        mov     si, text_msg_cursor3
        call    print
        mov     al, ch
        xor     ah, ah
        call    print_dec16
        mov     al, '-'
        call    put_char
        mov     al, cl
        xor     ah, ah
        call    print_dec16
        mov     si, text_msg_cursor4
        call    print
        ; AH=01h: make it a block (CGA lines 0-7; the VGA BIOS scales them to the 16-line cell).
        mov     ah, 0x01
        mov     cx, 0x0007
        int     0x10
        mov     dx, 0x1500
        call    set_cursor
        mov     si, text_msg_cursor5
        call    print

        call    show_esc_hint
        mov     dx, 0x1500 + 50         ; row 21, just after the arrow
        call    set_cursor
        call    wait_esc
        mov     ah, 0x01                ; the usual underline cursor again (lines 6-7)
        mov     cx, 0x0607
        int     0x10
        ret

; text_hex_cell - AL as two hex digits at row DH, column DL in attribute BL
text_hex_cell:
        push    ax
        push    cx
        push    dx
        mov     ah, al
        mov     cl, 4
        shr     al, cl
        call    .digit
        inc     dl
        mov     al, ah
        and     al, 0x0F
        call    .digit
        pop     dx
        pop     cx
        pop     ax
        ret
.digit: push    ax
        add     al, '0'
        cmp     al, '9'
        jbe     .write
        add     al, 'A' - '0' - 10
.write: mov     cx, 1
        call    fill_at
        pop     ax
        ret

text_msg_banner:  db "Text through the BIOS", 0
text_msg_banner2: db "INT 10h: characters, colours and the cursor", 0
text_msg_teletype:
        db "INT 10h AH=0Eh (teletype) wrote this line one character at a time, moving the", 13, 10
        db "cursor on as a typewriter would. CR (13) and LF (10) move it to the next line.", 0
text_msg_table:   db "The attribute byte: background (bits 6-4) and foreground (bits 3-0).", 0
text_msg_blink:   db "Attribute 8Eh: bit 7 set makes the text blink.", 0
text_msg_cursor1: db "INT 10h AH=03h: the cursor was at row ", 0
text_msg_cursor2: db ", column ", 0
text_msg_cursor3: db ", shape: scan lines ", 0
text_msg_cursor4: db ".", 0
text_msg_cursor5: db "INT 10h AH=01h made it a block: it blinks here ->", 0
