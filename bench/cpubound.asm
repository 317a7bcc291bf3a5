; cpubound.asm - the CPU-bound guest of `lantern bench`: a 64 KiB ROM image that enters 32-bit
; protected mode with flat segments, runs a fixed mix of integer work ITERATIONS times, writes the
; iteration count to port 0xE9 as a marker and leaves through the exit ports.
;
; The same image runs on Lantern (--bios), Bochs (romimage) and QEMU (-bios): it needs nothing but
; a CPU, RAM at 0-64 KiB and the ROM at F0000-FFFFF (the reset vector at FFFF0, Intel SDM Vol. 3A
; 9.1.4 "First Instruction Executed"; the chipset aliases the top 64 KiB of the 4 GiB space to the
; last 64 KiB below 1 MiB on every PC, which the far jump at the reset vector relies on).
;
; Build: nasm -f bin -o cpubound.bin cpubound.asm (-DITERATIONS=N sets the default run length).
; `lantern bench` patches the count (see `iterations` at the end) and runs two lengths; the
; difference of their instruction counts over the difference of their run times is the guest
; MIPS, with start-up and exit overhead cancelled.
;
; Exits: port 0xF4 (QEMU's isa-debug-exit, Lantern's debug exit), then the string "Shutdown" to
; port 0x8900 (Bochs' shutdown port), then CLI; HLT for anything that has neither.

        cpu     686
        bits    16

%ifndef ITERATIONS
%define ITERATIONS 100000
%endif

ROM_BASE        equ     0xF0000
DATA_BASE       equ     0x10000         ; scratch array the loop walks (64 KiB..68 KiB)
STACK_TOP       equ     0x9000

        org     0                       ; offsets in the F000 segment

start:
        cli
        cld
        xor     ax, ax
        mov     ss, ax
        mov     sp, 0x7000
        mov     ax, cs
        mov     ds, ax
        ; Load the GDT (its linear address: F0000 + offset) and set CR0.PE (SDM Vol. 3A 9.9.1
        ; "Switching to Protected Mode": LGDT, MOV CR0, then a far jump to load CS).
        o32 lgdt [gdt_descriptor]
        mov     eax, cr0
        or      eax, 1
        mov     cr0, eax
        jmp     dword 0x08:(ROM_BASE + pm_entry)

        bits    32
pm_entry:
        mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        mov     esp, STACK_TOP

        ; Fill the scratch array with a pattern.
        mov     edi, DATA_BASE
        mov     ecx, 1024
        mov     eax, 0x9E3779B9
.fill:  mov     [edi], eax
        add     edi, 4
        rol     eax, 5
        dec     ecx
        jnz     .fill

        mov     ebp, [ROM_BASE + iterations]
        xor     ebx, ebx                ; checksum
        xor     esi, esi                ; index into the array
        xor     edx, edx                ; EDX holds the CPU signature after reset: start from 0
; The measured loop: 31 instructions per iteration (ALU, shifts, loads, stores, a call and a
; return, a conditional move, a multiply, the loop branch), all in one 4 KiB page. The guest is
; deterministic, so its exact count, taken from Lantern's retired-instruction counter, holds on
; every emulator.
outer:
        mov     eax, [DATA_BASE + esi*4]
        add     ebx, eax
        xor     eax, ebx
        rol     ebx, 3
        mov     ecx, eax
        and     ecx, 0xFF
        sub     edx, ecx
        lea     edi, [ebx + ecx*2 + 7]
        mov     [DATA_BASE + esi*4], edi
        inc     esi
        and     esi, 1023
        call    mix
        cmp     eax, edx
        cmovb   eax, edx                ; no data-dependent branch: every iteration is alike
        imul    eax, eax, 13
        adc     ebx, eax
        shr     edx, 1
        or      edx, 1
        push    edx
        pop     ecx
        test    ecx, 2
        setnz   al
        movzx   eax, al
        add     ebx, eax
        neg     edx
        not     edx
        dec     ebp
        jnz     outer
        jmp     done

mix:    add     edx, ebx
        ror     edx, 7
        ret

done:
        ; Report the checksum on the debug console (0xE9: Lantern, Bochs' port_e9_hack, QEMU's
        ; isa-debugcon when configured) as 8 hex digits and a newline.
        mov     ecx, 8
.hex:   rol     ebx, 4
        mov     al, bl
        and     al, 0x0F
        add     al, '0'
        cmp     al, '9'
        jbe     .digit
        add     al, 'a' - '9' - 1
.digit: out     0xE9, al
        dec     ecx
        jnz     .hex
        mov     al, 10
        out     0xE9, al

        xor     al, al
        out     0xF4, al                ; Lantern, QEMU isa-debug-exit
        mov     dx, 0x8900              ; Bochs: "Shutdown" to the shutdown port
        mov     esi, ROM_BASE + shutdown_text
        mov     ecx, 8
.sd:    mov     al, [esi]
        out     dx, al
        inc     esi
        dec     ecx
        jnz     .sd
.halt:  cli
        hlt
        jmp     .halt

shutdown_text:
        db      "Shutdown"

        align   8
gdt:    dq      0
        ; 08: 32-bit code, base 0, limit 4 GiB, DPL 0 (SDM Vol. 3A 3.4.5)
        dw      0xFFFF, 0x0000
        db      0x00, 0x9A, 0xCF, 0x00
        ; 10: 32-bit data, base 0, limit 4 GiB, writable
        dw      0xFFFF, 0x0000
        db      0x00, 0x92, 0xCF, 0x00
gdt_end:

gdt_descriptor:
        dw      gdt_end - gdt - 1
        dd      ROM_BASE + gdt

        ; The run length: `lantern bench` finds the signature and patches the dword after it, so
        ; one image serves every run length.
        times   0xFFD0 - ($ - $$) db 0xFF
        db      "LANTERN-BENCH-ITERATIONS"
iterations:
        dd      ITERATIONS
        times   0xFFF0 - ($ - $$) db 0xFF
        bits    16
reset_vector:
        jmp     0xF000:start
        times   0x10000 - ($ - $$) db 0xFF
