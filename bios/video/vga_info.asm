; vga_info.asm - configuration and state queries: AH=12h (alternate select), AH=1Ah (display
; combination code), AH=1Bh (functionality and state information).

        cpu     8086

; ---------------------------------------------------------------------------------------------
; AH=12h: alternate select. BL selects the subfunction; the EGA/VGA ones return AL = 12h when
; they did what was asked.
; ---------------------------------------------------------------------------------------------
vga_int10_alt_select:
        cmp     bl, 0x10
        je      .info
        cmp     bl, 0x30
        je      .scan_lines
        cmp     bl, 0x31
        je      .palette_loading
        cmp     bl, 0x32
        je      .addressing
        cmp     bl, 0x33
        je      .gray_summing
        cmp     bl, 0x34
        je      .cursor_emulation
        cmp     bl, 0x36
        je      .refresh
        ret                             ; 20h (print screen), 35h (display switch): not here
.done:
        mov     byte [bp + F_AL], 0x12
.ret:
        ret

.info:
        ; BL=10h: BH = 0 colour / 1 monochrome, BL = memory (3: 256K), CH = feature bits,
        ; CL = switch settings.
        xor     bh, bh
        cmp     word [BDA_VID_CRTC], VGA_CRTC_MONO
        jne     .colour
        inc     bh
.colour:
        mov     bl, 3
        mov     [bp + F_BX], bx
        mov     al, [BDA_VID_SWITCH]
        mov     cl, al
        and     cl, 0x0F
        mov     ch, al
        shr     ch, 1
        shr     ch, 1
        shr     ch, 1
        shr     ch, 1
        mov     [bp + F_CX], cx
        ret

.scan_lines:
        ; AL = 0: 200, 1: 350, 2: 400 scan lines for the text modes set from now on (40:89
        ; bits 7 and 4). Lantern's text modes always use 400 lines; the choice is recorded.
        cmp     al, 2
        ja      .ret
        mov     ah, [BDA_VID_FLAGS]
        and     ah, 0x6F
        cmp     al, 1
        je      .store_lines
        mov     bl, 0x10                ; 400
        cmp     al, 2
        je      .lines
        mov     bl, 0x80                ; 200
.lines:
        or      ah, bl
.store_lines:
        mov     [BDA_VID_FLAGS], ah
        jmp     .done

.palette_loading:
        ; AL = 0: a mode set loads the default palette, 1: it leaves the DAC alone.
        mov     ah, VFLAG_NO_PAL
        jmp     .flag89
.gray_summing:
        ; AL = 0: palette loads are summed to gray, 1: they are not. (The flag is "enabled"
        ; when set, so the sense is the opposite of palette loading's.)
        cmp     al, 1
        ja      .ret
        xor     al, 1
        mov     ah, VFLAG_GRAYSUM
.flag89:
        cmp     al, 1
        ja      .ret
        not     ah
        and     [BDA_VID_FLAGS], ah
        not     ah
        test    al, al
        jz      .done
        or      [BDA_VID_FLAGS], ah
        jmp     .done

.cursor_emulation:
        ; AL = 0: scale CGA cursor shapes to the character height, 1: program them as given.
        cmp     al, 1
        ja      .ret
        and     byte [BDA_VID_CTL], ~VCTL_NO_CUREMU
        test    al, al
        jz      .done
        or      byte [BDA_VID_CTL], VCTL_NO_CUREMU
        jmp     .done

.addressing:
        ; AL = 0: the VGA answers memory and I/O cycles, 1: it does not (port 3C3h bit 0).
        cmp     al, 1
        ja      .ret
        xor     al, 1
        mov     dx, VGA_SUBSYS
        out     dx, al
        jmp     .done

.refresh:
        ; AL = 0: the screen on, 1: off (Clocking Mode bit 5, "screen off", which also gives
        ; the CPU all memory cycles).
        cmp     al, 1
        ja      .ret
        mov     cl, al
        mov     dx, VGA_SEQ_INDEX
        mov     al, 1
        out     dx, al
        inc     dx
        in      al, dx
        and     al, ~0x20
        test    cl, cl
        jz      .refresh_write
        or      al, 0x20
.refresh_write:
        out     dx, al
        jmp     .done

; ---------------------------------------------------------------------------------------------
; AH=1Ah: display combination code. AL=00h: -> AL = 1Ah, BL = active display (08h VGA colour
; analogue, 07h VGA monochrome analogue), BH = alternate display (00h none). AL=01h: set it:
; accepted, AL = 1Ah (there is only the one adapter).
; ---------------------------------------------------------------------------------------------
vga_int10_display_combo:
        cmp     al, 1
        ja      .ret
        je      .ok
        mov     bx, 0x0008
        cmp     word [BDA_VID_CRTC], VGA_CRTC_MONO
        jne     .store
        mov     bl, 0x07
.store:
        mov     [bp + F_BX], bx
.ok:
        mov     byte [bp + F_AL], 0x1A
.ret:
        ret

; ---------------------------------------------------------------------------------------------
; AH=1Bh: functionality and state information. BX = 0, ES:DI = a 64-byte buffer -> AL = 1Bh
; (Ralf Brown's Interrupt List, "Format of Functionality/State Information").
; ---------------------------------------------------------------------------------------------
vga_int10_functionality:
        test    bx, bx
        jnz     .ret
        cmp     byte [bp + L_KIND], MK_NONE
        je      .ret
        mov     es, [bp + F_ES]
        mov     di, [bp + F_DI]
        push    di
        mov     cx, 32
        xor     ax, ax
        rep     stosw
        pop     di
        mov     word [es:di + 0x00], vga_static_table
        mov     [es:di + 0x02], cs
        mov     al, [BDA_VID_MODE]
        mov     [es:di + 0x04], al
        ; 05h-21h: the BDA's 40:4A-40:66 in the same order
        push    di
        add     di, 5
        mov     si, BDA_VID_COLS
        mov     cx, BDA_VID_PALETTE + 1 - BDA_VID_COLS
        rep     movsb                   ; DS:SI = the BDA, ES:DI = the caller's buffer
        pop     di
        mov     al, [BDA_VID_ROWS]
        inc     al
        mov     [es:di + 0x22], al
        mov     ax, [BDA_VID_POINTS]
        mov     [es:di + 0x23], ax
        mov     ax, 0x0008              ; active display VGA colour, no alternate
        cmp     word [BDA_VID_CRTC], VGA_CRTC_MONO
        jne     .dcc
        mov     al, 0x07
.dcc:
        mov     [es:di + 0x25], ax
        ; colours, pages and scan lines from the mode
        mov     si, [bp + L_DESC]
        mov     al, [cs:si + MD_MODE]
        mov     bx, 16                  ; colours
        mov     cx, 0x0201              ; CL = pages, CH = scan line code (2: 400)
        mov     ah, [cs:si + MD_KIND]
        cmp     ah, MK_TEXT
        jne     .not_text
        mov     cl, 8
        test    byte [cs:si + MD_FLAGS], MDF_MONO
        jz      .store_info
        xor     bx, bx                  ; monochrome: 0 colours
        jmp     .store_info
.not_text:
        xor     ch, ch                  ; 200 lines for the CGA modes and 13h
        mov     bx, 4
        cmp     ah, MK_CGA4
        je      .store_info
        mov     bx, 2
        cmp     ah, MK_CGA2
        je      .store_info
        mov     bx, 256
        cmp     ah, MK_LINEAR8
        je      .store_info
        mov     bx, 16                  ; planar: pages = 64K / page size
        mov     cl, 8
        cmp     al, 0x0D
        je      .store_info
        mov     cl, 4
        cmp     al, 0x0E
        je      .store_info
        mov     cx, 0x0102              ; 0Fh, 10h: 350 lines, 2 pages
        cmp     al, 0x10
        jb      .mono_planar
        je      .store_info
        mov     cx, 0x0301              ; 11h, 12h: 480 lines, 1 page
        mov     bx, 16
        cmp     al, 0x11
        jne     .store_info
        mov     bx, 2
        jmp     .store_info
.mono_planar:
        xor     bx, bx
.store_info:
        mov     [es:di + 0x27], bx
        mov     [es:di + 0x29], cl
        mov     [es:di + 0x2A], ch
        ; character blocks from Character Map Select: A = bits 4, 1, 0; B = bits 5, 3, 2
        mov     dx, VGA_SEQ_INDEX
        mov     al, 3
        out     dx, al
        inc     dx
        in      al, dx
        mov     ah, al
        and     al, 0x03
        test    ah, 0x10
        jz      .block_a
        or      al, 0x04
.block_a:
        mov     [es:di + 0x2B], al
        mov     al, ah
        shr     al, 1
        shr     al, 1
        and     al, 0x03
        test    ah, 0x20
        jz      .block_b
        or      al, 0x04
.block_b:
        mov     [es:di + 0x2C], al
        ; miscellaneous state flags
        mov     al, 0x01                ; all modes on all displays
        mov     ah, [BDA_VID_FLAGS]
        and     ah, VFLAG_GRAYSUM | VFLAG_NO_PAL
        or      al, ah
        test    byte [BDA_VID_CTL], VCTL_NO_CUREMU
        jnz     .blink
        or      al, 0x10                ; cursor emulation on
.blink:
        push    ax
        mov     al, 0x10
        call    vga_ac_read
        mov     bl, ah
        pop     ax
        test    bl, 0x08
        jz      .misc
        or      al, 0x20                ; attribute bit 7 blinks
.misc:
        mov     [es:di + 0x2D], al
        mov     byte [es:di + 0x31], 3  ; 256 KiB of video memory
        mov     byte [bp + F_AL], 0x1B
.ret:
        ret

; AH=1Ch (save/restore video state) is not implemented; the static functionality table says
; so (byte 0Bh bit 1 clear), and AL comes back unchanged.
vga_int10_save_state:
        ret
