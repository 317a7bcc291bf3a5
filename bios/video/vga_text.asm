; vga_text.asm - characters: scrolling (AH=06h/07h), reading and writing characters at the
; cursor (AH=08h-0Ah), teletype output (AH=0Eh) and strings (AH=13h). Text modes are handled
; here; graphics modes draw through vga_gfx.asm.
;
; In text modes every character cell is two bytes, the character code and its attribute
; (IBM VGA Technical Reference, "Alphanumeric Modes"); page p starts at p * 40:4C in the mode's
; segment (B800h, or B000h for mode 7) and a row is 40:4A cells long.

        cpu     8086

; vga_cell_offset: BL = page, DH = row, DL = column -> DI = offset of the cell in the text
; segment. Preserves all but AX, DI.
vga_cell_offset:
        push    dx
        mov     al, bl
        and     ax, 7
        mul     word [BDA_VID_PAGESZ]
        mov     di, ax
        pop     dx
        push    dx
        mov     al, dh
        mul     byte [BDA_VID_COLS]
        xor     dh, dh
        add     ax, dx
        shl     ax, 1
        add     di, ax
        pop     dx
        ret

; vga_page_cursor: BL = page -> DX = its cursor (DH row, DL column), SI = its BDA slot.
vga_page_cursor:
        call    vga_cursor_slot
        mov     dx, [si]
        ret

; vga_cursor_slot: BL = page -> SI = the offset of its cursor in the BDA. Preserves all else.
vga_cursor_slot:
        push    bx
        and     bx, 7
        shl     bx, 1
        lea     si, [BDA_VID_CURPOS + bx]
        pop     bx
        ret

; vga_page_base: BL = page -> L_PBASE = its offset (page * page size). Preserves all.
vga_page_base:
        push    ax
        push    dx
        mov     al, bl
        and     ax, 7
        mul     word [BDA_VID_PAGESZ]
        mov     [bp + L_PBASE], ax
        pop     dx
        pop     ax
        ret

; ---------------------------------------------------------------------------------------------
; AH=06h/07h: scroll the active page's window up/down. AL = lines (0: clear the window),
; BH = attribute (colour in graphics modes) for the new lines, CH/CL = top row/left column,
; DH/DL = bottom row/right column.
; ---------------------------------------------------------------------------------------------
vga_int10_scroll:
        mov     bl, [BDA_VID_PAGE]
        call    vga_scroll
        ret

; vga_scroll: AL = lines, AH = 06h up / 07h down, BH = fill attribute or colour, BL = page,
; CX = top left, DX = bottom right. Clips the window to the screen. Clobbers everything but
; BP, DS.
vga_scroll:
        cmp     byte [bp + L_KIND], MK_NONE
        je      .ret
        mov     si, ax                  ; keep AL/AH
        mov     al, [BDA_VID_ROWS]
        cmp     dh, al
        jbe     .bottom_ok
        mov     dh, al
.bottom_ok:
        mov     al, [BDA_VID_COLS]
        dec     al
        cmp     dl, al
        jbe     .right_ok
        mov     dl, al
.right_ok:
        cmp     ch, dh
        ja      .ret
        cmp     cl, dl
        ja      .ret
        mov     ax, si
        ; height, width, lines
        mov     ah, dh
        sub     ah, ch
        inc     ah                      ; AH = height
        cmp     al, 0
        je      .clear
        cmp     al, ah
        jbe     .lines_ok
.clear:
        mov     al, ah                  ; clearing = scrolling by the whole height
.lines_ok:
        mov     [bp + L_T0], ax         ; T0: AL lines, AH height
        mov     [bp + L_T1], cx         ; T1: top row, left column
        mov     [bp + L_T2], dx         ; T2: bottom row, right column
        mov     [bp + L_T3], bh         ; T3: fill attribute / colour
        mov     ax, si
        mov     [bp + L_T4], ah         ; T4: direction, page
        mov     [bp + L_T4 + 1], bl
        call    vga_page_base
        mov     es, [bp + L_SEG]
        ; copy (height - lines) rows, then fill `lines` rows
        mov     al, [bp + L_T0 + 1]
        sub     al, [bp + L_T0]
        mov     [bp + L_T5], al         ; T5: rows to copy
        xor     cl, cl                  ; CL = i
.copy_loop:
        cmp     cl, [bp + L_T5]
        jae     .fill_start
        call    .rows_for_i             ; AL = source row, AH = destination row
        push    cx
        call    vga_row_copy
        pop     cx
        inc     cl
        jmp     .copy_loop
.fill_start:
.fill_loop:
        cmp     cl, [bp + L_T0 + 1]
        jae     .done
        call    .rows_for_i
        push    cx
        mov     al, ah
        call    vga_row_fill
        pop     cx
        inc     cl
        jmp     .fill_loop
.done:
        call    vga_gfx_restore
.ret:
        ret
; i-th row the scroll writes: up: dst = top + i, src = dst + lines; down: dst = bottom - i,
; src = dst - lines. CL = i -> AL = src, AH = dst.
.rows_for_i:
        cmp     byte [bp + L_T4], 0x07
        je      .down
        mov     ah, [bp + L_T1 + 1]
        add     ah, cl
        mov     al, ah
        add     al, [bp + L_T0]
        ret
.down:
        mov     ah, [bp + L_T2 + 1]
        sub     ah, cl
        mov     al, ah
        sub     al, [bp + L_T0]
        ret

; vga_row_copy: AL = source row, AH = destination row; columns T1 low .. T2 low of the scroll.
; ES = video segment. Clobbers AX, BX, CX, DX, SI, DI.
vga_row_copy:
        cmp     byte [bp + L_KIND], MK_TEXT
        jne     .graphics
        push    ax
        mov     dh, al
        mov     dl, [bp + L_T1]
        mov     bl, [bp + L_T4 + 1]
        call    vga_cell_offset
        mov     si, di
        pop     ax
        mov     dh, ah
        call    vga_cell_offset
        call    vga_window_width
        push    ds
        push    es
        pop     ds
        rep     movsw
        pop     ds
        ret
.graphics:
        ; every scan line of the character row
        mov     [bp + L_T6], ax
        mov     bl, [bp + L_POINTS]
        xor     bh, bh                  ; BH = line within the row
.line:
        cmp     bh, bl
        jae     .ret
        push    bx
        mov     al, [bp + L_T6]         ; source row * points + line
        mul     bl
        add     al, bh
        adc     ah, 0
        mov     dl, [bp + L_T1]
        call    vga_gfx_line_offset
        mov     si, di
        pop     bx
        push    bx
        mov     al, [bp + L_T6 + 1]
        mul     bl
        add     al, bh
        adc     ah, 0
        mov     dl, [bp + L_T1]
        call    vga_gfx_line_offset
        call    vga_window_width
        call    vga_gfx_width_bytes     ; CX = bytes to move
        call    vga_gfx_copy_begin
        push    ds
        push    es
        pop     ds
        rep     movsb
        pop     ds
        pop     bx
        inc     bh
        jmp     .line
.ret:
        ret

; vga_row_fill: AL = row; columns T1 low .. T2 low; T3 = attribute (text) or colour.
vga_row_fill:
        cmp     byte [bp + L_KIND], MK_TEXT
        jne     .graphics
        mov     dh, al
        mov     dl, [bp + L_T1]
        mov     bl, [bp + L_T4 + 1]
        call    vga_cell_offset
        call    vga_window_width
        mov     al, ' '
        mov     ah, [bp + L_T3]
        rep     stosw
        ret
.graphics:
        mov     [bp + L_T6], al
        mov     bl, [bp + L_POINTS]
        xor     bh, bh
.line:
        cmp     bh, bl
        jae     .ret
        push    bx
        mov     al, [bp + L_T6]
        mul     bl
        add     al, bh
        adc     ah, 0
        mov     dl, [bp + L_T1]
        call    vga_gfx_line_offset
        call    vga_window_width
        call    vga_gfx_width_bytes
        call    vga_gfx_fill_begin      ; AL = the byte to store
        rep     stosb
        pop     bx
        inc     bh
        jmp     .line
.ret:
        ret

; vga_window_width: CX = the scroll window's width in character cells.
vga_window_width:
        mov     cl, [bp + L_T2]
        sub     cl, [bp + L_T1]
        inc     cl
        xor     ch, ch
        ret

; ---------------------------------------------------------------------------------------------
; AH=08h: read the character and attribute at the cursor. BH = page -> AL = character,
; AH = attribute (graphics modes: the character whose glyph matches, or 0; AH = 0).
; ---------------------------------------------------------------------------------------------
vga_int10_read_char:
        mov     bl, bh
        call    vga_page_cursor
        cmp     byte [bp + L_KIND], MK_TEXT
        jne     .graphics
        call    vga_cell_offset
        mov     es, [bp + L_SEG]
        mov     ax, [es:di]
        mov     [bp + F_AX], ax
        ret
.graphics:
        cmp     byte [bp + L_KIND], MK_NONE
        je      .ret
        call    vga_page_base
        call    vga_gfx_read_char
        xor     ah, ah
        mov     [bp + F_AX], ax
.ret:
        ret

; AH=09h: write character AL with attribute (colour) BL, CX times, at page BH's cursor. The
; cursor does not move. AH=0Ah: the same, keeping each cell's attribute (graphics modes: BL is
; still the colour).
vga_int10_write_char_attr:
        mov     byte [bp + L_T7], 1
        jmp     vga_write_at_cursor
vga_int10_write_char:
        mov     byte [bp + L_T7], 0
vga_write_at_cursor:
        push    bx
        mov     bl, bh
        call    vga_page_cursor
        pop     bx
        mov     cx, [bp + F_CX]
        cmp     byte [bp + L_KIND], MK_TEXT
        jne     .graphics
        push    bx
        mov     bl, bh
        call    vga_cell_offset
        pop     bx
        mov     es, [bp + L_SEG]
        mov     al, [bp + F_AL]
        mov     ah, bl
        jcxz    .ret
        cmp     byte [bp + L_T7], 0
        je      .char_only
        rep     stosw
        ret
.char_only:
        stosb
        inc     di
        loop    .char_only
.ret:
        ret
.graphics:
        cmp     byte [bp + L_KIND], MK_NONE
        je      .ret
        push    bx
        mov     bl, bh
        call    vga_page_base
        pop     bx
        mov     al, [bp + F_AL]
        call    vga_gfx_write_char
        ret

; ---------------------------------------------------------------------------------------------
; AH=0Eh: teletype output. AL = character, BL = foreground colour (graphics modes). Writes to
; the active page (IBM PC/AT Technical Reference: "write teletype to active page"), moves the
; cursor, wraps at the end of a line and scrolls at the bottom of the screen. BEL (07h) sounds
; the speaker, BS (08h) moves left, LF (0Ah) down, CR (0Dh) to the line start; in text modes
; the character takes the attribute the cell already has.
; ---------------------------------------------------------------------------------------------
vga_int10_teletype:
        mov     bh, [BDA_VID_PAGE]
        xor     cl, cl
        call    vga_tty
        ret

; vga_tty: AL = character, BL = attribute/colour, BH = page, CL = 1 to write BL as the text
; attribute too (AH=13h). Clobbers everything but BP, DS.
vga_tty:
        cmp     byte [bp + L_KIND], MK_NONE
        je      .ret
        mov     [bp + L_T0], ax
        mov     [bp + L_T1], bx
        mov     [bp + L_T2], cl
        push    bx
        mov     bl, bh
        call    vga_page_cursor         ; DX = cursor
        pop     bx
        cmp     al, 0x0D
        je      .cr
        cmp     al, 0x0A
        je      .lf
        cmp     al, 0x08
        je      .bs
        cmp     al, 0x07
        je      .bell
        ; an ordinary character
        cmp     byte [bp + L_KIND], MK_TEXT
        jne     .graphic
        push    bx
        mov     bl, bh
        call    vga_cell_offset
        pop     bx
        mov     es, [bp + L_SEG]
        mov     al, [bp + L_T0]
        mov     [es:di], al
        cmp     byte [bp + L_T2], 0
        je      .advance
        mov     [es:di + 1], bl
        jmp     .advance
.graphic:
        push    dx
        push    bx
        mov     bl, bh
        call    vga_page_base
        pop     bx
        mov     cx, 1
        call    vga_gfx_write_char
        pop     dx
.advance:
        inc     dl
        cmp     dl, [BDA_VID_COLS]
        jb      .set
        xor     dl, dl
        ; fall into a line feed
.lf:
        cmp     dh, [BDA_VID_ROWS]
        jae     .scroll
        inc     dh
        jmp     .set
.scroll:
        mov     dh, [BDA_VID_ROWS]
        push    dx                      ; vga_scroll uses the scratch locals: keep ours
        push    word [bp + L_T1]
        ; the new line's attribute: the cell under the cursor (text), colour 0 (graphics)
        xor     bh, bh
        cmp     byte [bp + L_KIND], MK_TEXT
        jne     .scroll_fill
        mov     bl, [bp + L_T1 + 1]
        call    vga_cell_offset
        mov     es, [bp + L_SEG]
        mov     bh, [es:di + 1]
.scroll_fill:
        mov     bl, [bp + L_T1 + 1]     ; page
        mov     ax, 0x0601
        xor     cx, cx
        mov     dh, [BDA_VID_ROWS]
        mov     dl, [BDA_VID_COLS]
        dec     dl
        call    vga_scroll
        pop     word [bp + L_T1]
        pop     dx
        jmp     .set
.cr:
        xor     dl, dl
        jmp     .set
.bs:
        test    dl, dl
        jz      .set
        dec     dl
        jmp     .set
.bell:
        call    vga_beep
        ret
.set:
        mov     bl, [bp + L_T1 + 1]     ; the page
        call    vga_cursor_slot
        mov     [si], dx
        cmp     bl, [BDA_VID_PAGE]
        jne     .ret
        call    vga_update_cursor
.ret:
        ret

; vga_beep: sounds the speaker for about 1/8 s at 896 Hz (8254 counter 2 in mode 3, port 61h
; bits 0-1 on). The wait counts the refresh-detect toggles of port 61h bit 4 (one per 15.09 us,
; IBM PC/AT Technical Reference), bounded so it ends even where the bit never moves.
vga_beep:
        mov     al, 0xB6                ; counter 2, low then high byte, mode 3, binary
        out     PIT_MODE, al
        mov     ax, 1331                ; 1193182 Hz / 896 Hz
        out     PIT_CH2, al
        mov     al, ah
        out     PIT_CH2, al
        in      al, PORT_B
        push    ax
        or      al, 0x03
        out     PORT_B, al
        mov     cx, 8287                ; 125 ms of refresh toggles
.tick:
        in      al, PORT_B
        and     al, 0x10
        mov     ah, al
        mov     bx, 64                  ; a toggle comes within a few port reads
.wait:
        in      al, PORT_B
        and     al, 0x10
        cmp     al, ah
        jne     .next
        dec     bx
        jnz     .wait
.next:
        loop    .tick
        pop     ax
        out     PORT_B, al
        ret

; ---------------------------------------------------------------------------------------------
; AH=13h: write a string. AL bit 0: move the cursor to the string's end; bit 1: the string
; alternates characters and attributes. BH = page, BL = attribute (bit 1 clear), CX = length,
; DH/DL = where to start, ES:BP = the string. BEL, BS, LF and CR act as in teletype output.
; ---------------------------------------------------------------------------------------------
vga_int10_write_string:
        cmp     byte [bp + L_KIND], MK_NONE
        je      .ret
        mov     bl, bh
        call    vga_page_cursor
        push    dx                      ; the page's cursor before the call
        mov     dx, [bp + F_DX]
        mov     [si], dx
        mov     si, [bp + F_BP]
        mov     cx, [bp + F_CX]
.next:
        jcxz    .end
        push    cx
        push    si
        mov     es, [bp + F_ES]
        mov     al, [es:si]
        mov     bx, [bp + F_BX]
        test    byte [bp + F_AL], 0x02
        jz      .write
        mov     bl, [es:si + 1]
.write:
        mov     cl, 1
        call    vga_tty
        pop     si
        pop     cx
        inc     si
        test    byte [bp + F_AL], 0x02
        jz      .counted
        inc     si
.counted:
        dec     cx
        jmp     .next
.end:
        pop     dx
        test    byte [bp + F_AL], 0x01
        jnz     .cursor
        mov     bl, [bp + F_BH]
        call    vga_cursor_slot
        mov     [si], dx                ; put the cursor back
.cursor:
        call    vga_update_cursor
.ret:
        ret
