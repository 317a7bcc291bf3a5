; pit_irq0: the 8259A interrupt controllers and the 8254 timer together, end to end.
;
; Counter 0 runs in mode 2 with a period of PERIOD ticks and drives IRQ0; the PICs are set up as
; the IBM PC/AT BIOS sets them (edge-triggered, cascade on IR2, vectors 08h and 70h); the CPU
; sits in an STI/HLT loop and the IRQ0 handler counts. Counter 2, gated by port 61h bit 0 and
; started just before counter 0, is a stopwatch: the handler latches it at the N_TICKS-th IRQ0,
; so the ROM can check that the interrupts came after N_TICKS * PERIOD ticks of virtual time and
; not much later. Then OUT2 (port 61h bit 5) and the refresh toggle (bit 4) must move.
;
; Works the same on every CPU model: all times are in PIT ticks (1.193182 MHz), whatever the
; CPU clock.
%define TEST_NAME "pit_irq0"
%include "rom.inc"

PERIOD          equ     1000            ; PIT ticks between IRQ0s (838 us)
N_TICKS         equ     20
SLACK           equ     200             ; ticks for starting the counters and interrupt latency
POLL_LIMIT      equ     20000           ; bounded polling loops

TICKS           equ     0x0600          ; word: IRQ0s counted by the handler
STOPWATCH       equ     0x0602          ; word: counter 2 latched at the N_TICKS-th IRQ0
SPURIOUS        equ     0x0604          ; word: IRQ7s (spurious: nothing is wired to IR7)
SCRATCH         equ     0x0606

test_main:
        mov     word [es:0x08 * 4], irq0_handler
        mov     [es:0x08 * 4 + 2], cs
        mov     word [es:0x0F * 4], irq7_handler
        mov     [es:0x0F * 4 + 2], cs
        mov     word [ss:TICKS], 0
        mov     word [ss:SPURIOUS], 0

        GROUP   "counter 2 as a stopwatch: mode 0, count FFFFh, held by GATE2 low"
        xor     al, al                  ; port 61h: GATE2 low, speaker off
        out     0x61, al
        mov     al, 0xB0                ; counter 2, LSB then MSB, mode 0, binary
        out     0x43, al
        mov     al, 0xFF
        out     0x42, al
        out     0x42, al
        mov     al, 0xE8                ; read-back: status of counter 2
        out     0x43, al
        in      al, 0x42
        and     al, 0xBF                ; (NULL COUNT depends on whether a tick has passed)
        CHECK8  al, 0x30, "status: OUT low, LSB/MSB, mode 0, binary"
        in      al, 0x61
        and     al, 0x21
        CHECK8  al, 0x00, "port 61h: OUT2 low, GATE2 low"

        GROUP   "start the stopwatch, then counter 0 (mode 2), then the PICs"
        in      al, 0x61
        or      al, 0x01                ; GATE2 high: the stopwatch counts from the next tick
        out     0x61, al
        mov     al, 0x34                ; counter 0, LSB then MSB, mode 2
        out     0x43, al
        mov     al, PERIOD & 0xFF
        out     0x40, al
        mov     al, PERIOD >> 8
        out     0x40, al
        ; The control word raised OUT0; ICW1 below resets the edge sense, so the first request is
        ; the first reload, PERIOD ticks after the count was loaded.
        mov     al, 0x11                ; ICW1: edge, cascade, ICW4 follows
        out     0x20, al
        mov     al, 0x08                ; ICW2: IRQ0-7 at vectors 08h-0Fh
        out     0x21, al
        mov     al, 0x04                ; ICW3: a slave on IR2
        out     0x21, al
        mov     al, 0x01                ; ICW4: 8086 mode, normal EOI
        out     0x21, al
        mov     al, 0x11
        out     0xA0, al
        mov     al, 0x70                ; IRQ8-15 at vectors 70h-77h
        out     0xA1, al
        mov     al, 0x02                ; slave ID 2
        out     0xA1, al
        mov     al, 0x01
        out     0xA1, al
        mov     al, 0xFF
        out     0xA1, al
        mov     al, 0x7E                ; IRQ0 and IRQ7 only
        out     0x21, al
        in      al, 0x21
        CHECK8  al, 0x7E, "IMR reads back"
        mov     al, 0xC2                ; read-back: count and status of counter 0
        out     0x43, al
        in      al, 0x40
        and     al, 0x3F
        CHECK8  al, 0x34, "counter 0 status: LSB/MSB, mode 2, binary"
        in      al, 0x40
        mov     ah, al
        in      al, 0x40
        xchg    al, ah
        cmp     ax, PERIOD
        jbe     .count_ok
        FAIL_HERE "counter 0 count above PERIOD"
.count_ok:

        GROUP   "STI/HLT: IRQ0 wakes the CPU, N_TICKS times"
        sti
.wait:
        hlt
        cmp     word [ss:TICKS], N_TICKS
        jb      .wait
        cli
        CHECK16 [ss:TICKS], N_TICKS, "IRQ0s counted"
        CHECK16 [ss:SPURIOUS], 0, "no spurious IRQ7"
        mov     al, 0x0B                ; OCW3: read ISR
        out     0x20, al
        in      al, 0x20
        CHECK8  al, 0x00, "every IRQ0 got its EOI"
        mov     al, 0x0A
        out     0x20, al

        GROUP   "the stopwatch saw N_TICKS * PERIOD ticks, plus only the start-up and latency"
        mov     ax, 0xFFFF
        sub     ax, [ss:STOPWATCH]
        mov     [ss:SCRATCH], ax
        call    print_inline
        db      "    elapsed PIT ticks: ", 0
        call    print_dec
        call    newline
        cmp     ax, N_TICKS * PERIOD
        jae     .not_early
        FAIL_HERE "IRQ0 came before N_TICKS * PERIOD ticks"
.not_early:
        cmp     ax, N_TICKS * PERIOD + SLACK
        jbe     .not_late
        FAIL_HERE "IRQ0 came too late"
.not_late:

        GROUP   "counter 2 in mode 3: OUT2 toggles in port 61h bit 5"
        mov     al, 0xB6                ; counter 2, LSB then MSB, mode 3
        out     0x43, al
        mov     al, 200
        out     0x42, al
        xor     al, al
        out     0x42, al
        mov     al, 0xE8
        out     0x43, al
        in      al, 0x42
        and     al, 0x3F
        CHECK8  al, 0x36, "counter 2 status: LSB/MSB, mode 3"
        call    count_toggles_bit5
        cmp     dx, 4
        jae     .out2_ok
        FAIL_HERE "OUT2 did not toggle"
.out2_ok:

        GROUP   "the refresh toggle in port 61h bit 4"
        in      al, 0x61
        and     al, 0x10
        mov     bl, al
        mov     cx, POLL_LIMIT
.refresh:
        in      al, 0x61
        and     al, 0x10
        cmp     al, bl
        jne     .refresh_ok
        loop    .refresh
        FAIL_HERE "bit 4 never changed"
.refresh_ok:
        xor     al, al
        out     0x61, al
        ret

; DX = how many times port 61h bit 5 changed within POLL_LIMIT reads.
count_toggles_bit5:
        push    ax
        push    bx
        push    cx
        xor     dx, dx
        in      al, 0x61
        and     al, 0x20
        mov     bl, al
        mov     cx, POLL_LIMIT
.poll:
        in      al, 0x61
        and     al, 0x20
        cmp     al, bl
        je      .same
        mov     bl, al
        inc     dx
.same:
        loop    .poll
        pop     cx
        pop     bx
        pop     ax
        ret

irq0_handler:
        push    ax
        inc     word [ss:TICKS]
        cmp     word [ss:TICKS], N_TICKS
        jne     .eoi
        mov     al, 0x80                ; counter latch command, counter 2
        out     0x43, al
        in      al, 0x42
        mov     ah, al
        in      al, 0x42
        xchg    al, ah
        mov     [ss:STOPWATCH], ax
.eoi:
        mov     al, 0x20                ; non-specific EOI
        out     0x20, al
        pop     ax
        iret

irq7_handler:                           ; a spurious IR7 sets no ISR bit: no EOI
        inc     word [ss:SPURIOUS]
        iret

        ROM_END
