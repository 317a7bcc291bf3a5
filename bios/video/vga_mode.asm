; vga_mode.asm - INT 10h AH=00h: setting a video mode. Programs every VGA register group from
; the mode's video parameter table entry, loads the DAC palette and the text font, clears video
; memory and fills the BIOS data area's video fields.
;
; Order of a mode set (IBM VGA Technical Reference, "Programming Considerations"): hold the
; sequencer in synchronous reset while Miscellaneous Output changes the dot clock, unlock CRTC
; registers 0-7 (Vertical Retrace End bit 7) before loading the CRTC, load the Attribute
; Controller with the palette address source (PAS) bit clear - which blanks the screen - and
; set PAS again only when everything, the DAC included, is loaded.

        cpu     8086

; AH=00h: AL = mode; bit 7 set keeps the contents of video memory.
; Returns AL = 30h for modes 0-5 and 7, 3Fh for mode 6, 20h above 7 (what IBM-compatible
; BIOSes leave there; a few programs look at it).
vga_int10_set_mode:
        mov     ah, al
        and     ah, 0x80
        and     al, 0x7F
        call    vga_find_mode
        jc      .ret                    ; no such mode: nothing changes
        call    vga_set_mode
        mov     al, [BDA_VID_MODE]
        mov     ah, 0x20
        cmp     al, 7
        ja      .store
        mov     ah, 0x3F
        cmp     al, 6
        je      .store
        mov     ah, 0x30
.store:
        mov     [bp + F_AL], ah
.ret:
        ret

; vga_set_mode: CS:SI = mode descriptor, AH = 80h to keep video memory, else 0.
; DS = BDA. Clobbers every register but DS, BP and SP.
vga_set_mode:
        mov     di, si                  ; DI = descriptor from here on
        mov     al, [BDA_VID_CTL]
        and     al, ~VCTL_KEEP_MEM
        or      al, ah
        mov     [BDA_VID_CTL], al

        ; Leave any VBE mode: the DISPI extension off, back to the VGA's own registers.
        mov     dx, DISPI_INDEX
        mov     ax, DISPI_ENABLE
        out     dx, ax
        inc     dx
        xor     ax, ax
        out     dx, ax

        ; The equipment word's initial video mode follows the display in use (IBM: 11b for the
        ; monochrome modes, 10b for 80x25 colour).
        mov     al, [BDA_EQUIPMENT]
        and     al, 0xCF
        or      al, 0x20
        test    byte [cs:di + MD_FLAGS], MDF_MONO
        jz      .equipment
        or      al, 0x30
.equipment:
        mov     [BDA_EQUIPMENT], al

        mov     si, di
        call    vga_params_entry        ; CS:SI = register values
        push    si
        call    vga_program_params

        ; The BIOS data area.
        mov     al, [cs:di + MD_MODE]
        mov     [BDA_VID_MODE], al
        mov     al, [cs:si + VP_COLS]
        xor     ah, ah
        mov     [BDA_VID_COLS], ax
        mov     ax, [cs:si + VP_PAGESZ]
        mov     [BDA_VID_PAGESZ], ax
        xor     ax, ax
        mov     [BDA_VID_START], ax
        mov     [BDA_VID_PAGE], al
        mov     bx, BDA_VID_CURPOS
.clear_cursors:
        mov     [bx], ax
        add     bx, 2
        cmp     bx, BDA_VID_CURPOS + 16
        jb      .clear_cursors
        mov     al, [cs:si + VP_CRTC + 0x0B]    ; cursor end
        mov     ah, [cs:si + VP_CRTC + 0x0A]    ; cursor start
        mov     [BDA_VID_CURSHP], ax
        mov     ax, VGA_CRTC_COLOR
        test    byte [cs:si + VP_MISC], 0x01
        jnz     .crtc_port
        mov     ax, VGA_CRTC_MONO
.crtc_port:
        mov     [BDA_VID_CRTC], ax
        call    vga_cga_mode_select
        mov     [BDA_VID_MODESEL], al
        mov     al, 0x30                ; CGA colour select: palette 1, as the PC BIOS leaves it
        cmp     byte [cs:di + MD_MODE], 6
        jne     .cga_palette
        mov     al, 0x3F                ; mode 6: foreground white
.cga_palette:
        mov     [BDA_VID_PALETTE], al
        mov     al, [cs:si + VP_ROWS]
        mov     [BDA_VID_ROWS], al
        mov     al, [cs:di + MD_POINTS]
        xor     ah, ah
        mov     [BDA_VID_POINTS], ax

        ; The DAC, unless a program turned default palette loading off (AH=12h BL=31h).
        mov     dx, VGA_PEL_MASK
        mov     al, 0xFF
        out     dx, al
        test    byte [BDA_VID_FLAGS], VFLAG_NO_PAL
        jnz     .dac_done
        mov     ah, [cs:di + MD_DAC]
        call    vga_load_default_dac
.dac_done:

        ; Video memory.
        test    byte [BDA_VID_CTL], VCTL_KEEP_MEM
        jnz     .memory_done
        call    vga_clear_memory
.memory_done:

        ; The font: text modes get theirs in plane 2; graphics modes draw characters from the
        ; table INT 43h points to (INT 1Fh holds the 8x8 font's upper half for modes 4-6).
        push    di
        mov     al, [cs:di + MD_POINTS]
        call    vga_rom_font            ; SI = font, AL = height
        push    ax
        push    si
        cmp     byte [cs:di + MD_KIND], MK_TEXT
        jne     .int43
        mov     si, font_8x8            ; text modes: INT 43h = the 8x8 font, as after POST
.int43:
        mov     bx, VEC_INT43
        call    vga_set_vector
        pop     si
        pop     ax
        pop     di
        cmp     byte [cs:di + MD_KIND], MK_TEXT
        jne     .font_done
        mov     bh, al
        xor     bl, bl                  ; block 0
        mov     cx, 256
        xor     dx, dx
        mov     ax, cs
        call    vga_font_upload
.font_done:
        pop     si                      ; the parameter table entry

        call    vga_update_cursor
        call    vga_screen_on
        ret

; vga_cga_mode_select: CS:DI = descriptor -> AL = the value a CGA's mode select register (3x8h)
; would hold in this mode (BDA 40:65; the VGA has no such register): bit 0 80-column text,
; 1 graphics, 3 video enabled, 4 640-dot graphics, 5 blink. Modes 0, 2, 4 add bit 2 (colour
; burst off) as on the CGA.
vga_cga_mode_select:
        mov     ah, [cs:di + MD_MODE]
        mov     al, 0x08
        cmp     byte [cs:di + MD_KIND], MK_TEXT
        jne     .graphics
        or      al, 0x20
        cmp     byte [cs:si + VP_COLS], 80
        jne     .burst
        or      al, 0x01
        jmp     .burst
.graphics:
        or      al, 0x02
        cmp     byte [cs:si + VP_COLS], 80
        jne     .burst
        or      al, 0x10
.burst:
        cmp     ah, 4
        ja      .ret
        test    ah, 1
        jnz     .ret
        or      al, 0x04
.ret:
        ret

; vga_program_params: CS:SI = video parameter table entry. Loads Miscellaneous Output, the
; Sequencer, CRTC, Attribute and Graphics Controllers. Leaves the screen blanked (PAS clear).
; Preserves SI, DI.
vga_program_params:
        mov     dx, VGA_SEQ_INDEX
        mov     ax, 0x0100              ; Reset register: synchronous reset
        out     dx, ax
        mov     dx, VGA_MISC_WRITE
        mov     al, [cs:si + VP_MISC]
        out     dx, al
        mov     dx, VGA_SEQ_INDEX
        mov     bx, 0
.seq:
        mov     al, bl
        inc     al                      ; registers 1-4
        mov     ah, [cs:si + VP_SEQ + bx]
        out     dx, ax
        inc     bx
        cmp     bx, 4
        jb      .seq
        mov     ax, 0x0300              ; out of reset
        out     dx, ax

        mov     dx, VGA_CRTC_MONO
        test    byte [cs:si + VP_MISC], 0x01
        jz      .crtc
        mov     dx, VGA_CRTC_COLOR
.crtc:
        mov     al, 0x11                ; unlock registers 0-7 first
        mov     ah, [cs:si + VP_CRTC + 0x11]
        and     ah, 0x7F
        out     dx, ax
        xor     bx, bx
.crtc_loop:
        mov     al, bl
        mov     ah, [cs:si + VP_CRTC + bx]
        out     dx, ax
        inc     bx
        cmp     bx, 0x19
        jb      .crtc_loop

        add     dx, STATUS1_OFFSET
        in      al, dx                  ; Input Status 1 read: the AC flip-flop to "index"
        mov     dx, VGA_AC_INDEX
        xor     bx, bx
.ac_loop:
        mov     al, bl                  ; PAS = 0 while loading
        out     dx, al
        mov     al, [cs:si + VP_AC + bx]
        out     dx, al
        inc     bx
        cmp     bx, 0x14
        jb      .ac_loop
        mov     al, 0x14                ; Color Select
        out     dx, al
        xor     al, al
        out     dx, al

        mov     dx, VGA_GC_INDEX
        xor     bx, bx
.gc_loop:
        mov     al, bl
        mov     ah, [cs:si + VP_GC + bx]
        out     dx, ax
        inc     bx
        cmp     bx, 9
        jb      .gc_loop
        ret

; vga_screen_on: sets the Attribute Controller's PAS bit, so the display uses the palette again.
; Preserves all but AL, DX.
vga_screen_on:
        mov     dx, [BDA_VID_CRTC]
        add     dx, STATUS1_OFFSET
        in      al, dx
        mov     dx, VGA_AC_INDEX
        mov     al, 0x20
        out     dx, al
        ret

; vga_clear_memory: CS:DI = descriptor. Text modes fill their 32 KiB with blanks on light gray
; (0720h), the others with zeros (all four planes, through Map Mask 0Fh of the mode's table).
; Clobbers AX, CX, ES, DI (restored).
vga_clear_memory:
        push    di
        mov     es, [cs:di + MD_SEG]
        mov     cx, 0x4000              ; 32 KiB
        mov     ax, 0x0720
        cmp     byte [cs:di + MD_KIND], MK_TEXT
        je      .fill
        xor     ax, ax
        cmp     word [cs:di + MD_SEG], SEG_VGA
        jne     .fill
        mov     cx, 0x8000              ; the whole 64 KiB window
.fill:
        xor     di, di
        rep     stosw
        pop     di
        ret

; vga_set_vector: BX = vector address (in segment 0), CS:SI = handler or table. Preserves all.
vga_set_vector:
        push    es
        push    ax
        xor     ax, ax
        mov     es, ax
        mov     [es:bx], si
        mov     [es:bx + 2], cs
        pop     ax
        pop     es
        ret

; vga_rom_font: AL = character height (8, 14, 16) -> CS:SI = the ROM font, AL = its height
; (8x8 for anything else).
vga_rom_font:
        mov     si, font_8x16
        cmp     al, 16
        je      .ret
        mov     si, font_8x14
        cmp     al, 14
        je      .ret
        mov     si, font_8x8
        mov     al, 8
.ret:
        ret

; ---------------------------------------------------------------------------------------------
; The DAC
; ---------------------------------------------------------------------------------------------

; vga_load_default_dac: AH = DAC_* kind. Loads the mode's default palette from entry 0: 256
; entries for DAC_256, 64 for the others (IBM loads only the 64 the attribute controller can
; name). Honours gray-scale summing (40:89 bit 1). Clobbers AX, BX, CX, DX.
vga_load_default_dac:
        mov     bx, 64
        cmp     ah, DAC_256
        jne     .count
        mov     bx, 256
.count:
        mov     dx, VGA_DAC_WRITE
        xor     al, al
        out     dx, al
        xor     al, al                  ; AL = entry
.entry:
        push    ax
        push    bx
        call    vga_dac_color           ; DH, CH, CL = red, green, blue
        call    vga_dac_write_rgb
        pop     bx
        pop     ax
        inc     al
        dec     bx
        jnz     .entry
        ret

; vga_dac_write_rgb: DH, CH, CL = red, green, blue: writes them to the DAC data port (the
; entry the write index points at), summed to gray first if 40:89 bit 1 asks for it.
; Clobbers AX, BX, DX.
vga_dac_write_rgb:
        test    byte [BDA_VID_FLAGS], VFLAG_GRAYSUM
        jz      .write
        call    vga_gray_sum
.write:
        mov     al, dh
        mov     dx, VGA_DAC_DATA
        out     dx, al
        mov     al, ch
        out     dx, al
        mov     al, cl
        out     dx, al
        ret

; vga_gray_sum: DH, CH, CL = red, green, blue -> all three = 30% red + 59% green + 11% blue
; (IBM's gray-scale summing weights, here as 77/256, 151/256 and 28/256). Clobbers AX, BX.
vga_gray_sum:
        mov     al, 77
        mul     dh
        mov     bx, ax
        mov     al, 151
        mul     ch
        add     bx, ax
        mov     al, 28
        mul     cl
        add     ax, bx
        add     ax, 0x80                ; round
        mov     dh, ah
        mov     ch, ah
        mov     cl, ah
        ret

; vga_dac_color: AL = entry, AH = DAC_* kind -> DH, CH, CL = red, green, blue (6 bits).
; Clobbers AX, BX.
vga_dac_color:
        cmp     ah, DAC_EGA
        je      .ega
        cmp     ah, DAC_MONO
        je      .mono
        cmp     ah, DAC_CGA
        je      .cga
        ; DAC_256
        cmp     al, 16
        jb      .cga16
        cmp     al, 32
        jb      .gray
        cmp     al, 248
        jb      .hue
        xor     dh, dh                  ; F8h-FFh: black
        xor     cx, cx
        ret
.cga16:
        ; The 16 text colours: bit 3 is the intensity (bit 4 of a 200-line palette index).
        mov     ah, al
        and     al, 0x07
        and     ah, 0x08
        shl     ah, 1
        or      al, ah
        ; fall through
.cga:
        ; 200-line modes: bits 0-2 colour, bit 4 intensity. Colour 6 without intensity is
        ; brown (EGA code 14h), as the CGA monitor shows it.
        mov     ah, al
        and     al, 0x07
        test    ah, 0x10
        jz      .cga_low
        or      al, 0x38
        jmp     .ega
.cga_low:
        cmp     al, 6
        jne     .ega
        mov     al, 0x14
        ; fall through
.ega:
        ; rgbRGB: bits 2, 1, 0 give 2/3 of full red, green, blue; bits 5, 4, 3 the other 1/3.
        mov     bl, al
        xor     dh, dh
        xor     cx, cx
        test    bl, 0x04
        jz      .ega_r
        add     dh, 0x2A
.ega_r:
        test    bl, 0x20
        jz      .ega_g
        add     dh, 0x15
.ega_g:
        test    bl, 0x02
        jz      .ega_g2
        add     ch, 0x2A
.ega_g2:
        test    bl, 0x10
        jz      .ega_b
        add     ch, 0x15
.ega_b:
        test    bl, 0x01
        jz      .ega_b2
        add     cl, 0x2A
.ega_b2:
        test    bl, 0x08
        jz      .ret
        add     cl, 0x15
.ret:
        ret
.mono:
        ; Bit 3 is the video signal (2/3 white), bit 4 the intensity (the other third).
        xor     dh, dh
        test    al, 0x08
        jz      .mono_i
        add     dh, 0x2A
.mono_i:
        test    al, 0x10
        jz      .mono_done
        add     dh, 0x15
.mono_done:
        mov     ch, dh
        mov     cl, dh
        ret
.gray:
        sub     al, 16
        mov     bl, al
        xor     bh, bh
        mov     dh, [cs:vga_gray_ramp + bx]
        mov     ch, dh
        mov     cl, dh
        ret
.hue:
        sub     al, 32
        xor     ah, ah
        mov     bl, 24
        div     bl                      ; AL = group (0-8), AH = hue (0-23)
        mov     bh, ah                  ; BH = hue
        mov     bl, 5
        mul     bl                      ; AX = group * 5
        push    si
        mov     si, ax
        add     si, vga_hue_levels      ; CS:SI = this group's five levels
        mov     al, bh                  ; red: the ramp at the hue
        call    .level
        mov     dh, al
        mov     al, bh                  ; green: eight hues earlier
        add     al, 16
        call    .wrap_level
        mov     ch, al
        mov     al, bh                  ; blue: eight hues later
        add     al, 8
        call    .wrap_level
        mov     cl, al
        pop     si
        ret
.wrap_level:
        cmp     al, 24
        jb      .level
        sub     al, 24
.level:                                 ; AL = ramp index -> AL = level value
        push    bx
        mov     bl, al
        xor     bh, bh
        mov     bl, [cs:vga_hue_ramp + bx]
        mov     al, [cs:si + bx]
        pop     bx
        ret
