; dbg_target.asm - the guest the debugger's tests stop, step and watch.
;
; A 64 KiB ROM (mapped at F0000-FFFFF; the reset vector jumps to `start`) that does one of each
; thing a breakpoint kind can catch, each at a labelled place the tests name:
;   calls with frame pointers (compute -> inner: backtrace, next, finish), a loop that calls
;   `bump` three times (exec breakpoints, conditions, hit counts), data writes and a read of the
;   word COUNTER (watchpoints), an OUT to port 80h (I/O breakpoints), INT 60h (interrupt
;   breakpoints), `xchg bx, bx` (the magic breakpoint), the 8254 timer raising IRQ 0 through the
;   8259A (device breakpoints) and, on a 286 or later, the switch to protected mode (mode
;   breakpoints). It ends by writing 0 to port F4h (exit status 1).
;
; Assembled twice at build time: `-f bin` (the ROM, with a NASM map) and `-f elf32` (an object
; file whose symbol table the debugger's ELF reader loads, with bias F0000h).

        cpu     8086
        bits    16
%ifidn __OUTPUT_FORMAT__, bin
        org     0
%endif
        section .text

DEBUGCON        equ     0xE9
DEBUG_EXIT      equ     0xF4
POST_CODE       equ     0x80
COUNTER         equ     0x0600          ; the watched word
TICKS           equ     0x0602          ; IRQ 0s seen
STACK_TOP       equ     0x7C00
PIT_COUNT       equ     0x1000          ; 4096 PIT clocks between IRQ 0s

start:
        cli
        xor     ax, ax
        mov     ss, ax
        mov     sp, STACK_TOP
        mov     ds, ax
        mov     es, ax
        mov     word [0x60 * 4], int60_handler
        mov     word [0x60 * 4 + 2], 0xF000
        mov     word [0x08 * 4], irq0_handler
        mov     word [0x08 * 4 + 2], 0xF000
        mov     word [TICKS], 0
set_counter:
        mov     word [COUNTER], 0
        call    compute
after_compute:
        mov     cx, 3
loop_top:
        call    bump
        loop    loop_top
        mov     al, 0x42
post_out:
        out     POST_CODE, al
after_out:
        int     0x60
after_int:
read_site:
        mov     ax, [COUNTER]
after_read:
        xchg    bx, bx
after_magic:
        ; The 8259A (datasheet, "Initialization Command Words"): edge-triggered, cascaded,
        ; vectors 08h-0Fh, slave on IR2, 8086 mode; then only IR0 unmasked.
        mov     al, 0x11
        out     0x20, al
        mov     al, 0x08
        out     0x21, al
        mov     al, 0x04
        out     0x21, al
        mov     al, 0x01
        out     0x21, al
        mov     al, 0xFE
        out     0x21, al
        ; The 8254 (datasheet, "Control Word Format"): counter 0, low then high byte, mode 2.
        mov     al, 0x34
        out     0x43, al
        mov     al, PIT_COUNT & 0xFF
        out     0x40, al
        mov     al, PIT_COUNT >> 8
        out     0x40, al
        sti
wait_tick:
        hlt
after_hlt:
        cmp     word [TICKS], 2
        jb      wait_tick
        cli
        call    is_286
        jc      exit
        jmp     protected

exit:
        mov     al, 0
        out     DEBUG_EXIT, al
        cli
        hlt

compute:
        push    bp
        mov     bp, sp
        mov     ax, 5
        call    inner
after_inner:
        pop     bp
        ret

inner:
        push    bp
        mov     bp, sp
        add     ax, ax
inner_body:
        nop
        pop     bp
        ret

bump:
        inc     word [COUNTER]
        ret

int60_handler:
        mov     bx, 0x6060
        iret

irq0_handler:
        push    ax
        inc     word [ss:TICKS]
        mov     al, 0x20                ; non-specific EOI (8259A datasheet, OCW2)
        out     0x20, al
        pop     ax
        iret

; CF=1 on an 8086: FLAGS bits 12-15 always read 1 there (Intel AP-485).
is_286:
        pushf
        pop     ax
        and     ax, 0x0FFF
        push    ax
        popf
        pushf
        pop     ax
        and     ax, 0xF000
        cmp     ax, 0xF000
        stc
        je      .done
        clc
.done:
        ret

        cpu     286
protected:
        lgdt    [cs:gdt_pointer]
        mov     ax, 1
        lmsw    ax                      ; CR0.PE = 1 (80286 PRM 10.3)
after_lmsw:
        jmp     0x08:in_protected       ; load CS from the GDT
in_protected:
        mov     ax, 0x10
        mov     ds, ax
        jmp     exit

        align   8
gdt:    dq      0
        ; 08h: code, base F0000h, limit FFFFh, present, DPL 0, readable (80286 PRM 6.3.1)
        dw      0xFFFF, 0x0000
        db      0x0F, 0x9B
        dw      0
        ; 10h: data, base 0, limit FFFFh, writable
        dw      0xFFFF, 0x0000
        db      0x00, 0x93
        dw      0
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      0xF0000 + gdt

        times   0xFFF0 - ($ - $$) db 0xFF
reset_vector:
        jmp     0xF000:start
        times   0x10000 - ($ - $$) db 0xFF
