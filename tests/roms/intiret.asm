; intiret: software interrupts through IVT entries set up by this ROM, and IRET.
;
; INT n pushes FLAGS, CS and IP (the next instruction), clears IF and TF, and jumps through the
; vector at 0000:n*4; IRET pops IP, CS and FLAGS (8086 Family User's Manual, "Interrupts").
%define TEST_NAME "intiret"
%include "rom.inc"

CALLS           equ     0x0600          ; handler entries
SEEN_FLAGS      equ     0x0602          ; FLAGS inside the handler
SEEN_PUSHED_IP  equ     0x0604
SEEN_PUSHED_FL  equ     0x0606
SAVED_SP        equ     0x0608
RAM_HANDLER     equ     0x0700          ; 0000:0700, a handler copied into RAM

%macro SET_VECTOR 2                     ; vector, handler (in this ROM)
        mov     word [es:(%1) * 4], %2
        mov     word [es:(%1) * 4 + 2], cs
%endmacro

test_main:
        SET_VECTOR 0x60, handler_plain
        SET_VECTOR 0x61, handler_set_cf
        SET_VECTOR 0x62, handler_nested
        SET_VECTOR 3, handler_plain
        SET_VECTOR 4, handler_plain

        GROUP   "int 60h: registers in and out, IF cleared inside, restored after"
        mov     word [ss:CALLS], 0
        mov     [ss:SAVED_SP], sp
        mov     ax, 0x1111
        sti                             ; safe: no interrupt controller can interrupt us
        int     0x60
.after_int60:
        cli
        CHECK16 [ss:CALLS], 1, "int 60h ran the handler"
        CHECK16 bx, 0x1112, "handler got AX and returned BX"
        CHECK16 [ss:SEEN_FLAGS], 0, "IF and TF clear inside the handler"
        CHECK16 [ss:SEEN_PUSHED_IP], .after_int60, "pushed IP is the next instruction"
        CHECK16 [ss:SEEN_PUSHED_FL], F_IF, "pushed FLAGS had IF set"
        mov     cx, sp                  ; (the check macros push: compare a copy of SP)
        CHECK16 cx, [ss:SAVED_SP], "SP restored after IRET"

        GROUP   "IRET restores FLAGS; a handler can return CF in the saved FLAGS"
        stc
        int     0x60
        CHECK_FLAGS F_CF, F_CF, "CF survives int/iret"
        clc
        int     0x61
        CHECK_FLAGS F_CF, F_CF, "CF returned through the saved FLAGS"

        GROUP   "int 3 (one byte, CCh) and into"
        mov     word [ss:CALLS], 0
        int3
.after_int3:
        CHECK16 [ss:CALLS], 1, "int3 ran the handler"
        CHECK16 [ss:SEEN_PUSHED_IP], .after_int3, "int3 pushed IP"
        mov     al, 0x7F
        add     al, 1                   ; OF = 1
        into
.after_into:
        CHECK16 [ss:CALLS], 2, "into with OF=1 ran the handler"
        CHECK16 [ss:SEEN_PUSHED_IP], .after_into, "into pushed IP"
        mov     al, 1
        add     al, 1                   ; OF = 0
        into
        CHECK16 [ss:CALLS], 2, "into with OF=0 does nothing"

        GROUP   "nested interrupts"
        mov     word [ss:CALLS], 0
        mov     ax, 0x2000
        int     0x62
        CHECK16 [ss:CALLS], 2, "int 62h calls int 60h inside"
        CHECK16 bx, 0x2001, "nested result"

        GROUP   "pushf / call far [vector] reaches a handler like INT"
        mov     word [ss:CALLS], 0
        mov     ax, 0x3000
        pushf
        call    far [es:0x60 * 4]
        CHECK16 [ss:CALLS], 1, "pushf+call far ran the handler"
        CHECK16 bx, 0x3001, "pushf+call far result"
        mov     cx, sp
        CHECK16 cx, [ss:SAVED_SP], "pushf+call far balanced the stack"

        GROUP   "a handler in RAM, in another code segment"
        mov     si, ram_handler_code
        mov     di, RAM_HANDLER
        mov     cx, ram_handler_end - ram_handler_code
        rep     movsb                   ; DS = CS (ROM) -> ES = 0 (RAM)
        mov     word [es:0x63 * 4], RAM_HANDLER & 0x000F
        mov     word [es:0x63 * 4 + 2], RAM_HANDLER >> 4   ; 0070:0000
        xor     ax, ax
        int     0x63
        CHECK16 ax, 0x1234, "RAM handler ran"
        CHECK16 dx, 0x0070, "RAM handler saw CS = 0070h"
        ret

; BX = AX + 1; records FLAGS and what was pushed.
handler_plain:
        push    bp
        mov     bp, sp
        push    ax
        inc     word [ss:CALLS]
        pushf
        pop     ax
        and     ax, F_IF | F_TF
        mov     [ss:SEEN_FLAGS], ax
        mov     ax, [bp + 2]
        mov     [ss:SEEN_PUSHED_IP], ax
        mov     ax, [bp + 6]
        and     ax, F_IF
        mov     [ss:SEEN_PUSHED_FL], ax
        pop     ax
        mov     bx, ax
        inc     bx
        pop     bp
        iret

; Returns CF = 1 by setting it in the FLAGS image IRET will pop (the BIOS convention).
handler_set_cf:
        push    bp
        mov     bp, sp
        or      word [bp + 6], F_CF
        pop     bp
        iret

handler_nested:
        inc     word [ss:CALLS]
        int     0x60
        iret

; Copied to 0000:0700 and entered as 0070:0000: returns AX = 1234h, DX = its CS.
ram_handler_code:
        mov     ax, 0x1234
        mov     dx, cs
        iret
ram_handler_end:

        ROM_END
