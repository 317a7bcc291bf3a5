; pmode.asm - protected mode: descriptors, segment protection, the IDT and exceptions.
;
; Protected mode replaces "segment = paragraph number" with "segment register = selector": an
; index into a descriptor table whose entries give each segment a base, a limit and attributes
; (code or data, readable, writable, expand-down, 16- or 32-bit, privilege level, present).
; Every memory access is checked against them, and a violation is an exception that reports what
; went wrong. This ROM walks through it:
;
;   1. the switch: a GDT, CR0.PE, a far jump into a 32-bit code segment
;   2. what 32-bit segments mean: default operand size, ESP vs SP
;   3. segment limits, expand-down segments, read-only and execute-only segments
;   4. loading segment registers: the checks and the exception each failure raises
;   5. the IDT: interrupt and trap gates, exceptions and their error codes
;   6. back to real mode, and "unreal mode": a 4 GiB limit survives the return
;
; Exceptions are caught with TRY (pm.inc): each check names the vector, the error code the CPU
; pushed, and the EIP it pushed (for a fault, the faulting instruction, so it can be restarted).

%define TEST_NAME "pmode"
%include "pm.inc"

SCRATCH         equ     0x9000
HANDLER_EIP     equ     0x9F00          ; what the INT handlers saw
HANDLER_EFLAGS  equ     0x9F04
HANDLER_CS      equ     0x9F08
HANDLER_COUNT   equ     0x9F0C
HIGH_MEMORY     equ     0x200000        ; 2 MiB: above what real mode can address

; Descriptors this ROM adds to the GDT.
SEL_DATA_LIM    equ     0x40            ; data, base 20000h, limit FFFh
SEL_DATA_ED32   equ     0x48            ; expand-down data, limit FFFh, B=1 (top FFFFFFFFh)
SEL_DATA_ED16   equ     0x50            ; expand-down data, limit FFFh, B=0 (top FFFFh)
SEL_DATA_RO     equ     0x58            ; read-only data, flat
SEL_CODE_XO     equ     0x60            ; execute-only code, like SEL_CODE32
SEL_DATA_NP     equ     0x68            ; a data segment marked not present
SEL_STACK_1M    equ     0x70            ; 32-bit stack segment, limit FFFFFh (1 MiB)
SEL_TSS_SMALL   equ     0x78            ; a 32-bit TSS whose limit is too small
SEL_CODE_NP     equ     0x80            ; a code segment marked not present
SEL_LDT         equ     0x88            ; a local descriptor table
SEL_BEYOND      equ     0x800           ; index 256: past the GDT limit (7FFh)
LDT_BASE        equ     0x3000          ; three descriptors: null, data, (none)
SEL_LDT_DATA    equ     0x0C            ; LDT index 1, TI=1, RPL 0
SEL_LDT_BEYOND  equ     0x1C            ; LDT index 3: past the LDT's limit (17h)

test_main:
        call    rm_install_vectors
        call    detect_features
        call    pm_build_tables
        mov     al, 0xFF                ; mask every interrupt at both 8259s: we will set IF
        out     0x21, al
        out     0xA1, al

        GROUP   "entering protected mode"
        ENTER_PM32                      ; from here on: 32-bit code at CPL 0
        call    pm_basics
        call    pm_limits
        call    pm_near_limits
        call    pm_segment_loads
        call    pm_idt
        call    pm_exceptions
        call    pm_double_faults
        call    pm_ldt
        LEAVE_PM32                      ; and back to 16-bit real mode

        GROUP   "back in real mode"
        mov     eax, cr0
        and     eax, 1
        CHECK32 eax, 0, "CR0.PE clear"
        mov     eax, cr0
        or      eax, 0x80000000         ; paging without protection is not a mode
        RM_TRY  .pg_caught
.pg:    mov     cr0, eax
        RM_ENDTRY
.pg_caught:
        CHECK_RM_FAULT 13, .pg, "CR0.PG without CR0.PE: #GP(0)"
        mov     ax, cs
        CHECK16 ax, 0xF000, "CS is a paragraph number again"
        call    unreal_mode
        ret

; ---------------------------------------------------------------------------------------------
        bits    32

pm_basics:
        PGROUP  "32-bit segments"
        mov     eax, cr0
        and     eax, 1
        PCHECK  eax, 1, "CR0.PE set"
        mov     ax, cs
        movzx   eax, ax
        PCHECK  eax, SEL_CODE32, "CS = SEL_CODE32"
        ; In a segment whose D bit is set, B8 is MOV EAX, imm32 without any prefix, and a PUSH
        ; moves ESP by four.
        mov     eax, 0x12345678
        PCHECK  eax, 0x12345678, "mov eax, imm32 without a prefix"
        mov     ecx, esp
        push    eax
        sub     ecx, esp
        pop     eax
        PCHECK  ecx, 4, "push in a 32-bit segment moves ESP by 4"
        o16 push ax                     ; 66h now selects 16 bits
        pop     ax
        ; A stack segment whose B bit is clear uses SP: the pushes wrap within 64 KiB and leave
        ; ESP 31..16 alone.
        mov     ebx, esp
        mov     ax, SEL_DATA16
        mov     ss, ax
        mov     esp, 0x12340000 + SCRATCH
        push    dword 0xAABBCCDD
        mov     ecx, esp
        mov     ax, SEL_DATA32
        mov     ss, ax
        mov     esp, ebx
        PCHECK  ecx, 0x12340000 + SCRATCH - 4, "push with a 16-bit SS uses SP"
        PCHECK  [SCRATCH - 4], 0xAABBCCDD, "push with a 16-bit SS: the data"

        ; The descriptor-table registers read back as loaded; LTR marks the TSS busy.
        sgdt    [SCRATCH]
        PCHECK  [SCRATCH], GDT_LIMIT | (GDT_BASE << 16), "sgdt: limit and base 15..0"
        sidt    [SCRATCH]
        PCHECK  [SCRATCH + 2], IDT_BASE, "sidt: base"
        call    pm_load_tr
        str     ax
        movzx   eax, ax
        PCHECK  eax, SEL_TSS, "str"
        movzx   eax, byte [GDT_BASE + SEL_TSS + 5]
        PCHECK  eax, 0x8B, "ltr marks the TSS descriptor busy (type Bh)"
        ; The 286's way in, LMSW, can set PE but never clear it.
        smsw    ax
        and     eax, 1
        PCHECK  eax, 1, "smsw: PE"
        xor     eax, eax
        lmsw    ax
        mov     eax, cr0
        and     eax, 1
        PCHECK  eax, 1, "lmsw 0 leaves PE set"
        ret

; ---------------------------------------------------------------------------------------------
; Limits. A normal segment allows offsets 0..limit; every byte of an access must be inside.
; An expand-down segment (for stacks that grow) allows limit+1 .. FFFFh, or FFFFFFFFh when its B
; bit is set. A violation is #GP(0) (#SS(0) through SS).
pm_limits:
        PGROUP  "limits and expand-down segments"
        SET_DESC SEL_DATA_LIM, 0x20000, 0xFFF, 0x4092
        SET_DESC SEL_DATA_ED32, 0x20000, 0xFFF, 0x4096
        SET_DESC SEL_DATA_ED16, 0x20000, 0xFFF, 0x0096
        SET_DESC SEL_DATA_RO, 0, 0xFFFFF, 0xC090
        SET_DESC SEL_CODE_XO, ROM_BASE, 0xFFFF, 0x4098
        SET_DESC SEL_STACK_1M, 0, 0xFFFFF, 0x4092
        mov     dword [0x20000 + 0xFFC], 0x600DF00D

        mov     ax, SEL_DATA_LIM
        mov     fs, ax
        mov     eax, [fs:0xFFC]         ; the last four bytes: fine
        PCHECK  eax, 0x600DF00D, "read at the limit"
        TRY     .c1
.f1:    mov     eax, [fs:0xFFD]         ; one byte past the limit
        ENDTRY
.c1:    CHECK_FAULT 13, 0, .f1, "dword crossing the limit: #GP(0)"

        mov     ax, SEL_DATA_ED32
        mov     fs, ax
        mov     dword [0x20000 + 0x1000], 0x0ED0ED00
        mov     eax, [fs:0x1000]        ; limit+1: the lowest valid offset
        PCHECK  eax, 0x0ED0ED00, "expand-down: offset limit+1 is valid"
        mov     eax, 0x7FFF0000
        mov     ebx, [fs:eax]           ; far above: valid up to FFFFFFFFh (B=1)
        TRY     .c2
.f2:    mov     eax, [fs:0xFFF]         ; at the limit: outside an expand-down segment
        ENDTRY
.c2:    CHECK_FAULT 13, 0, .f2, "expand-down: offset = limit is invalid"
        mov     ax, SEL_DATA_ED16
        mov     fs, ax
        mov     eax, [fs:0xFFFC]        ; B=0: the top is FFFFh
        TRY     .c3
.f3:    mov     eax, [fs:0xFFFE]        ; crosses FFFFh
        ENDTRY
.c3:    CHECK_FAULT 13, 0, .f3, "expand-down, B=0: past FFFFh"

        ; Type checks: writing a read-only data segment, reading an execute-only code segment,
        ; writing a code segment.
        mov     ax, SEL_DATA_RO
        mov     fs, ax
        mov     eax, [fs:SCRATCH]       ; reading is fine
        TRY     .c4
.f4:    mov     [fs:SCRATCH], eax
        ENDTRY
.c4:    CHECK_FAULT 13, 0, .f4, "write to read-only data: #GP(0)"
        TRY     .c5
.f5:    mov     eax, [cs:SCRATCH]       ; SEL_CODE32 is readable
        ENDTRY
.c5:    PCHECK  [ss:FAULT_VEC], -1, "read through a readable code segment"
        jmp     SEL_CODE_XO:.in_xo      ; run from an execute-only segment for a moment
.in_xo:
        TRY     .c6
.f6:    mov     eax, [cs:SCRATCH]
        ENDTRY
.c6:    jmp     SEL_CODE32:.out_xo      ; (the catcher resumes in SEL_CODE32 anyway)
.out_xo:
        CHECK_FAULT 13, 0, .f6, "read from execute-only code: #GP(0)"
        TRY     .c7
.f7:    mov     [cs:SCRATCH], eax       ; code segments are never writable
        ENDTRY
.c7:    CHECK_FAULT 13, 0, .f7, "write to a code segment: #GP(0)"

        ; Through SS the same violations are stack faults, #SS(0).
        mov     ebx, esp
        mov     ax, SEL_STACK_1M
        mov     ss, ax                  ; our stack (below 7C00h) is well inside 1 MiB
        mov     esp, ebx
        mov     ebp, 0x100000
        TRY     .c8
.f8:    mov     eax, [ebp]              ; EBP-based: SS. Offset 1 MiB is past the limit
        ENDTRY
.c8:    CHECK_FAULT 12, 0, .f8, "SS-relative access past the limit: #SS(0)"
        ret                             ; (the catcher put SS back to SEL_DATA32)

; ---------------------------------------------------------------------------------------------
; Near jumps, calls and returns check their target against the CS limit: a target outside is
; #GP(0) raised by the transfer itself, which changes nothing (CALL pushes nothing, RET pops
; nothing), rather than by the fetch that would follow.
pm_near_limits:
        PGROUP  "near transfers check the CS limit"
        mov     eax, 0x10000            ; CS (SEL_CODE32) has limit FFFFh
        TRY     .c1
.f1:    jmp     eax
        ENDTRY
.c1:    CHECK_FAULT 13, 0, .f1, "jmp eax past the limit: #GP(0) at the jmp"
        mov     eax, 0x10000            ; (the catcher does not keep EAX)
        TRY     .c2
.f2:    call    eax
        ENDTRY
.c2:    CHECK_FAULT 13, 0, .f2, "call eax past the limit: #GP(0) at the call"
        mov     ecx, [RESUME_ESP]
        sub     ecx, 12                 ; EFLAGS, CS, EIP: nothing else on the stack
        PCHECK  [FAULT_FRAME], ecx, "call past the limit pushed nothing"
        push    dword 0x10000
        TRY     .c3
.f3:    ret
        ENDTRY
.c3:    CHECK_FAULT 13, 0, .f3, "ret to past the limit: #GP(0) at the ret"
        mov     ecx, [RESUME_ESP]
        sub     ecx, 12
        PCHECK  [FAULT_FRAME], ecx, "ret past the limit popped nothing"
        add     esp, 4
        xor     eax, eax                ; ZF=1
        TRY     .c4
.f4:    jz      0x10000                 ; 0F 84 rel32
        ENDTRY
.c4:    CHECK_FAULT 13, 0, .f4, "jz past the limit: #GP(0) at the jz"
        mov     ecx, 5
        TRY     .c5
.f5:    db      0xE2, 0x100 - 2         ; loop $ (to itself): fine
        ENDTRY
.c5:    PCHECK  [FAULT_VEC], -1, "loop within the limit"
        ret

; ---------------------------------------------------------------------------------------------
; MOV to a segment register checks the selector and its descriptor at once; the error code of
; the fault is the selector (with its RPL bits cleared).
pm_segment_loads:
        PGROUP  "segment register loads"
        SET_DESC SEL_DATA_NP, 0, 0xFFFFF, 0xC012        ; P=0
        SET_DESC SEL_CODE_NP, ROM_BASE, 0xFFFF, 0x401A  ; P=0
        TRY     .c1
.f1:    mov     ax, SEL_DATA_NP
        mov     ds, ax
        ENDTRY
.c1:    CHECK_FAULT 11, SEL_DATA_NP, .f1 + 4, "mov ds, not-present segment: #NP(sel)"
        TRY     .c2
.f2:    mov     ax, SEL_TSS
        mov     ds, ax
        ENDTRY
.c2:    CHECK_FAULT 13, SEL_TSS, .f2 + 4, "mov ds, TSS selector: #GP(sel)"
        TRY     .c3
.f3:    mov     ax, SEL_CODE_XO
        mov     es, ax
        ENDTRY
.c3:    CHECK_FAULT 13, SEL_CODE_XO, .f3 + 4, "mov es, execute-only code: #GP(sel)"
        mov     ax, SEL_CODE32          ; readable code may be loaded into a data register
        mov     es, ax
        TRY     .c4
.f4:    mov     ax, SEL_BEYOND
        mov     ds, ax
        ENDTRY
.c4:    CHECK_FAULT 13, SEL_BEYOND, .f4 + 4, "selector past the GDT limit: #GP(sel)"
        TRY     .c5
.f5:    mov     ax, SEL_DATA32 | 4      ; TI=1: the LDT, and there is none
        mov     ds, ax
        ENDTRY
.c5:    CHECK_FAULT 13, SEL_DATA32 | 4, .f5 + 4, "LDT selector without an LDT: #GP(sel)"
        TRY     .c6
.f6:    mov     ax, SEL_DATA_RO
        mov     ss, ax
        ENDTRY
.c6:    CHECK_FAULT 13, SEL_DATA_RO, .f6 + 4, "mov ss, read-only data: #GP(sel)"
        TRY     .c7
.f7:    mov     ax, SEL_DATA_NP
        mov     ss, ax
        ENDTRY
.c7:    CHECK_FAULT 12, SEL_DATA_NP, .f7 + 4, "mov ss, not-present segment: #SS(sel)"
        TRY     .c8
.f8:    xor     eax, eax
        mov     ss, ax
        ENDTRY
.c8:    CHECK_FAULT 13, 0, .f8 + 2, "mov ss, null selector: #GP(0)"
        TRY     .c9
.f9:    mov     ax, SEL_DATA32 | 3      ; RPL 3 > CPL 0 = DPL: not for SS
        mov     ss, ax
        ENDTRY
.c9:    CHECK_FAULT 13, SEL_DATA32, .f9 + 4, "mov ss, RPL != CPL: #GP(sel)"

        ; The null selector may sit in DS, ES, FS or GS; only using it faults.
        TRY     .c9b
        xor     eax, eax
        mov     ds, ax
        ENDTRY
.c9b:   PCHECK  [ss:FAULT_VEC], -1, "loading a null selector is allowed"
        TRY     .c10
.f10:   mov     eax, [0x1000]
        ENDTRY
.c10:   CHECK_FAULT 13, 0, .f10, "access through a null DS: #GP(0)"
        mov     ax, SEL_DATA32
        mov     ds, ax
        mov     es, ax

        ; Far transfers check the target the same way.
        TRY     .c11
.f11:   jmp     SEL_DATA32:0
        ENDTRY
.c11:   CHECK_FAULT 13, SEL_DATA32, .f11, "jmp far to a data segment: #GP(sel)"
        TRY     .c12
.f12:   call    SEL_CODE_NP:0
        ENDTRY
.c12:   CHECK_FAULT 11, SEL_CODE_NP, .f12, "call far to a not-present segment: #NP(sel)"
        TRY     .c13
.f13:   jmp     SEL_CODE32:0x10000      ; past the code segment's limit
        ENDTRY
.c13:   CHECK_FAULT 13, 0, .f13, "jmp far past the limit: #GP(0)"
        ret

; ---------------------------------------------------------------------------------------------
; The IDT holds gates. An interrupt gate clears IF on entry; a trap gate leaves it. INT n pushes
; EFLAGS, CS and the address of the next instruction; IRETD pops them.
pm_idt:
        PGROUP  "IDT: interrupt and trap gates"
        SET_IDT_GATE 0x40, int_handler, 0x8E00   ; interrupt gate
        SET_IDT_GATE 0x42, int_handler, 0x8F00   ; trap gate
        SET_IDT_GATE 0x41, int_handler, 0x0E00   ; an interrupt gate marked not present
        mov     dword [HANDLER_COUNT], 0
        sti                             ; IF=1 (every IRQ is masked at the PIC)
        mov     esi, 0x5A5A5A5A
        int     0x40
.after40:
        cli
        PCHECK  [HANDLER_EIP], .after40, "int 40h pushed the next EIP"
        PCHECK  [HANDLER_CS], SEL_CODE32, "int 40h pushed CS"
        mov     eax, [HANDLER_EFLAGS]
        and     eax, F_IF
        PCHECK  eax, 0, "interrupt gate: IF clear in the handler"
        PCHECK  esi, 0x5A5A5A5A, "registers survive INT/IRETD"
        sti
        int     0x42
        cli
        mov     eax, [HANDLER_EFLAGS]
        and     eax, F_IF
        PCHECK  eax, F_IF, "trap gate: IF still set in the handler"
        pushfd
        pop     eax
        and     eax, F_IF
        PCHECK  eax, 0, "cli after the handlers"
        PCHECK  [HANDLER_COUNT], 2, "both handlers ran"
        ; INT3 and INTO reach the exception stubs, which the catcher watches.
        TRY     .c1
.f1:    int3
.after_int3:
        ENDTRY
.c1:    CHECK_FAULT 3, NO_ERROR_CODE, .after_int3, "int3: a trap, pushes the next EIP"
        mov     eax, 0x7FFFFFFF
        add     eax, 1                  ; OF=1
        TRY     .c2
.f2:    into
.after_into:
        ENDTRY
.c2:    CHECK_FAULT 4, NO_ERROR_CODE, .after_into, "into with OF=1"
        TRY     .c3
.f3:    int     0x41
        ENDTRY
.c3:    CHECK_FAULT 11, 0x41 * 8 + 2, .f3, "int to a not-present gate: #NP(vector*8+2)"

        ; A vector beyond the IDT limit: #GP with the IDT bit (bit 1) in the error code.
        sidt    [SCRATCH]
        mov     word [SCRATCH], 0x41 * 8 - 1    ; vectors 00-40h only
        lidt    [SCRATCH]
        TRY     .c4
.f4:    int     0x50
        ENDTRY
.c4:    lidt    [cs:idt_pointer]
        CHECK_FAULT 13, 0x50 * 8 + 2, .f4, "int past the IDT limit: #GP(vector*8+2)"

        ; A 16-bit (286) interrupt gate pushes FLAGS, CS and IP as words, even from 32-bit code;
        ; the handler returns with a 16-bit IRET.
        SET_IDT_GATE 0x44, int16_handler, 0x8600
        mov     ebx, esp
        int     0x44
.after44:
        sub     ebx, [HANDLER_COUNT]    ; the handler left its ESP there
        PCHECK  ebx, 6, "16-bit gate: a 6-byte frame"
        PCHECK  [HANDLER_EIP], .after44, "16-bit gate: IP"
        PCHECK  [HANDLER_CS], SEL_CODE32, "16-bit gate: CS"
        ret

int16_handler:
        mov     [HANDLER_COUNT], esp
        push    eax
        movzx   eax, word [esp + 4]
        mov     [HANDLER_EIP], eax
        movzx   eax, word [esp + 6]
        mov     [HANDLER_CS], eax
        pop     eax
        o16 iret

int_handler:
        push    eax
        mov     eax, [esp + 4]
        mov     [HANDLER_EIP], eax
        movzx   eax, word [esp + 8]
        mov     [HANDLER_CS], eax
        pushfd
        pop     eax
        mov     [HANDLER_EFLAGS], eax
        inc     dword [HANDLER_COUNT]
        pop     eax
        iretd

; ---------------------------------------------------------------------------------------------
; The other exceptions a program meets first, with their error codes.
pm_exceptions:
        PGROUP  "exceptions: #UD #DE #BR #TS #GP"
        TRY     .c1
.f1:    ud2
        ENDTRY
.c1:    CHECK_FAULT 6, NO_ERROR_CODE, .f1, "ud2: #UD, no error code"
        TRY     .c2
.f2:    db      0xF0                    ; LOCK: only for read-modify-write instructions
        mov     eax, [SCRATCH]
        ENDTRY
.c2:    CHECK_FAULT 6, NO_ERROR_CODE, .f2, "lock mov: #UD"
        xor     ecx, ecx
        mov     eax, 1
        TRY     .c3
.f3:    div     ecx
        ENDTRY
.c3:    CHECK_FAULT 0, NO_ERROR_CODE, .f3, "div by zero: #DE"
        mov     dword [SCRATCH], 10     ; BOUND: the index must be within [10, 20]
        mov     dword [SCRATCH + 4], 20
        mov     eax, 15
        bound   eax, [SCRATCH]
        mov     eax, 21
        TRY     .c4
.f4:    bound   eax, [SCRATCH]
        ENDTRY
.c4:    CHECK_FAULT 5, NO_ERROR_CODE, .f4, "bound 21 in [10, 20]: #BR"
        mov     eax, -1
        TRY     .c5
.f5:    bound   eax, [SCRATCH]          ; signed: -1 < 10
        ENDTRY
.c5:    CHECK_FAULT 5, NO_ERROR_CODE, .f5, "bound -1 in [10, 20]: #BR"

        ; A TSS must be at least 104 bytes (limit 67h): switching to a smaller one is #TS with
        ; its selector. Nothing of the task switch has happened yet.
        SET_DESC SEL_TSS_SMALL, 0x2100, 0x20, 0x0089
        TRY     .c6
.f6:    jmp     SEL_TSS_SMALL:0
        ENDTRY
.c6:    CHECK_FAULT 10, SEL_TSS_SMALL, .f6, "jmp to a TSS with limit 20h: #TS(sel)"
        str     ax
        movzx   eax, ax
        PCHECK  eax, SEL_TSS, "still in the same task"

        ; Privileged instructions at CPL 0 are fine; a bad control register is #UD.
        TRY     .c7
.f7:    db      0x0F, 0x20, 0xC8        ; mov eax, cr1: there is no CR1
        ENDTRY
.c7:    CHECK_FAULT 6, NO_ERROR_CODE, .f7, "mov eax, cr1: #UD"
        TRY     .c8
.f8:    db      0xF0                    ; LOCK on a register destination
        add     eax, ebx
        ENDTRY
.c8:    CHECK_FAULT 6, NO_ERROR_CODE, .f8, "lock add eax, ebx: #UD"
        TRY     .c9
.f9:    times 15 db 0x66                ; 15 prefixes + an opcode: 16 bytes, over the limit
        nop
        ENDTRY
.c9:    CHECK_FAULT 13, 0, .f9, "an instruction longer than 15 bytes: #GP(0)"
        ret

; ---------------------------------------------------------------------------------------------
; A fault while delivering an exception. Two contributory faults (#DE, #TS, #NP, #SS, #GP) in a
; row make a double fault (#DF, vector 8, error code 0); a benign exception (#UD, say) whose
; delivery faults is simply replaced by the second fault. Error codes raised on the way carry
; EXT (bit 0): the event being delivered came from outside the program (SDM Vol. 3, 6.13).
pm_double_faults:
        PGROUP  "double faults and the EXT bit"
        and     byte [IDT_BASE + 13 * 8 + 5], 0x7F      ; #GP's gate: not present
        TRY     .c1
.f1:    mov     ax, SEL_BEYOND
        mov     ds, ax                  ; #GP, then #NP delivering it: #DF
        ENDTRY
.c1:    or      byte [IDT_BASE + 13 * 8 + 5], 0x80
        PCHECK  [FAULT_VEC], 8, "#NP while delivering #GP: #DF"
        PCHECK  [FAULT_ERR], 0, "#DF error code 0"

        and     byte [IDT_BASE + 6 * 8 + 5], 0x7F       ; #UD's gate: not present
        TRY     .c2
.f2:    ud2                             ; #UD is benign: its delivery's #NP is reported
        ENDTRY
.c2:    or      byte [IDT_BASE + 6 * 8 + 5], 0x80
        CHECK_FAULT 11, 6 * 8 + 2 + 1, .f2, "#UD through a not-present gate: #NP(IDT, EXT)"

        mov     word [IDT_BASE + 6 * 8 + 2], SEL_BEYOND ; #UD's gate names a bad selector
        TRY     .c3
.f3:    ud2
        ENDTRY
.c3:    mov     word [IDT_BASE + 6 * 8 + 2], SEL_CODE32
        CHECK_FAULT 13, SEL_BEYOND + 1, .f3, "#UD through a gate to a bad selector: #GP(sel, EXT)"

        SET_DESC SEL_CODE_NP, ROM_BASE, 0xFFFF, 0x401A
        SET_IDT_GATE 0x43, int_handler, 0x8E00
        mov     word [IDT_BASE + 0x43 * 8 + 2], SEL_CODE_NP
        TRY     .c4
.f4:    int     0x43                    ; software: EXT clear
        ENDTRY
.c4:    CHECK_FAULT 11, SEL_CODE_NP, .f4, "int to a not-present code segment: #NP(sel)"
        ret

; ---------------------------------------------------------------------------------------------
; A local descriptor table: a system descriptor in the GDT points at it, LLDT loads LDTR, and
; selectors with TI (bit 2) set index it instead of the GDT.
pm_ldt:
        PGROUP  "the LDT"
        mov     edi, LDT_BASE
        xor     eax, eax
        mov     ecx, 6
        rep     stosd
        mov     dword [LDT_BASE + 8], 0x00000FFF        ; index 1: data, base 20000h, limit FFFh
        mov     dword [LDT_BASE + 12], 0x00409202
        SET_DESC SEL_LDT, LDT_BASE, 0x17, 0x0082        ; LDT descriptor (type 2), 3 entries
        mov     ax, SEL_LDT
        lldt    ax
        sldt    ax
        movzx   eax, ax
        PCHECK  eax, SEL_LDT, "sldt"
        mov     dword [0x20000 + 0xFF0], 0x1D71D7
        mov     ax, SEL_LDT_DATA
        mov     fs, ax
        mov     eax, [fs:0xFF0]
        PCHECK  eax, 0x1D71D7, "data through an LDT selector"
        movzx   eax, byte [LDT_BASE + 8 + 5]
        PCHECK  eax, 0x93, "the LDT descriptor's accessed bit"
        TRY     .c1
.f1:    mov     ax, SEL_LDT_BEYOND
        mov     fs, ax
        ENDTRY
.c1:    CHECK_FAULT 13, SEL_LDT_BEYOND, .f1 + 4, "selector past the LDT limit: #GP(sel)"
        TRY     .c2
.f2:    mov     ax, SEL_DATA32
        lldt    ax
        ENDTRY
.c2:    CHECK_FAULT 13, SEL_DATA32, .f2 + 4, "lldt with a data descriptor: #GP(sel)"
        xor     eax, eax
        lldt    ax                      ; a null LDT
        TRY     .c3
.f3:    mov     ax, SEL_LDT_DATA
        mov     fs, ax
        ENDTRY
.c3:    CHECK_FAULT 13, SEL_LDT_DATA, .f3 + 4, "LDT selector with a null LDTR: #GP(sel)"
        mov     ax, SEL_DATA32
        mov     fs, ax
        ret

; ---------------------------------------------------------------------------------------------
; Unreal mode. Real mode computes base = selector * 16 but keeps using the limit and attributes
; cached in the segment register. Leave protected mode with a 4 GiB data segment still in FS,
; and real-mode code can reach all of memory through FS with 32-bit offsets. (Reloading FS in
; real mode changes only its base.) This is how many BIOSes and DOS extenders copy data above
; 1 MiB.
        bits    16
unreal_mode:
        GROUP   "unreal mode"
        ENTER_PM32
        mov     dword [HIGH_MEMORY], 0x11223344
        mov     dword [HIGH_MEMORY + 8], 0
        ; Leave, but do not give FS a 64 KiB descriptor: it keeps SEL_DATA32's 4 GiB limit.
        jmp     SEL_CODE16:.pm16
        bits    16
.pm16:
        mov     ax, SEL_DATA16
        mov     ds, ax
        mov     es, ax
        mov     gs, ax
        mov     ss, ax
        mov     eax, cr0
        and     eax, ~1
        mov     cr0, eax
        jmp     0xF000:.real
.real:
        xor     ax, ax
        mov     ss, ax
        mov     es, ax
        mov     gs, ax
        mov     fs, ax                  ; real-mode load: base 0, the 4 GiB limit stays
        push    cs
        pop     ds
        lidt    [cs:real_idt_pointer]
        mov     eax, [fs:dword HIGH_MEMORY]
        CHECK32 eax, 0x11223344, "unreal: read at 2 MiB through FS"
        mov     dword [fs:dword HIGH_MEMORY + 8], 0xA5A5F00D
        RM_TRY  .gs_caught
.gs_fault:
        mov     eax, [gs:dword HIGH_MEMORY]     ; GS got a 64 KiB limit: exception 13
        RM_ENDTRY
.gs_caught:
        CHECK_RM_FAULT 13, .gs_fault, "a 64 KiB segment still faults"

        ENTER_PM32
        mov     eax, [HIGH_MEMORY + 8]
        PCHECK  eax, 0xA5A5F00D, "the unreal-mode write reached 2 MiB"
        LEAVE_PM32                      ; this time every segment gets 64 KiB again
        RM_TRY  .fs_caught
.fs_fault:
        mov     eax, [fs:dword HIGH_MEMORY]
        RM_ENDTRY
.fs_caught:
        CHECK_RM_FAULT 13, .fs_fault, "after a normal return FS is 64 KiB again"
        ret

        ROM_END
