; checksum: loops that compute numbers with known answers - a sum with LOOP, the CRC-16/CCITT-FALSE
; check value, a table sum, Fibonacci - and the LOOPcc/JCXZ exits (8086 Family User's Manual,
; "Iteration Control": LOOP decrements CX without touching flags and jumps while CX != 0).
%define TEST_NAME "checksum"
%include "rom.inc"

TABLE           equ     0x1000          ; 256 bytes of RAM at 0000:1000

test_main:
        GROUP   "sum of 1..1000 with LOOP, in DX:AX"
        xor     ax, ax
        xor     dx, dx
        mov     cx, 1000
.sum:
        add     ax, cx
        adc     dx, 0
        loop    .sum
        CHECK16 ax, 0xA314, "sum 1..1000 low (500500 = 7A314h)"
        CHECK16 dx, 0x0007, "sum 1..1000 high"
        CHECK16 cx, 0, "LOOP leaves CX = 0"

        GROUP   "CRC-16/CCITT-FALSE of '123456789'"
        mov     si, crc_input
        mov     cx, crc_input_end - crc_input
        mov     dx, 0xFFFF              ; initial value
.crc_byte:
        lodsb
        xor     dh, al
        mov     bl, 8
.crc_bit:
        shl     dx, 1
        jnc     .no_poly
        xor     dx, 0x1021              ; x^16 + x^12 + x^5 + 1
.no_poly:
        dec     bl
        jnz     .crc_bit
        loop    .crc_byte
        CHECK16 dx, 0x29B1, "CRC-16/CCITT-FALSE check value"

        GROUP   "sum of a generated table (7i+3 mod 256 is a permutation of 0..255)"
        mov     di, TABLE
        mov     cx, 256
        mov     al, 3
.fill:
        stosb
        add     al, 7
        loop    .fill
        push    ds
        xor     ax, ax
        mov     ds, ax
        mov     si, TABLE
        mov     cx, 256
        xor     bx, bx
.add:
        lodsb                           ; AH stays 0
        add     bx, ax
        loop    .add
        pop     ds
        CHECK16 bx, 32640, "table sum (0+1+...+255)"

        GROUP   "Fibonacci with LOOP"
        xor     ax, ax
        mov     bx, 1
        mov     cx, 24
.fib:
        mov     dx, ax
        add     dx, bx
        mov     ax, bx
        mov     bx, dx
        loop    .fib
        CHECK16 ax, 46368, "F(24)"

        GROUP   "LOOP with CX = 0 runs 65536 times"
        xor     cx, cx
        xor     ax, ax
        xor     dx, dx
.wrap:
        add     ax, 1
        adc     dx, 0
        loop    .wrap
        CHECK16 ax, 0, "65536 iterations low"
        CHECK16 dx, 1, "65536 iterations high"

        GROUP   "loopnz, loopz, jcxz"
        mov     si, scan_zero
        mov     cx, 5
.find_zero:
        lodsb
        test    al, al
        loopnz  .find_zero              ; stops at the 0 (4th byte) with CX = 1
        CHECK16 cx, 1, "loopnz CX"
        CHECK16 si, scan_zero + 4, "loopnz SI"
        CHECK_FLAGS F_ZF, F_ZF, "loopnz exit ZF"
        mov     si, scan_nines
        mov     cx, 5
.skip_nines:
        lodsb
        cmp     al, 9
        loopz   .skip_nines             ; stops at the 8 (4th byte) with CX = 1
        CHECK16 cx, 1, "loopz CX"
        CHECK8  al, 8, "loopz stopped on the 8"
        xor     cx, cx
        jcxz    .cx_zero
        FAIL_HERE "jcxz with CX = 0"
.cx_zero:
        inc     cx
        jcxz    .cx_bad
        jmp     .cx_done
.cx_bad:
        FAIL_HERE "jcxz with CX = 1"
.cx_done:
        ret

crc_input:      db      "123456789"
crc_input_end:
scan_zero:      db      5, 4, 3, 0, 7
scan_nines:     db      9, 9, 9, 8, 9

        ROM_END
