; prog_protected.asm - program 2: into 32-bit protected mode and back to real mode.
;
; In real mode a segment register holds a paragraph number (address = segment * 16 + offset).
; In protected mode it holds a *selector*: an index into the Global Descriptor Table (GDT), whose
; 8-byte descriptors give each segment a base, a limit and access rights. The steps are Intel's
; (Intel SDM Vol 3A, 9.9.1 "Switching to Protected Mode" and 9.9.2 "Switching Back to
; Real-Address Mode"):
;
;   to protected mode:  CLI; LGDT; set CR0.PE (bit 0); a far JMP at once (it loads CS from the
;                       GDT and flushes the instructions fetched in real mode); load DS/ES/SS.
;   back to real mode:  far JMP to a 16-bit code segment with a 64 KiB limit; load the data
;                       segment registers from a 64 KiB data descriptor; LIDT with the real-mode
;                       interrupt table; clear CR0.PE; far JMP (CS becomes a real-mode segment
;                       again); load the segment registers with real-mode values; STI.
;
; Interrupts stay off the whole time: the interrupt table (IDT) of protected mode would need
; gates of its own, and the BIOS's handlers are real-mode code. No A20 handling is needed either:
; every address used here is below 1 MiB. CR0, the control registers and the 32-bit code need an
; 80386 or later, so the program checks for one first.

SEL_CODE32      equ     0x08            ; GDT entry 1: 32-bit code, base 0, limit 4 GiB
SEL_DATA32      equ     0x10            ; GDT entry 2: 32-bit data, base 0, limit 4 GiB
SEL_CODE16      equ     0x18            ; GDT entry 3: 16-bit code, base 0, limit 64 KiB
SEL_DATA16      equ     0x20            ; GDT entry 4: 16-bit data, base 0, limit 64 KiB
PM_ROW          equ     7               ; first screen row the 32-bit code writes
PM_ATTR         equ     0x2F            ; white on green: what protected mode wrote

prog_protected:
        mov     bl, ATTR_NORMAL
        call    clear_screen
        mov     dx, 0x0000
        mov     cx, 0x014E              ; 1 row, 78 columns inside
        mov     bl, ATTR_BOX
        call    draw_box
        mov     dx, 0x0114
        mov     bl, ATTR_TITLE
        mov     si, pm_msg_title
        call    print_at
        mov     dx, 0x0400
        call    set_cursor
        cmp     byte [cpu_type], CPU_386
        jae     .has_386
        mov     si, pm_msg_need_386
        call    print
        call    show_esc_hint
        call    wait_esc
        ret

        cpu     386
.has_386:
        mov     si, pm_msg_real
        call    print
        mov     eax, cr0
        call    pm_print_cr0
        call    newline
        mov     si, pm_msg_switching
        call    print

        cli                             ; no interrupts until we are back in real mode
        lgdt    [pm_gdtr]               ; GDTR = base and limit of the table below
        mov     eax, cr0
        or      eax, 1                  ; CR0.PE: protection enable
        mov     cr0, eax
        ; Now in protected mode, but CS still holds its real-mode cache: this far jump loads
        ; CS from GDT entry 1, a 32-bit code segment, so the CPU decodes 32-bit code from here.
        jmp     dword SEL_CODE32:pm_entry32

        bits    32
pm_entry32:
        mov     ax, SEL_DATA32          ; every data segment: base 0, 4 GiB, read/write
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        movzx   esp, sp                 ; the same stack; the upper half of ESP may be anything

        ; With base 0 and a 4 GiB limit, an offset is the physical address (paging is off):
        ; the colour text buffer is at 000B8000h, two bytes per cell, 160 bytes per row.
        mov     edi, 0xB8000 + PM_ROW * 160
        mov     esi, pm_msg_hello
        call    pm_puts

        mov     edi, 0xB8000 + (PM_ROW + 1) * 160
        mov     esi, pm_msg_cr0
        call    pm_puts
        mov     eax, cr0
        call    pm_hex32
        mov     esi, pm_msg_pe
        call    pm_puts
        mov     eax, cr0
        and     al, 1                   ; PE, bit 0
        add     al, '0'
        mov     ah, PM_ATTR
        stosw

        mov     edi, 0xB8000 + (PM_ROW + 2) * 160
        mov     esi, pm_msg_cs
        call    pm_puts
        mov     ax, cs
        call    pm_hex16
        mov     esi, pm_msg_ds
        call    pm_puts
        mov     ax, ds
        call    pm_hex16
        mov     esi, pm_msg_ss
        call    pm_puts
        mov     ax, ss
        call    pm_hex16
        mov     esi, pm_msg_esp
        call    pm_puts
        mov     eax, esp
        call    pm_hex32

        mov     edi, 0xB8000 + (PM_ROW + 3) * 160
        mov     esi, pm_msg_gdtr
        call    pm_puts
        sgdt    [pm_gdtr_seen]          ; read GDTR back: 6 bytes, limit then base
        mov     eax, [pm_gdtr_seen + 2]
        call    pm_hex32
        mov     esi, pm_msg_limit
        call    pm_puts
        mov     ax, [pm_gdtr_seen]
        call    pm_hex16

        mov     edi, 0xB8000 + (PM_ROW + 4) * 160
        mov     esi, pm_msg_leaving
        call    pm_puts

        ; Back: first into a 16-bit code segment (limit 64 KiB), as real mode needs.
        jmp     SEL_CODE16:pm_entry16

        bits    16
pm_entry16:
        mov     ax, SEL_DATA16          ; 64 KiB limit, so the caches real mode inherits are sane
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        lidt    [pm_real_idtr]          ; the real-mode interrupt table: base 0, 256 x 4 bytes
        mov     eax, cr0
        and     eax, ~1                 ; clear PE
        mov     cr0, eax
        jmp     0x0000:pm_real_again    ; CS = 0000h, a real-mode segment again

pm_real_again:
        xor     ax, ax                  ; real-mode segment values (base = value * 16)
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        sti                             ; the BIOS's interrupt handlers work again

        mov     dx, (PM_ROW + 6) << 8
        call    set_cursor
        mov     si, pm_msg_back
        call    print
        mov     eax, cr0
        call    pm_print_cr0
        call    newline
        mov     si, pm_msg_back2
        call    print
        call    show_esc_hint
        call    wait_esc
        ret

; pm_print_cr0 - (real mode) "CR0 = xxxxxxxxh  PE=b" for EAX = CR0, through the BIOS
pm_print_cr0:
        push    eax
        push    si
        mov     si, pm_msg_cr0
        call    print
        ror     eax, 16
        call    print_hex16
        ror     eax, 16
        call    print_hex16
        push    ax
        mov     al, 'h'
        call    put_char
        pop     ax
        mov     si, pm_msg_pe
        call    print
        and     al, 1
        add     al, '0'
        call    put_char
        pop     si
        pop     eax
        ret

        bits    32
; pm_puts - (protected mode) the NUL-terminated string at ESI to the text buffer at EDI
pm_puts:
        push    eax
        mov     ah, PM_ATTR
.next:  lodsb
        test    al, al
        jz      .done
        stosw                           ; character and attribute: one cell
        jmp     .next
.done:  pop     eax
        ret

; pm_hex32 / pm_hex16 - (protected mode) EAX / AX in hex to the text buffer at EDI
pm_hex32:
        push    ecx
        mov     ecx, 8
        jmp     pm_hex
pm_hex16:
        push    ecx
        mov     ecx, 4
        shl     eax, 16                 ; the 4 digits to print to the top
pm_hex:
        push    eax
        push    edx
        mov     edx, eax
.digit: rol     edx, 4                  ; next nibble into the low bits
        mov     al, dl
        and     al, 0x0F
        add     al, '0'
        cmp     al, '9'
        jbe     .out
        add     al, 'A' - '0' - 10
.out:   mov     ah, PM_ATTR
        stosw
        loop    .digit
        mov     ax, PM_ATTR << 8 | 'h'
        stosw
        pop     edx
        pop     eax
        pop     ecx
        ret
        bits    16
        cpu     8086

; The GDT (Intel SDM Vol 3A, 3.4.5 "Segment Descriptors"). Each entry:
;   limit 15-0, base 15-0, base 23-16, access byte, flags (G, D/B) + limit 19-16, base 31-24.
; Access 9Ah = present, ring 0, code, execute/read; 92h = present, ring 0, data, read/write.
; Flags CFh = 4 KiB granularity (limit FFFFFh means 4 GiB) and 32-bit; 00h = byte granular, 16-bit.
        align   8
pm_gdt:
        dq      0                                       ; entry 0: the null descriptor
        db      0xFF, 0xFF, 0x00, 0x00, 0x00, 0x9A, 0xCF, 0x00  ; 08h: 32-bit code
        db      0xFF, 0xFF, 0x00, 0x00, 0x00, 0x92, 0xCF, 0x00  ; 10h: 32-bit data
        db      0xFF, 0xFF, 0x00, 0x00, 0x00, 0x9A, 0x00, 0x00  ; 18h: 16-bit code, 64 KiB
        db      0xFF, 0xFF, 0x00, 0x00, 0x00, 0x92, 0x00, 0x00  ; 20h: 16-bit data, 64 KiB
pm_gdt_end:

pm_gdtr:        dw pm_gdt_end - pm_gdt - 1      ; LGDT's operand: limit (size - 1), then base
                dd pm_gdt
pm_real_idtr:   dw 0x03FF                       ; the real-mode IVT: 256 vectors at 0000:0000
                dd 0
pm_gdtr_seen:   times 6 db 0

pm_msg_title:   db "Protected mode: a GDT, CR0.PE, a far jump - and back", 0
pm_msg_need_386: db "This program needs an 80386 or later: this CPU has no CR0 and no 32-bit mode.", 0
pm_msg_real:    db "Real mode, through the BIOS:   ", 0
pm_msg_switching: db "LGDT, set CR0.PE, JMP 0008h:pm_entry32 ...", 0
pm_msg_hello:   db "Hello from 32-bit protected mode! This line was stored at 000B8000h + offset.", 0
pm_msg_cr0:     db "CR0 = ", 0
pm_msg_pe:      db "  PE=", 0
pm_msg_cs:      db "Selectors: CS = ", 0
pm_msg_ds:      db "  DS = ", 0
pm_msg_ss:      db "  SS = ", 0
pm_msg_esp:     db "  ESP = ", 0
pm_msg_gdtr:    db "SGDT: GDT base = ", 0
pm_msg_limit:   db "  limit = ", 0
pm_msg_leaving: db "Leaving: JMP 0018h (16-bit code), DS = 0020h, clear CR0.PE, JMP 0000h ...", 0
pm_msg_back:    db "Back in real mode, through the BIOS again: ", 0
pm_msg_back2:   db "Interrupts are on again; the BIOS's INT 10h printed these two lines.", 0
