; divide: the divide error (#DE, vector 0) through an IVT entry set up by this ROM.
;
; DIV and IDIV raise interrupt 0 when the divisor is 0 or the quotient does not fit. Where the
; saved CS:IP points differs by model: the 8086 pushes the address of the NEXT instruction, the
; 286 and later push the address of the DIV itself so it can be restarted (80286 Programmer's
; Reference Manual, Appendix "Compatibility": "Divide Exceptions Point at the DIV Instruction").
; The handler records what was pushed and resumes where the test says, so both models continue.
%define TEST_NAME "divide"
%include "rom.inc"

DE_COUNT        equ     0x0600          ; handler entries
DE_IP           equ     0x0602          ; IP the CPU pushed
DE_CS           equ     0x0604          ; CS the CPU pushed
DE_RESUME       equ     0x0606          ; where the handler returns to

; DE_CASE "name", instruction: the instruction must raise #DE exactly once, pushing the IP the
; model defines.
%macro DE_CASE 2
        mov     word [ss:DE_COUNT], 0
        mov     word [ss:DE_RESUME], %%next
%%insn:
        %2
%%next:
        CHECK16 [ss:DE_COUNT], 1, {%1, ": handler ran once"}
        push    bx
        mov     bx, %%next              ; 8086: the next instruction
        cmp     byte [ss:CPU_KIND], CPU_286
        jb      %%check
        mov     bx, %%insn              ; 286 and later: the DIV itself
%%check:
        CHECK16 [ss:DE_IP], bx, {%1, ": pushed IP"}
        CHECK16 [ss:DE_CS], 0xF000, {%1, ": pushed CS"}
        pop     bx
%endmacro

test_main:
        GROUP   "IVT entry 0"
        mov     word [es:0 * 4], de_handler      ; ES = 0: the interrupt vector table
        mov     word [es:0 * 4 + 2], cs

        GROUP   "divide by zero"
        mov     ax, 1234
        xor     dx, dx
        xor     bx, bx
        DE_CASE "div bx by 0", {div bx}
        mov     ax, 0x1234
        mov     bl, 0
        DE_CASE "div bl by 0", {div bl}
        mov     ax, 7
        cwd
        DE_CASE "idiv word [zero] by 0", {idiv word [zero_word]}

        GROUP   "quotient too big"
        mov     dx, 2
        xor     ax, ax
        mov     bx, 2
        DE_CASE "div 20000h/2", {div bx}
        mov     ax, 0x1000
        mov     bl, 0x10
        DE_CASE "div byte 1000h/10h", {div bl}
        mov     ax, 0x4000
        mov     bl, 1
        DE_CASE "idiv byte 4000h/1", {idiv bl}
        mov     dx, 1
        xor     ax, ax
        mov     bx, 1
        DE_CASE "idiv 10000h/1", {idiv bx}

        GROUP   "no fault when the quotient fits"
        mov     word [ss:DE_COUNT], 0
        mov     dx, 0x0001
        mov     ax, 0xFFFF
        mov     bx, 2
        div     bx                      ; 1FFFFh / 2 = FFFFh rem 1: just fits
        CHECK16 [ss:DE_COUNT], 0, "div 1FFFFh/2 does not fault"
        CHECK16 ax, 0xFFFF, "div 1FFFFh/2 quotient"
        CHECK16 dx, 1, "div 1FFFFh/2 remainder"
        mov     ax, -254
        mov     bl, 2
        idiv    bl                      ; -127: fits on every model
        CHECK16 [ss:DE_COUNT], 0, "idiv -254/2 does not fault"
        CHECK8  al, -127, "idiv -254/2 quotient"

        GROUP   "INT 0 is a software interrupt: it pushes the next IP"
        mov     word [ss:DE_COUNT], 0
        mov     word [ss:DE_RESUME], .after_int0
        int     0
.after_int0:
        CHECK16 [ss:DE_COUNT], 1, "int 0 ran the handler"
        CHECK16 [ss:DE_IP], .after_int0, "int 0 pushed IP"
        ret

; The #DE handler: records the pushed CS:IP and returns to [DE_RESUME].
de_handler:
        push    bp
        mov     bp, sp
        push    ax
        inc     word [ss:DE_COUNT]
        mov     ax, [bp + 2]
        mov     [ss:DE_IP], ax
        mov     ax, [bp + 4]
        mov     [ss:DE_CS], ax
        mov     ax, [ss:DE_RESUME]
        mov     [bp + 2], ax
        pop     ax
        pop     bp
        iret

zero_word:      dw      0

        ROM_END
