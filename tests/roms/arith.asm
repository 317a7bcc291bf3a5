; arith: arithmetic, logic, shifts and the flags they define.
;
; Expected values follow the 8086 Family User's Manual instruction descriptions and the Intel SDM
; Vol. 2 "Flags Affected" sections. Only flags an instruction defines are checked (a mask per
; check): undefined flags differ between CPU models and are the conformance suite's business.
%define TEST_NAME "arith"
%include "rom.inc"

test_main:
        GROUP   "add, adc"
        mov     ax, 0x7FFF
        add     ax, 1                   ; signed overflow, carry out of bit 3, low byte 00
        CHECK16 ax, 0x8000, "add 7FFF+1"
        CHECK_FLAGS F_OSZAPC, F_OF | F_SF | F_AF | F_PF, "add 7FFF+1 flags"
        mov     al, 0xFF
        add     al, 1
        CHECK8  al, 0x00, "add byte FF+1"
        CHECK_FLAGS F_OSZAPC, F_CF | F_ZF | F_AF | F_PF, "add byte FF+1 flags"
        stc
        mov     ax, 0x1234
        adc     ax, 0x1111
        CHECK16 ax, 0x2346, "adc 1234+1111+CF"
        CHECK_FLAGS F_OSZAPC, 0, "adc flags"
        mov     ax, 0xFFFF
        mov     dx, 0x0001
        add     ax, 2                   ; 32-bit add in two halves: 0001FFFF + 2
        adc     dx, 0
        CHECK16 ax, 0x0001, "32-bit add low"
        CHECK16 dx, 0x0002, "32-bit add high"

        GROUP   "sub, sbb, cmp, neg"
        mov     ax, 0x8000
        sub     ax, 1
        CHECK16 ax, 0x7FFF, "sub 8000-1"
        CHECK_FLAGS F_OSZAPC, F_OF | F_AF | F_PF, "sub 8000-1 flags"
        mov     al, 0x10
        sub     al, 0x20
        CHECK8  al, 0xF0, "sub byte 10-20"
        CHECK_FLAGS F_OSZAPC, F_CF | F_SF | F_PF, "sub byte 10-20 flags"
        stc
        xor     ax, ax                  ; (clears CF; set it again)
        stc
        sbb     ax, 0
        CHECK16 ax, 0xFFFF, "sbb 0-0-CF"
        CHECK_FLAGS F_OSZAPC, F_CF | F_SF | F_AF | F_PF, "sbb 0-0-CF flags"
        mov     ax, 5
        cmp     ax, 5
        CHECK16 ax, 5, "cmp leaves its operand"
        CHECK_FLAGS F_OSZAPC, F_ZF | F_PF, "cmp 5,5 flags"
        mov     ax, 5
        neg     ax
        CHECK16 ax, 0xFFFB, "neg 5"
        CHECK_FLAGS F_OSZAPC, F_CF | F_SF | F_AF, "neg 5 flags"
        mov     ax, 0x8000
        neg     ax
        CHECK16 ax, 0x8000, "neg 8000"
        CHECK_FLAGS F_OSZAPC, F_OF | F_SF | F_PF | F_CF, "neg 8000 flags"
        xor     ax, ax
        neg     ax
        CHECK_FLAGS F_CF | F_ZF, F_ZF, "neg 0 clears CF"

        GROUP   "inc, dec"
        stc
        mov     al, 0x7F
        inc     al                      ; INC leaves CF alone
        CHECK8  al, 0x80, "inc byte 7F"
        CHECK_FLAGS F_OSZAPC, F_OF | F_SF | F_AF | F_CF, "inc byte 7F flags"
        clc
        mov     ax, 1
        dec     ax
        CHECK16 ax, 0, "dec 1"
        CHECK_FLAGS F_OSZAPC, F_ZF | F_PF, "dec 1 flags"

        GROUP   "mul, imul"
        mov     ax, 0x1234
        mov     bx, 0x0100
        mul     bx
        CHECK16 ax, 0x3400, "mul 1234*100 low"
        CHECK16 dx, 0x0012, "mul 1234*100 high"
        CHECK_FLAGS F_OF | F_CF, F_OF | F_CF, "mul with high half flags"
        mov     al, 16
        mov     bl, 15
        mul     bl
        CHECK16 ax, 240, "mul byte 16*15"
        CHECK_FLAGS F_OF | F_CF, 0, "mul byte fits flags"
        mov     ax, -3
        mov     bx, 7
        imul    bx
        CHECK16 ax, 0xFFEB, "imul -3*7 low"
        CHECK16 dx, 0xFFFF, "imul -3*7 high"
        CHECK_FLAGS F_OF | F_CF, 0, "imul -3*7 flags"
        mov     al, 100
        mov     bl, 2
        imul    bl
        CHECK16 ax, 200, "imul byte 100*2"
        CHECK_FLAGS F_OF | F_CF, F_OF | F_CF, "imul byte overflow flags"

        GROUP   "div, idiv"
        mov     dx, 1
        xor     ax, ax
        mov     bx, 0x0100
        div     bx
        CHECK16 ax, 0x0100, "div 10000/100 quotient"
        CHECK16 dx, 0, "div 10000/100 remainder"
        mov     ax, 1000
        mov     bl, 7
        div     bl
        CHECK16 ax, 0x068E, "div byte 1000/7 (AH=6, AL=142)"
        mov     ax, -1000
        cwd
        mov     bx, 7
        idiv    bx
        CHECK16 ax, -142, "idiv -1000/7 quotient"
        CHECK16 dx, -6, "idiv -1000/7 remainder"
        mov     ax, -100
        mov     bl, 7
        idiv    bl
        CHECK16 ax, 0xFEF2, "idiv byte -100/7 (AH=-2, AL=-14)"

        GROUP   "and, or, xor, test, not"
        mov     ax, 0xF0F0
        and     ax, 0x0FF0
        CHECK16 ax, 0x00F0, "and"
        CHECK_FLAGS F_OSZPC, F_PF, "and flags"
        mov     al, 0x80
        or      al, 0x01
        CHECK8  al, 0x81, "or byte"
        CHECK_FLAGS F_OSZPC, F_SF | F_PF, "or byte flags"
        mov     ax, 0x1234
        xor     ax, ax
        CHECK16 ax, 0, "xor self"
        CHECK_FLAGS F_OSZPC, F_ZF | F_PF, "xor self flags"
        mov     al, 0x40
        test    al, 0x40
        CHECK8  al, 0x40, "test leaves its operand"
        CHECK_FLAGS F_OSZPC, 0, "test flags"
        stc
        mov     ax, 0x00FF
        not     ax
        CHECK16 ax, 0xFF00, "not"
        CHECK_FLAGS F_CF, F_CF, "not leaves flags"

        GROUP   "shifts and rotates"
        mov     ax, 0x8001
        shl     ax, 1
        CHECK16 ax, 0x0002, "shl 8001,1"
        CHECK_FLAGS F_OSZPC, F_OF | F_CF, "shl 8001,1 flags"
        mov     ax, 0x8000
        sar     ax, 1
        CHECK16 ax, 0xC000, "sar 8000,1"
        CHECK_FLAGS F_OSZPC, F_SF | F_PF, "sar 8000,1 flags"
        mov     al, 0x81
        shr     al, 1
        CHECK8  al, 0x40, "shr byte 81,1"
        CHECK_FLAGS F_OSZPC, F_OF | F_CF, "shr byte 81,1 flags"
        mov     ax, 0x1234
        mov     cl, 4
        shl     ax, cl
        CHECK16 ax, 0x2340, "shl 1234,4"
        CHECK_FLAGS F_SZPC, F_CF, "shl 1234,4 flags"
        mov     al, 0x81
        rol     al, 1
        CHECK8  al, 0x03, "rol byte 81,1"
        CHECK_FLAGS F_OF | F_CF, F_OF | F_CF, "rol byte 81,1 flags"
        mov     ax, 0x0001
        ror     ax, 1
        CHECK16 ax, 0x8000, "ror 1,1"
        CHECK_FLAGS F_OF | F_CF, F_OF | F_CF, "ror 1,1 flags"
        stc
        mov     al, 0x00
        rcl     al, 1
        CHECK8  al, 0x01, "rcl byte 0,1 with CF"
        CHECK_FLAGS F_OF | F_CF, 0, "rcl flags"
        clc
        mov     al, 0x01
        rcr     al, 1
        CHECK8  al, 0x00, "rcr byte 1,1"
        CHECK_FLAGS F_OF | F_CF, F_CF, "rcr flags"
        mov     ax, 0x1234
        mov     cl, 8
        rol     ax, cl
        CHECK16 ax, 0x3412, "rol 1234,8"
        CHECK_FLAGS F_CF, 0, "rol 1234,8 CF"

        GROUP   "BCD and sign extension"
        mov     al, 0x15
        add     al, 0x27
        daa
        CHECK8  al, 0x42, "daa 15+27"
        CHECK_FLAGS F_SZAPC, F_AF | F_PF, "daa flags"
        mov     al, 0x99
        add     al, 0x01
        daa
        CHECK8  al, 0x00, "daa 99+1"
        CHECK_FLAGS F_CF | F_ZF, F_CF | F_ZF, "daa 99+1 flags"
        mov     ax, 0x0009
        add     al, 3
        aaa
        CHECK16 ax, 0x0102, "aaa 9+3"
        CHECK_FLAGS F_AF | F_CF, F_AF | F_CF, "aaa flags"
        mov     al, 79
        aam
        CHECK16 ax, 0x0709, "aam 79"
        mov     ax, 0x0705
        aad
        CHECK16 ax, 75, "aad 0705"
        mov     al, 0x80
        cbw
        CHECK16 ax, 0xFF80, "cbw 80"
        mov     ax, 0x8000
        cwd
        CHECK16 dx, 0xFFFF, "cwd 8000"
        mov     ax, 0x7FFF
        cwd
        CHECK16 dx, 0x0000, "cwd 7FFF"

        GROUP   "conditional jumps"
        mov     ax, 0xFFFF
        cmp     ax, 1
        jl      .j1                     ; -1 < 1 signed
        FAIL_HERE "jl after cmp -1,1"
.j1:
        ja      .j2                     ; FFFF > 1 unsigned
        FAIL_HERE "ja after cmp FFFF,1"
.j2:
        jge     .bad1
        jbe     .bad1
        jmp     .j3
.bad1:
        FAIL_HERE "jge/jbe after cmp FFFF,1"
.j3:
        mov     al, 0x7F
        add     al, 1
        jo      .j4
        FAIL_HERE "jo after 7F+1"
.j4:
        js      .j5
        FAIL_HERE "js after 7F+1"
.j5:
        jp      .bad2                   ; 80h has odd parity
        jmp     .j6
.bad2:
        FAIL_HERE "jp after 7F+1"
.j6:
        clc
        cmc
        jc      .j7
        FAIL_HERE "cmc"
.j7:

        GROUP   "memory operands and segments"
        push    ds
        xor     ax, ax
        mov     ds, ax                  ; DS = 0: RAM
        mov     bx, 0x0600
        mov     si, 4
        mov     word [bx + si + 2], 0x1111
        add     word [bx + si + 2], 0x2222
        CHECK16 [0x0606], 0x3333, "add to [bx+si+2]"
        mov     bp, 0x0600
        mov     di, 6
        inc     word [bp + di]          ; BP addresses SS (also 0 here)
        CHECK16 [0x0606], 0x3334, "inc [bp+di]"
        mov     ax, 0x0060
        mov     es, ax
        mov     word [es:0x0010], 0xABCD  ; 0060:0010 = physical 00610
        CHECK16 [0x0610], 0xABCD, "es: override"
        lea     ax, [bx + si + 0x10]
        CHECK16 ax, 0x0614, "lea"
        mov     byte [0x0620], 0x7F
        xchg    al, [0x0620]
        CHECK8  al, 0x7F, "xchg with memory (register)"
        CHECK8  [0x0620], 0x14, "xchg with memory (memory)"
        xor     ax, ax
        mov     es, ax
        pop     ds
        ret

        ROM_END
