; Lantern's built-in demo: what `lantern` runs when given no arguments.
;
; A 64 KiB ROM image, mapped like a BIOS at F0000-FFFFF. The CPU starts at the reset vector
; (FFFF:0000 on the 8086, F000:FFF0 at the top of 16 MiB on the 286: both are offset FFF0 of this
; image), which jumps to `start`. The program prints through the debug console (port 0E9h,
; the Bochs/QEMU "port E9 hack") and ends the run by writing 0 to the debug-exit port (0F4h).
;
; It uses only 8086 instructions (`cpu 8086` makes NASM refuse anything newer), so it runs on
; every CPU Lantern emulates. Assembled with `nasm -f bin` at build time and embedded in the
; `lantern` binary.

        cpu     8086
        bits    16
        org     0

DEBUGCON        equ     0xE9            ; debug console: each byte written is printed
DEBUG_EXIT      equ     0xF4            ; debug exit: writing v ends the run
STACK_TOP       equ     0x7C00          ; stack at 0000:7C00 and down, in conventional RAM
SIEVE_SEG       equ     0x1000          ; scratch RAM for the prime sieve (10000h physical)
SIEVE_LIMIT     equ     100

start:
        cli                             ; no interrupt controller here: keep IF clear
        cld
        xor     ax, ax
        mov     ss, ax
        mov     sp, STACK_TOP
        push    cs
        pop     ds                      ; our strings live in this ROM

        mov     si, msg_banner
        call    print_str

        call    detect_cpu              ; SI = the CPU's name
        push    si
        mov     si, msg_cpu
        call    print_str
        pop     si
        call    print_str
        mov     si, msg_cpu_note
        call    print_str

        call    table
        call    fibonacci
        call    primes

        mov     si, msg_bye
        call    print_str
        mov     al, 0
        out     DEBUG_EXIT, al          ; the run stops here
        cli
.forever:
        hlt                             ; not reached on Lantern; a real PC would stop here
        jmp     .forever

; ---------------------------------------------------------------------------------------------
; detect_cpu: the classic FLAGS test (as in Intel's CPUID application note, AP-485, "Identifying
; processors prior to the 80386"). Returns SI = name string.
;   8086/8088/80186: FLAGS bits 12-15 cannot be cleared (they always read 1).
;   80286 in real mode: bits 12-15 cannot be set (they always read 0).
;   80386 and later: some of them can be set.
; The 80186 is told from the 8086 by its shift count: the 186 masks counts to 5 bits, so
; SHL by 33 shifts once; the 8086 shifts 33 times and the value falls out.
detect_cpu:
        pushf                           ; keep the caller's flags
        pushf
        pop     ax
        and     ax, 0x0FFF              ; try to clear bits 12-15
        push    ax
        popf
        pushf
        pop     ax
        and     ax, 0xF000
        cmp     ax, 0xF000
        jne     .not_8086
        mov     ax, 1
        mov     cl, 33
        shl     ax, cl
        mov     si, name_8086
        test    ax, ax
        jz      .done
        mov     si, name_80186
        jmp     .done
.not_8086:
        pushf
        pop     ax
        or      ax, 0xF000              ; try to set bits 12-15
        push    ax
        popf
        pushf
        pop     ax
        mov     si, name_80286
        test    ax, 0xF000
        jz      .done
        mov     si, name_80386
.done:
        popf
        ret

; ---------------------------------------------------------------------------------------------
; table: n, n^2, n^3 (16-bit MUL) and n! (32-bit, built from 16-bit MULs in DX:AX).
table:
        mov     si, msg_table
        call    print_str
        mov     cx, 1                   ; n
        mov     word [ss:fact_lo], 1
        mov     word [ss:fact_hi], 0
.row:
        mov     ax, cx
        mov     di, 6
        call    print_udec16_padded     ; n
        mov     ax, cx
        mul     cx                      ; AX = n^2
        mov     di, 7
        call    print_udec16_padded
        mul     cx                      ; AX = n^3 (fits: 12^3 = 1728)
        mov     di, 8
        call    print_udec16_padded

        ; n! = (n-1)! * n: multiply the 32-bit DX:AX by CX one 16-bit half at a time.
        mov     ax, [ss:fact_hi]
        mul     cx                      ; high half * n (the product still fits in 32 bits)
        mov     bx, ax
        mov     ax, [ss:fact_lo]
        mul     cx                      ; DX:AX = low half * n
        add     dx, bx
        mov     [ss:fact_lo], ax
        mov     [ss:fact_hi], dx
        mov     di, 13
        call    print_udec32_padded
        call    newline
        inc     cx
        cmp     cx, 12
        jbe     .row
        ret

; ---------------------------------------------------------------------------------------------
; fibonacci: prints F(0), F(1), ... until the next 16-bit ADD carries out (CF=1).
fibonacci:
        mov     si, msg_fib
        call    print_str
        xor     ax, ax                  ; F(n)
        mov     bx, 1                   ; F(n+1)
        xor     cx, cx                  ; numbers on this line
        xor     dx, dx                  ; 1 once AX is the last number that fits
.next:
        call    print_space_udec16
        test    dx, dx
        jnz     .done
        inc     cx
        cmp     cx, 13
        jne     .same_line
        call    newline
        push    si
        mov     si, msg_indent
        call    print_str
        pop     si
        xor     cx, cx
.same_line:
        add     ax, bx                  ; F(n+2) = F(n) + F(n+1)
        jnc     .fits
        mov     dx, 1                   ; carry out of bit 15: F(n+1) is the last that fits
.fits:
        xchg    ax, bx
        jmp     .next
.done:
        call    newline
        ret

; ---------------------------------------------------------------------------------------------
; primes: the sieve of Eratosthenes over a byte array in RAM at SIEVE_SEG:0.
primes:
        mov     si, msg_primes
        call    print_str
        mov     ax, SIEVE_SEG
        mov     es, ax
        xor     di, di
        mov     cx, SIEVE_LIMIT
        mov     al, 1
        rep     stosb                   ; every number is a candidate
        mov     bx, 2
.outer:
        cmp     byte [es:bx], 0
        je      .next_outer
        mov     ax, bx
        call    print_space_udec16
        mov     di, bx
        add     di, bx                  ; cross out 2p, 3p, ... below the limit
.cross:
        cmp     di, SIEVE_LIMIT
        jae     .next_outer
        mov     byte [es:di], 0
        add     di, bx
        jmp     .cross
.next_outer:
        inc     bx
        cmp     bx, SIEVE_LIMIT
        jb      .outer
        call    newline
        ret

; ---------------------------------------------------------------------------------------------
; Output helpers. All preserve every register they do not return.

print_str:                              ; DS:SI = NUL-terminated string
        push    ax
        push    si
.loop:
        lodsb
        test    al, al
        jz      .done
        out     DEBUGCON, al
        jmp     .loop
.done:
        pop     si
        pop     ax
        ret

newline:
        push    ax
        mov     al, 10
        out     DEBUGCON, al
        pop     ax
        ret

print_space_udec16:                     ; " " then AX in decimal
        push    di
        mov     di, 0
        push    ax
        mov     al, ' '
        out     DEBUGCON, al
        pop     ax
        call    print_udec16_padded
        pop     di
        ret

print_udec16_padded:                    ; AX in decimal, right-aligned in DI columns
        push    dx
        xor     dx, dx
        call    print_udec32_padded
        pop     dx
        ret

print_udec32_padded:                    ; DX:AX in decimal, right-aligned in DI columns
        push    ax
        push    bx
        push    cx
        push    dx
        push    si
        xor     si, si                  ; digits pushed
.divide:
        ; DX:AX / 10 in two 16-bit steps (DIV takes a 32-bit dividend but only a 16-bit
        ; quotient, so divide the high word first and carry its remainder into the low word).
        mov     cx, 10
        mov     bx, ax
        mov     ax, dx
        xor     dx, dx
        div     cx                      ; AX = high quotient, DX = remainder
        xchg    ax, bx                  ; BX = high quotient, AX = low word
        div     cx                      ; AX = low quotient, DX = digit
        push    dx
        inc     si
        mov     dx, bx
        mov     cx, ax
        or      cx, dx
        jnz     .divide
        mov     cx, di
        sub     cx, si
        jle     .emit
.pad:
        mov     al, ' '
        out     DEBUGCON, al
        loop    .pad
.emit:
        pop     ax
        add     al, '0'
        out     DEBUGCON, al
        dec     si
        jnz     .emit
        pop     si
        pop     dx
        pop     cx
        pop     bx
        pop     ax
        ret

; ---------------------------------------------------------------------------------------------
; RAM variables (in the stack segment, 0000:0500, the first free bytes after the BIOS data area).
fact_lo         equ     0x0500
fact_hi         equ     0x0502

msg_banner:
        db      10
        db      "  _                _", 10
        db      " | |    __ _ _ __ | |_ ___ _ __ _ __", 10
        db      " | |   / _` | '_ \| __/ _ \ '__| '_ \", 10
        db      " | |__| (_| | | | | ||  __/ |  | | | |", 10
        db      " |_____\__,_|_| |_|\__\___|_|  |_| |_|", 10
        db      10
        db      "Lantern - an educational, cycle-aware x86 PC emulator", 10
        db      10
        db      "Hello! This text comes from a small real-mode program running on the", 10
        db      "emulated CPU (assets/demo/demo.asm). It prints each character by writing", 10
        db      "it to I/O port 0E9h, the debug console, and ends the run by writing 0 to", 10
        db      "port 0F4h, the debug-exit port.", 10, 10, 0
msg_cpu:
        db      "CPU found by the classic FLAGS test: ", 0
msg_cpu_note:
        db      10, "  (FLAGS bits 12-15 always read 1 on an 8086 and 0 on a 286 in real mode;", 10
        db      "   try `lantern --cpu 80286` to see the other answer)", 10, 10, 0
msg_table:
        db      "Powers with MUL, and factorials as 32-bit numbers in DX:AX:", 10
        db      "     n    n^2     n^3           n!", 10, 0
msg_fib:
        db      10, "Fibonacci numbers, until a 16-bit ADD carries out:", 10, " ", 0
msg_indent:
        db      " ", 0
msg_primes:
        db      10, "Primes below 100, by the sieve of Eratosthenes in RAM:", 10, " ", 0
msg_bye:
        db      10, "Bye! Run `lantern --help` to see what else Lantern can do.", 10, 0

name_8086:      db      "8086/8088", 0
name_80186:     db      "80186/80188", 0
name_80286:     db      "80286", 0
name_80386:     db      "80386 or later", 0

; ---------------------------------------------------------------------------------------------
; The reset vector, 16 bytes below the end of the image (physical FFFF0 on the 8086; FFFFF0 on
; the 286, where the board mirrors this ROM at the top of 16 MiB). A far jump loads CS = F000,
; so the 286 continues in the copy below 1 MiB too.
        times   0xFFF0 - ($ - $$) db 0xFF
reset_vector:
        jmp     0xF000:start
        db      "LANTERN", 0            ; not read by anything: marks the image in a hex dump
        times   0x10000 - ($ - $$) db 0xFF
