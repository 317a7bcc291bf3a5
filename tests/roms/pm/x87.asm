; x87.asm - a smoke test of the floating-point unit (the 387 beside a 386, on-chip from the 486).
;
; The x87 is a stack of eight 80-bit registers, ST(0) on top. Loads push, the "P" forms pop, and
; results are exact here: every value is a small integer, a power of two or pi, so the expected
; answers are known without running anything. Status word bits C0, C2 and C3 carry comparison
; results; FNSTSW AX and SAHF move them into the CPU's flags. CR0.EM makes every x87
; instruction raise #NM (vector 7), which is how an OS without an FPU emulates one, and CR0.TS
; does the same after a task switch, so the FPU state can be saved lazily.

%define TEST_NAME "x87"
%include "pm.inc"

SCRATCH         equ     0x9000

test_main:
        call    rm_install_vectors
        call    detect_features
        xor     ax, ax
        mov     es, ax
        call    control_and_status
        call    arithmetic
        call    compare
        call    constants
        call    exceptions_masked
        call    device_not_available
        call    p6_compares
        ret

; FNINIT: control word 037Fh (every exception masked, 64-bit precision, round to nearest), an
; empty stack, status 0.
control_and_status:
        GROUP   "FNINIT, control and status words"
        fninit
        fnstsw  ax
        CHECK16 ax, 0, "status word after fninit"
        fnstcw  [es:SCRATCH]
        CHECK16 [es:SCRATCH], 0x037F, "control word after fninit"
        mov     word [es:SCRATCH], 0x0C7F       ; round toward zero
        fldcw   [es:SCRATCH]
        fnstcw  [es:SCRATCH + 2]
        CHECK16 [es:SCRATCH + 2], 0x0C7F, "fldcw/fnstcw round trip"
        fninit
        ret

arithmetic:
        GROUP   "loads, arithmetic, integer stores"
        fninit
        fld1                            ; 1
        fldz                            ; 0, 1
        faddp   st1, st0                ; 1
        fld1
        faddp   st1, st0                ; 2
        mov     dword [es:SCRATCH], 3
        fimul   dword [es:SCRATCH]      ; 6
        fistp   dword [es:SCRATCH + 4]
        CHECK32 [es:SCRATCH + 4], 6, "(0 + 1 + 1) * 3"
        mov     dword [es:SCRATCH], 100
        fild    dword [es:SCRATCH]
        fsqrt
        fistp   dword [es:SCRATCH + 4]
        CHECK32 [es:SCRATCH + 4], 10, "sqrt 100"
        mov     dword [es:SCRATCH], 7
        fild    dword [es:SCRATCH]
        mov     dword [es:SCRATCH], -2
        fidiv   dword [es:SCRATCH]      ; -3.5
        fistp   dword [es:SCRATCH + 4]  ; round to nearest even: -4
        CHECK32 [es:SCRATCH + 4], -4, "7 / -2 = -3.5 rounds to even: -4"
        mov     dword [es:SCRATCH], 0x40200000      ; 2.5f
        fld     dword [es:SCRATCH]
        frndint                         ; 2 (to even)
        fistp   word [es:SCRATCH + 4]
        CHECK16 [es:SCRATCH + 4], 2, "frndint 2.5"
        mov     dword [es:SCRATCH], 0x40400000      ; 3.0f
        fld     dword [es:SCRATCH]
        fld1
        fdivrp  st1, st0                ; 1 / 3
        mov     dword [es:SCRATCH], 3
        fimul   dword [es:SCRATCH]      ; (1/3) * 3 rounds back to exactly 1 in 64-bit precision
        fld1
        fcompp
        fnstsw  ax
        and     ax, 0x4500              ; C3 C2 C0
        CHECK16 ax, 0x4000, "(1/3) * 3 == 1"
        fnstsw  ax
        and     ax, 0x3800              ; TOP
        CHECK16 ax, 0, "the stack is empty again"
        ret

; FCOM sets C3 C2 C0 like an unsigned compare: ST(0) < src gives C0, = gives C3, unordered all
; three. FNSTSW AX; SAHF puts them in CF, PF, ZF.
compare:
        GROUP   "FCOM, FNSTSW AX, SAHF"
        fninit
        fld1
        fld1
        fadd    st0, st0                ; 2, 1
        fcom    st1                     ; 2 > 1
        fnstsw  ax
        and     ax, 0x4500
        CHECK16 ax, 0, "2 > 1: C3=C2=C0=0"
        fxch                            ; 1, 2
        fcom    st1
        fnstsw  ax
        sahf
        CHECK_FLAGS F_CF | F_ZF | F_PF, F_CF, "1 < 2: CF after sahf"
        fcompp
        fldz
        fchs                            ; -0
        fldz
        fcompp                          ; +0 vs -0: equal
        fnstsw  ax
        and     ax, 0x4500
        CHECK16 ax, 0x4000, "+0 == -0"
        ret

constants:
        GROUP   "FLDPI, FSTP m64"
        fninit
        fldpi
        fstp    qword [es:SCRATCH]      ; pi as a double: 400921FB54442D18h
        CHECK32 [es:SCRATCH], 0x54442D18, "pi, low dword"
        CHECK32 [es:SCRATCH + 4], 0x400921FB, "pi, high dword"
        fld1
        fld1
        fadd    st0, st0
        fscale                          ; 2 * 2^1 = 4
        fstp    st1
        fistp   word [es:SCRATCH]
        CHECK16 [es:SCRATCH], 4, "fscale 2, 1"
        ret

; Masked exceptions produce a default result and set a status flag: 1/0 = +infinity, ZE (bit 2).
exceptions_masked:
        GROUP   "masked exceptions"
        fninit
        fld1
        fldz
        fdivp   st1, st0
        fnstsw  ax
        and     ax, 0x0004
        CHECK16 ax, 0x0004, "1/0 sets ZE"
        fstp    dword [es:SCRATCH]
        CHECK32 [es:SCRATCH], 0x7F800000, "1/0 = +infinity"
        fnclex
        fnstsw  ax
        and     ax, 0x00FF
        CHECK16 ax, 0, "fnclex clears the flags"
        ret

; CR0.EM: no FPU, every x87 instruction is #NM. CR0.TS with MP: the first x87 instruction (and
; WAIT) after a task switch is #NM; CLTS lets them run again.
device_not_available:
        GROUP   "#NM with CR0.EM and CR0.TS"
        mov     eax, cr0
        or      eax, 1 << 2             ; EM
        mov     cr0, eax
        RM_TRY  .c1
.f1:    fld1
        RM_ENDTRY
.c1:    CHECK_RM_FAULT 7, .f1, "fld1 with CR0.EM"
        mov     eax, cr0
        and     eax, ~(1 << 2)
        or      eax, (1 << 3) | (1 << 1)        ; TS, MP
        mov     cr0, eax
        RM_TRY  .c2
.f2:    fld1
        RM_ENDTRY
.c2:    CHECK_RM_FAULT 7, .f2, "fld1 with CR0.TS"
        RM_TRY  .c3
.f3:    wait                            ; WAIT too, with MP set
        RM_ENDTRY
.c3:    CHECK_RM_FAULT 7, .f3, "wait with CR0.TS and MP"
        clts
        fninit
        fld1
        fistp   word [es:SCRATCH]
        CHECK16 [es:SCRATCH], 1, "after clts the FPU works"
        mov     eax, cr0
        and     eax, ~(1 << 1)
        mov     cr0, eax
        ret

; The P6 added FCOMI (compare straight into EFLAGS) and FCMOVcc.
p6_compares:
        cmp     byte [ss:CPU_FAMILY], 6
        jae     .p6
        ret
.p6:
        GROUP   "FCOMI FCMOVcc (P6)"
        fninit
        fld1
        fldz                            ; 0, 1
        fcomi   st0, st1                ; 0 < 1
        CHECK_FLAGS F_CF | F_ZF | F_PF, F_CF, "fcomi 0 < 1"
        fcmovb  st0, st1                ; CF=1: ST(0) = 1
        fistp   word [es:SCRATCH]
        CHECK16 [es:SCRATCH], 1, "fcmovb taken"
        fstp    st0
        ret

        ROM_END
