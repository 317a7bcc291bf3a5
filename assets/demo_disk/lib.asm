; lib.asm - small helpers every program shares: text output through the video BIOS (INT 10h),
; numbers in hex and decimal, boxes drawn with the PC's line-drawing characters, waiting for Esc.
;
; All of them run in real mode with DS = ES = 0000h, preserve every register they do not return
; a result in, and work on any CPU from the 8086 up. The INT 10h functions used (IBM PC/AT
; Technical Reference, "Video BIOS"; Ralf Brown's Interrupt List, INT 10h):
;     AH=00h set mode   AH=01h cursor shape   AH=02h set cursor   AH=03h read cursor
;     AH=06h scroll up (or clear) a window    AH=09h write character + attribute CX times
;     AH=0Eh teletype: write one character and move the cursor, as a typewriter would

; Colour attributes for text mode: high nibble background, low nibble foreground; bit 7 blinks.
ATTR_NORMAL     equ     0x07            ; light grey on black
ATTR_TITLE      equ     0x1F            ; white on blue
ATTR_BOX        equ     0x1E            ; yellow on blue
ATTR_HINT       equ     0x08            ; dark grey on black
ATTR_SELECTED   equ     0x70            ; black on light grey

SCAN_ESC        equ     0x01            ; keyboard scan codes (set 1) as INT 16h returns them in AH
SCAN_UP         equ     0x48
SCAN_DOWN       equ     0x50

; clear_screen - blank the whole 80x25 screen with attribute BL and put the cursor home
clear_screen:
        push    ax
        push    bx
        push    cx
        push    dx
        mov     ax, 0x0600              ; AH=06h scroll up, AL=0: clear the whole window
        mov     bh, bl                  ; attribute for the blank lines
        xor     cx, cx                  ; top-left: row 0, column 0
        mov     dx, 0x184F              ; bottom-right: row 24, column 79
        int     0x10
        xor     dx, dx
        call    set_cursor
        pop     dx
        pop     cx
        pop     bx
        pop     ax
        ret

; set_cursor - move the cursor of page 0 to row DH, column DL
set_cursor:
        push    ax
        push    bx
        mov     ah, 0x02
        xor     bh, bh
        int     0x10
        pop     bx
        pop     ax
        ret

; put_char - teletype the character in AL at the cursor (CR, LF, BS and BEL act on the cursor)
put_char:
        push    ax
        push    bx
        mov     ah, 0x0E
        mov     bx, 0x000F              ; BH = page 0; BL = colour, used in graphics modes only
        int     0x10
        pop     bx
        pop     ax
        ret

; print - teletype the NUL-terminated string at DS:SI; SI ends after the NUL
print:
        push    ax
.next:  lodsb
        test    al, al
        jz      .done
        call    put_char
        jmp     .next
.done:  pop     ax
        ret

; print_at - print the string at SI from row DH, column DL in attribute BL, then leave the
; cursor after it. Teletype output cannot choose colours in text mode, so each character is
; written with AH=09h (character and attribute, cursor not moved) and the cursor stepped by hand.
print_at:
        push    ax
        push    bx
        push    cx
        push    dx
.next:  lodsb
        test    al, al
        jz      .done
        call    set_cursor
        mov     ah, 0x09
        mov     bh, 0                   ; page 0 (BL = attribute)
        mov     cx, 1
        int     0x10
        inc     dl
        jmp     .next
.done:  call    set_cursor
        pop     dx
        pop     cx
        pop     bx
        pop     ax
        ret

; fill_at - write character AL CX times from row DH, column DL in attribute BL (cursor unchanged)
fill_at:
        push    ax
        push    bx
        call    set_cursor
        mov     ah, 0x09
        xor     bh, bh
        int     0x10
        pop     bx
        pop     ax
        ret

; newline - carriage return and line feed
newline:
        push    ax
        mov     al, 13
        call    put_char
        mov     al, 10
        call    put_char
        pop     ax
        ret

; print_hex8 / print_hex16 - AL / AX as 2 / 4 upper-case hex digits
print_hex16:
        xchg    al, ah
        call    print_hex8
        xchg    al, ah
print_hex8:
        push    ax
        push    cx
        mov     ah, al
        mov     cl, 4
        shr     al, cl                  ; high nibble first
        call    .digit
        mov     al, ah
        and     al, 0x0F
        call    .digit
        pop     cx
        pop     ax
        ret
.digit: add     al, '0'
        cmp     al, '9'
        jbe     .out
        add     al, 'A' - '0' - 10
.out:   jmp     put_char

; print_dec32 - DX:AX as an unsigned decimal number. The 8086's DIV divides a 32-bit DX:AX by a
; 16-bit divisor but faults if the quotient does not fit 16 bits, so a 32-bit number is divided
; in two steps, high word first ("long division" in base 65536).
print_dec32:
        push    ax
        push    bx
        push    cx
        push    dx
        push    si
        mov     si, dx                  ; SI:AX = the number
        mov     bx, 10
        xor     cx, cx                  ; digits pushed
.divide:
        push    ax
        mov     ax, si
        xor     dx, dx
        div     bx                      ; high word / 10: AX = high quotient, DX = remainder
        mov     si, ax
        pop     ax
        div     bx                      ; (remainder:low word) / 10: AX = low quotient, DX = digit
        push    dx
        inc     cx
        mov     dx, si
        or      dx, ax
        jnz     .divide
.emit:  pop     ax
        add     al, '0'
        call    put_char
        loop    .emit
        pop     si
        pop     dx
        pop     cx
        pop     bx
        pop     ax
        ret

; print_dec16 - AX as an unsigned decimal number
print_dec16:
        push    dx
        xor     dx, dx
        call    print_dec32
        pop     dx
        ret

; draw_box - a double-line frame from row DH, column DL, CH rows and CL columns inside, in
; attribute BL, its inside cleared. The frame characters are code page 437's line-drawing set
; (C9h top-left, CDh horizontal, BBh top-right, BAh vertical, C8h bottom-left, BCh bottom-right),
; which the VGA's font ROM draws so that neighbouring cells join up.
draw_box:
        push    ax
        push    cx
        push    dx
        push    si
        push    di
        mov     si, cx                  ; SI: CH = inner rows, CL = inner columns
        xor     ch, ch
        mov     di, cx                  ; DI = inner width
        ; top edge
        mov     al, 0xC9
        mov     cx, 1
        call    fill_at
        inc     dl
        mov     al, 0xCD
        mov     cx, di
        call    fill_at
        add     dx, di
        mov     al, 0xBB
        mov     cx, 1
        call    fill_at
        sub     dx, di
        dec     dl                      ; back to the left column
        ; sides and inside
        mov     ax, si
        mov     cl, ah
        xor     ch, ch                  ; CX = inner rows
.row:   inc     dh
        push    cx
        mov     al, 0xBA
        mov     cx, 1
        call    fill_at
        inc     dl
        mov     al, ' '
        mov     cx, di
        call    fill_at
        add     dx, di
        mov     al, 0xBA
        mov     cx, 1
        call    fill_at
        sub     dx, di
        dec     dl
        pop     cx
        loop    .row
        ; bottom edge
        inc     dh
        mov     al, 0xC8
        mov     cx, 1
        call    fill_at
        inc     dl
        mov     al, 0xCD
        mov     cx, di
        call    fill_at
        add     dx, di
        mov     al, 0xBC
        mov     cx, 1
        call    fill_at
        pop     di
        pop     si
        pop     dx
        pop     cx
        pop     ax
        ret

; wait_esc - wait for the Esc key (INT 16h AH=00h waits for a key: AH = scan code, AL = ASCII)
wait_esc:
        push    ax
.again: xor     ah, ah
        int     0x16
        cmp     ah, SCAN_ESC
        jne     .again
        pop     ax
        ret

; show_esc_hint - "Esc: back to the menu" on the bottom line
show_esc_hint:
        push    bx
        push    dx
        push    si
        mov     dx, 0x1800              ; row 24, column 0
        mov     bl, ATTR_HINT
        mov     si, lib_msg_esc
        call    print_at
        pop     si
        pop     dx
        pop     bx
        ret

lib_msg_esc: db "Press Esc to return to the menu.", 0
