; vga_gfx.asm - drawing in the graphics modes: characters (AH=08h/09h/0Ah/0Eh draw glyphs from
; the font INT 43h points to), pixels (AH=0Ch/0Dh) and the scan-line helpers scrolling uses.
;
; Memory layouts (IBM VGA Technical Reference, "Graphics Modes"; FreeVGA "VGA Memory
; Organization"):
;   MK_CGA4   modes 4/5: 2 bits per pixel, 80 bytes per line; even lines at B800:0000, odd
;             lines at B800:2000 (the CGA's interleave, which the VGA reproduces)
;   MK_CGA2   mode 6: 1 bit per pixel, the same interleave
;   MK_PLANAR modes 0Dh-12h: one bit per pixel in each of four planes, 40:4A bytes per line;
;             the Graphics Controller's write mode 2 and Bit Mask write chosen dots in all
;             planes at once, read mode 1 compares colours
;   MK_LINEAR8 mode 13h: one byte per pixel, 320 per line
; A character cell is 8 dots wide and 40:85 lines high.
;
; Scratch use: these routines may use the locals L_T3-L_T6 and L_BUF only (teletype output
; keeps its own state in L_T0-L_T2 across them). The glyph pointer is kept as a far pointer
; at L_T5 (offset) / L_T4 (segment).

        cpu     8086

; vga_gfx_line_offset: AX = scan line, DL = character column -> DI = offset of the cell's first
; byte on that line (including the page base for planar modes). Preserves all but AX, DI.
vga_gfx_line_offset:
        push    dx
        push    cx
        mov     cl, dl
        xor     ch, ch
        cmp     byte [bp + L_KIND], MK_PLANAR
        je      .planar
        cmp     byte [bp + L_KIND], MK_LINEAR8
        je      .linear
        xor     di, di                  ; CGA: odd lines in the second bank
        shr     ax, 1
        jnc     .even
        mov     di, 0x2000
.even:
        mov     dx, 80
        mul     dx
        add     di, ax
        cmp     byte [bp + L_KIND], MK_CGA4
        jne     .cga_column
        shl     cx, 1                   ; two bytes per cell
.cga_column:
        add     di, cx
        jmp     .ret
.planar:
        mul     word [bp + L_COLS]
        add     ax, [bp + L_PBASE]
        add     ax, cx
        mov     di, ax
        jmp     .ret
.linear:
        mov     dx, 320
        mul     dx
        shl     cx, 1
        shl     cx, 1
        shl     cx, 1
        add     ax, cx
        mov     di, ax
.ret:
        pop     cx
        pop     dx
        ret

; vga_gfx_width_bytes: CX = a width in character cells -> CX = bytes per scan line.
vga_gfx_width_bytes:
        cmp     byte [bp + L_KIND], MK_CGA4
        jne     .linear
        shl     cx, 1
        ret
.linear:
        cmp     byte [bp + L_KIND], MK_LINEAR8
        jne     .ret
        shl     cx, 1
        shl     cx, 1
        shl     cx, 1
.ret:
        ret

; vga_gfx_copy_begin: planar modes copy through the latches: write mode 1 stores the four
; bytes the last read loaded. Preserves all.
vga_gfx_copy_begin:
        cmp     byte [bp + L_KIND], MK_PLANAR
        jne     .ret
        push    ax
        push    dx
        mov     dx, VGA_GC_INDEX
        mov     ax, 0x0105
        out     dx, ax
        pop     dx
        pop     ax
.ret:
        ret

; vga_gfx_fill_begin: prepares to fill with the colour in L_T3 -> AL = the byte to store.
; Planar modes let Set/Reset supply every plane (Enable Set/Reset = 0Fh), so the stored byte
; does not matter; the other modes store the colour byte itself (as the PC BIOS did).
vga_gfx_fill_begin:
        mov     al, [bp + L_T3]
        cmp     byte [bp + L_KIND], MK_PLANAR
        jne     .ret
        push    dx
        mov     dx, VGA_GC_INDEX
        mov     ah, al
        and     ah, 0x0F
        mov     al, 0x00                ; Set/Reset = the colour
        out     dx, ax
        mov     ax, 0x0F01              ; Enable Set/Reset: all planes
        out     dx, ax
        mov     ax, 0x0005              ; write mode 0
        out     dx, ax
        mov     ax, 0x0003              ; replace, no rotation
        out     dx, ax
        mov     ax, 0xFF08              ; every dot
        out     dx, ax
        pop     dx
.ret:
        ret

; vga_gfx_restore: the Graphics Controller back to the mode's table values (planar modes change
; it to draw). Preserves all.
vga_gfx_restore:
        cmp     byte [bp + L_KIND], MK_PLANAR
        jne     .ret
        push    ax
        push    bx
        push    dx
        push    si
        mov     si, [bp + L_DESC]
        call    vga_params_entry
        mov     dx, VGA_GC_INDEX
        xor     bx, bx
.reg:
        mov     al, bl
        mov     ah, [cs:si + VP_GC + bx]
        out     dx, ax
        inc     bx
        cmp     bx, 9
        jb      .reg
        pop     si
        pop     dx
        pop     bx
        pop     ax
.ret:
        ret

; vga_glyph_ptr: AL = character -> L_T5:L_T4 = far pointer to its glyph. The font is the one
; INT 43h points to; in the CGA modes characters 80h-FFh come from the table at INT 1Fh (IBM
; PC BIOS convention). Clobbers AX, BX, SI.
vga_glyph_ptr:
        push    es
        xor     si, si
        mov     es, si
        mov     si, VEC_INT43
        cmp     byte [bp + L_KIND], MK_CGA2
        ja      .index
        cmp     al, 0x80
        jb      .index
        sub     al, 0x80
        mov     si, VEC_INT1F
.index:
        mul     byte [bp + L_POINTS]    ; AX = character * height
        add     ax, [es:si]
        mov     [bp + L_T5], ax
        mov     ax, [es:si + 2]
        mov     [bp + L_T4], ax
        pop     es
        ret

; vga_gfx_write_char: AL = character, BL = colour (bit 7: XOR it onto the screen, except in
; mode 13h), CX = count, DH/DL = cell; L_PBASE = the page's offset. Draws CX copies to the
; right, stopping at the end of the row. Clobbers everything but BP, DS.
vga_gfx_write_char:
        mov     [bp + L_T3], bl
        mov     [bp + L_T6], dx
        push    cx
        call    vga_glyph_ptr
        pop     cx
        mov     es, [bp + L_SEG]
.cell:
        jcxz    .done
        mov     dl, [bp + L_T6]
        cmp     dl, [bp + L_COLS]
        jae     .done
        push    cx
        xor     bx, bx                  ; BX = line in the cell
.line:
        cmp     bl, [bp + L_POINTS]
        jae     .cell_done
        mov     al, [bp + L_T6 + 1]
        mul     byte [bp + L_POINTS]
        add     ax, bx                  ; the scan line
        mov     dl, [bp + L_T6]
        call    vga_gfx_line_offset
        push    ds
        lds     si, [bp + L_T5]
        mov     al, [si + bx]           ; the glyph's dots on this line
        pop     ds
        mov     ah, [bp + L_T3]
        push    bx
        call    vga_gfx_put_dots
        pop     bx
        inc     bx
        jmp     .line
.cell_done:
        pop     cx
        inc     byte [bp + L_T6]
        dec     cx
        jmp     .cell
.done:
        call    vga_gfx_restore
        ret

; vga_gfx_put_dots: AL = 8 dots (bit 7 leftmost), AH = colour, ES:DI = the cell's bytes on
; this line. Dots that are set get the colour, the others colour 0. Clobbers AX, BX, CX, DX, DI.
vga_gfx_put_dots:
        mov     cl, ah                  ; CL = colour
        mov     ch, al                  ; CH = dots
        cmp     byte [bp + L_KIND], MK_PLANAR
        je      .planar
        cmp     byte [bp + L_KIND], MK_CGA4
        je      .cga4
        cmp     byte [bp + L_KIND], MK_CGA2
        je      .cga2
        mov     bx, 8                   ; mode 13h: a byte per dot
.linear:
        xor     al, al
        shl     ch, 1
        jnc     .linear_store
        mov     al, cl
.linear_store:
        stosb
        dec     bx
        jnz     .linear
        ret
.cga2:
        mov     al, ch
        test    cl, 0x01
        jnz     .cga2_colour
        xor     al, al
.cga2_colour:
        test    cl, 0x80
        jz      .cga2_store
        xor     [es:di], al
        ret
.cga2_store:
        mov     [es:di], al
        ret
.cga4:
        xor     dx, dx                  ; each dot becomes two bits of colour
        mov     bl, cl
        and     bl, 0x03
        mov     bh, 8
.cga4_dot:
        shl     dx, 1
        shl     dx, 1
        shl     ch, 1
        jnc     .cga4_next
        or      dl, bl
.cga4_next:
        dec     bh
        jnz     .cga4_dot
        xchg    dl, dh                  ; dots 0-3 in the first byte
        test    cl, 0x80
        jz      .cga4_store
        xor     [es:di], dx
        ret
.cga4_store:
        mov     [es:di], dx
        ret
.planar:
        mov     dx, VGA_GC_INDEX
        mov     ax, 0x0205              ; write mode 2: CPU bits 0-3 are the colour
        out     dx, ax
        test    cl, 0x80
        jz      .planar_replace
        mov     ax, 0x1803              ; XOR with the latches
        out     dx, ax
        jmp     .planar_dots
.planar_replace:
        mov     ax, 0x0003
        out     dx, ax
        mov     ax, 0xFF08              ; first every dot to colour 0 ...
        out     dx, ax
        mov     byte [es:di], 0
.planar_dots:
        mov     al, 0x08                ; ... then the glyph's dots to the colour
        mov     ah, ch
        out     dx, ax
        mov     al, [es:di]             ; load the latches (the dots the mask leaves alone)
        mov     al, cl
        and     al, 0x0F
        mov     [es:di], al
        ret

; vga_gfx_read_char: DH/DL = cell, L_PBASE = page offset -> AL = the character whose glyph
; matches the cell's dots (any non-zero colour counts as a dot), 0 if none does.
vga_gfx_read_char:
        mov     [bp + L_T6], dx
        mov     es, [bp + L_SEG]
        cmp     byte [bp + L_KIND], MK_PLANAR
        jne     .lines
        mov     dx, VGA_GC_INDEX
        mov     ax, 0x0805              ; read mode 1: colour compare
        out     dx, ax
        mov     ax, 0x0002              ; Color Compare = 0
        out     dx, ax
        mov     ax, 0x0F07              ; every plane counts
        out     dx, ax
.lines:
        xor     bx, bx
.line:
        cmp     bl, [bp + L_POINTS]
        jae     .compare
        mov     al, [bp + L_T6 + 1]
        mul     byte [bp + L_POINTS]
        add     ax, bx
        mov     dl, [bp + L_T6]
        call    vga_gfx_line_offset
        call    vga_gfx_get_dots
        mov     si, bx
        mov     [bp + L_BUF + si], al
        inc     bx
        cmp     bx, 32
        jb      .line
.compare:
        call    vga_gfx_restore
        xor     al, al                  ; try every character in turn
.candidate:
        push    ax
        call    vga_glyph_ptr
        push    ds
        lds     si, [bp + L_T5]
        push    ss
        pop     es
        lea     di, [bp + L_BUF]
        mov     cl, [bp + L_POINTS]
        xor     ch, ch
        repe    cmpsb
        pop     ds
        pop     ax
        je      .found
        inc     al
        jnz     .candidate
        xor     al, al
.found:
        ret

; vga_gfx_get_dots: ES:DI = a cell's bytes on one line -> AL = its dots (bit 7 leftmost).
; Clobbers AH, CX, DX.
vga_gfx_get_dots:
        cmp     byte [bp + L_KIND], MK_PLANAR
        je      .planar
        cmp     byte [bp + L_KIND], MK_CGA2
        je      .cga2
        cmp     byte [bp + L_KIND], MK_CGA4
        je      .cga4
        mov     cx, 8                   ; mode 13h
        xor     ah, ah
.linear:
        shl     ah, 1
        cmp     byte [es:di], 0
        je      .linear_next
        or      ah, 1
.linear_next:
        inc     di
        loop    .linear
        mov     al, ah
        ret
.planar:
        mov     al, [es:di]             ; 1 where the colour is 0
        not     al
        ret
.cga2:
        mov     al, [es:di]
        ret
.cga4:
        mov     dx, [es:di]
        xchg    dl, dh                  ; DX = dots 0-7, two bits each, dot 0 in bits 15-14
        mov     cx, 8
        xor     al, al
.cga4_dot:
        shl     al, 1
        test    dh, 0xC0
        jz      .cga4_next
        or      al, 1
.cga4_next:
        shl     dx, 1
        shl     dx, 1
        loop    .cga4_dot
        ret

; ---------------------------------------------------------------------------------------------
; AH=0Ch: write a pixel. AL = colour (bit 7: XOR, except in mode 13h), BH = page, CX = column,
; DX = row. AH=0Dh: read a pixel -> AL = colour.
; ---------------------------------------------------------------------------------------------
vga_int10_write_pixel:
        mov     byte [bp + L_T3], 1
        jmp     vga_pixel
vga_int10_read_pixel:
        mov     byte [bp + L_T3], 0
vga_pixel:
        cmp     byte [bp + L_KIND], MK_TEXT
        je      .ret
        cmp     byte [bp + L_KIND], MK_NONE
        je      .ret
        mov     bl, bh
        call    vga_page_base
        ; the mode's width in pixels: CGA4 320, CGA2 640, 13h 320, planar 8 per column byte
        mov     ax, 320
        cmp     byte [bp + L_KIND], MK_CGA2
        jne     .width_cga4
        mov     ax, 640
.width_cga4:
        cmp     byte [bp + L_KIND], MK_PLANAR
        jne     .width
        mov     ax, [bp + L_COLS]
        shl     ax, 1
        shl     ax, 1
        shl     ax, 1
.width:
        cmp     cx, ax
        jae     .ret                    ; off the right edge: nothing happens
        mov     es, [bp + L_SEG]
        mov     [bp + L_T4], cx         ; x
        ; DI = the byte holding the pixel
        mov     ax, dx
        mov     dl, 0
        call    vga_gfx_line_offset     ; the line's first byte (column 0)
        mov     ax, [bp + L_T4]
        mov     cl, 3                   ; planar, CGA2: 8 pixels per byte
        cmp     byte [bp + L_KIND], MK_CGA4
        jne     .bytes
        mov     cl, 2                   ; CGA4: 4 per byte
.bytes:
        cmp     byte [bp + L_KIND], MK_LINEAR8
        jne     .shift
        mov     cl, 0
.shift:
        shr     ax, cl
        add     di, ax
        mov     al, [bp + L_KIND]
        cmp     al, MK_LINEAR8
        je      .linear
        cmp     al, MK_PLANAR
        je      .planar
        ; CGA: shift = bits right of the pixel
        mov     cx, [bp + L_T4]
        mov     ah, 0x01                ; CGA2: 1-bit pixel
        cmp     byte [bp + L_KIND], MK_CGA4
        je      .cga4_shift
        not     cl
        and     cl, 7                   ; 7 - (x & 7)
        jmp     .cga
.cga4_shift:
        mov     ah, 0x03
        not     cl
        and     cl, 3
        shl     cl, 1                   ; (3 - (x & 3)) * 2
.cga:
        mov     bl, [es:di]
        cmp     byte [bp + L_T3], 0
        je      .cga_read
        mov     al, [bp + F_AL]
        and     al, ah
        shl     al, cl
        shl     ah, cl
        test    byte [bp + F_AL], 0x80
        jnz     .cga_xor
        not     ah
        and     bl, ah
        or      bl, al
        mov     [es:di], bl
        ret
.cga_xor:
        xor     [es:di], al
        ret
.cga_read:
        shr     bl, cl
        and     bl, ah
        mov     [bp + F_AL], bl
        ret
.linear:
        cmp     byte [bp + L_T3], 0
        je      .linear_read
        mov     al, [bp + F_AL]
        mov     [es:di], al
        ret
.linear_read:
        mov     al, [es:di]
        mov     [bp + F_AL], al
        ret
.planar:
        mov     cx, [bp + L_T4]
        and     cl, 7
        mov     dx, VGA_GC_INDEX
        cmp     byte [bp + L_T3], 0
        je      .planar_read
        mov     ah, 0x80
        shr     ah, cl
        mov     al, 0x08                ; Bit Mask: this pixel only
        out     dx, ax
        mov     ax, 0x0205              ; write mode 2
        out     dx, ax
        mov     ax, 0x0003
        test    byte [bp + F_AL], 0x80
        jz      .planar_op
        mov     ah, 0x18                ; XOR
.planar_op:
        out     dx, ax
        mov     al, [es:di]             ; latches
        mov     al, [bp + F_AL]
        and     al, 0x0F
        mov     [es:di], al
        call    vga_gfx_restore
        ret
.planar_read:
        not     cl
        and     cl, 7                   ; bit position of the pixel
        xor     bl, bl                  ; the colour
        mov     bh, 3                   ; planes 3..0
.plane:
        mov     al, 0x04                ; Read Map Select
        mov     ah, bh
        out     dx, ax
        mov     al, [es:di]
        shr     al, cl
        and     al, 1
        shl     bl, 1
        or      bl, al
        dec     bh
        jns     .plane
        mov     [bp + F_AL], bl
        call    vga_gfx_restore
.ret:
        ret
