; int15.asm - INT 15h, the "system services" the PC/AT added: memory sizes and maps, the A20
; gate, waits, the protected-mode block move, and hooks for keyboards and multitaskers
; (IBM PC/AT Technical Reference, "Cassette I/O" - INT 15h's historic name; Ralf Brown's
; Interrupt List, INT 15).
;
;   AH=24h     A20 gate: AL=00h off, 01h on, 02h state, 03h how it can be switched
;   AH=4Fh     keyboard intercept (INT 09h calls it with CF set; CF set on return = keep the key)
;   AH=53h     APM: not present
;   AH=83h     event wait: set bit 7 of ES:BX after CX:DX microseconds (AL=01h cancels)
;   AH=85h     SysRq key (a hook)            AH=86h  wait CX:DX microseconds
;   AH=87h     copy CX words between any two addresses through protected mode
;   AH=88h     KiB of memory above 1 MiB    AH=90h/91h  device busy / interrupt complete hooks
;   AH=C0h     system configuration table   AH=C1h  EBDA segment
;   AH=C2h     the PS/2 pointing device (mouse.asm)
;   AX=E801h   memory above 1 MiB and 16 MiB
;   AX=E820h   the system memory map (386 and later)

        cpu 8086

int15_handler:
        cmp ah, 0x4F                    ; keyboard intercept: return with the caller's CF (set)
        jne .not_4f
        iret
.not_4f:
        cmp ax, 0xE820
        jne .not_e820
        push ds                         ; 32-bit registers: a 386 or later only
        push ax
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        cmp byte [EBDA_CPU], 3
        pop ax
        pop ds
        jb .not_e820
        jmp int15_e820
.not_e820:
        sti
        SAVE_FRAME
        cld
        mov bx, BDA_SEG
        mov ds, bx
        mov es, [BDA_EBDA_SEG]          ; ES = EBDA while dispatching
        cmp ah, 0x24
        je int15_a20
        cmp ah, 0x83
        je int15_event_wait
        cmp ah, 0x85
        je int15_ok
        cmp ah, 0x86
        je int15_wait
        cmp ah, 0x87
        je int15_block_move
        cmp ah, 0x88
        je int15_ext_memory
        cmp ah, 0x90
        je int15_ok
        cmp ah, 0x91
        je int15_ok
        cmp ah, 0xC0
        je int15_config
        cmp ah, 0xC1
        je int15_ebda
        cmp ah, 0xC2
        je int15_mouse
        cmp ax, 0xE801
        je int15_e801
        ; everything else, APM (53h) included: "function not supported"
int15_unsupported:
        mov byte [bp + F_AH], 0x86
int15_fail:
        SET_CF
        RESTORE_FRAME
        iret
int15_ok:
        mov byte [bp + F_AH], 0
int15_ok_ah:
        CLEAR_CF
        RESTORE_FRAME
        iret

; ---------------------------------------------------------------------------------------------
; C0h / C1h
; ---------------------------------------------------------------------------------------------
int15_config:
        mov word [bp + F_ES], BIOS_SEG
        mov word [bp + F_BX], system_config_table
        jmp int15_ok
int15_ebda:
        mov ax, [BDA_EBDA_SEG]
        mov [bp + F_ES], ax
        jmp int15_ok_ah

; ---------------------------------------------------------------------------------------------
; Memory above 1 MiB. POST read the CMOS: bytes 30h/31h (KiB above 1 MiB, at most FFFFh) and
; 34h/35h (64 KiB blocks above 16 MiB).
; ---------------------------------------------------------------------------------------------
ext_memory_post_init:
        push ax
        push es
        mov ax, BDA_SEG
        mov es, ax
        mov es, [es:BDA_EBDA_SEG]
        mov word [es:EBDA_EXT_KIB], 0
        mov word [es:EBDA_HIGH_64K], 0
        cmp byte [es:EBDA_CPU], 2
        jb .done                        ; the 8086 reaches 1 MiB and no further
        call cmos_checksum_ok
        jc .done
        mov al, 0x31
        call cmos_read
        mov ah, al
        mov al, 0x30
        call cmos_read
        mov [es:EBDA_EXT_KIB], ax
        cmp byte [es:EBDA_CPU], 3
        jb .cap286
        mov al, 0x35
        call cmos_read
        mov ah, al
        mov al, 0x34
        call cmos_read
        mov [es:EBDA_HIGH_64K], ax
        jmp .done
.cap286:                                ; 24 address lines: 15 MiB above 1 MiB at most
        cmp word [es:EBDA_EXT_KIB], 15360
        jbe .done
        mov word [es:EBDA_EXT_KIB], 15360
.done:  pop es
        pop ax
        ret

; extended_memory_kib - DX:AX = KiB of RAM above 1 MiB
extended_memory_kib:
        push es
        push cx
        mov ax, BDA_SEG
        mov es, ax
        mov es, [es:BDA_EBDA_SEG]
        mov ax, [es:EBDA_HIGH_64K]
        test ax, ax
        jz .low
        mov cx, 64
        mul cx
        add ax, 15360
        adc dx, 0
        jmp .done
.low:   mov ax, [es:EBDA_EXT_KIB]
        xor dx, dx
.done:  pop cx
        pop es
        ret

; 88h - AX = KiB above 1 MiB (at most 63 MiB: the 16-bit answer saturates)
int15_ext_memory:
        cmp byte [es:EBDA_CPU], 2
        jb int15_unsupported
        mov ax, [es:EBDA_EXT_KIB]
        cmp ax, 0xFC00
        jbe .store
        mov ax, 0xFC00
.store: mov [bp + F_AX], ax
        jmp int15_ok_ah

; E801h - AX = CX = KiB between 1 MiB and 16 MiB, BX = DX = 64 KiB blocks above 16 MiB
int15_e801:
        cmp byte [es:EBDA_CPU], 2
        jb int15_unsupported
        mov ax, [es:EBDA_EXT_KIB]
        cmp ax, 15360
        jbe .low
        mov ax, 15360
.low:   mov [bp + F_AX], ax
        mov [bp + F_CX], ax
        mov ax, [es:EBDA_HIGH_64K]
        mov [bp + F_BX], ax
        mov [bp + F_DX], ax
        jmp int15_ok_ah

; ---------------------------------------------------------------------------------------------
; 24h - the A20 gate. Address line 20 is forced low after reset on the AT so that 8086 programs
; that wrap around 1 MiB keep working; the gate sits in the 8042's output port (bit 1) and, on
; newer boards, in system control port A (92h, bit 1: "fast A20").
; ---------------------------------------------------------------------------------------------
int15_a20:
        cmp byte [es:EBDA_CPU], 2
        jb int15_unsupported
        cmp al, 0x00
        je .off
        cmp al, 0x01
        je .on
        cmp al, 0x02
        je .state
        cmp al, 0x03
        je .support
        mov byte [bp + F_AH], 0x01
        jmp int15_fail
.off:   xor al, al
        call a20_set
        jmp .check
.on:    mov al, 1
        call a20_set
.check: mov bl, al
        call a20_state
        cmp al, bl
        je int15_ok
        mov byte [bp + F_AH], 0x01      ; the gate did not move
        jmp int15_fail
.state: call a20_state
        mov [bp + F_AL], al
        jmp int15_ok
.support:
        mov word [bp + F_BX], 0x0003    ; keyboard controller and port 92h
        jmp int15_ok

; a20_state - AL = 1 when A20 is on: 0000:0500 and FFFF:0510 are the same byte only when the
; address wraps at 1 MiB
a20_state:
        push ds
        push es
        push bx
        push cx
        xor ax, ax
        mov ds, ax
        dec ax
        mov es, ax
        mov bx, 0x0500
        mov cl, [bx]
        mov ch, [es:bx + 0x10]
        mov byte [bx], 0x00
        mov byte [es:bx + 0x10], 0xFF
        cmp byte [bx], 0xFF
        mov [es:bx + 0x10], ch
        mov [bx], cl
        mov al, 0
        je .done
        mov al, 1
.done:  pop cx
        pop bx
        pop es
        pop ds
        ret

; a20_set - A20 on (AL = 1) or off (AL = 0). The chipset ORs the 8042's A20 line with port 92h's
; bit 1 (82371SB datasheet, "Port 92h"; the 8042 powers up with its line on), so on is either
; one, through port 92h when the board has it, and off is both. AL is preserved.
a20_set:
        push ax
        push cx
        mov ah, al
        in al, FAST_A20
        cmp al, 0xFF                    ; nothing at port 92h
        je .kbc
        and al, 0xFC                    ; never write bit 0: it resets the CPU
        test ah, ah
        jz .p92
        or al, 0x02
.p92:   out FAST_A20, al
        test ah, ah
        jnz .done                       ; on: port 92h is enough
.kbc:   mov al, 0xD1                    ; write output port
        call kbc_command
        mov al, 0xDD                    ; A20 off (bits: keyboard lines idle, reset inactive)
        test ah, ah
        jz .write
        mov al, 0xDF                    ; A20 on
.write: call kbc_write_data
        mov al, 0xFF                    ; a pulse command that does nothing: lets it finish
        call kbc_command
.done:  pop cx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; 83h / 86h - waits timed by the RTC's periodic interrupt (976.56 us, INT 70h counts down)
; ---------------------------------------------------------------------------------------------
int15_event_wait:
        cmp al, 0x01
        je .cancel
        test al, al
        jnz int15_unsupported
        test byte [BDA_WAIT_ACTIVE], 0x01
        jz .start
        mov byte [bp + F_AH], 0x80      ; one wait at a time
        jmp int15_fail
.start: mov ax, [bp + F_ES]
        mov bx, [bp + F_BX]
        call rtc_wait_start             ; flag at AX:BX, time CX:DX
        jmp int15_ok
.cancel:
        call rtc_wait_stop
        jmp int15_ok

int15_wait:
        test byte [BDA_WAIT_ACTIVE], 0x01
        jz .start
        mov byte [bp + F_AH], 0x83      ; a wait is already in progress
        jmp int15_fail
.start: mov ax, cx
        or ax, dx
        jz int15_ok
        mov ax, BDA_SEG                 ; the flag is 0040:00A0 itself: its bit 7 is posted
        mov bx, BDA_WAIT_ACTIVE
        call rtc_wait_start
.poll:  test byte [BDA_WAIT_ACTIVE], 0x80
        jnz .done
        hlt                             ; interrupts are on: the RTC or the timer wakes us
        jmp .poll
.done:  mov byte [BDA_WAIT_ACTIVE], 0
        jmp int15_ok

; rtc_wait_start - post bit 7 of byte AX:BX after CX:DX microseconds (DS = 0040h)
rtc_wait_start:
        cli
        mov [BDA_WAIT_PTR], bx
        mov [BDA_WAIT_PTR + 2], ax
        mov [BDA_WAIT_COUNT], dx
        mov [BDA_WAIT_COUNT + 2], cx
        mov byte [BDA_WAIT_ACTIVE], 0x01
        push ds
        mov ds, ax
        and byte [bx], 0x7F
        pop ds
        mov al, 0x0B                    ; Register B: periodic interrupt on
        call cmos_read
        or al, 0x40
        mov ah, al
        mov al, 0x0B
        call cmos_write
        mov al, 8
        call pic_unmask
        sti
        ret

rtc_wait_stop:
        cli
        mov byte [BDA_WAIT_ACTIVE], 0
        mov al, 0x0B
        call cmos_read
        and al, 0xBF
        mov ah, al
        mov al, 0x0B
        call cmos_write
        sti
        ret

; ---------------------------------------------------------------------------------------------
; 87h - block move: copy CX words from the address in descriptor 2 to the address in descriptor
; 3 of the caller's GDT at ES:SI (bases: bytes 2-4, plus byte 7 on a 386). Real mode cannot
; reach above 1 MiB, so the BIOS switches to protected mode for the copy.
;   386 and later: our own GDT (flat 4 GiB data), clear PE again to come back.
;   80286: PE cannot be cleared; the classic AT method resets the CPU through the keyboard
;   controller with shutdown code 09h in CMOS 0Fh, and POST comes back to block_move_286_resume.
; ---------------------------------------------------------------------------------------------
int15_block_move:
        mov al, [es:EBDA_CPU]
        cmp al, 2
        jb int15_unsupported
        call a20_state
        push ax                         ; the A20 state to restore afterwards
        mov al, 1
        call a20_set
        mov es, [bp + F_ES]
        mov si, [bp + F_SI]
        mov cx, [bp + F_CX]
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        cmp byte [EBDA_CPU], 3
        pop ds
        jb block_move_286
        cpu 386
        pushad                          ; the high halves of the caller's registers survive
        ; source and destination bases (32 bits)
        mov eax, [es:si + 0x10 + 2]
        and eax, 0x00FFFFFF
        mov bl, [es:si + 0x10 + 7]
        shl ebx, 24
        or eax, ebx
        mov edx, [es:si + 0x18 + 2]
        and edx, 0x00FFFFFF
        mov bl, [es:si + 0x18 + 7]
        shl ebx, 24
        or edx, ebx
        pushfd
        cli
        push ds
        push es
        o32 lgdt [cs:block_move_gdtr]
        mov ebx, cr0
        or bl, 1
        mov cr0, ebx
        jmp 0x08:.protected             ; CS: base F0000h, so the offsets stay the same
.protected:
        mov bx, 0x10                    ; flat data, 4 GiB
        mov ds, bx
        mov es, bx
        mov esi, eax
        mov edi, edx
        movzx ecx, cx
        a32 rep movsw
        mov ebx, cr0
        and bl, 0xFE
        mov cr0, ebx
        jmp BIOS_SEG:.real
.real:  pop es
        pop ds
        popfd
        popad
        cpu 8086
block_move_done:
        pop ax
        call a20_set
        jmp int15_ok

; the 286 way: the caller's GDT, completed with entries 1 (the GDT itself), 4 (this code) and
; 5 (the stack)
block_move_286:
        cpu 286
        cli
        mov ax, es
        mov dx, ax
        mov cl, 4
        shl ax, cl
        mov cl, 12
        shr dx, cl
        add ax, si
        adc dl, 0                       ; DL:AX = linear address of the caller's GDT
        mov word [es:si + 0x08], 0x002F
        mov [es:si + 0x08 + 2], ax
        mov [es:si + 0x08 + 4], dl
        mov byte [es:si + 0x08 + 5], 0x93
        mov word [es:si + 0x20], 0xFFFF
        mov word [es:si + 0x20 + 2], 0x0000
        mov byte [es:si + 0x20 + 4], 0x0F
        mov byte [es:si + 0x20 + 5], 0x9B
        mov ax, ss
        mov dx, ax
        mov cl, 4
        shl ax, cl
        mov cl, 12
        shr dx, cl
        mov word [es:si + 0x28], 0xFFFF
        mov [es:si + 0x28 + 2], ax
        mov [es:si + 0x28 + 4], dl
        mov byte [es:si + 0x28 + 5], 0x93
        ; the way back: SS:SP in 0040:0067, shutdown code 09h
        mov ax, BDA_SEG
        mov ds, ax
        mov [BDA_RESET_PTR], sp
        mov [BDA_RESET_PTR + 2], ss
        mov ax, 0x090F
        call cmos_write
        mov cx, [bp + F_CX]
        lgdt [es:si + 0x08]
        mov ax, 0x0001
        lmsw ax
        jmp 0x20:.protected
.protected:
        mov ax, 0x28
        mov ss, ax
        mov ax, 0x10
        mov ds, ax
        mov ax, 0x18
        mov es, ax
        xor si, si
        xor di, di
        rep movsw
        mov al, 0xFE                    ; pulse the reset line (8042 output port bit 0)
        out KBC_CMD, al
.wait:  hlt
        jmp .wait
        cpu 8086

; POST jumps here for shutdown code 09h, with SS:SP restored
block_move_286_resume:
        mov bp, sp
        add bp, 2                       ; the frame sits above the saved A20 state
        mov ax, BDA_SEG
        mov ds, ax
        jmp block_move_done

; A GDT in ROM for the 386 block move. The accessed bits are preset, so the CPU never writes
; to it (it may be in write-protected shadow RAM).
        align 8
block_move_gdt:
        dq 0
        db 0xFF, 0xFF, 0x00, 0x00, 0x0F, 0x9B, 0x00, 0x00   ; 08h: 16-bit code, base F0000h
        db 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x93, 0x8F, 0x00   ; 10h: 16-bit data, base 0, 4 GiB
block_move_gdtr:
        dw 3 * 8 - 1
        dd 0xF0000 + block_move_gdt

; ---------------------------------------------------------------------------------------------
; E820h - the memory map, one range per call: EBX = 0 for the first, the returned EBX for the
; next, 0 after the last. EDX must hold 'SMAP'; the 20-byte entry (base, length: qwords; type:
; 1 usable RAM, 2 reserved) goes to ES:DI. The holes are the EBDA below 640 KiB, video memory,
; and the BIOS at E0000h-FFFFFh and again at the top of the 4 GiB space.
; ---------------------------------------------------------------------------------------------
        cpu 386
int15_e820:
        cmp edx, 0x534D4150             ; 'SMAP'
        jne .fail
        cmp ecx, 20
        jb .fail
        push ds
        push esi
        mov si, BDA_SEG
        mov ds, si
        ; RAM above 1 MiB
        mov ds, [BDA_EBDA_SEG]
        movzx esi, word [EBDA_HIGH_64K]
        test esi, esi
        jz .low_only
        shl esi, 16
        add esi, 0x01000000             ; top = 16 MiB + blocks x 64 KiB
        jmp .have_top
.low_only:
        movzx esi, word [EBDA_EXT_KIB]
        shl esi, 10
        add esi, 0x00100000             ; top = 1 MiB + KiB x 1024
.have_top:
        push BDA_SEG
        pop ds
        cmp ebx, 0
        je .e0
        cmp ebx, 1
        je .e1
        cmp ebx, 2
        je .e2
        cmp ebx, 3
        je .e3
        cmp ebx, 4
        je .e4
        pop esi
        pop ds
        jmp .fail
.e0:    movzx eax, word [BDA_MEM_KIB]   ; conventional memory
        shl eax, 10
        xor edx, edx
        mov ecx, 1
        jmp .store
.e1:    movzx edx, word [BDA_MEM_KIB]   ; the EBDA up to 640 KiB
        shl edx, 10
        mov eax, 0xA0000
        sub eax, edx
        mov ecx, 2
        jmp .store
.e2:    mov edx, 0xE0000                ; the BIOS ROM
        mov eax, 0x20000
        mov ecx, 2
        jmp .store
.e3:    cmp esi, 0x00100000             ; extended memory (skipped when there is none)
        je .e4_direct
        mov edx, 0x00100000
        mov eax, esi
        sub eax, edx
        mov ecx, 1
        jmp .store
.e4_direct:
        mov ebx, 4
.e4:    mov edx, 0xFFFE0000             ; the BIOS alias below 4 GiB
        mov eax, 0x00020000
        mov ecx, 2
        mov [es:di], edx
        mov dword [es:di + 4], 0
        mov [es:di + 8], eax
        mov dword [es:di + 12], 0
        mov [es:di + 16], ecx
        xor ebx, ebx                    ; the last entry
        jmp .done
.store: mov [es:di], edx
        mov dword [es:di + 4], 0
        mov [es:di + 8], eax
        mov dword [es:di + 12], 0
        mov [es:di + 16], ecx
        inc ebx
.done:  pop esi
        pop ds
        mov eax, 0x534D4150
        mov ecx, 20
        push bp
        mov bp, sp
        and byte [bp + 6], 0xFE         ; CF = 0 in the caller's FLAGS
        pop bp
        iret
.fail:  mov ah, 0x86
        push bp
        mov bp, sp
        or byte [bp + 6], 0x01
        pop bp
        iret
        cpu 8086
