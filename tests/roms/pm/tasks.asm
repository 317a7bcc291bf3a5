; tasks.asm - hardware task switching.
;
; The 286 and 386 can switch whole register sets in one instruction. Each task has a task-state
; segment (TSS) holding its registers; a TSS descriptor in the GDT names it, and TR holds the
; current one. A JMP or CALL to a TSS selector (or through a task gate) saves every register into
; the current TSS, loads the new task's, and continues where that task left off:
;
;   JMP    the old task is done with: its busy bit is cleared, the new one's set
;   CALL   a nested task: the new TSS's back link names the old one, EFLAGS.NT is set, and both
;          stay busy; the new task's IRET then returns to the old one (NT=1 means "IRET is a
;          task return")
;   INT/exception through a task gate: like CALL, with the error code pushed on the new stack
;
; Every switch also sets CR0.TS, so an OS can save the FPU state lazily. This ROM switches
; between task A (the ROM's own, SEL_TSS), a 32-bit task B, a 16-bit (286-format) task C and an
; exception-handler task D, and checks busy bits, back links, NT and the saved state.

%define TEST_NAME "tasks"
%include "pm.inc"

TSS_A           equ     TSS_BASE        ; the ROM's own task (pm.inc)
TSS_B           equ     0x2200          ; 32-bit
TSS_C           equ     0x2300          ; 16-bit (286 format, 44 bytes)
TSS_D           equ     0x2400          ; 32-bit, handles #GP through a task gate

SEL_TSS_B       equ     0x40
SEL_TSS_C       equ     0x48
SEL_TSS_D       equ     0x50
SEL_GATE_B      equ     0x58            ; a task gate in the GDT, to task B
SEL_TSS_E       equ     0x60            ; a task whose TSS names a bad DS
TSS_E           equ     0x2500
TE_TR           equ     0x9E80
SEL_BEYOND      equ     0x800           ; past the GDT limit

; What the other tasks saw.
TB_MODE         equ     0x9E00          ; 0: task B JMPs back to A; 1: it IRETs
TB_EAX          equ     0x9E04
TB_ESI          equ     0x9E08
TB_TR           equ     0x9E0C
TB_EFLAGS       equ     0x9E10
TB_LINK         equ     0x9E14
TB_TYPE_A       equ     0x9E18          ; descriptor byte 5 of TSS A and B, as task B saw them
TB_TYPE_B       equ     0x9E1C
TB_CR0          equ     0x9E20
TC_AX           equ     0x9E40          ; words
TC_SP           equ     0x9E42
TC_TR           equ     0x9E44
TC_FLAGS        equ     0x9E46
TC_LINK         equ     0x9E48
TC_ESI_HIGH     equ     0x9E4A
TD_ERR          equ     0x9E60
TD_ESP          equ     0x9E64
TD_LINK         equ     0x9E68
TD_EFLAGS       equ     0x9E6C
TD_A_EIP        equ     0x9E70

TASK_B_STACK    equ     0x9800
TASK_C_STACK    equ     0x9A00
TASK_D_STACK    equ     0x9C00

test_main:
        call    rm_install_vectors
        call    detect_features
        call    pm_build_tables
        ENTER_PM32
        call    pm_load_tr              ; task A: the TSS the ROM runs in
        SET_DESC SEL_TSS_B, TSS_B, 0x67, 0x0089         ; 32-bit TSS, available
        SET_DESC SEL_TSS_C, TSS_C, 0x2B, 0x0081         ; 16-bit TSS, available
        SET_DESC SEL_TSS_D, TSS_D, 0x67, 0x0089
        mov     edi, SEL_GATE_B
        xor     ebx, ebx
        mov     ecx, SEL_TSS_B
        mov     edx, 0x8500             ; present, DPL 0, task gate
        call    set_gate
        call    jmp_switch
        call    call_switch
        call    gate_switch
        call    switch_errors
        call    fault_after_commit
        call    exception_task
        call    sixteen_bit_task
        LEAVE_PM32
        ret

        bits    32

; init_tss_b: task B starts at task_b_entry with known registers (rewritten before every use).
init_tss_b:
        push    edi
        push    ecx
        push    eax
        mov     edi, TSS_B
        mov     ecx, 0x68 / 4
        xor     eax, eax
        rep     stosd
        mov     dword [TSS_B + 0x20], task_b_entry      ; EIP
        mov     dword [TSS_B + 0x24], 0x0002            ; EFLAGS
        mov     dword [TSS_B + 0x28], 0xB0B0A0A0        ; EAX
        mov     dword [TSS_B + 0x38], TASK_B_STACK      ; ESP
        mov     dword [TSS_B + 0x40], 0xB0B05151        ; ESI
        mov     dword [TSS_B + 0x48], SEL_DATA32        ; ES
        mov     dword [TSS_B + 0x4C], SEL_CODE32        ; CS
        mov     dword [TSS_B + 0x50], SEL_DATA32        ; SS
        mov     dword [TSS_B + 0x54], SEL_DATA32        ; DS
        mov     dword [TSS_B + 0x58], SEL_DATA32        ; FS
        mov     dword [TSS_B + 0x5C], SEL_DATA32        ; GS
        mov     word [TSS_B + 0x66], 0x68               ; no I/O bitmap (past the limit)
        pop     eax
        pop     ecx
        pop     edi
        ret

; Task B: record what it finds, then go back by JMP or IRET.
task_b_entry:
        mov     [TB_EAX], eax
        mov     [TB_ESI], esi
        str     ax
        movzx   eax, ax
        mov     [TB_TR], eax
        pushfd
        pop     dword [TB_EFLAGS]
        movzx   eax, word [TSS_B]       ; the back link
        mov     [TB_LINK], eax
        movzx   eax, byte [GDT_BASE + SEL_TSS + 5]
        mov     [TB_TYPE_A], eax
        movzx   eax, byte [GDT_BASE + SEL_TSS_B + 5]
        mov     [TB_TYPE_B], eax
        mov     eax, cr0
        mov     [TB_CR0], eax
        mov     eax, 0xBBBBBBBB         ; task B's own value: saved in B's TSS, not A's
        cmp     dword [TB_MODE], 0
        jne     .by_iret
        jmp     SEL_TSS:0               ; back to A (the offset is ignored)
.after_jmp:
        jmp     task_b_entry            ; (a task resumed later continues here)
.by_iret:
        iretd                           ; NT=1: return to the task in the back link
.after_iret:
        jmp     task_b_entry

; ---------------------------------------------------------------------------------------------
jmp_switch:
        PGROUP  "JMP to a 32-bit TSS and back"
        call    init_tss_b
        mov     dword [TB_MODE], 0
        mov     esi, 0xA0A05151         ; task A's ESI: must come back from A's TSS
        clts
.jmp:   jmp     SEL_TSS_B:0
.back:
        PCHECK  esi, 0xA0A05151, "task A's registers restored"
        PCHECK  [TSS_A + 0x20], .back, "A's TSS: EIP after the JMP"
        PCHECK  [TSS_A + 0x40], 0xA0A05151, "A's TSS: ESI saved"
        PCHECK  [TB_EAX], 0xB0B0A0A0, "task B: EAX loaded from its TSS"
        PCHECK  [TB_ESI], 0xB0B05151, "task B: ESI loaded from its TSS"
        PCHECK  [TB_TR], SEL_TSS_B, "task B: TR"
        mov     eax, [TB_EFLAGS]
        and     eax, F_NT
        PCHECK  eax, 0, "task B: NT clear after a JMP"
        PCHECK  [TB_LINK], 0, "task B: JMP writes no back link"
        PCHECK  [TB_TYPE_A], 0x89, "task B: A's TSS no longer busy (JMP)"
        PCHECK  [TB_TYPE_B], 0x8B, "task B: its own TSS busy"
        mov     eax, [TB_CR0]
        and     eax, 8
        PCHECK  eax, 8, "task B: CR0.TS set by the switch"
        PCHECK  [TSS_B + 0x20], task_b_entry.after_jmp, "B's TSS: EIP after its JMP"
        PCHECK  [TSS_B + 0x28], 0xBBBBBBBB, "B's TSS: EAX saved"
        movzx   eax, byte [GDT_BASE + SEL_TSS + 5]
        PCHECK  eax, 0x8B, "back in A: A busy"
        movzx   eax, byte [GDT_BASE + SEL_TSS_B + 5]
        PCHECK  eax, 0x89, "back in A: B available"
        str     ax
        movzx   eax, ax
        PCHECK  eax, SEL_TSS, "back in A: TR"
        clts
        ret

; ---------------------------------------------------------------------------------------------
call_switch:
        PGROUP  "CALL to a TSS, IRET back (NT and the back link)"
        call    init_tss_b
        mov     dword [TB_MODE], 1
        mov     esi, 0xA1A15151
        call    SEL_TSS_B:0
.back:
        PCHECK  esi, 0xA1A15151, "task A's registers restored"
        PCHECK  [TB_TR], SEL_TSS_B, "task B ran"
        mov     eax, [TB_EFLAGS]
        and     eax, F_NT
        PCHECK  eax, F_NT, "task B: NT set after a CALL"
        PCHECK  [TB_LINK], SEL_TSS, "task B: back link = task A"
        PCHECK  [TB_TYPE_A], 0x8B, "task B: A still busy (CALL)"
        PCHECK  [TB_TYPE_B], 0x8B, "task B: B busy"
        PCHECK  [TSS_B + 0x20], task_b_entry.after_iret, "B's TSS: EIP after its IRET"
        mov     eax, [TSS_B + 0x24]
        and     eax, F_NT
        PCHECK  eax, 0, "B's saved EFLAGS: IRET cleared NT"
        movzx   eax, byte [GDT_BASE + SEL_TSS_B + 5]
        PCHECK  eax, 0x89, "after IRET: B available"
        movzx   eax, byte [GDT_BASE + SEL_TSS + 5]
        PCHECK  eax, 0x8B, "after IRET: A busy"
        pushfd
        pop     eax
        and     eax, F_NT
        PCHECK  eax, 0, "back in A: NT clear"
        clts
        ret

; A task gate holds a TSS selector; jumping through it is a task switch to that TSS.
gate_switch:
        PGROUP  "JMP through a task gate"
        call    init_tss_b
        mov     dword [TB_MODE], 0
        mov     dword [TB_TR], 0
        jmp     SEL_GATE_B:0
        PCHECK  [TB_TR], SEL_TSS_B, "the task gate led to task B"
        PCHECK  [TB_EAX], 0xB0B0A0A0, "task B started from its TSS"
        clts
        ret

; ---------------------------------------------------------------------------------------------
switch_errors:
        PGROUP  "task switch errors"
        TRY     .c1
.f1:    call    SEL_TSS:0               ; A is busy: it is running
        ENDTRY
.c1:    CHECK_FAULT 13, SEL_TSS, .f1, "call to a busy TSS: #GP(sel)"
        ; IRET with NT=1 returns to the back link, which must be a busy TSS.
        mov     word [TSS_A], SEL_TSS_B ; B is available, not a task that called us
        pushfd
        or      dword [esp], F_NT
        popfd
        TRY     .c2
.f2:    iretd
        ENDTRY
.c2:    CHECK_FAULT 10, SEL_TSS_B, .f2, "IRET (NT) to an available TSS: #TS(link)"
        mov     word [TSS_A], 0
        pushfd
        pop     eax
        and     eax, F_NT
        PCHECK  eax, 0, "the #GP/#TS delivery cleared NT"
        ret

; ---------------------------------------------------------------------------------------------
; Some TSS errors are found only after the switch has committed: the new task's registers are
; loaded (its segment registers without further checks), and the exception is raised in the new
; task, with CS:EIP at the new task's first instruction (SDM Vol. 3, Interrupt 10, "Saved
; Instruction Pointer").
fault_after_commit:
        PGROUP  "#TS after the commit point: raised in the new task"
        mov     edi, TSS_E
        mov     ecx, 0x68 / 4
        xor     eax, eax
        rep     stosd
        mov     dword [TSS_E + 0x20], task_e_entry
        mov     dword [TSS_E + 0x24], 0x0002
        mov     dword [TSS_E + 0x38], 0x9600
        mov     dword [TSS_E + 0x48], SEL_DATA32
        mov     dword [TSS_E + 0x4C], SEL_CODE32
        mov     dword [TSS_E + 0x50], SEL_DATA32
        mov     dword [TSS_E + 0x54], SEL_BEYOND        ; DS: past the GDT limit
        mov     word [TSS_E + 0x66], 0x68
        SET_DESC SEL_TSS_E, TSS_E, 0x67, 0x0089
        TRY     .in_task_e
.jmp:   jmp     SEL_TSS_E:0
.a_back:                                ; task A continues here when task E jumps back
        jmp     .checks
.in_task_e:                             ; the catcher, running in task E's context
        str     ax
        movzx   eax, ax
        mov     [TE_TR], eax
        jmp     SEL_TSS:0               ; back to task A, at .a_back
.checks:
        CHECK_FAULT 10, SEL_BEYOND, task_e_entry, "bad DS in the new TSS: #TS(sel) at the new task's EIP"
        PCHECK  [TE_TR], SEL_TSS_E, "the #TS was handled in the new task"
        PCHECK  [TSS_A + 0x20], .a_back, "A's TSS: EIP after its JMP (the old task was saved)"
        movzx   eax, byte [GDT_BASE + SEL_TSS_E + 5]
        PCHECK  eax, 0x89, "task E available again"
        clts
        ret

task_e_entry:
        PFAIL   "task E ran with a bad DS"
        jmp     SEL_TSS:0

; ---------------------------------------------------------------------------------------------
; An IDT task gate makes the exception handler a task: the CPU switches to it like a CALL (NT,
; back link) and pushes the error code on the new task's stack. The handler task ends with IRET
; and starts over at its entry the next time (its EIP is saved after the IRET).
exception_task:
        PGROUP  "#GP handled by a task (task gate in the IDT)"
        mov     edi, TSS_D
        mov     ecx, 0x68 / 4
        xor     eax, eax
        rep     stosd
        mov     dword [TSS_D + 0x20], task_d_entry
        mov     dword [TSS_D + 0x24], 0x0002
        mov     dword [TSS_D + 0x38], TASK_D_STACK
        mov     dword [TSS_D + 0x48], SEL_DATA32
        mov     dword [TSS_D + 0x4C], SEL_CODE32
        mov     dword [TSS_D + 0x50], SEL_DATA32
        mov     dword [TSS_D + 0x54], SEL_DATA32
        mov     word [TSS_D + 0x66], 0x68
        mov     eax, 13
        xor     ebx, ebx
        mov     ecx, SEL_TSS_D
        mov     edx, 0x8500             ; task gate
        xor     edi, edi
        call    set_gate
.fault: mov     ax, SEL_BEYOND
        mov     ds, ax                  ; #GP(800h): to task D
        PFAIL   "the faulting instruction was not skipped"
exception_task_resume:                  ; task D sends us here
        SET_IDT_GATE 13, pm_stub_13, 0x8E00
        PCHECK  [TD_ERR], SEL_BEYOND, "task D: the error code on its stack"
        PCHECK  [TD_ESP], TASK_D_STACK, "task D: ESP after popping it"
        PCHECK  [TD_LINK], SEL_TSS, "task D: back link = task A"
        mov     eax, [TD_EFLAGS]
        and     eax, F_NT
        PCHECK  eax, F_NT, "task D: NT set"
        PCHECK  [TD_A_EIP], exception_task.fault + 4, "A's TSS: EIP of the faulting instruction"
        movzx   eax, byte [GDT_BASE + SEL_TSS_D + 5]
        PCHECK  eax, 0x89, "task D available again"
        clts
        ret

task_d_entry:
        pop     eax
        mov     [TD_ERR], eax
        mov     [TD_ESP], esp
        movzx   eax, word [TSS_D]
        mov     [TD_LINK], eax
        pushfd
        pop     dword [TD_EFLAGS]
        mov     eax, [TSS_A + 0x20]
        mov     [TD_A_EIP], eax
        mov     dword [TSS_A + 0x20], exception_task_resume     ; skip the fault
        iretd
        jmp     task_d_entry

; ---------------------------------------------------------------------------------------------
; A 16-bit TSS (the 286 format): 16-bit registers, no FS, GS or CR3. A 32-bit task may call it;
; the high halves of the general registers are not part of a 16-bit task's state.
sixteen_bit_task:
        PGROUP  "CALL to a 16-bit TSS"
        mov     edi, TSS_C
        mov     ecx, 0x2C / 4
        xor     eax, eax
        rep     stosd
        mov     word [TSS_C + 0x0E], task_c_entry       ; IP
        mov     word [TSS_C + 0x10], 0x0002             ; FLAGS
        mov     word [TSS_C + 0x12], 0xC0A0             ; AX
        mov     word [TSS_C + 0x1A], TASK_C_STACK       ; SP
        mov     word [TSS_C + 0x22], SEL_DATA16         ; ES
        mov     word [TSS_C + 0x24], SEL_CODE16         ; CS
        mov     word [TSS_C + 0x26], SEL_DATA16         ; SS
        mov     word [TSS_C + 0x28], SEL_DATA16         ; DS
        mov     esi, 0xA2A25151
        call    SEL_TSS_C:0
        PCHECK  esi, 0xA2A25151, "task A's registers restored, high halves too"
        movzx   eax, word [TC_AX]
        PCHECK  eax, 0xC0A0, "task C: AX from its TSS"
        movzx   eax, word [TC_SP]
        PCHECK  eax, TASK_C_STACK, "task C: SP from its TSS"
        movzx   eax, word [TC_TR]
        PCHECK  eax, SEL_TSS_C, "task C: TR"
        movzx   eax, word [TC_FLAGS]
        and     eax, F_NT
        PCHECK  eax, F_NT, "task C: NT set"
        movzx   eax, word [TC_LINK]
        PCHECK  eax, SEL_TSS, "task C: back link"
        movzx   eax, word [TSS_C + 0x0E]
        PCHECK  eax, task_c_entry.after_iret, "C's TSS: IP after its IRET"
        movzx   eax, word [TSS_C + 0x12]
        PCHECK  eax, 0xCCCC, "C's TSS: AX saved"
        movzx   eax, byte [GDT_BASE + SEL_TSS_C + 5]
        PCHECK  eax, 0x81, "after IRET: C available (16-bit TSS, type 1)"
        clts
        ret

        bits    16
task_c_entry:                           ; 16-bit code, DS = SEL_DATA16
        mov     [TC_AX], ax
        mov     [TC_SP], sp
        str     ax
        mov     [TC_TR], ax
        pushf
        pop     ax
        mov     [TC_FLAGS], ax
        mov     ax, [TSS_C]
        mov     [TC_LINK], ax
        mov     ax, 0xCCCC
        iret                            ; NT=1: back to task A
.after_iret:
        jmp     task_c_entry

        ROM_END
