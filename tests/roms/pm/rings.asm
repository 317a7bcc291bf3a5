; rings.asm - privilege levels: ring 3, gates, and the instructions that inspect descriptors.
;
; Every segment has a descriptor privilege level (DPL, 0 most privileged .. 3), and the CPU runs
; at a current privilege level (CPL, the RPL of CS). Code at CPL 3 may not touch DPL-0 data,
; run privileged instructions (CLI, HLT, LGDT, MOV CRn...), or do I/O beyond what IOPL and the
; TSS's I/O bitmap allow. To get to a more privileged level it must go through a gate the OS
; set up: a call gate (CALL FAR) or an interrupt/trap gate (INT n), both of which switch to the
; inner ring's stack named in the TSS. IRET and RETF go back out.
;
; This ROM drops to ring 3 with IRET, tries what ring 3 may not do, comes back through gates, and
; checks LAR, LSL, VERR, VERW and ARPL at both levels. Ring 3 cannot print (port E9h is its I/O),
; so it stores what it sees and ring 0 checks it afterwards.

%define TEST_NAME "rings"
%include "pm.inc"

SCRATCH         equ     0x9000
R3              equ     0x9E00          ; what ring 3 saw, one dword each:
R3_CS           equ     R3 + 0x00
R3_DS           equ     R3 + 0x04
R3_ESP          equ     R3 + 0x08
R3_EFLAGS       equ     R3 + 0x0C
R3_LAR          equ     R3 + 0x10
R3_LAR_ZF       equ     R3 + 0x14
R3_VERR_DPL0    equ     R3 + 0x18
R3_VERR_DPL3    equ     R3 + 0x1C
R3_LAR_CONF     equ     R3 + 0x20
R3_CONF_CS      equ     R3 + 0x24
R3_EFLAGS2      equ     R3 + 0x28
R3_OUT_OK       equ     R3 + 0x2C
R0              equ     0x9E80          ; what ring-0 handlers saw
R0_ESP          equ     R0 + 0x00
R0_SS           equ     R0 + 0x04
R0_FRAME        equ     R0 + 0x08       ; six dwords from the handler's stack

; Descriptors this ROM adds.
SEL_CALLGATE    equ     0x40            ; call gate, DPL 3, to callgate_target, 2 parameters
SEL_GATE_DPL0   equ     0x48            ; call gate, DPL 0
SEL_CONFORMING  equ     0x50            ; conforming code, DPL 0
SEL_CODE_XO     equ     0x58            ; execute-only code
SEL_DATA_RO     equ     0x60            ; read-only data

VEC_R3_INT      equ     0x80            ; DPL-3 interrupt gate: a "system call"
VEC_R3_EXIT     equ     0x81            ; DPL-3 gate to the catcher: ring 3's way home
VEC_DPL0        equ     0x82            ; DPL-0 gate: INT from ring 3 is #GP
VEC_R1          equ     0x83            ; DPL-3 gate into ring-1 code: uses TSS.SS1:ESP1

SEL_CODE32_R1   equ     0x68            ; 32-bit code, DPL 1
SEL_STACK_R1    equ     0x70            ; data, DPL 1, limit FFFh: a small ring-1 stack
SEL_GATE_R1     equ     0x78            ; call gate, DPL 3, into ring-1 code
R1              equ     0x9EC0          ; what the ring-1 handler saw
R1_CS           equ     R1 + 0x00
R1_SS           equ     R1 + 0x04
R1_ESP          equ     R1 + 0x08
SYS             equ     0x9EE0          ; what SYSENTER's handler and SYSEXIT's target saw
SYS_CS          equ     SYS + 0x00
SYS_SS          equ     SYS + 0x04
SYS_ESP         equ     SYS + 0x08
SYS_R3_CS       equ     SYS + 0x0C
SYS_R3_ESP      equ     SYS + 0x10
SEL_SYS_CS      equ     0x80            ; SYSENTER_CS: CS, then SS, user CS, user SS follow it
SYSENTER_STACK  equ     0x6800

test_main:
        call    rm_install_vectors
        call    detect_features
        call    real_mode_ud
        call    pm_build_tables
        ENTER_PM32
        call    pm_load_tr              ; ring transitions need a TSS: it names the ring-0 stack
        call    setup
        call    iret_to_ring3
        call    ring3_forbidden
        call    iopl3
        call    int_gates
        call    call_gates
        call    inner_stack_checks
        call    alignment_check
        call    time_stamp_disable
        call    sysenter_sysexit
        call    descriptor_queries
        call    ring3_queries
        LEAVE_PM32
        ret

; ---------------------------------------------------------------------------------------------
; The protected-mode-only instructions do not exist in real mode: #UD.
        bits    16
real_mode_ud:
        GROUP   "LAR LSL VERR ARPL STR in real mode: #UD"
        RM_TRY  .c1
.f1:    lar     ax, bx
        RM_ENDTRY
.c1:    CHECK_RM_FAULT 6, .f1, "lar in real mode"
        RM_TRY  .c2
.f2:    arpl    ax, bx
        RM_ENDTRY
.c2:    CHECK_RM_FAULT 6, .f2, "arpl in real mode"
        RM_TRY  .c3
.f3:    verr    ax
        RM_ENDTRY
.c3:    CHECK_RM_FAULT 6, .f3, "verr in real mode"
        RM_TRY  .c4
.f4:    str     ax
        RM_ENDTRY
.c4:    CHECK_RM_FAULT 6, .f4, "str in real mode"
        ret

        bits    32
setup:
        ; Call gates live in the GDT: selector, offset, and how many parameters to copy from the
        ; caller's stack to the new one (EDI = the gate's selector for set_gate).
        mov     edi, SEL_CALLGATE
        mov     ebx, callgate_target
        mov     ecx, SEL_CODE32
        mov     edx, 0xEC02             ; present, DPL 3, 32-bit call gate, 2 dword parameters
        call    set_gate
        mov     edi, SEL_GATE_DPL0
        mov     edx, 0x8C00             ; DPL 0: ring 3 may not use it
        call    set_gate
        SET_DESC SEL_CONFORMING, ROM_BASE, 0xFFFF, 0x409E  ; conforming, readable, DPL 0
        SET_DESC SEL_CODE_XO, ROM_BASE, 0xFFFF, 0x4098
        SET_DESC SEL_DATA_RO, 0, 0xFFFFF, 0xC090
        SET_IDT_GATE VEC_R3_INT, r3_int_handler, 0xEE00    ; DPL 3 interrupt gate
        SET_IDT_GATE VEC_R3_EXIT, r3_exit_stub, 0xEE00
        SET_IDT_GATE VEC_DPL0, r3_int_handler, 0x8E00      ; DPL 0
        SET_DESC SEL_CODE32_R1, ROM_BASE, 0xFFFF, 0x40BA   ; code, DPL 1
        SET_DESC SEL_STACK_R1, 0, 0xFFF, 0x40B2            ; data, DPL 1, 4 KiB
        mov     eax, VEC_R1
        mov     ebx, r1_handler
        mov     ecx, SEL_CODE32_R1
        mov     edx, 0xEE00
        xor     edi, edi
        call    set_gate
        mov     edi, SEL_GATE_R1
        mov     edx, 0xEC00             ; call gate, DPL 3, no parameters
        call    set_gate
        ret

; The way back from ring 3: a DPL-3 gate into the catcher, which resumes ring 0 after TRY.
r3_exit_stub:
        push    dword NO_ERROR_CODE
        push    dword VEC_R3_EXIT
        jmp     pm_fault_common

; ---------------------------------------------------------------------------------------------
; Down to ring 3. IRET pops EIP, CS, EFLAGS; since the new CS has RPL 3 it also pops ESP and SS.
; Data segment registers whose DPL the new CPL may not use are cleared to null on the way.
iret_to_ring3:
        PGROUP  "IRET to ring 3"
        TRY     .back
        IRET_TO_RING3 .ring3, 0x0002
.ring3:                                 ; CPL 3 from here
        mov     ax, cs
        movzx   eax, ax
        mov     [ss:R3_CS], eax
        mov     ax, ds
        movzx   eax, ax
        mov     [ss:R3_DS], eax         ; SEL_DATA32 is DPL 0: IRET nulled DS
        mov     [ss:R3_ESP], esp
        int     VEC_R3_EXIT
.back:
        PCHECK  [FAULT_VEC], VEC_R3_EXIT, "ring 3 came back through its gate"
        PCHECK  [R3_CS], SEL_CODE32_R3 | 3, "ring 3: CS = code32_r3 | RPL 3"
        PCHECK  [R3_DS], 0, "ring 3: DS (a DPL-0 segment) was nulled by IRET"
        PCHECK  [R3_ESP], RING3_STACK_TOP, "ring 3: ESP from the IRET frame"
        PCHECK  [FAULT_CS], SEL_CODE32_R3 | 3, "the gate pushed ring 3's CS"
        PCHECK  [FAULT_SS], SEL_DATA32_R3 | 3, "the gate switched stacks: pushed ring 3's SS"
        PCHECK  [FAULT_ESP], RING3_STACK_TOP, "... and ring 3's ESP"
        ret

; ---------------------------------------------------------------------------------------------
; At CPL 3 with IOPL 0: CLI, HLT, privileged instructions, DPL-0 segments, and I/O to ports the
; bitmap forbids all raise #GP. POPF quietly ignores IF and IOPL.
%macro RING3_GP 3      ; label prefix, instruction(s), name
        TRY     %%back
        IRET_TO_RING3 %%r3, 0x0002
%%r3:
%1:     %2
        int     VEC_R3_EXIT
%%back:
        CHECK_FAULT 13, 0, %1, %3
%endmacro

ring3_forbidden:
        PGROUP  "ring 3 may not"
        RING3_GP .cli, cli, "cli at CPL 3, IOPL 0: #GP(0)"
        RING3_GP .hlt, hlt, "hlt at CPL 3: #GP(0)"
        RING3_GP .lgdt, {lgdt [ss:SCRATCH]}, "lgdt at CPL 3: #GP(0)"
        RING3_GP .cr0, {mov eax, cr0}, "mov eax, cr0 at CPL 3: #GP(0)"
        RING3_GP .ltr, {ltr ax}, "ltr at CPL 3: #GP(0)"

        ; I/O at CPL 3 > IOPL is decided by the TSS I/O bitmap: a clear bit allows the port.
        mov     dword [R3_OUT_OK], 0
        TRY     .out_back
        IRET_TO_RING3 .out_r3, 0x0002
.out_r3:
        mov     al, 0x33
        out     POST_CODE, al           ; bit 80h of the bitmap is clear
        mov     dword [ss:R3_OUT_OK], 1
        int     VEC_R3_EXIT
.out_back:
        PCHECK  [R3_OUT_OK], 1, "out 80h allowed by the I/O bitmap"
        bts     dword [TSS_BASE + TSS_IOMAP + 0x80 / 8], 0x80 % 8   ; forbid port 80h
        RING3_GP .in, {in al, POST_CODE}, "in from a port the bitmap forbids: #GP(0)"
        RING3_GP .out, {out POST_CODE, al}, "out to a port the bitmap forbids: #GP(0)"
        btr     dword [TSS_BASE + TSS_IOMAP + 0x80 / 8], 0x80 % 8

        ; Segment loads: a DPL-0 data segment, or SS with a null or DPL-0 selector.
        TRY     .ds_back
        IRET_TO_RING3 .ds_r3, 0x0002
.ds_r3:
.ds:    mov     ax, SEL_DATA32 | 3
        mov     ds, ax
        int     VEC_R3_EXIT
.ds_back:
        CHECK_FAULT 13, SEL_DATA32, .ds + 4, "ring 3 loads a DPL-0 data segment: #GP(sel)"
        TRY     .ss_back
        IRET_TO_RING3 .ss_r3, 0x0002
.ss_r3:
.ss:    xor     eax, eax
        mov     ss, ax
        int     VEC_R3_EXIT
.ss_back:
        CHECK_FAULT 13, 0, .ss + 2, "ring 3 loads a null SS: #GP(0)"
        TRY     .es_back
        IRET_TO_RING3 .es_r3, 0x0002
.es_r3:
        xor     eax, eax
        mov     es, ax                  ; allowed: null in ES...
.es:    stosb                           ; ...until it is used
        int     VEC_R3_EXIT
.es_back:
        CHECK_FAULT 13, 0, .es, "stosb through a null ES: #GP(0)"

        ; RETF may only return outward: a ring-0 CS from ring 3 is #GP(selector).
        TRY     .rf_back
        IRET_TO_RING3 .rf_r3, 0x0002
.rf_r3:
        push    dword SEL_CODE32
        push    dword .rf
.rf:    retf
        int     VEC_R3_EXIT
.rf_back:
        CHECK_FAULT 13, SEL_CODE32, .rf, "retf to ring 0 from ring 3: #GP(sel)"
        TRY     .jmp_back
        IRET_TO_RING3 .jmp_r3, 0x0002
.jmp_r3:
.jmp:   jmp     SEL_CODE32:.jmp_r3      ; a non-conforming DPL-0 segment
        int     VEC_R3_EXIT
.jmp_back:
        CHECK_FAULT 13, SEL_CODE32, .jmp, "jmp far to DPL-0 code from ring 3: #GP(sel)"

        ; POPFD at CPL 3 cannot change IOPL, nor IF when CPL > IOPL. No fault: it is ignored.
        TRY     .pf_back
        IRET_TO_RING3 .pf_r3, 0x0002
.pf_r3:
        push    dword 0x3202            ; IOPL 3, IF
        popfd
        pushfd
        pop     dword [ss:R3_EFLAGS]
        int     VEC_R3_EXIT
.pf_back:
        PCHECK  [FAULT_VEC], VEC_R3_EXIT, "popfd at CPL 3 does not fault"
        mov     eax, [R3_EFLAGS]
        and     eax, F_IOPL3 | F_IF
        PCHECK  eax, 0, "popfd at CPL 3 leaves IOPL and IF"
        ret

; With IOPL 3, ring 3 may use CLI/STI and every I/O port; still not HLT (CPL 0 only).
iopl3:
        PGROUP  "IOPL 3"
        bts     dword [TSS_BASE + TSS_IOMAP + 0x80 / 8], 0x80 % 8   ; the bitmap forbids 80h
        TRY     .back
        IRET_TO_RING3 .r3, 0x3002
.r3:
        cli
        in      al, POST_CODE           ; CPL <= IOPL: the bitmap is not consulted
        push    dword 0x3202
        popfd                           ; IF may change now
        pushfd
        pop     dword [ss:R3_EFLAGS2]
        cli
.hlt:   hlt
        int     VEC_R3_EXIT
.back:
        btr     dword [TSS_BASE + TSS_IOMAP + 0x80 / 8], 0x80 % 8
        CHECK_FAULT 13, 0, .hlt, "IOPL 3: cli and in run, hlt is still #GP(0)"
        mov     eax, [R3_EFLAGS2]
        and     eax, F_IOPL3 | F_IF
        PCHECK  eax, F_IOPL3 | F_IF, "IOPL 3: popfd sets IF"
        ret

; ---------------------------------------------------------------------------------------------
; INT n from ring 3 through a DPL-3 gate: the CPU loads SS:ESP for ring 0 from the TSS (SS0,
; ESP0), pushes ring 3's SS, ESP, EFLAGS, CS and EIP there, and runs the handler at CPL 0.
; IRET pops it all and returns to ring 3. A gate with DPL 0 is #GP(vector*8+2) from ring 3.
int_gates:
        PGROUP  "INT from ring 3: stack switch through the TSS"
        TRY     .back
        IRET_TO_RING3 .r3, 0x0002
.r3:
        mov     esi, 0x51515151
        int     VEC_R3_INT
.after:
        mov     [ss:R3_ESP], esp        ; IRET brought ring 3's ESP back
        mov     ax, cs
        movzx   eax, ax
        mov     [ss:R3_CS], eax
        mov     [ss:R3_DS], esi
        int     VEC_R3_EXIT
.back:
        PCHECK  [FAULT_VEC], VEC_R3_EXIT, "back from ring 3"
        PCHECK  [R0_SS], SEL_DATA32, "handler: SS = TSS.SS0"
        PCHECK  [R0_ESP], RING0_STACK_TOP - 20, "handler: ESP = TSS.ESP0 - 5 dwords"
        PCHECK  [R0_FRAME], .after, "frame: EIP after the INT"
        PCHECK  [R0_FRAME + 4], SEL_CODE32_R3 | 3, "frame: CS"
        PCHECK  [R0_FRAME + 12], RING3_STACK_TOP, "frame: ring 3's ESP"
        PCHECK  [R0_FRAME + 16], SEL_DATA32_R3 | 3, "frame: ring 3's SS"
        PCHECK  [R3_ESP], RING3_STACK_TOP, "IRET restored ring 3's ESP"
        PCHECK  [R3_CS], SEL_CODE32_R3 | 3, "IRET returned to CPL 3"
        PCHECK  [R3_DS], 0x51515151, "registers survive the round trip"

        TRY     .dpl0_back
        IRET_TO_RING3 .dpl0_r3, 0x0002
.dpl0_r3:
.dpl0:  int     VEC_DPL0
        int     VEC_R3_EXIT
.dpl0_back:
        CHECK_FAULT 13, VEC_DPL0 * 8 + 2, .dpl0, "int through a DPL-0 gate from ring 3"
        ret

r3_int_handler:
        mov     [ss:R0_ESP], esp
        push    eax
        mov     ax, ss
        movzx   eax, ax
        mov     [ss:R0_SS], eax
        mov     eax, [esp + 4]
        mov     [ss:R0_FRAME], eax
        movzx   eax, word [esp + 8]
        mov     [ss:R0_FRAME + 4], eax
        mov     eax, [esp + 12]
        mov     [ss:R0_FRAME + 8], eax
        mov     eax, [esp + 16]
        mov     [ss:R0_FRAME + 12], eax
        movzx   eax, word [esp + 20]
        mov     [ss:R0_FRAME + 16], eax
        pop     eax
        iretd

; ---------------------------------------------------------------------------------------------
; CALL FAR through a call gate: from ring 3 into ring 0 code. The CPU switches to the ring-0
; stack from the TSS and copies the gate's parameter count of dwords from the caller's stack,
; so the procedure finds them where a near call would have left them. RETF n returns to ring 3,
; dropping n bytes of parameters from both stacks.
call_gates:
        PGROUP  "call gate from ring 3 with parameters"
        TRY     .back
        IRET_TO_RING3 .r3, 0x0002
.r3:
        push    dword 0x11111111        ; the first parameter
        push    dword 0x22222222        ; the second (at the lower address)
        call    SEL_CALLGATE | 3:0      ; the offset is ignored: the gate has it
.after:
        mov     [ss:R3_ESP], esp
        mov     ax, ds
        movzx   eax, ax
        mov     [ss:R3_DS], eax
        mov     ax, cs
        movzx   eax, ax
        mov     [ss:R3_CS], eax
        ; A conforming code segment runs at the caller's CPL, whatever its DPL: no gate needed.
        call    SEL_CONFORMING:conforming_target
        int     VEC_R3_EXIT
.back:
        PCHECK  [FAULT_VEC], VEC_R3_EXIT, "back from ring 3"
        PCHECK  [R0_SS], SEL_DATA32, "gate: SS = TSS.SS0"
        PCHECK  [R0_ESP], RING0_STACK_TOP - 24, "gate: ESP = ESP0 - 6 dwords"
        PCHECK  [R0_FRAME], .after, "gate frame: return EIP"
        PCHECK  [R0_FRAME + 4], SEL_CODE32_R3 | 3, "gate frame: return CS"
        PCHECK  [R0_FRAME + 8], 0x22222222, "gate frame: parameter at the lower address"
        PCHECK  [R0_FRAME + 12], 0x11111111, "gate frame: the other parameter"
        PCHECK  [R0_FRAME + 16], RING3_STACK_TOP - 8, "gate frame: ring 3's ESP"
        PCHECK  [R0_FRAME + 20], SEL_DATA32_R3 | 3, "gate frame: ring 3's SS"
        PCHECK  [R0_FRAME + 24], SEL_CODE32, "in the procedure CS = the gate's selector"
        PCHECK  [R3_ESP], RING3_STACK_TOP, "retf 8 dropped the parameters from ring 3's stack"
        PCHECK  [R3_CS], SEL_CODE32_R3 | 3, "retf returned to CPL 3"
        PCHECK  [R3_DS], 0, "retf to ring 3 nulled the DPL-0 DS"
        PCHECK  [R3_CONF_CS], SEL_CONFORMING | 3, "conforming code runs at CPL 3"

        TRY     .dpl0_back
        IRET_TO_RING3 .dpl0_r3, 0x0002
.dpl0_r3:
.dpl0:  call    SEL_GATE_DPL0 | 3:0
        int     VEC_R3_EXIT
.dpl0_back:
        CHECK_FAULT 13, SEL_GATE_DPL0, .dpl0, "call through a DPL-0 gate from ring 3: #GP(gate)"
        ret

callgate_target:                        ; CPL 0, on the TSS's ring-0 stack
        mov     [ss:R0_ESP], esp
        push    eax
        push    ecx
        mov     ax, ss
        movzx   eax, ax
        mov     [ss:R0_SS], eax
        xor     ecx, ecx
.copy:
        mov     eax, [esp + 8 + ecx * 4]
        mov     [ss:R0_FRAME + ecx * 4], eax
        inc     ecx
        cmp     ecx, 6
        jb      .copy
        and     dword [ss:R0_FRAME + 4], 0xFFFF
        and     dword [ss:R0_FRAME + 20], 0xFFFF
        mov     ax, cs
        movzx   eax, ax
        mov     [ss:R0_FRAME + 24], eax
        mov     ax, SEL_DATA32          ; leave a DPL-0 selector in DS for RETF to clear
        mov     ds, ax
        pop     ecx
        pop     eax
        retf    8

conforming_target:
        push    eax
        mov     ax, cs
        movzx   eax, ax
        mov     [ss:R3_CONF_CS], eax
        pop     eax
        retf

; ---------------------------------------------------------------------------------------------
; LAR loads a descriptor's access rights (bytes 5 and 6, masked with 00F0FF00h), LSL its limit in
; bytes (granularity applied); both set ZF when the selector is valid and visible at this CPL and
; RPL, else clear ZF and leave the register. VERR/VERW answer "readable?" / "writable?" in ZF.
; ARPL raises a selector's RPL to another's (how an OS stops a caller passing a selector more
; privileged than itself).
%macro ZF_TO 1          ; store ZF (0/1) in a dword
        setz    byte [%1]
        and     dword [%1], 1
%endmacro

descriptor_queries:
        PGROUP  "LAR LSL VERR VERW ARPL at CPL 0"
        mov     ecx, 0x55555555
        mov     ax, SEL_CODE32
        lar     ecx, ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 1, "lar code32: ZF=1"
        PCHECK  ecx, 0x00409B00, "lar code32: D, P, DPL 0, code readable accessed"
        mov     ax, SEL_DATA32
        lsl     ecx, ax
        PCHECK  ecx, 0xFFFFFFFF, "lsl data32: 4 GiB (G=1)"
        mov     ax, SEL_CODE32
        lsl     ecx, ax
        PCHECK  ecx, 0xFFFF, "lsl code32"
        mov     ax, SEL_TSS
        lar     ecx, ax
        PCHECK  ecx, 0x00008B00, "lar on the busy 32-bit TSS"
        lsl     ecx, ax
        PCHECK  ecx, TSS_LIMIT, "lsl on the TSS"
        mov     ax, SEL_CALLGATE
        lar     ecx, ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 1, "lar on a call gate: valid"
        PCHECK  ecx, 0x0000EC00, "lar on a call gate: P, DPL 3, type Ch"
        mov     ecx, 0x77
        lsl     ecx, ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 0, "lsl on a call gate: not valid (gates have no limit)"
        PCHECK  ecx, 0x77, "lsl failing leaves the register"
        xor     eax, eax
        lar     ecx, ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 0, "lar on the null selector: ZF=0"
        mov     ax, 0x7F8 + 8           ; past the GDT limit
        lsl     ecx, ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 0, "lsl past the GDT limit: ZF=0"

        mov     ax, SEL_CODE32
        verr    ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 1, "verr readable code"
        mov     ax, SEL_CODE_XO
        verr    ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 0, "verr execute-only code"
        verw    ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 0, "verw code"
        mov     ax, SEL_DATA_RO
        verr    ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 1, "verr read-only data"
        verw    ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 0, "verw read-only data"
        mov     ax, SEL_DATA32
        verw    ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 1, "verw writable data"
        mov     ax, SEL_DATA32 | 3      ; RPL 3 > DPL 0: not visible
        verw    ax
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 0, "verw with RPL 3 on a DPL-0 segment"

        mov     ax, SEL_DATA32          ; RPL 0
        mov     bx, SEL_CODE32_R3 | 3   ; RPL 3
        arpl    ax, bx
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 1, "arpl raised the RPL: ZF=1"
        movzx   eax, ax
        PCHECK  eax, SEL_DATA32 | 3, "arpl result"
        arpl    ax, bx
        ZF_TO   SCRATCH
        PCHECK  [SCRATCH], 0, "arpl with the RPL already high: ZF=0"
        mov     word [SCRATCH + 4], SEL_DATA32 | 1
        arpl    [SCRATCH + 4], bx
        movzx   eax, word [SCRATCH + 4]
        PCHECK  eax, SEL_DATA32 | 3, "arpl on memory"
        ret

; The same questions asked at CPL 3 see less: DPL-0 segments are invisible, except conforming
; code.
ring3_queries:
        PGROUP  "LAR VERR at CPL 3"
        TRY     .back
        IRET_TO_RING3 .r3, 0x0002
.r3:
        mov     ax, SEL_DATA32
        mov     ecx, 0x66
        lar     ecx, ax
        mov     [ss:R3_LAR], ecx
        setz    byte [ss:R3_LAR_ZF]
        verr    ax
        setz    byte [ss:R3_VERR_DPL0]
        mov     ax, SEL_DATA32_R3 | 3
        verr    ax
        setz    byte [ss:R3_VERR_DPL3]
        mov     ax, SEL_CONFORMING
        lar     ecx, ax
        setz    byte [ss:R3_LAR_CONF]
        int     VEC_R3_EXIT
.back:
        PCHECK  [FAULT_VEC], VEC_R3_EXIT, "back from ring 3"
        movzx   eax, byte [R3_LAR_ZF]
        PCHECK  eax, 0, "ring 3: lar on DPL-0 data: ZF=0"
        PCHECK  [R3_LAR], 0x66, "ring 3: lar left the register"
        movzx   eax, byte [R3_VERR_DPL0]
        PCHECK  eax, 0, "ring 3: verr on DPL-0 data: ZF=0"
        movzx   eax, byte [R3_VERR_DPL3]
        PCHECK  eax, 1, "ring 3: verr on DPL-3 data: ZF=1"
        movzx   eax, byte [R3_LAR_CONF]
        PCHECK  eax, 1, "ring 3: lar on DPL-0 conforming code: ZF=1"
        ret

; ---------------------------------------------------------------------------------------------
; The inner stack comes from the TSS (SS1:ESP1 for ring 1 here), and is checked before anything
; is pushed: a null SS is #TS(0), an SS whose RPL is not the new CPL #TS(SS), and a stack without
; room for the whole frame #SS(SS) - all raised at the INT or CALL, in the old context.
inner_stack_checks:
        PGROUP  "the inner stack from the TSS: #TS and #SS"
        mov     dword [TSS_BASE + 0x10], SEL_STACK_R1 | 1
        mov     dword [TSS_BASE + 0x0C], 0xF00
        TRY     .ok_back
        IRET_TO_RING3 .ok_r3, 0x0002
.ok_r3:
        int     VEC_R1                  ; to ring 1 and back
        int     VEC_R3_EXIT
.ok_back:
        PCHECK  [FAULT_VEC], VEC_R3_EXIT, "INT into ring 1 and IRET back"
        PCHECK  [R1_CS], SEL_CODE32_R1 | 1, "ring-1 handler: CS with RPL 1"
        PCHECK  [R1_SS], SEL_STACK_R1 | 1, "ring-1 handler: SS = TSS.SS1"
        PCHECK  [R1_ESP], 0xF00 - 20, "ring-1 handler: ESP = TSS.ESP1 - 20"

        mov     dword [TSS_BASE + 0x10], 0
        TRY     .c1
        IRET_TO_RING3 .r3a, 0x0002
.r3a:
.f1:    int     VEC_R1
        int     VEC_R3_EXIT
.c1:    CHECK_FAULT 10, 0, .f1, "TSS.SS1 null: #TS(0)"
        mov     dword [TSS_BASE + 0x10], SEL_STACK_R1 | 3
        TRY     .c2
        IRET_TO_RING3 .r3b, 0x0002
.r3b:
.f2:    int     VEC_R1
        int     VEC_R3_EXIT
.c2:    CHECK_FAULT 10, SEL_STACK_R1, .f2, "TSS.SS1 with RPL 3: #TS(SS1)"
        mov     dword [TSS_BASE + 0x10], SEL_STACK_R1 | 1
        mov     dword [TSS_BASE + 0x0C], 0x0C   ; room for three dwords
        TRY     .c3
        IRET_TO_RING3 .r3c, 0x0002
.r3c:
.f3:    int     VEC_R1                  ; needs five
        int     VEC_R3_EXIT
.c3:    CHECK_FAULT 12, SEL_STACK_R1, .f3, "INT: no room on the new stack: #SS(new SS)"
        TRY     .c4
        IRET_TO_RING3 .r3d, 0x0002
.r3d:
.f4:    call    SEL_GATE_R1 | 3:0       ; needs four
        int     VEC_R3_EXIT
.c4:    CHECK_FAULT 12, SEL_STACK_R1, .f4, "call gate: no room on the new stack: #SS(new SS)"
        mov     dword [TSS_BASE + 0x10], 0
        mov     dword [TSS_BASE + 0x0C], 0
        ret

r1_handler:                             ; CPL 1
        push    ds
        push    eax
        mov     ax, SEL_DATA32_R3 | 1   ; a DPL-3 data segment is usable at CPL 1
        mov     ds, ax
        mov     ax, cs
        movzx   eax, ax
        mov     [R1_CS], eax
        mov     ax, ss
        movzx   eax, ax
        mov     [R1_SS], eax
        lea     eax, [esp + 8]
        mov     [R1_ESP], eax
        pop     eax
        pop     ds
        iretd

; ---------------------------------------------------------------------------------------------
; Alignment checking (486+): with CR0.AM and EFLAGS.AC set, a misaligned access at CPL 3 is an
; alignment-check exception (#AC, vector 17, error code 0). The 386 has neither bit.
alignment_check:
        cmp     byte [CPU_FAMILY], 4
        jae     .has_ac
        PGROUP  "no alignment checking on the 386"
        ret
.has_ac:
        PGROUP  "alignment check (#AC)"
        mov     eax, cr0
        or      eax, 1 << 18            ; CR0.AM
        mov     cr0, eax
        pushfd
        or      dword [esp], F_AC
        popfd
        mov     eax, [SCRATCH + 1]      ; CPL 0: never checked
        pushfd
        and     dword [esp], ~F_AC
        popfd
        TRY     .c1
        IRET_TO_RING3 .r3, 0x0002 | F_AC
.r3:
        mov     eax, [ss:SCRATCH + 4]   ; aligned: fine
.f1:    mov     eax, [ss:SCRATCH + 2]   ; a dword at an address = 2 mod 4
        int     VEC_R3_EXIT
.c1:    CHECK_FAULT 17, 0, .f1, "misaligned dword at CPL 3 with AM and AC: #AC(0)"
        TRY     .c2
        IRET_TO_RING3 .r3b, 0x0002      ; AC clear: no check
.r3b:
        mov     eax, [ss:SCRATCH + 2]
        int     VEC_R3_EXIT
.c2:    PCHECK  [FAULT_VEC], VEC_R3_EXIT, "misaligned with EFLAGS.AC clear: no #AC"
        mov     eax, cr0
        and     eax, ~(1 << 18)
        mov     cr0, eax
        ret

; ---------------------------------------------------------------------------------------------
; CR4.TSD (Pentium+) makes RDTSC privileged: at CPL 3 it is #GP(0).
time_stamp_disable:
        test    dword [CPU_FEATURES], FEAT_TSC
        jnz     .has_tsc
        ret
.has_tsc:
        PGROUP  "CR4.TSD"
        TRY     .c1
        IRET_TO_RING3 .r3a, 0x0002
.r3a:
        rdtsc                           ; TSD clear: allowed at CPL 3
        int     VEC_R3_EXIT
.c1:    PCHECK  [FAULT_VEC], VEC_R3_EXIT, "rdtsc at CPL 3 with TSD clear"
        mov     eax, cr4
        or      eax, 1 << 2             ; CR4.TSD
        mov     cr4, eax
        rdtsc                           ; still fine at CPL 0
        TRY     .c2
        IRET_TO_RING3 .r3b, 0x0002
.r3b:
.f2:    rdtsc
        int     VEC_R3_EXIT
.c2:    CHECK_FAULT 13, 0, .f2, "rdtsc at CPL 3 with TSD set: #GP(0)"
        mov     eax, cr4
        and     eax, ~(1 << 2)
        mov     cr4, eax
        ret

; ---------------------------------------------------------------------------------------------
; SYSENTER/SYSEXIT (P6, CPUID.1:EDX.SEP): a fast system call without gates or descriptor reads.
; MSR 174h holds the kernel CS (SS is CS+8; SYSEXIT uses CS+16 and CS+24 with RPL 3), 175h the
; kernel ESP and 176h the kernel EIP; all four segments are flat. SYSEXIT returns to ring 3 at
; EDX with ESP = ECX.
FEAT_SEP        equ     1 << 11
sysenter_sysexit:
        test    dword [CPU_FEATURES], FEAT_SEP
        jnz     .has_sep
        ret
.has_sep:
        PGROUP  "SYSENTER SYSEXIT"
        SET_DESC SEL_SYS_CS, 0, 0xFFFFF, 0xC09A
        SET_DESC SEL_SYS_CS + 8, 0, 0xFFFFF, 0xC092
        SET_DESC SEL_SYS_CS + 16, 0, 0xFFFFF, 0xC0FA
        SET_DESC SEL_SYS_CS + 24, 0, 0xFFFFF, 0xC0F2
        mov     ecx, 0x174
        xor     edx, edx
        mov     eax, SEL_SYS_CS
        wrmsr
        mov     ecx, 0x175
        mov     eax, SYSENTER_STACK
        wrmsr
        mov     ecx, 0x176
        mov     eax, ROM_BASE + sysenter_target ; a linear address: the new CS is flat
        wrmsr
        TRY     .back
        IRET_TO_RING3 .r3, 0x0002
.r3:
        mov     edx, ROM_BASE + .after_sysexit  ; where SYSEXIT goes (flat)
        mov     ecx, RING3_STACK_TOP - 0x10
        sysenter
.after_sysexit:                         ; ring 3, flat CS
        mov     ax, cs
        movzx   eax, ax
        mov     [ss:SYS_R3_CS], eax
        mov     [ss:SYS_R3_ESP], esp
        int     VEC_R3_EXIT
.back:
        PCHECK  [FAULT_VEC], VEC_R3_EXIT, "back from ring 3"
        PCHECK  [SYS_CS], SEL_SYS_CS, "sysenter: CS = SYSENTER_CS"
        PCHECK  [SYS_SS], SEL_SYS_CS + 8, "sysenter: SS = SYSENTER_CS + 8"
        PCHECK  [SYS_ESP], SYSENTER_STACK, "sysenter: ESP = SYSENTER_ESP"
        PCHECK  [SYS_R3_CS], (SEL_SYS_CS + 16) | 3, "sysexit: CS = SYSENTER_CS + 16, RPL 3"
        PCHECK  [SYS_R3_ESP], RING3_STACK_TOP - 0x10, "sysexit: ESP = ECX"
        TRY     .c2
        IRET_TO_RING3 .r3b, 0x0002
.r3b:
.f2:    sysexit                         ; only at CPL 0
        int     VEC_R3_EXIT
.c2:    CHECK_FAULT 13, 0, .f2, "sysexit at CPL 3: #GP(0)"
        ret

sysenter_target:                        ; CPL 0, flat CS and SS
        mov     ax, cs
        movzx   eax, ax
        mov     [ss:SYS_CS], eax
        mov     ax, ss
        movzx   eax, ax
        mov     [ss:SYS_SS], eax
        mov     [ss:SYS_ESP], esp
        sysexit

        bits    16                      ; the reset vector is 16-bit code
        ROM_END
