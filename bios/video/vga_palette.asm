; vga_palette.asm - colours: the CGA-compatible palette call (AH=0Bh) and the EGA/VGA palette
; and DAC functions (AH=10h).
;
; Two stages turn a pixel or attribute into a colour (IBM VGA Technical Reference, "Attribute
; Controller" and "Video DAC"): the Attribute Controller's 16 palette registers map a 4-bit
; colour to a 6-bit DAC index (bits 7-6 come from Color Select), and the DAC's 256 entries hold
; 6-bit red, green and blue. The palette registers can be written only while the Attribute
; Address register's PAS bit is 0, which blanks the screen; these routines set PAS again at
; once.

        cpu     8086

; vga_ac_write: AL = Attribute Controller index, AH = value. Preserves all.
vga_ac_write:
        push    dx
        push    ax
        mov     dx, [BDA_VID_CRTC]
        add     dx, STATUS1_OFFSET
        in      al, dx                  ; the flip-flop to "index"
        mov     dx, VGA_AC_INDEX
        pop     ax
        push    ax
        and     al, 0x1F                ; PAS = 0
        out     dx, al
        mov     al, ah
        out     dx, al
        mov     al, 0x20                ; PAS = 1: the display uses the palette again
        out     dx, al
        pop     ax
        pop     dx
        ret

; vga_ac_read: AL = index -> AH = value. Preserves all else.
vga_ac_read:
        push    dx
        push    ax
        mov     dx, [BDA_VID_CRTC]
        add     dx, STATUS1_OFFSET
        in      al, dx
        mov     dx, VGA_AC_INDEX
        pop     ax
        push    ax
        and     al, 0x1F
        or      al, 0x20                ; keep PAS set: reading does not blank the screen
        out     dx, al
        mov     dx, VGA_AC_READ
        in      al, dx
        mov     dx, [BDA_VID_CRTC]
        add     dx, STATUS1_OFFSET
        mov     ah, al
        in      al, dx                  ; leave the flip-flop at "index"
        pop     dx                      ; (the caller's AX)
        mov     al, dl
        pop     dx
        ret

; vga_colour_code: AL = IRGB colour (0-15) -> AL = the 6-bit DAC index that shows it in the
; current mode: 200-line modes use bit 4 as the intensity (their default DAC), the others the
; rgbRGB layout, where dark gray is 38h and brown 14h. Clobbers AH.
vga_colour_code:
        and     al, 0x0F
        mov     ah, al
        and     al, 0x07
        push    si
        mov     si, [bp + L_DESC]
        test    byte [cs:si + MD_FLAGS], MDF_200LINE
        pop     si
        jz      .ega
        test    ah, 0x08
        jz      .ret
        or      al, 0x10
.ret:
        ret
.ega:
        test    ah, 0x08
        jz      .ega_low
        or      al, 0x38
        ret
.ega_low:
        cmp     al, 6
        jne     .ret
        mov     al, 0x14
        ret

; ---------------------------------------------------------------------------------------------
; AH=0Bh: the CGA's colour select. BH=00h: BL = background colour (graphics modes) or border
; (text modes), bit 4 = intensity of the mode 4/5 palette. BH=01h: BL = palette 0 (green, red,
; brown) or 1 (cyan, magenta, white) for modes 4/5.
; ---------------------------------------------------------------------------------------------
vga_int10_cga_palette:
        cmp     byte [bp + L_KIND], MK_NONE
        je      .ret
        cmp     byte [bp + L_KIND], MK_LINEAR8
        je      .ret
        cmp     bh, 1
        je      .palette
        ja      .ret
        mov     al, [BDA_VID_PALETTE]
        and     al, 0xE0
        mov     ah, bl
        and     ah, 0x1F
        or      al, ah
        mov     [BDA_VID_PALETTE], al
        mov     al, bl
        call    vga_colour_code
        mov     ah, al
        mov     al, 0x11                ; overscan (border)
        call    vga_ac_write
        cmp     byte [bp + L_KIND], MK_TEXT
        je      .ret
        xor     al, al                  ; graphics: palette register 0, the background
        call    vga_ac_write
        jmp     .cga_entries
.palette:
        cmp     byte [bp + L_KIND], MK_CGA4
        jne     .ret
        mov     al, [BDA_VID_PALETTE]
        and     al, 0xDF
        test    bl, 1
        jz      .store
        or      al, 0x20
.store:
        mov     [BDA_VID_PALETTE], al
.cga_entries:
        ; modes 4/5: palette registers 1-3 = 2, 4, 6 (palette 0) or 3, 5, 7 (palette 1), plus
        ; the intensity bit (bit 4 of the DAC index in the 200-line palette)
        cmp     byte [bp + L_KIND], MK_CGA4
        jne     .ret
        mov     bl, [BDA_VID_PALETTE]
        mov     ah, 2
        test    bl, 0x20
        jz      .intensity
        mov     ah, 3
.intensity:
        test    bl, 0x10
        jz      .entries
        or      ah, 0x10
.entries:
        mov     al, 1
.entry:
        call    vga_ac_write
        add     ah, 2
        inc     al
        cmp     al, 4
        jb      .entry
.ret:
        ret

; ---------------------------------------------------------------------------------------------
; AH=10h: palette registers and DAC
; ---------------------------------------------------------------------------------------------
vga_int10_palette:
        cmp     al, 0x1B
        ja      .ret
        mov     bl, al
        xor     bh, bh
        shl     bx, 1
        mov     bx, [cs:vga_palette_functions + bx]
        mov     [bp + L_HANDLER], bx
        mov     bx, [bp + F_BX]
        mov     cx, [bp + F_CX]
        mov     dx, [bp + F_DX]
        jmp     word [bp + L_HANDLER]
.ret:
        ret

vga_palette_functions:
        dw      vga_pal_set_register        ; 00h
        dw      vga_pal_set_overscan        ; 01h
        dw      vga_pal_set_all             ; 02h
        dw      vga_pal_blink               ; 03h
        dw      vga_pal_none, vga_pal_none, vga_pal_none ; 04h-06h
        dw      vga_pal_get_register        ; 07h
        dw      vga_pal_get_overscan        ; 08h
        dw      vga_pal_get_all             ; 09h
        dw      vga_pal_none, vga_pal_none, vga_pal_none, vga_pal_none, vga_pal_none, vga_pal_none ; 0Ah-0Fh
        dw      vga_pal_set_dac             ; 10h
        dw      vga_pal_none                ; 11h
        dw      vga_pal_set_dac_block       ; 12h
        dw      vga_pal_color_page          ; 13h
        dw      vga_pal_none                ; 14h
        dw      vga_pal_get_dac             ; 15h
        dw      vga_pal_none                ; 16h
        dw      vga_pal_get_dac_block       ; 17h
        dw      vga_pal_set_mask            ; 18h
        dw      vga_pal_get_mask            ; 19h
        dw      vga_pal_get_page            ; 1Ah
        dw      vga_pal_gray_sum            ; 1Bh

vga_pal_none:
        ret

; 00h: BL = palette register (00h-0Fh; 10h-14h reach the other attribute registers), BH = value.
vga_pal_set_register:
        cmp     bl, 0x14
        ja      vga_pal_none
        mov     al, bl
        mov     ah, bh
        jmp     vga_ac_write

; 01h: BH = overscan (border) colour.
vga_pal_set_overscan:
        mov     al, 0x11
        mov     ah, bh
        jmp     vga_ac_write

; 02h: ES:DX = 17 bytes: palette registers 0-15, then the overscan colour.
vga_pal_set_all:
        mov     es, [bp + F_ES]
        mov     si, dx
        xor     al, al
.reg:
        mov     ah, [es:si]
        call    vga_ac_write
        inc     si
        inc     al
        cmp     al, 16
        jb      .reg
        mov     ah, [es:si]
        mov     al, 0x11
        jmp     vga_ac_write

; 03h: BL = 0: attribute bit 7 is background intensity; 1: it makes the character blink.
vga_pal_blink:
        cmp     bl, 1
        ja      vga_pal_none
        mov     al, 0x10
        call    vga_ac_read
        and     ah, ~0x08
        and     byte [BDA_VID_MODESEL], ~0x20
        test    bl, bl
        jz      .write
        or      ah, 0x08
        or      byte [BDA_VID_MODESEL], 0x20
.write:
        jmp     vga_ac_write

; 07h: BL = register -> BH = value.
vga_pal_get_register:
        cmp     bl, 0x14
        ja      vga_pal_none
        mov     al, bl
        call    vga_ac_read
        mov     [bp + F_BH], ah
        ret

; 08h: -> BH = overscan colour.
vga_pal_get_overscan:
        mov     al, 0x11
        call    vga_ac_read
        mov     [bp + F_BH], ah
        ret

; 09h: ES:DX <- the 16 palette registers and the overscan colour.
vga_pal_get_all:
        mov     es, [bp + F_ES]
        mov     di, dx
        xor     al, al
.reg:
        call    vga_ac_read
        mov     [es:di], ah
        inc     di
        inc     al
        cmp     al, 16
        jb      .reg
        mov     al, 0x11
        call    vga_ac_read
        mov     [es:di], ah
        ret

; 10h: BX = DAC entry, DH/CH/CL = red/green/blue.
vga_pal_set_dac:
        mov     al, bl
        mov     dx, VGA_DAC_WRITE
        out     dx, al
        mov     dh, [bp + F_DH]
        jmp     vga_dac_write_rgb

; 12h: BX = first entry, CX = count, ES:DX = 3 bytes (red, green, blue) per entry.
vga_pal_set_dac_block:
        mov     es, [bp + F_ES]
        mov     si, dx
        call    vga_pal_block_count
        jcxz    .ret
        mov     al, bl
        mov     dx, VGA_DAC_WRITE
        out     dx, al
.entry:
        push    cx
        mov     dh, [es:si]
        mov     ch, [es:si + 1]
        mov     cl, [es:si + 2]
        call    vga_dac_write_rgb
        add     si, 3
        pop     cx
        loop    .entry
.ret:
        ret

; vga_pal_block_count: BX = first entry, CX = count -> CX limited to what fits below entry 256.
vga_pal_block_count:
        mov     ax, 256
        sub     ax, bx
        jbe     .none
        cmp     cx, ax
        jbe     .ret
        mov     cx, ax
.ret:
        ret
.none:
        xor     cx, cx
        ret

; 13h: BL = 0: BH = colour paging mode (0: 4 pages of 64 entries, 1: 16 pages of 16, Attribute
; Mode Control bit 7); BL = 1: BH = page (Color Select bits 3-0 or 3-2).
vga_pal_color_page:
        cmp     bl, 1
        ja      vga_pal_none
        je      .page
        mov     al, 0x10
        call    vga_ac_read
        and     ah, 0x7F
        test    bh, 1
        jz      .mode
        or      ah, 0x80
.mode:
        jmp     vga_ac_write
.page:
        mov     al, 0x10
        call    vga_ac_read
        mov     al, bh
        test    ah, 0x80
        jnz     .sixteen
        and     al, 3
        shl     al, 1
        shl     al, 1
        jmp     .write
.sixteen:
        and     al, 0x0F
.write:
        mov     ah, al
        mov     al, 0x14
        jmp     vga_ac_write

; 15h: BX = entry -> DH/CH/CL = red/green/blue.
vga_pal_get_dac:
        mov     al, bl
        mov     dx, VGA_DAC_READ
        out     dx, al
        mov     dx, VGA_DAC_DATA
        in      al, dx
        mov     [bp + F_DH], al
        in      al, dx
        mov     [bp + F_CH], al
        in      al, dx
        mov     [bp + F_CL], al
        ret

; 17h: BX = first entry, CX = count -> ES:DX = 3 bytes per entry.
vga_pal_get_dac_block:
        mov     es, [bp + F_ES]
        mov     di, dx
        call    vga_pal_block_count
        jcxz    .ret
        mov     ax, cx
        mov     cx, 3
        mul     cx                      ; (MUL sets DX: the ports come after)
        mov     cx, ax
        mov     al, bl
        mov     dx, VGA_DAC_READ
        out     dx, al
        mov     dx, VGA_DAC_DATA
.byte:
        in      al, dx                  ; (INSB is a 186 instruction)
        stosb
        loop    .byte
.ret:
        ret

; 18h: BL = PEL mask. 19h: -> BL = PEL mask.
vga_pal_set_mask:
        mov     al, bl
        mov     dx, VGA_PEL_MASK
        out     dx, al
        ret
vga_pal_get_mask:
        mov     dx, VGA_PEL_MASK
        in      al, dx
        mov     [bp + F_BL], al
        ret

; 1Ah: -> BL = colour paging mode, BH = current page.
vga_pal_get_page:
        mov     al, 0x10
        call    vga_ac_read
        mov     bl, ah
        rol     bl, 1
        and     bl, 1
        mov     [bp + F_BL], bl
        mov     al, 0x14
        call    vga_ac_read
        mov     al, ah
        and     al, 0x0F
        test    bl, bl
        jnz     .store
        shr     al, 1
        shr     al, 1
.store:
        mov     [bp + F_BH], al
        ret

; 1Bh: BX = first entry, CX = count: replace each with its gray-scale sum.
vga_pal_gray_sum:
        call    vga_pal_block_count
        jcxz    .ret
.entry:
        push    cx
        mov     al, bl
        mov     dx, VGA_DAC_READ
        out     dx, al
        mov     dx, VGA_DAC_DATA
        in      al, dx
        mov     ah, al
        in      al, dx
        mov     ch, al
        in      al, dx
        mov     cl, al
        mov     dh, ah
        push    bx
        call    vga_gray_sum
        pop     bx
        mov     ah, dh
        mov     al, bl
        mov     dx, VGA_DAC_WRITE
        out     dx, al
        mov     dx, VGA_DAC_DATA
        mov     al, ah
        out     dx, al
        mov     al, ch
        out     dx, al
        mov     al, cl
        out     dx, al
        pop     cx
        inc     bx
        loop    .entry
.ret:
        ret
