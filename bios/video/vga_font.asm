; vga_font.asm - INT 10h AH=11h, the character generator: loading fonts into the VGA's plane 2
; for text modes, choosing the graphics-mode font (INT 43h/1Fh), and AX=1130h font information.
;
; In text modes the VGA draws characters from plane 2, where each of 256 characters owns 32
; bytes (one per scan line; only the first "character height" are used). Plane 2 holds eight
; such blocks of 8 KiB; blocks 0-3 start at 0, 16K, 32K, 48K and blocks 4-7 at 8K, 24K, 40K,
; 56K (IBM VGA Technical Reference, Character Map Select register). The CPU reaches plane 2
; only after the sequencer and graphics controller leave odd/even text addressing: Map Mask =
; plane 2, Memory Mode = sequential, Read Map = 2, Graphics Mode = write mode 0 without odd/
; even, Miscellaneous = A0000h 64K window (IBM: "loading a character font").

        cpu     8086

; vga_font_upload: AX:SI = glyphs (BH bytes each), CX = how many, DX = first character,
; BL = block (0-7), BH = bytes per character. Copies them into plane 2, then puts the
; addressing back as the current mode has it. DS = BDA. Clobbers AX, BX, CX, DX, SI, DI, ES.
vga_font_upload:
        push    ax
        push    dx
        call    vga_plane2_begin
        pop     dx
        pop     ax
        cmp     cx, 256                 ; a character set has 256 characters at most
        jbe     .count_ok
        mov     cx, 256
.count_ok:
        cmp     bh, 32
        jbe     .height_ok
        mov     bh, 32
.height_ok:
        push    ds
        mov     ds, ax
        mov     ax, SEG_VGA
        mov     es, ax
        ; DI = block base + first * 32
        mov     al, bl
        and     al, 3
        mov     ah, al
        mov     al, bl
        and     al, 4
        shl     ah, 1                   ; AH = (block & 3) << 6 | (block & 4) << 3
        shl     ah, 1
        shl     ah, 1
        or      ah, al
        shl     ah, 1
        shl     ah, 1
        shl     ah, 1
        xor     al, al
        mov     di, ax
        and     dx, 0xFF
        mov     ax, dx
        mov     dl, 32
        mul     dl                      ; AX = first * 32 (under 8K)
        add     di, ax
        jcxz    .done
        mov     dl, bh
        xor     dh, dh                  ; DX = bytes per character
.char:
        push    cx
        push    di
        mov     cx, dx
        rep     movsb
        pop     di
        pop     cx
        add     di, 32
        loop    .char
.done:
        pop     ds
        call    vga_plane2_end
        ret

; vga_plane2_begin: the CPU addresses plane 2 alone at A0000h. Clobbers AX, DX.
vga_plane2_begin:
        mov     dx, VGA_SEQ_INDEX
        mov     ax, 0x0402              ; Map Mask: plane 2
        out     dx, ax
        mov     ax, 0x0604              ; Memory Mode: extended memory, odd/even disabled
        out     dx, ax
        mov     dx, VGA_GC_INDEX
        mov     ax, 0x0204              ; Read Map Select: plane 2
        out     dx, ax
        mov     ax, 0x0005              ; Graphics Mode: write mode 0, no odd/even
        out     dx, ax
        mov     ax, 0x0406              ; Miscellaneous: A0000h-AFFFFh, no chaining, text
        out     dx, ax
        ret

; vga_plane2_end: Map Mask, Memory Mode, Read Map, Graphics Mode and Miscellaneous back to the
; current mode's table values. DS = BDA. Clobbers AX, DX.
vga_plane2_end:
        push    si
        mov     al, [BDA_VID_MODE]
        call    vga_find_mode
        jnc     .known
        mov     al, 3                   ; unknown mode (a VBE mode): the text mode's values
        call    vga_find_mode
.known:
        call    vga_params_entry
        mov     dx, VGA_SEQ_INDEX
        mov     al, 2
        mov     ah, [cs:si + VP_SEQ + 1]
        out     dx, ax
        mov     al, 4
        mov     ah, [cs:si + VP_SEQ + 3]
        out     dx, ax
        mov     dx, VGA_GC_INDEX
        mov     al, 4
        mov     ah, [cs:si + VP_GC + 4]
        out     dx, ax
        mov     al, 5
        mov     ah, [cs:si + VP_GC + 5]
        out     dx, ax
        mov     al, 6
        mov     ah, [cs:si + VP_GC + 6]
        out     dx, ax
        pop     si
        ret

; ---------------------------------------------------------------------------------------------
; AH=11h
; ---------------------------------------------------------------------------------------------
vga_int10_font:
        cmp     al, 0x30
        je      font_info
        cmp     al, 0x20
        jae     font_graphics
        cmp     al, 0x03
        je      font_block_select
        mov     ah, al
        and     ah, 0x0F                ; 0-4: the load; AL bit 4 asks for the recalculation
        cmp     ah, 0x04
        ja      .ret
        cmp     ah, 0x03
        je      .ret
        mov     bx, [bp + F_BX]
        cmp     ah, 0x00
        je      .user
        ; ROM fonts: AL = 1 (8x14), 2 (8x8), 4 (8x16); BL = block
        mov     al, 14
        cmp     ah, 1
        je      .rom
        mov     al, 8
        cmp     ah, 2
        je      .rom
        mov     al, 16
.rom:
        call    vga_rom_font            ; CS:SI, AL = height
        mov     bh, al
        mov     cx, 256
        xor     dx, dx
        mov     ax, cs
        jmp     .load
.user:
        ; ES:BP = table, CX = count, DX = first, BL = block, BH = bytes per character
        mov     si, [bp + F_BP]
        mov     ax, [bp + F_ES]
        mov     cx, [bp + F_CX]
        mov     dx, [bp + F_DX]
.load:
        cmp     byte [bp + L_KIND], MK_TEXT
        jne     .ret                    ; plane 2 holds a font only in text modes
        and     bl, 7
        push    bx
        call    vga_font_upload
        pop     bx
        test    byte [bp + F_AL], 0x10
        jz      .ret
        call    vga_font_recalc
.ret:
        ret

; AX=1103h: BL = character map select (Sequencer register 3): bits 0, 1, 4 the block for
; attribute bit 3 = 0, bits 2, 3, 5 the block for attribute bit 3 = 1.
font_block_select:
        mov     dx, VGA_SEQ_INDEX
        mov     al, 3
        mov     ah, bl
        out     dx, ax
        ret

; vga_font_recalc: BH = character height of the font just loaded (AX=1110h-1114h). Sets the
; CRTC for it the way IBM's BIOS does: maximum scan line = height - 1, cursor on the last lines
; of the cell, as many rows as fit in the vertical display (400 lines: 25 of 16, 28 of 14, 50
; of 8) with the display end trimmed to whole rows; and updates 40:4C, 40:60, 40:84, 40:85.
vga_font_recalc:
        mov     bl, bh
        and     bx, 0x1F
        jz      .ret
        mov     [BDA_VID_POINTS], bx
        mov     al, 0x09                ; Maximum Scan Line
        call    vga_crtc_read
        and     ah, 0xE0
        mov     cl, bl
        dec     cl
        or      ah, cl
        call    vga_crtc_write
        ; cursor: the last two lines above the bottom (8 lines: the last two)
        mov     ch, bl
        mov     cl, bl
        sub     ch, 2
        dec     cl
        cmp     bl, 8
        jbe     .cursor
        dec     ch
        dec     cl
.cursor:
        mov     [BDA_VID_CURSHP], cx
        mov     al, 0x0A
        mov     ah, ch
        call    vga_crtc_write
        mov     al, 0x0B
        mov     ah, cl
        call    vga_crtc_write
        ; rows = (vertical display end + 1) / height, with the display end of the mode's table
        ; (an earlier recalculation may have trimmed the register)
        push    si
        mov     si, [bp + L_DESC]
        call    vga_params_entry
        mov     dl, [cs:si + VP_CRTC + 0x12]    ; VDE bits 0-7
        mov     ah, [cs:si + VP_CRTC + 0x07]    ; Overflow: bits 8 and 9
        pop     si
        mov     dh, 0
        test    ah, 0x02
        jz      .vde9
        or      dh, 1
.vde9:
        test    ah, 0x40
        jz      .vde_done
        or      dh, 2
.vde_done:
        mov     ax, dx
        inc     ax                      ; displayed lines
        div     bl                      ; AL = rows
        test    al, al
        jz      .ret
        mov     [BDA_VID_ROWS], al
        dec     byte [BDA_VID_ROWS]
        mov     cl, al                  ; CL = rows
        ; the display end, trimmed to whole rows
        mul     bl
        dec     ax                      ; AX = rows * height - 1
        mov     dx, ax
        mov     ah, dl
        mov     al, 0x12
        call    vga_crtc_write
        mov     al, 0x11                ; unlock Overflow (CRTC 7)
        call    vga_crtc_read
        mov     ch, ah
        and     ah, 0x7F
        call    vga_crtc_write
        mov     al, 0x07
        call    vga_crtc_read
        and     ah, ~0x42
        test    dh, 1
        jz      .ov9
        or      ah, 0x02
.ov9:
        test    dh, 2
        jz      .ov_done
        or      ah, 0x40
.ov_done:
        call    vga_crtc_write
        mov     al, 0x11
        mov     ah, ch
        call    vga_crtc_write          ; protection as it was
        ; page size = rows * columns * 2, rounded up to 256 bytes
        mov     al, cl
        mul     byte [BDA_VID_COLS]
        shl     ax, 1
        add     ax, 0xFF
        xor     al, al
        mov     [BDA_VID_PAGESZ], ax
.ret:
        ret

; AX=1120h-1124h: the graphics-mode font. 20h: INT 1Fh = ES:BP (characters 80h-FFh of the
; 8x8 font in CGA modes). 21h: INT 43h = ES:BP, CX = bytes per character. 22h/23h/24h: INT 43h
; = the ROM 8x14/8x8/8x16 font. For 21h-24h BL gives the rows: 0 = DL, 1 = 14, 2 = 25, 3 = 43.
font_graphics:
        cmp     al, 0x24
        ja      .ret
        push    es
        xor     si, si
        mov     es, si
        mov     si, [bp + F_BP]
        mov     dx, [bp + F_ES]
        cmp     al, 0x20
        jne     .not_1f
        mov     [es:VEC_INT1F], si
        mov     [es:VEC_INT1F + 2], dx
        pop     es
.ret:
        ret
.not_1f:
        mov     cx, [bp + F_CX]
        cmp     al, 0x21
        je      .set43
        mov     ah, al
        mov     al, 14
        cmp     ah, 0x22
        je      .rom
        mov     al, 8
        cmp     ah, 0x23
        je      .rom
        mov     al, 16
.rom:
        call    vga_rom_font
        mov     dx, cs
        mov     cl, al
        xor     ch, ch
.set43:
        mov     [es:VEC_INT43], si
        mov     [es:VEC_INT43 + 2], dx
        pop     es
        and     cx, 0x1F
        jz      .ret
        mov     [BDA_VID_POINTS], cx
        mov     bl, [bp + F_BL]
        mov     al, [bp + F_DL]
        cmp     bl, 0
        je      .rows
        mov     al, 14
        cmp     bl, 1
        je      .rows
        mov     al, 25
        cmp     bl, 2
        je      .rows
        mov     al, 43
.rows:
        test    al, al
        jz      .rows_done
        dec     al
        mov     [BDA_VID_ROWS], al
.rows_done:
        ret

; AX=1130h: font information. BH = which pointer: 0 INT 1Fh, 1 INT 43h, 2 ROM 8x14, 3 ROM 8x8,
; 4 ROM 8x8 characters 80h-FFh, 5 the 9x14 alternates, 6 ROM 8x16, 7 the 9x16 alternates.
; Returns ES:BP = pointer, CX = character height (40:85), DL = rows - 1 (40:84).
font_info:
        mov     ax, [BDA_VID_POINTS]
        mov     [bp + F_CX], ax
        mov     al, [BDA_VID_ROWS]
        mov     [bp + F_DL], al
        mov     bl, [bp + F_BH]
        cmp     bl, 7
        ja      .ret
        cmp     bl, 1
        ja      .rom
        xor     si, si
        mov     es, si
        mov     si, VEC_INT1F
        test    bl, bl
        jz      .vector
        mov     si, VEC_INT43
.vector:
        mov     ax, [es:si]
        mov     [bp + F_BP], ax
        mov     ax, [es:si + 2]
        mov     [bp + F_ES], ax
        ret
.rom:
        xor     bh, bh
        sub     bl, 2
        shl     bx, 1
        mov     ax, [cs:font_info_table + bx]
        mov     [bp + F_BP], ax
        mov     [bp + F_ES], cs
.ret:
        ret

font_info_table:
        dw      font_8x14, font_8x8, font_8x8 + 128 * 8, font_alt_9x14, font_8x16, font_alt_9x16

; The 9-dot alternate glyph tables (character code, then its glyph; 0 ends the table). A VGA
; BIOS may list here characters that should look different in 9-dot text modes; Lantern's fonts
; need no replacements, so both tables are empty.
font_alt_9x14:
        db      0
font_alt_9x16:
        db      0
