; vga_int10.asm - the INT 10h entry point and the small services: cursor shape and position,
; light pen, display page, get mode.
;
; Every handler runs with DS = 0040h (the BIOS data area), BP pointing at the caller's saved
; registers (the F_* offsets in vga_defs.inc) and the caller's registers still in the CPU
; except BP and DS. A handler returns results by storing into the frame; the dispatcher restores
; every register from it, so whatever a handler does not store comes back unchanged. (The system
; BIOS and DOS rely on that: "every INT 10h handler must preserve every register it does not
; return a result in".) The flags come back as the caller had them.
;
; The dispatcher also fills the locals L_KIND, L_POINTS, L_COLS, L_SEG and L_DESC with the
; current mode's facts, which most handlers need.

        cpu     8086

video_int10:
        sti                             ; IBM's BIOS takes INT 10h with interrupts enabled
        cld
        push    ds
        push    es
        push    bp
        push    di
        push    si
        push    dx
        push    cx
        push    bx
        push    ax
        mov     bp, sp
        sub     sp, LOCALS_SIZE
        mov     bx, BDA_SEG
        mov     ds, bx
        cmp     ah, 0x4F
        je      .vbe
        cmp     ah, VGA_FUNCTIONS
        jae     .done                   ; not ours: return with nothing changed
        mov     bl, ah
        xor     bh, bh
        shl     bx, 1
        mov     bx, [cs:vga_int10_functions + bx]
        mov     [bp + L_HANDLER], bx
        call    vga_load_context
        mov     ax, [bp + F_AX]
        mov     bx, [bp + F_BX]
        mov     si, [bp + F_SI]
        call    word [bp + L_HANDLER]
        jmp     .done
.vbe:
        call    vga_load_context
        mov     ax, [bp + F_AX]
        mov     bx, [bp + F_BX]
        mov     si, [bp + F_SI]
        call    vbe_dispatch
.done:
        mov     sp, bp
        pop     ax
        pop     bx
        pop     cx
        pop     dx
        pop     si
        pop     di
        pop     bp
        pop     es
        pop     ds
        iret

vga_int10_functions:
        dw      vga_int10_set_mode          ; 00h
        dw      vga_int10_cursor_shape      ; 01h
        dw      vga_int10_set_cursor        ; 02h
        dw      vga_int10_get_cursor        ; 03h
        dw      vga_int10_light_pen         ; 04h
        dw      vga_int10_set_page          ; 05h
        dw      vga_int10_scroll            ; 06h scroll up
        dw      vga_int10_scroll            ; 07h scroll down
        dw      vga_int10_read_char         ; 08h
        dw      vga_int10_write_char_attr   ; 09h
        dw      vga_int10_write_char        ; 0Ah
        dw      vga_int10_cga_palette       ; 0Bh
        dw      vga_int10_write_pixel       ; 0Ch
        dw      vga_int10_read_pixel        ; 0Dh
        dw      vga_int10_teletype          ; 0Eh
        dw      vga_int10_get_mode          ; 0Fh
        dw      vga_int10_palette           ; 10h
        dw      vga_int10_font              ; 11h
        dw      vga_int10_alt_select        ; 12h
        dw      vga_int10_write_string      ; 13h
        dw      vga_int10_unsupported       ; 14h (LCD)
        dw      vga_int10_unsupported       ; 15h (physical display parameters)
        dw      vga_int10_unsupported       ; 16h
        dw      vga_int10_unsupported       ; 17h
        dw      vga_int10_unsupported       ; 18h
        dw      vga_int10_unsupported       ; 19h
        dw      vga_int10_display_combo     ; 1Ah
        dw      vga_int10_functionality     ; 1Bh
        dw      vga_int10_save_state        ; 1Ch
VGA_FUNCTIONS   equ ($ - vga_int10_functions) / 2

vga_int10_unsupported:
        ret

; vga_load_context: looks up the current mode (40:49) and fills the locals. Clobbers AX, SI.
vga_load_context:
        mov     al, [BDA_VID_MODE]
        call    vga_find_mode
        mov     byte [bp + L_KIND], MK_NONE
        mov     word [bp + L_SEG], SEG_CGA
        jc      .fill
        mov     [bp + L_DESC], si
        mov     al, [cs:si + MD_KIND]
        mov     [bp + L_KIND], al
        mov     ax, [cs:si + MD_SEG]
        mov     [bp + L_SEG], ax
.fill:
        mov     al, [BDA_VID_POINTS]
        mov     [bp + L_POINTS], al
        mov     ax, [BDA_VID_COLS]
        mov     [bp + L_COLS], ax
        ret

; vga_find_mode: AL = mode number -> CS:SI = its descriptor, CF clear; CF set if there is none.
vga_find_mode:
        mov     si, vga_mode_table
.next:
        cmp     [cs:si + MD_MODE], al
        je      .found
        add     si, MD_SIZE
        cmp     si, vga_mode_table_end
        jb      .next
        stc
        ret
.found:
        clc
        ret

; vga_params_entry: CS:SI = mode descriptor -> CS:SI = its video parameter table entry.
; Clobbers AX.
vga_params_entry:
        mov     al, [cs:si + MD_PARAMS]
        mov     ah, VP_SIZE
        mul     ah
        add     ax, vga_params
        mov     si, ax
        ret

; ---------------------------------------------------------------------------------------------
; CRTC helpers
; ---------------------------------------------------------------------------------------------

; vga_crtc_write: AL = index, AH = value. Uses the CRTC port in the BDA. Preserves all.
vga_crtc_write:
        push    dx
        mov     dx, [BDA_VID_CRTC]
        out     dx, ax                  ; index to 3x4, value to 3x5
        pop     dx
        ret

; vga_crtc_read: AL = index -> AH = value. Preserves all else.
vga_crtc_read:
        push    dx
        mov     dx, [BDA_VID_CRTC]
        out     dx, al
        inc     dx
        xchg    al, ah
        in      al, dx
        xchg    al, ah
        pop     dx
        ret

; vga_crtc_write_word: AL = index of the high byte's register, BX = value: writes BH to
; register AL and BL to register AL + 1 (start address, cursor location). Preserves all.
vga_crtc_write_word:
        push    ax
        mov     ah, bh
        call    vga_crtc_write
        inc     al
        mov     ah, bl
        call    vga_crtc_write
        pop     ax
        ret

; vga_update_cursor: programs the CRTC cursor location from the active page's cursor (text
; modes; harmless in graphics modes, where the hardware cursor is not shown). Preserves all.
vga_update_cursor:
        push    ax
        push    bx
        push    dx
        mov     bl, [BDA_VID_PAGE]
        and     bx, 7
        shl     bx, 1
        mov     dx, [BDA_VID_CURPOS + bx]
        mov     al, dh
        mul     byte [BDA_VID_COLS]     ; row * columns
        xor     dh, dh
        add     ax, dx
        mov     bx, [BDA_VID_START]
        shr     bx, 1                   ; the CRTC counts character cells (words)
        add     bx, ax
        mov     al, 0x0E                ; Cursor Location High, then Low
        call    vga_crtc_write_word
        pop     dx
        pop     bx
        pop     ax
        ret

; ---------------------------------------------------------------------------------------------
; AH=01h: set the cursor shape. CH = start line (bit 5: cursor off), CL = end line.
; With cursor emulation on (40:87 bit 0 clear) the CGA's 8-line values are scaled to the
; character height, as the EGA and VGA BIOSes do, so a program written for the CGA gets the
; cursor it asked for: the bottom line stays on the cell's underline (height - 2), a thin
; cursor keeps its thickness at the bottom, a tall one scales with the cell.
; ---------------------------------------------------------------------------------------------
vga_int10_cursor_shape:
        mov     cx, [bp + F_CX]
        mov     [BDA_VID_CURSHP], cx    ; the BDA keeps what the caller asked for
        mov     al, [bp + L_KIND]
        cmp     al, MK_TEXT
        jne     .program
        test    byte [BDA_VID_CTL], VCTL_NO_CUREMU
        jnz     .program
        test    ch, 0x20
        jnz     .program                ; cursor off: nothing to scale
        mov     dl, [bp + L_POINTS]
        cmp     dl, 8
        jbe     .program
        mov     dh, ch
        and     dh, 0x1F                ; DH = start line
        cmp     dh, 7
        ja      .program                ; not a CGA value
        cmp     cl, 7
        ja      .program
        cmp     dh, cl
        ja      .program                ; a split cursor: leave it
        ; end' = points - 2 for the bottom line 7, else end * points / 8
        mov     al, cl
        cmp     al, 7
        jne     .scale_end
        mov     al, dl
        sub     al, 2
        jmp     .end_done
.scale_end:
        mul     dl
        shr     ax, 1
        shr     ax, 1
        shr     ax, 1
.end_done:
        mov     bl, al                  ; BL = new end line
        mov     al, cl
        sub     al, dh                  ; thickness - 1
        cmp     al, 2
        ja      .tall
        mov     bh, bl
        sub     bh, al                  ; keep the thickness, anchored at the bottom
        jmp     .store
.tall:
        mov     al, dh
        mul     dl
        shr     ax, 1
        shr     ax, 1
        shr     ax, 1
        mov     bh, al
.store:
        and     ch, 0x60
        or      ch, bh
        mov     cl, bl
.program:
        mov     al, 0x0A                ; Cursor Start
        mov     ah, ch
        and     ah, 0x3F                ; bit 5 = cursor disable on the VGA
        call    vga_crtc_write
        mov     al, 0x0B                ; Cursor End
        mov     ah, cl
        and     ah, 0x1F
        call    vga_crtc_write
        ret

; AH=02h: set the cursor position. BH = page, DH = row, DL = column.
vga_int10_set_cursor:
        mov     bl, bh
        and     bx, 7
        mov     cx, bx
        shl     bx, 1
        mov     [BDA_VID_CURPOS + bx], dx
        cmp     cl, [BDA_VID_PAGE]
        jne     .ret
        call    vga_update_cursor
.ret:
        ret

; AH=03h: get the cursor position and shape. BH = page -> DH/DL position, CH/CL shape.
vga_int10_get_cursor:
        mov     bl, bh
        and     bx, 7
        shl     bx, 1
        mov     ax, [BDA_VID_CURPOS + bx]
        mov     [bp + F_DX], ax
        mov     ax, [BDA_VID_CURSHP]
        mov     [bp + F_CX], ax
        ret

; AH=04h: read the light pen. The VGA has no light pen input: AH = 0 (not triggered).
vga_int10_light_pen:
        mov     byte [bp + F_AH], 0
        ret

; AH=05h: select the active display page. AL = page.
vga_int10_set_page:
        cmp     al, 8
        jae     .ret                    ; (AL=80h/81h are the PCjr's CRT/CPU page registers)
        mov     [BDA_VID_PAGE], al
        xor     ah, ah
        mul     word [BDA_VID_PAGESZ]
        mov     [BDA_VID_START], ax
        mov     bx, ax
        cmp     byte [bp + L_KIND], MK_TEXT
        jne     .graphics
        shr     bx, 1                   ; text: the start address counts words
.graphics:
        mov     al, 0x0C                ; Start Address High, then Low
        call    vga_crtc_write_word
        call    vga_update_cursor
.ret:
        ret

; AH=0Fh: get the video mode. AL = mode (bit 7 set if the last mode set kept video memory),
; AH = columns, BH = active page.
vga_int10_get_mode:
        mov     al, [BDA_VID_CTL]
        and     al, VCTL_KEEP_MEM
        or      al, [BDA_VID_MODE]
        mov     ah, [BDA_VID_COLS]
        mov     [bp + F_AX], ax
        mov     al, [BDA_VID_PAGE]
        mov     [bp + F_BH], al
        ret
