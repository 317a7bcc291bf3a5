; vbe.asm - VESA BIOS Extension 3.0 (VBE 2.0 compatible) on the Bochs/QEMU "DISPI" interface:
; INT 10h AX=4F00h-4F09h.
;
; The VESA VBE Core Functions specification (2.0 and 3.0) defines the calls and the layout of
; the controller and mode information blocks. The hardware is the DISPI register file at ports
; 1CEh (index) / 1CFh (data): resolution, bits per pixel, enable (with the linear framebuffer
; and 8-bit DAC bits), bank, virtual width and display offset. The linear framebuffer is the
; VGA's PCI BAR 0 (device 1234h:1111h), found through PCI configuration mechanism #1.
;
; Every VBE call returns AX = 004Fh on success, 014Fh on failure; AL other than 4Fh means the
; function does not exist. VBE needs the 386's 32-bit registers for the framebuffer address and
; PCI, so on an 8086 or 286 every VBE call reports "not supported" (AX unchanged).

        cpu     386

VBE_OK          equ 0x004F
VBE_FAILED      equ 0x014F
VBE_VRAM_BYTES  equ 16 * 1024 * 1024    ; Lantern's VGA has 16 MiB (DISPI VIDEO_MEMORY_64K)

; The modes: number, width, height, bits per pixel. 100h-11Bh are VESA's standard numbers
; (VBE 1.2 table); VBE 2.0 asks software to read the list and each mode's information rather
; than rely on numbers, so the rest are Lantern's own.
%macro VBE_MODE 4
        dw      %1, %2, %3
        db      %4, 0
%endmacro
VBE_MODE_SIZE   equ 8
vbe_modes:
        VBE_MODE 0x100,  640,  400,  8
        VBE_MODE 0x101,  640,  480,  8
        VBE_MODE 0x102,  800,  600,  4
        VBE_MODE 0x103,  800,  600,  8
        VBE_MODE 0x104, 1024,  768,  4
        VBE_MODE 0x105, 1024,  768,  8
        VBE_MODE 0x107, 1280, 1024,  8
        VBE_MODE 0x10D,  320,  200, 15
        VBE_MODE 0x10E,  320,  200, 16
        VBE_MODE 0x10F,  320,  200, 24
        VBE_MODE 0x110,  640,  480, 15
        VBE_MODE 0x111,  640,  480, 16
        VBE_MODE 0x112,  640,  480, 24
        VBE_MODE 0x113,  800,  600, 15
        VBE_MODE 0x114,  800,  600, 16
        VBE_MODE 0x115,  800,  600, 24
        VBE_MODE 0x116, 1024,  768, 15
        VBE_MODE 0x117, 1024,  768, 16
        VBE_MODE 0x118, 1024,  768, 24
        VBE_MODE 0x119, 1280, 1024, 15
        VBE_MODE 0x11A, 1280, 1024, 16
        VBE_MODE 0x11B, 1280, 1024, 24
        VBE_MODE 0x140,  320,  200, 32
        VBE_MODE 0x141,  640,  400, 32
        VBE_MODE 0x142,  640,  480, 32
        VBE_MODE 0x143,  800,  600, 32
        VBE_MODE 0x144, 1024,  768, 32
        VBE_MODE 0x145, 1280, 1024, 32
        VBE_MODE 0x146,  320,  200,  8
        VBE_MODE 0x147, 1600, 1200,  8
        VBE_MODE 0x148, 1600, 1200, 16
        VBE_MODE 0x149, 1600, 1200, 32
        VBE_MODE 0x14A, 1152,  864, 32
        VBE_MODE 0x14B, 1280,  720, 32
        VBE_MODE 0x14C, 1920, 1080, 32
vbe_modes_end:

vbe_oem_string:         db      "Lantern VGA", 0
vbe_vendor_string:      db      "Lantern", 0
vbe_product_string:     db      "Lantern VBE (Bochs DISPI)", 0
vbe_revision_string:    db      "1.0", 0
vbe_strings_end:

; ---------------------------------------------------------------------------------------------
; Dispatch. AX = 4Fxxh, BX = the caller's BX, frame at BP, DS = BDA.
; ---------------------------------------------------------------------------------------------
vbe_dispatch:
        push    ax
        call    vga_cpu_386
        pop     ax
        jc      .ret
        call    vbe_present
        jc      .ret
        cmp     al, 0x09
        ja      .ret
        movzx   bx, al
        shl     bx, 1
        mov     bx, [cs:vbe_functions + bx]
        mov     [bp + L_HANDLER], bx
        ; The handlers use 32-bit registers; the caller gets the upper halves back as they
        ; were (the INT 10h exit restores only the lower halves, from the frame).
        push    eax
        push    ebx
        push    ecx
        push    edx
        push    esi
        push    edi
        mov     ax, [bp + F_AX]
        mov     bx, [bp + F_BX]
        call    word [bp + L_HANDLER]
        pop     edi
        pop     esi
        pop     edx
        pop     ecx
        pop     ebx
        pop     eax
.ret:
        ret

vbe_functions:
        dw      vbe_controller_info     ; 00h
        dw      vbe_mode_info           ; 01h
        dw      vbe_set_mode            ; 02h
        dw      vbe_get_mode            ; 03h
        dw      vbe_state               ; 04h
        dw      vbe_window              ; 05h
        dw      vbe_scan_line           ; 06h
        dw      vbe_display_start       ; 07h
        dw      vbe_dac_width           ; 08h
        dw      vbe_palette             ; 09h

vbe_fail:
        mov     word [bp + F_AX], VBE_FAILED
        ret
vbe_ok:
        mov     word [bp + F_AX], VBE_OK
        ret

; vga_cpu_386: CF clear on a 386 or later. FLAGS bits 12-15 always read 1 on the 8086/186;
; the 286 in real mode cannot set bits 12-14 (Intel 80386 Programmer's Reference, "Flags
; register"; the classic detection). Preserves all but AX.
        cpu     8086
vga_cpu_386:
        pushf
        pushf
        pop     ax
        and     ax, 0x0FFF
        push    ax
        popf
        pushf
        pop     ax
        and     ax, 0xF000
        cmp     ax, 0xF000
        je      .older
        mov     ax, 0x7000
        push    ax
        popf
        pushf
        pop     ax
        test    ax, 0x7000
        jz      .older
        popf
        clc
        ret
.older:
        popf
        stc
        ret
        cpu     386

; vbe_present: CF clear if the DISPI interface answers with an ID B0C0h-B0C5h. Preserves all.
vbe_present:
        push    ax
        mov     ax, DISPI_ID
        call    vbe_dispi_read
        sub     ax, 0xB0C0
        cmp     ax, 6
        cmc                             ; CF = (ID - B0C0h >= 6)
        pop     ax
        ret

; vbe_dispi_read: AX = register -> AX = value. vbe_dispi_write: AX = register, DX = value. Both
; preserve everything else.
vbe_dispi_read:
        push    dx
        mov     dx, DISPI_INDEX
        out     dx, ax
        inc     dx
        in      ax, dx
        pop     dx
        ret
vbe_dispi_write:
        push    dx
        push    ax
        push    dx
        mov     dx, DISPI_INDEX
        out     dx, ax
        inc     dx
        pop     ax
        out     dx, ax
        pop     ax
        pop     dx
        ret

; vbe_find_mode: CX = mode number (bits 0-8) -> CS:SI = its entry, CF clear; CF set if none.
vbe_find_mode:
        and     cx, 0x01FF
        mov     si, vbe_modes
.next:
        cmp     [cs:si], cx
        je      .found
        add     si, VBE_MODE_SIZE
        cmp     si, vbe_modes_end
        jb      .next
        stc
        ret
.found:
        clc
        ret

; vbe_bytes_per_line: CS:SI = mode -> EAX = bytes per scan line (per plane in 4-bpp modes).
vbe_bytes_per_line:
        movzx   eax, word [cs:si + 2]
        mov     dl, [cs:si + 6]
        cmp     dl, 4
        jne     .packed
        shr     eax, 3
        ret
.packed:
        add     dl, 7                   ; 15 bpp takes 2 bytes, like 16
        shr     dl, 3
        movzx   edx, dl
        imul    eax, edx
        ret

; vbe_lfb_address: -> EAX = the linear framebuffer's physical address: BAR 0 of the VGA
; function (vendor 1234h, device 1111h) on PCI bus 0, or Bochs' default E0000000h when no such
; function answers. Configuration mechanism #1 (PCI Local Bus Specification 2.1, 3.7.4.1):
; write 80000000h | bus << 16 | device << 11 | function << 8 | register to CF8h, then read
; CFCh.
vbe_lfb_address:
        push    ebx
        push    cx
        push    dx
        mov     ebx, 0x80000000
        mov     cx, 32
.device:
        mov     eax, ebx
        mov     dx, PCI_CONFIG_ADDR
        out     dx, eax
        mov     dx, PCI_CONFIG_DATA
        in      eax, dx
        cmp     eax, 0x11111234         ; device 1111h, vendor 1234h
        je      .found
        add     ebx, 1 << 11
        loop    .device
        mov     eax, 0xE0000000
        jmp     .ret
.found:
        lea     eax, [ebx + 0x10]       ; BAR 0
        mov     dx, PCI_CONFIG_ADDR
        out     dx, eax
        mov     dx, PCI_CONFIG_DATA
        in      eax, dx
        and     eax, 0xFFFFFFF0         ; the low bits are the BAR's type flags
.ret:
        pop     dx
        pop     cx
        pop     ebx
        ret

; ---------------------------------------------------------------------------------------------
; 4F00h: controller information. ES:DI = 512-byte buffer (256 bytes for VBE 1.x callers). A
; caller that puts "VBE2" in the signature gets the VBE 2.0+ block: the strings copied into
; its buffer's OEM data area (offset 100h). The mode list goes in the reserved area (22h).
; ---------------------------------------------------------------------------------------------
vbe_controller_info:
        mov     es, [bp + F_ES]
        mov     di, [bp + F_DI]
        cmp     dword [es:di], 'VBE2'   ; (NASM stores character constants in order)
        sete    bl
        push    di
        mov     cx, 128                 ; 256 bytes ...
        test    bl, bl
        jz      .clear
        mov     cx, 256                 ; ... or 512
.clear:
        xor     ax, ax
        rep     stosw
        pop     di
        mov     dword [es:di], 'VESA'
        mov     word [es:di + 0x04], 0x0300
        mov     dword [es:di + 0x0A], 1 ; DAC switchable to 8 bits
        ; the mode list
        lea     ax, [di + 0x22]
        mov     [es:di + 0x0E], ax
        mov     [es:di + 0x10], es
        mov     si, vbe_modes
        push    di
        add     di, 0x22
.mode:
        mov     ax, [cs:si]
        stosw
        add     si, VBE_MODE_SIZE
        cmp     si, vbe_modes_end
        jb      .mode
        mov     ax, 0xFFFF
        stosw
        pop     di
        mov     ax, DISPI_VRAM_64K
        call    vbe_dispi_read
        mov     [es:di + 0x12], ax      ; memory in 64 KiB units
        mov     word [es:di + 0x14], 0x0100     ; OEM software revision 1.0
        ; the strings
        test    bl, bl
        jnz     .copy_strings
        mov     word [es:di + 0x06], vbe_oem_string
        mov     [es:di + 0x08], cs
        jmp     vbe_ok
.copy_strings:
        push    di
        mov     bx, di                  ; BX = the block
        lea     di, [bx + 0x100]
        mov     si, vbe_oem_string
        mov     [es:bx + 0x06], di
        mov     [es:bx + 0x08], es
        call    .string
        mov     [es:bx + 0x16], di
        mov     [es:bx + 0x18], es
        call    .string
        mov     [es:bx + 0x1A], di
        mov     [es:bx + 0x1C], es
        call    .string
        mov     [es:bx + 0x1E], di
        mov     [es:bx + 0x20], es
        call    .string
        pop     di
        jmp     vbe_ok
.string:                                ; CS:SI -> ES:DI up to and including the NUL
        mov     al, [cs:si]
        inc     si
        stosb
        test    al, al
        jnz     .string
        ret

; ---------------------------------------------------------------------------------------------
; 4F01h: mode information. CX = mode, ES:DI = 256-byte buffer.
; ---------------------------------------------------------------------------------------------
vbe_mode_info:
        call    vbe_find_mode
        jc      vbe_fail
        mov     es, [bp + F_ES]
        mov     di, [bp + F_DI]
        push    di
        mov     cx, 128
        xor     ax, ax
        rep     stosw
        pop     di
        ; attributes: supported, extended information, colour, graphics, LFB available
        mov     word [es:di + 0x00], 0x009B
        mov     byte [es:di + 0x02], 0x07       ; window A: exists, readable, writable
        mov     word [es:di + 0x04], 64         ; granularity, KiB
        mov     word [es:di + 0x06], 64         ; size, KiB
        mov     word [es:di + 0x08], SEG_VGA
        mov     word [es:di + 0x0C], vbe_window_far
        mov     [es:di + 0x0E], cs
        call    vbe_bytes_per_line
        mov     [es:di + 0x10], ax
        mov     [es:di + 0x32], ax              ; VBE 3.0: the same for the LFB
        mov     ebx, eax                        ; EBX = bytes per line
        mov     ax, [cs:si + 2]
        mov     [es:di + 0x12], ax
        mov     ax, [cs:si + 4]
        mov     [es:di + 0x14], ax
        mov     byte [es:di + 0x16], 8          ; character cell
        mov     byte [es:di + 0x17], 16
        mov     al, [cs:si + 6]
        mov     [es:di + 0x19], al
        mov     byte [es:di + 0x1A], 1          ; banks
        mov     byte [es:di + 0x1E], 1          ; reserved, 1 per the specification
        mov     ah, 1                           ; planes
        mov     dl, 4                           ; packed pixel
        cmp     al, 4
        jne     .not_planar
        mov     ah, 4
        mov     dl, 3                           ; planar
.not_planar:
        cmp     al, 8
        jbe     .model
        mov     dl, 6                           ; direct colour
.model:
        mov     [es:di + 0x18], ah
        mov     [es:di + 0x1B], dl
        ; image pages: how many screens fit, minus the one shown
        movzx   ecx, word [cs:si + 4]
        imul    ecx, ebx                        ; bytes per screen (per plane at 4 bpp)
        mov     eax, VBE_VRAM_BYTES
        cmp     byte [cs:si + 6], 4
        jne     .pages
        shr     eax, 2                          ; one plane
.pages:
        xor     edx, edx
        div     ecx
        dec     eax
        cmp     eax, 255
        jbe     .pages_ok
        mov     eax, 255
.pages_ok:
        mov     [es:di + 0x1D], al
        mov     [es:di + 0x34], al
        mov     [es:di + 0x35], al
        ; colour masks (size, position) for red, green, blue, reserved
        mov     al, [cs:si + 6]
        mov     bx, vbe_masks_15
        cmp     al, 15
        je      .masks
        mov     bx, vbe_masks_16
        cmp     al, 16
        je      .masks
        mov     bx, vbe_masks_24
        cmp     al, 24
        je      .masks
        mov     bx, vbe_masks_32
        cmp     al, 32
        jne     .masks_done
.masks:
        mov     si, bx
        mov     cx, 8
        xor     bx, bx
.mask:
        mov     al, [cs:si + bx]
        mov     [es:di + 0x1F + bx], al
        mov     [es:di + 0x36 + bx], al         ; VBE 3.0: the LFB's, the same
        inc     bx
        loop    .mask
.masks_done:
        call    vbe_lfb_address
        mov     [es:di + 0x28], eax
        jmp     vbe_ok

vbe_masks_15:   db      5, 10, 5, 5, 5, 0, 1, 15
vbe_masks_16:   db      5, 11, 6, 5, 5, 0, 0, 0
vbe_masks_24:   db      8, 16, 8, 8, 8, 0, 0, 0
vbe_masks_32:   db      8, 16, 8, 8, 8, 0, 8, 24

; ---------------------------------------------------------------------------------------------
; 4F02h: set a mode. BX bits 0-8 = mode (below 100h: a VGA mode through AH=00h), bit 14 = use
; the linear framebuffer, bit 15 = keep video memory.
; ---------------------------------------------------------------------------------------------
vbe_set_mode:
        mov     cx, bx
        and     cx, 0x01FF
        cmp     cx, 0x100
        jae     .vbe
        mov     al, cl
        mov     ah, bh
        and     ah, 0x80
        call    vga_find_mode
        jc      vbe_fail
        call    vga_set_mode
        jmp     vbe_ok
.vbe:
        call    vbe_find_mode
        jc      vbe_fail
        ; The VGA side first: mode 12h's planar setup for 4 bpp, 13h's for the packed modes
        ; (which also loads the 256-colour palette), without touching memory.
        push    si
        mov     al, 0x13
        cmp     byte [cs:si + 6], 4
        jne     .vga_mode
        mov     al, 0x12
.vga_mode:
        call    vga_find_mode
        mov     ah, 0x80
        call    vga_set_mode
        pop     si
        mov     bx, [bp + F_BX]
        and     byte [BDA_VID_CTL], ~VCTL_KEEP_MEM
        test    bh, 0x80
        jz      .dispi
        or      byte [BDA_VID_CTL], VCTL_KEEP_MEM
.dispi:
        mov     ax, DISPI_ENABLE
        xor     dx, dx
        call    vbe_dispi_write
        mov     ax, DISPI_XRES
        mov     dx, [cs:si + 2]
        call    vbe_dispi_write
        mov     ax, DISPI_YRES
        mov     dx, [cs:si + 4]
        call    vbe_dispi_write
        mov     ax, DISPI_BPP
        movzx   dx, byte [cs:si + 6]
        call    vbe_dispi_write
        mov     dx, DISPI_ENABLED
        test    bh, 0x40
        jz      .clear
        or      dx, DISPI_LFB
.clear:
        test    bh, 0x80
        jz      .enable
        or      dx, DISPI_NOCLEAR
.enable:
        mov     ax, DISPI_ENABLE
        call    vbe_dispi_write
        mov     ax, DISPI_BANK
        xor     dx, dx
        call    vbe_dispi_write
        jmp     vbe_ok

; 4F03h: the current mode -> BX (bit 14 set when the LFB is on, bit 15 when memory was kept).
vbe_get_mode:
        mov     ax, DISPI_ENABLE
        call    vbe_dispi_read
        test    al, DISPI_ENABLED
        jnz     .vbe
        movzx   bx, byte [BDA_VID_MODE]
        jmp     .store
.vbe:
        mov     di, ax                  ; DI = enable bits
        mov     ax, DISPI_XRES
        call    vbe_dispi_read
        mov     cx, ax
        mov     ax, DISPI_YRES
        call    vbe_dispi_read
        mov     dx, ax
        mov     ax, DISPI_BPP
        call    vbe_dispi_read
        mov     si, vbe_modes
.next:
        cmp     [cs:si + 2], cx
        jne     .skip
        cmp     [cs:si + 4], dx
        jne     .skip
        cmp     [cs:si + 6], al
        je      .found
.skip:
        add     si, VBE_MODE_SIZE
        cmp     si, vbe_modes_end
        jb      .next
        jmp     vbe_fail                ; set directly through DISPI, not through us
.found:
        mov     bx, [cs:si]
        test    di, DISPI_LFB
        jz      .kept
        or      bx, 0x4000
.kept:
        test    di, DISPI_NOCLEAR
        jz      .store
        or      bx, 0x8000
.store:
        mov     [bp + F_BX], bx
        jmp     vbe_ok

; 4F04h: save/restore state. Lantern keeps only the DISPI registers (CX bit 3, "SVGA state");
; the other state bits are accepted and need no room. DL = 00h: -> BX = 64-byte blocks
; needed; 01h: save to ES:BX; 02h: restore from ES:BX.
VBE_STATE_REGS  equ 10                  ; DISPI registers 0-9
vbe_state:
        mov     cx, [bp + F_CX]
        mov     dl, [bp + F_DL]
        cmp     dl, 0
        jne     .save
        xor     bx, bx
        test    cl, 0x08
        jz      .size
        inc     bx
.size:
        mov     [bp + F_BX], bx
        jmp     vbe_ok
.save:
        test    cl, 0x08
        jz      .nothing
        mov     es, [bp + F_ES]
        mov     di, bx
        cmp     dl, 1
        jne     .restore
        mov     ax, DISPI_ENABLE        ; ENABLE first, so a restore can disable before loading
        call    vbe_dispi_read
        stosw
        mov     cx, 1
.save_reg:
        mov     ax, cx
        call    vbe_dispi_read
        stosw
        inc     cx
        cmp     cx, VBE_STATE_REGS
        jb      .save_reg
        jmp     vbe_ok
.restore:
        cmp     dl, 2
        jne     vbe_fail
        mov     ax, DISPI_ENABLE
        xor     dx, dx
        call    vbe_dispi_write             ; XRES/YRES/BPP load only while disabled
        mov     cx, 1
.restore_reg:
        cmp     cx, DISPI_ENABLE
        je      .restore_next
        cmp     cx, DISPI_BANK
        je      .restore_next           ; bank and offsets after enabling
        cmp     cx, DISPI_VIRT_W
        jae     .restore_next
        mov     ax, cx
        mov     bx, cx
        shl     bx, 1
        mov     dx, [es:di + bx]
        call    vbe_dispi_write
.restore_next:
        inc     cx
        cmp     cx, VBE_STATE_REGS
        jb      .restore_reg
        mov     ax, DISPI_ENABLE
        mov     dx, [es:di]
        or      dx, DISPI_NOCLEAR       ; restoring must not wipe the screen
        call    vbe_dispi_write
        mov     cx, DISPI_BANK
.restore_late:
        cmp     cx, DISPI_VIRT_H        ; (read-only)
        je      .late_next
        mov     ax, cx
        mov     bx, cx
        shl     bx, 1
        mov     dx, [es:di + bx]
        call    vbe_dispi_write
.late_next:
        inc     cx
        cmp     cx, VBE_STATE_REGS
        jb      .restore_late
.nothing:
        jmp     vbe_ok

; 4F05h: the memory window. BH = 00h: BL = window (0 = A), DX = position in 64 KiB units;
; BH = 01h: -> DX = position.
vbe_window:
        mov     dx, [bp + F_DX]
        call    vbe_window_common
        mov     [bp + F_DX], dx
        mov     [bp + F_AX], ax
        ret

; The same, as the far routine the mode information's WinFuncPtr names (called with CALL FAR
; instead of INT 10h). Returns AX = status, DX = position for BH = 01h.
vbe_window_far:
        push    bx
        call    vbe_window_common
        pop     bx
        retf

; vbe_window_common: BH/BL/DX as above -> AX = status, DX = position. Preserves all else.
vbe_window_common:
        test    bl, bl
        jnz     .fail                   ; only window A exists
        cmp     bh, 1
        ja      .fail
        je      .get
        push    dx
        mov     ax, DISPI_BANK
        call    vbe_dispi_write
        call    vbe_dispi_read              ; the bank the hardware took
        pop     dx
        cmp     ax, dx
        jne     .fail                   ; beyond the memory
        mov     ax, VBE_OK
        ret
.get:
        mov     ax, DISPI_BANK
        call    vbe_dispi_read
        mov     dx, ax
        mov     ax, VBE_OK
        ret
.fail:
        mov     ax, VBE_FAILED
        ret

; 4F06h: logical scan line length. BL = 00h: set in pixels (CX); 01h: get; 02h: set in bytes
; (CX); 03h: get the maximum. Returns BX = bytes per line, CX = pixels, DX = lines.
vbe_scan_line:
        mov     ax, DISPI_ENABLE
        call    vbe_dispi_read
        test    al, DISPI_ENABLED
        jz      vbe_fail
        mov     ax, DISPI_BPP
        call    vbe_dispi_read
        mov     si, ax                  ; SI = bits per pixel
        mov     cx, [bp + F_CX]
        cmp     bl, 3
        ja      vbe_fail
        je      .maximum
        cmp     bl, 1
        je      .report
        cmp     bl, 2
        jne     .set
        ; bytes -> pixels
        mov     ax, cx
        call    vbe_bytes_to_pixels
        mov     cx, ax
.set:
        mov     ax, DISPI_VIRT_W
        mov     dx, cx
        call    vbe_dispi_write
.report:
        mov     ax, DISPI_VIRT_W
        call    vbe_dispi_read
        mov     [bp + F_CX], ax
        call    vbe_pixels_to_bytes
        mov     [bp + F_BX], ax
        mov     ax, DISPI_VIRT_H
        call    vbe_dispi_read
        mov     [bp + F_DX], ax
        jmp     vbe_ok
.maximum:
        ; the widest line that still leaves room for the visible height
        mov     ax, DISPI_YRES
        call    vbe_dispi_read
        movzx   ecx, ax
        mov     eax, VBE_VRAM_BYTES
        xor     edx, edx
        div     ecx                     ; bytes per line at most
        cmp     eax, 0xFFFF
        jbe     .max_bytes
        mov     eax, 0xFFFF
.max_bytes:
        call    vbe_bytes_to_pixels     ; AX = pixels
        cmp     si, 4
        jne     .max_store
        cmp     ax, 0x8000              ; 4 bpp: one plane's worth
        jb      .max_store
        mov     ax, 0x7FF8
.max_store:
        mov     [bp + F_CX], ax
        call    vbe_pixels_to_bytes
        mov     [bp + F_BX], ax
        mov     ax, DISPI_YRES
        call    vbe_dispi_read
        mov     [bp + F_DX], ax
        jmp     vbe_ok

; vbe_pixel_bytes: SI = bits per pixel -> CL = bytes per pixel (0 for 4 bpp).
vbe_pixel_bytes:
        mov     ax, si
        add     ax, 7
        shr     ax, 3
        cmp     si, 4
        jne     .ret
        xor     ax, ax
.ret:
        mov     cl, al
        ret

; vbe_bytes_to_pixels: AX = bytes, SI = bpp -> AX = pixels. Clobbers DX.
vbe_bytes_to_pixels:
        cmp     si, 4
        jne     .packed
        shl     ax, 3
        ret
.packed:
        push    cx
        push    ax
        call    vbe_pixel_bytes
        pop     ax
        xor     dx, dx
        xor     ch, ch
        div     cx
        pop     cx
        ret

; vbe_pixels_to_bytes: AX = pixels, SI = bpp -> AX = bytes. Clobbers DX.
vbe_pixels_to_bytes:
        cmp     si, 4
        jne     .packed
        shr     ax, 3
        ret
.packed:
        push    cx
        push    ax
        call    vbe_pixel_bytes
        pop     ax
        xor     ch, ch
        mul     cx
        pop     cx
        ret

; 4F07h: display start. BL = 00h/80h: set to pixel CX of line DX; 01h: get -> BH = 0, CX, DX;
; 02h/82h (VBE 3.0): set from the byte offset in ECX; 04h: get the scheduled flip's status ->
; CX != 0 (done: flips take effect at once here).
vbe_display_start:
        mov     ax, DISPI_ENABLE
        call    vbe_dispi_read
        test    al, DISPI_ENABLED
        jz      vbe_fail
        mov     al, bl
        and     al, 0x7F
        cmp     al, 0x00
        je      .set
        cmp     al, 0x01
        je      .get
        cmp     al, 0x02
        je      .linear
        cmp     al, 0x04
        jne     vbe_fail
        mov     word [bp + F_CX], 1
        jmp     vbe_ok
.set:
        mov     ax, DISPI_X_OFF
        mov     dx, [bp + F_CX]
        call    vbe_dispi_write
        mov     ax, DISPI_Y_OFF
        mov     dx, [bp + F_DX]
        call    vbe_dispi_write
        jmp     vbe_ok
.get:
        mov     byte [bp + F_BH], 0
        mov     ax, DISPI_X_OFF
        call    vbe_dispi_read
        mov     [bp + F_CX], ax
        mov     ax, DISPI_Y_OFF
        call    vbe_dispi_read
        mov     [bp + F_DX], ax
        jmp     vbe_ok
.linear:
        ; y = offset / pitch, x = (offset mod pitch) / bytes per pixel. ECX is still the
        ; caller's: the dispatcher does not touch the high halves.
        mov     ebx, ecx
        mov     ax, DISPI_BPP
        call    vbe_dispi_read
        mov     si, ax
        mov     ax, DISPI_VIRT_W
        call    vbe_dispi_read
        call    vbe_pixels_to_bytes
        movzx   ecx, ax
        jecxz   .zero
        mov     eax, ebx
        xor     edx, edx
        div     ecx                     ; EAX = line, EDX = byte in the line
        push    ax
        mov     ax, dx
        call    vbe_bytes_to_pixels
        mov     dx, ax
        mov     ax, DISPI_X_OFF
        call    vbe_dispi_write
        pop     dx
        mov     ax, DISPI_Y_OFF
        call    vbe_dispi_write
        jmp     vbe_ok
.zero:
        jmp     vbe_fail

; 4F08h: DAC width. BL = 00h: BH = bits wanted (8 or more: 8, else 6); 01h: get. -> BH.
vbe_dac_width:
        cmp     bl, 1
        ja      vbe_fail
        mov     ax, DISPI_ENABLE
        call    vbe_dispi_read
        mov     dx, ax
        cmp     bl, 1
        je      .get
        and     dx, ~(DISPI_8BIT_DAC | DISPI_GETCAPS)
        cmp     bh, 8
        jb      .write
        or      dx, DISPI_8BIT_DAC
.write:
        mov     ax, DISPI_ENABLE
        call    vbe_dispi_write
.get:
        mov     ax, DISPI_ENABLE
        call    vbe_dispi_read
        mov     bh, 6
        test    al, DISPI_8BIT_DAC
        jz      .store
        mov     bh, 8
.store:
        mov     [bp + F_BH], bh
        jmp     vbe_ok

; 4F09h: palette data. BL = 00h/80h: set CX entries from DX; 01h: get; ES:DI = 4 bytes per
; entry (blue, green, red, alignment). Only the primary palette exists (02h/03h fail).
vbe_palette:
        mov     al, bl
        and     al, 0x7F
        cmp     al, 1
        ja      vbe_fail
        mov     es, [bp + F_ES]
        mov     di, [bp + F_DI]
        mov     bx, [bp + F_DX]         ; first entry
        mov     cx, [bp + F_CX]
        cmp     bx, 256
        jae     vbe_fail
        mov     dx, 256
        sub     dx, bx
        cmp     cx, dx
        ja      vbe_fail
        jcxz    .done
        test    al, al
        jnz     .get
        mov     al, bl
        mov     dx, VGA_DAC_WRITE
        out     dx, al
        inc     dx
.set:
        mov     al, [es:di + 2]
        out     dx, al
        mov     al, [es:di + 1]
        out     dx, al
        mov     al, [es:di]
        out     dx, al
        add     di, 4
        loop    .set
.done:
        jmp     vbe_ok
.get:
        mov     al, bl
        mov     dx, VGA_DAC_READ
        out     dx, al
        mov     dx, VGA_DAC_DATA
.get_entry:
        in      al, dx
        mov     [es:di + 2], al
        in      al, dx
        mov     [es:di + 1], al
        in      al, dx
        mov     [es:di], al
        mov     byte [es:di + 3], 0
        add     di, 4
        loop    .get_entry
        jmp     vbe_ok

        cpu     8086
