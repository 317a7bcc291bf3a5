; prog_timer.asm - program 3: an interrupt handler for the timer, IRQ0.
;
; The 8254 timer's channel 0 counts down a 1.193182 MHz clock and pulses its output each time the
; count runs out; that output is wired to IRQ0 of the master 8259A interrupt controller, which the
; BIOS programmed to raise interrupt vector 08h (IBM PC/AT Technical Reference, "System Timers"
; and "Interrupts"). The BIOS loads count 0 (= 65536): 1193182 / 65536 = 18.2 ticks a second,
; and its INT 08h handler counts them in the BIOS data area (dword at 0040:006C) - the time of day.
;
; This program
;   1. saves vector 08h (the 4 bytes offset:segment at 0000:0020) and points it at timer_isr;
;   2. reprograms channel 0 for 100 Hz: control word 36h to port 43h (channel 0, low byte then
;      high byte, mode 3 square wave, binary), then the count 11932 to port 40h, low byte first
;      (Intel 8254 datasheet, "Control Word Format" and "Mode 3");
;   3. shows the tick count, a spinning glyph and the BIOS's own count while it waits with HLT;
;   4. on Esc puts back count 0 and the old vector.
; The handler chains to the BIOS's handler exactly as often as the BIOS's 18.2 Hz tick would
; have come, so the time of day stays right while the timer runs 5.5 times faster.

PIT_INPUT_HZ    equ     1193182
TIMER_HZ        equ     100
TIMER_DIVISOR   equ     (PIT_INPUT_HZ + TIMER_HZ / 2) / TIMER_HZ    ; 11932
PIT_CHANNEL0    equ     0x40
PIT_CONTROL     equ     0x43
PIC1_COMMAND    equ     0x20
PIC_EOI         equ     0x20            ; OCW2: non-specific end of interrupt (8259A datasheet)
TIMER_ROW       equ     12

prog_timer:
        mov     bl, ATTR_NORMAL
        call    clear_screen
        mov     dx, 0x0000
        mov     cx, 0x014E
        mov     bl, ATTR_BOX
        call    draw_box
        mov     dx, 0x0116
        mov     bl, ATTR_TITLE
        mov     si, timer_msg_title
        call    print_at
        mov     dx, 0x0400
        call    set_cursor
        mov     si, timer_msg_explain
        call    print
        call    show_esc_hint
        mov     ah, 0x01                ; hide the cursor: the numbers are rewritten 100 times a second
        mov     cx, 0x2000
        int     0x10

        xor     ax, ax
        mov     [timer_ticks], ax
        mov     [timer_ticks + 2], ax
        mov     [timer_chain_acc], ax

        cli                             ; the vector and the timer change together
        mov     ax, [0x08 * 4]          ; save the old vector 08h: offset, then segment
        mov     [timer_old_isr], ax
        mov     ax, [0x08 * 4 + 2]
        mov     [timer_old_isr + 2], ax
        mov     word [0x08 * 4], timer_isr
        mov     [0x08 * 4 + 2], cs
        mov     al, 0x36                ; channel 0, LSB then MSB, mode 3, binary
        out     PIT_CONTROL, al
        mov     ax, TIMER_DIVISOR
        out     PIT_CHANNEL0, al
        mov     al, ah
        out     PIT_CHANNEL0, al
        sti

.wait:  hlt                             ; sleep until an interrupt: IRQ0 (timer) or IRQ1 (key)
        call    timer_show
        mov     ah, 0x01                ; INT 16h AH=01h: is a key waiting? (ZF set: no)
        int     0x16
        jz      .wait
        xor     ah, ah                  ; take it out of the buffer
        int     0x16
        cmp     ah, SCAN_ESC
        jne     .wait

        cli
        mov     al, 0x36                ; count 0 = 65536: the BIOS's 18.2 Hz again
        out     PIT_CONTROL, al
        xor     al, al
        out     PIT_CHANNEL0, al
        out     PIT_CHANNEL0, al
        mov     ax, [timer_old_isr]
        mov     [0x08 * 4], ax
        mov     ax, [timer_old_isr + 2]
        mov     [0x08 * 4 + 2], ax
        sti
        ret

; timer_show - the counters and the spinner, from row TIMER_ROW
timer_show:
        mov     dx, TIMER_ROW << 8 | 4
        call    set_cursor
        mov     si, timer_msg_ticks
        call    print
        cli                             ; read both words of the count from the same tick
        mov     ax, [timer_ticks]
        mov     dx, [timer_ticks + 2]
        sti
        call    print_dec32
        mov     si, timer_msg_seconds
        call    print
        ; seconds = ticks / 100, a 32-bit quotient: DIV's quotient must fit 16 bits, so the
        ; high word is divided first and its remainder carried into the low word's division.
        mov     bx, TIMER_HZ
        mov     cx, ax
        mov     ax, dx
        xor     dx, dx
        div     bx                      ; AX = high word of the quotient, DX = remainder
        push    ax
        mov     ax, cx
        div     bx                      ; AX = low word of the quotient
        pop     dx
        call    print_dec32
        mov     si, timer_msg_spaces
        call    print
        ; the spinner: one of | / - \ , the next one every 10 ticks (10 steps a second)
        mov     ax, [timer_ticks]
        xor     dx, dx
        mov     bx, 10
        div     bx
        and     ax, 3
        mov     bx, ax
        mov     al, [timer_spinner + bx]
        mov     bl, 0x0E
        mov     cx, 1
        mov     dx, TIMER_ROW << 8 | 60
        call    fill_at
        ; the BIOS's count at 0040:006C, still advancing 18.2 times a second through the chain
        mov     dx, (TIMER_ROW + 2) << 8 | 4
        call    set_cursor
        mov     si, timer_msg_bios
        call    print
        cli
        mov     ax, [0x046C]
        mov     dx, [0x046E]
        sti
        call    print_dec32
        mov     si, timer_msg_spaces
        call    print
        ret

; timer_isr - the new INT 08h handler. An interrupt handler must save every register it uses and
; end with IRET; the 8259A needs an end-of-interrupt (EOI) command before it will deliver IRQ0
; again. When the BIOS's handler is chained to, it sends the EOI itself.
timer_isr:
        push    ax
        push    ds
        xor     ax, ax                  ; DS may be anything when the interrupt comes
        mov     ds, ax
        add     word [timer_ticks], 1
        adc     word [timer_ticks + 2], 0
        ; Our ticks come every 11932 input clocks, the BIOS's every 65536: add 11932 to a 16-bit
        ; accumulator and chain whenever it wraps (a carry out of bit 15 = 65536 more clocks).
        add     word [timer_chain_acc], TIMER_DIVISOR
        jc      .chain
        mov     al, PIC_EOI
        out     PIC1_COMMAND, al
        pop     ds
        pop     ax
        iret
.chain: pop     ds
        pop     ax
        jmp     far [cs:timer_old_isr]  ; the BIOS's handler ends with its own EOI and IRET

timer_old_isr:  dw 0, 0                 ; offset, segment
timer_ticks:    dw 0, 0
timer_chain_acc: dw 0
timer_spinner:  db "|/-\"
timer_msg_title: db "Timer interrupt: IRQ0, INT 08h, at 100 Hz", 0
timer_msg_explain:
        db "Vector 08h now points to timer_isr, and the 8254's channel 0 counts 11932", 13, 10
        db "input clocks per interrupt: 1193182 Hz / 11932 = 100 Hz. The handler counts", 13, 10
        db "each tick, sends the 8259A its end-of-interrupt, and every 5.5 ticks passes", 13, 10
        db "one on to the BIOS's handler, so the time of day still runs at 18.2 Hz.", 0
timer_msg_ticks: db "Ticks: ", 0
timer_msg_seconds: db "   seconds: ", 0
timer_msg_spaces: db "    ", 0
timer_msg_bios: db "BIOS ticks (0040:006C): ", 0
