; cpu_detect.asm - which x86 is this? The classic test by the FLAGS register, as Intel describes
; it (Intel SDM Vol 1, 19.1 "Using the CPUID instruction"; Intel AP-485 "Processor Identification
; and the CPUID Instruction", "Identification of earlier processors"):
;
;   8086/8088  FLAGS bits 15-12 always read as 1.
;   80286      in real mode, FLAGS bits 15-12 (NT, IOPL) always read as 0.
;   80386      EFLAGS bit 18 (AC, alignment check, new in the 486) cannot be changed.
;   80486      AC can be changed, but bit 21 (ID) cannot: no CPUID instruction.
;   later      ID can be changed: the CPUID instruction exists and says the rest.
;
; The 32-bit instructions below are only reached once the CPU is known to be a 386 or later.

CPU_8086        equ     0
CPU_286         equ     1
CPU_386         equ     2
CPU_486         equ     3
CPU_CPUID       equ     4

; detect_cpu - fill cpu_type (and, with CPUID, cpu_vendor and cpu_family)
detect_cpu:
        push    ax
        push    cx
        pushf                           ; keep the caller's flags (IF!) to restore at the end
        ; 8086: try to clear bits 15-12
        pushf
        pop     ax
        and     ax, 0x0FFF
        push    ax
        popf
        pushf
        pop     ax
        and     ax, 0xF000
        cmp     ax, 0xF000
        mov     byte [cpu_type], CPU_8086
        je      .done
        ; 286: try to set bits 15-12
        pushf
        pop     ax
        or      ax, 0xF000
        push    ax
        popf
        pushf
        pop     ax
        test    ax, 0xF000
        mov     byte [cpu_type], CPU_286
        jz      .done
        cpu     386
        ; 386: try to flip AC (bit 18)
        push    eax
        push    ecx
        pushfd
        pop     eax
        mov     ecx, eax
        xor     eax, 1 << 18
        push    eax
        popfd
        pushfd
        pop     eax
        push    ecx
        popfd                           ; put EFLAGS back as they were
        xor     eax, ecx
        mov     byte [cpu_type], CPU_386
        test    eax, 1 << 18
        jz      .done32
        ; 486: try to flip ID (bit 21)
        mov     eax, ecx
        xor     eax, 1 << 21
        push    eax
        popfd
        pushfd
        pop     eax
        push    ecx
        popfd
        xor     eax, ecx
        mov     byte [cpu_type], CPU_486
        test    eax, 1 << 21
        jz      .done32
        ; CPUID leaf 0: EBX, EDX, ECX = the vendor string; leaf 1: EAX bits 11-8 = family
        mov     byte [cpu_type], CPU_CPUID
        cpu     586                     ; CPUID: present, as the ID flag just proved
        push    ebx
        push    edx
        xor     eax, eax
        cpuid
        mov     [cpu_vendor], ebx
        mov     [cpu_vendor + 4], edx
        mov     [cpu_vendor + 8], ecx
        test    eax, eax
        jz      .no_leaf1
        mov     eax, 1
        cpuid
        shr     eax, 8
        and     al, 0x0F
        mov     [cpu_family], al
.no_leaf1:
        cpu     386
        pop     edx
        pop     ebx
.done32:
        pop     ecx
        pop     eax
        cpu     8086
.done:  popf
        pop     cx
        pop     ax
        ret

; print_cpu - "80386", "80486 (no CPUID)" or "GenuineIntel, family 6 (from CPUID)" at the cursor
print_cpu:
        push    ax
        push    bx
        push    si
        mov     bl, [cpu_type]
        xor     bh, bh
        shl     bx, 1
        mov     si, [cpu_names + bx]
        call    print
        cmp     byte [cpu_type], CPU_CPUID
        jne     .done
        mov     si, cpu_vendor
        call    print
        mov     si, cpu_msg_family
        call    print
        mov     al, [cpu_family]
        xor     ah, ah
        call    print_dec16
        mov     si, cpu_msg_cpuid
        call    print
.done:  pop     si
        pop     bx
        pop     ax
        ret

cpu_names:      dw cpu_name_8086, cpu_name_286, cpu_name_386, cpu_name_486, cpu_name_cpuid
cpu_name_8086:  db "8086/8088", 0
cpu_name_286:   db "80286", 0
cpu_name_386:   db "80386", 0
cpu_name_486:   db "80486 (no CPUID)", 0
cpu_name_cpuid: db 0                    ; the vendor string says it
cpu_msg_family: db ", family ", 0
cpu_msg_cpuid:  db " (from CPUID)", 0
cpu_type:       db 0
cpu_family:     db 0
cpu_vendor:     times 12 db 0
                db 0                    ; NUL after the 12 vendor characters
