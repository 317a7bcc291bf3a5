; real32.asm - the 80386's 32-bit instructions, used from real mode.
;
; A 386 or later in real mode still runs 16-bit code, but two prefixes open up the 32-bit machine:
; 66h flips the operand size (AX becomes EAX) and 67h the address size (16-bit [BX+SI] forms
; become the 32-bit forms with their scale-index-base byte, SIB). This ROM exercises the
; instructions the 386, 486, Pentium and P6 added, each on the models that have it; on a model
; that lacks one it checks that the instruction raises #UD (invalid opcode, vector 6) instead.
;
; It also identifies the CPU the way software did before and after CPUID existed (Intel AP-485):
; EFLAGS.AC can only be toggled on a 486 or later, EFLAGS.ID only on a CPU with CPUID. It prints
; "identified as <model>" so the test harness can compare with the model it asked for.

%define TEST_NAME "real32"
%include "pm.inc"

SCRATCH         equ     0x9000          ; 0000:9000, our scratch RAM in this ROM
BITS_ARRAY      equ     0x9100          ; four dwords for the bit-string tests
STRING_DST      equ     0x9200
FRAME_AREA      equ     0x9400

test_main:
        call    rm_install_vectors
        call    detect_features
        call    print_inline
        db      "  identified as ", 0
        call    print_family
        call    newline

        call    test_prefixes
        call    test_addressing
        call    test_muldiv
        call    test_extend
        call    test_bit_ops
        call    test_bit_scan
        call    test_double_shift
        call    test_setcc
        call    test_cmov
        call    test_486_ops
        call    test_cmpxchg8b
        call    test_cpuid
        call    test_rdtsc
        call    test_msr
        call    test_pushad
        call    test_enter_leave
        call    test_strings
        call    test_loops
        call    test_real_idt
        ret

; ---------------------------------------------------------------------------------------------
; 66h: the operand-size prefix. EAX's low half is AX; 16-bit instructions leave the high half
; alone.
test_prefixes:
        GROUP   "operand-size prefix"
        mov     eax, 0x12345678
        add     eax, 0x11111111
        CHECK32 eax, 0x23456789, "add eax, imm32"
        mov     ax, 0xFFFF
        CHECK32 eax, 0x2345FFFF, "mov ax keeps EAX 31..16"
        inc     ax                      ; a 16-bit increment wraps without touching bit 16
        CHECK32 eax, 0x23450000, "inc ax wraps at 16 bits"
        mov     ebx, 0x80000000
        add     ebx, ebx
        CHECK32 ebx, 0, "80000000h + 80000000h"
        CHECK_FLAGS F_CF | F_ZF | F_SF | F_OF, F_CF | F_ZF | F_OF, "flags of a 32-bit carry out"
        mov     cx, sp
        push    eax                     ; 66 50: a four-byte push from 16-bit code
        mov     dx, sp
        sub     cx, dx
        CHECK16 cx, 4, "push eax moves SP by 4"
        mov     bp, sp
        CHECK16 [bp + 2], 0x2345, "push eax stores the high word above the low"
        pop     ecx
        CHECK32 ecx, 0x23450000, "pop ecx"
        mov     eax, 0xFFFFFFFF
        xor     edx, edx
        mov     dl, 1
        add     eax, edx
        jz      near .zero_taken        ; 0F 84: a Jcc with a 16-bit displacement (386+)
        FAIL_HERE "jz near not taken"
.zero_taken:
        ret

; ---------------------------------------------------------------------------------------------
; 67h: 32-bit addressing. [base + index*scale + displacement]; a base of EBP or ESP means the
; stack segment SS by default, any other base (or none) the data segment DS.
test_addressing:
        GROUP   "32-bit addressing and SIB"
        xor     ax, ax
        mov     es, ax
        mov     di, SCRATCH             ; SCRATCH[i] = A0000000h + i, 16 dwords
        mov     eax, 0xA0000000
        mov     cx, 16
.fill:
        stosd
        inc     eax
        loop    .fill

        mov     esi, SCRATCH
        mov     ecx, 3
        mov     eax, [es:esi + ecx*4]
        CHECK32 eax, 0xA0000003, "[esi+ecx*4]"
        mov     eax, [es:esi + ecx*8 + 4]
        CHECK32 eax, 0xA0000007, "[esi+ecx*8+4]"
        mov     eax, [es:nosplit ecx*4 + SCRATCH + 8]     ; SIB with no base: disp32 + index
        CHECK32 eax, 0xA0000005, "[ecx*4+disp32]"
        mov     eax, [es:dword SCRATCH + 12]              ; 67h with a plain disp32
        CHECK32 eax, 0xA0000003, "[disp32]"

        ; Default segments. DS = 0800h (base 8000h) and SS = 0 now point at different memory:
        ; marker A at 0000:9040 and marker B at 0800:9040 (linear 11040h).
        mov     dword [es:SCRATCH + 0x40], 0xAAAAAAAA
        push    es
        mov     ax, 0x1000
        mov     es, ax
        mov     dword [es:0x1040], 0xBBBBBBBB
        pop     es
        push    ds
        mov     ax, 0x0800
        mov     ds, ax
        mov     ebp, SCRATCH
        mov     eax, [ebp + 0x40]
        CHECK32 eax, 0xAAAAAAAA, "[ebp+disp] uses SS"
        mov     ebx, SCRATCH
        mov     eax, [ebx + 0x40]
        CHECK32 eax, 0xBBBBBBBB, "[ebx+disp] uses DS"
        mov     ecx, SCRATCH + 0x40
        movzx   esp, sp
        sub     ecx, esp
        mov     eax, [esp + ecx]
        CHECK32 eax, 0xAAAAAAAA, "[esp+ecx] uses SS"
        mov     ebp, 0x20
        mov     eax, [ebx + ebp*2]
        CHECK32 eax, 0xBBBBBBBB, "[ebx+ebp*2]: base EBX, so DS"
        mov     ebp, SCRATCH
        mov     ebx, 0x20
        mov     eax, [ebp + ebx*2]
        CHECK32 eax, 0xAAAAAAAA, "[ebp+ebx*2]: base EBP, so SS"
        mov     ebp, 0x20
        mov     eax, [nosplit ebp*2 + SCRATCH]
        CHECK32 eax, 0xBBBBBBBB, "[ebp*2+disp32]: no base, so DS"
        pop     ds

        mov     eax, 7
        lea     eax, [eax + eax*2]
        CHECK32 eax, 21, "lea eax, [eax+eax*2]"
        mov     ebx, 0x1000
        mov     esi, 0x100
        lea     ecx, [ebx + esi*4 + 0x12345678]
        CHECK32 ecx, 0x12346A78, "lea ecx, [ebx+esi*4+disp32]"
        mov     eax, 0xFFFFFFFF
        mov     bx, 0xFFFF
        mov     si, 2
        lea     eax, [bx + si]          ; a 16-bit address, zero-extended into EAX
        CHECK32 eax, 1, "lea eax, [bx+si] wraps at 64 KiB"

        ; Real mode still has 64 KiB segment limits: an offset past FFFF raises exception 13
        ; (the 386 checks the limit; the 8086 just wrapped). The fault leaves IP on the
        ; instruction.
        mov     esi, 0x10000
        RM_TRY  .gp1_caught
.gp1:   mov     eax, [es:esi]
        RM_ENDTRY
.gp1_caught:
        CHECK_RM_FAULT 13, .gp1, "offset 10000h in real mode"
        mov     esi, 0xFFFF
        RM_TRY  .gp2_caught
.gp2:   mov     ax, [es:esi]            ; the second byte is past the limit
        RM_ENDTRY
.gp2_caught:
        CHECK_RM_FAULT 13, .gp2, "word at offset FFFFh in real mode"
        mov     eax, 0x10000            ; a 32-bit jump past IP FFFFh: CS still has 64 KiB
        RM_TRY  .gp3_caught
.gp3:   jmp     eax
        RM_ENDTRY
.gp3_caught:
        CHECK_RM_FAULT 13, .gp3, "jmp eax past FFFFh in real mode: #GP at the jmp"
        ret

; ---------------------------------------------------------------------------------------------
; 32-bit multiply and divide: EDX:EAX holds the 64-bit product or dividend.
test_muldiv:
        GROUP   "32-bit MUL IMUL DIV IDIV"
        mov     eax, 0x12345678
        mov     ecx, 0x9ABCDEF0
        mul     ecx
        CHECK32 edx, 0x0B00EA4E, "mul: EDX"
        CHECK32 eax, 0x242D2080, "mul: EAX"
        CHECK_FLAGS F_CF | F_OF, F_CF | F_OF, "mul: CF=OF=1 with a high half"
        mov     eax, 0x1234
        mov     ecx, 0x10
        mul     ecx
        CHECK32 eax, 0x12340, "mul small"
        CHECK32 edx, 0, "mul small: EDX"
        CHECK_FLAGS F_CF | F_OF, 0, "mul: CF=OF=0 without one"

        mov     eax, -2
        mov     ecx, 0x7FFFFFFF
        imul    ecx
        CHECK32 edx, 0xFFFFFFFF, "imul -2 * 7FFFFFFFh: EDX"
        CHECK32 eax, 0x00000002, "imul -2 * 7FFFFFFFh: EAX"
        CHECK_FLAGS F_CF | F_OF, F_CF | F_OF, "imul: product needs EDX"
        mov     eax, -3
        mov     ecx, 5
        imul    ecx
        CHECK32 edx, 0xFFFFFFFF, "imul -3 * 5: EDX (sign)"
        CHECK32 eax, 0xFFFFFFF1, "imul -3 * 5: EAX"
        CHECK_FLAGS F_CF | F_OF, 0, "imul: product fits EAX"
        mov     ebx, 0x10000
        mov     ecx, 0x10000
        imul    ebx, ecx                ; 0F AF: the two-operand form truncates
        CHECK32 ebx, 0, "imul ebx, ecx truncates"
        CHECK_FLAGS F_CF | F_OF, F_CF | F_OF, "imul ebx, ecx overflow"
        mov     ecx, 0x1000
        imul    edx, ecx, -7
        CHECK32 edx, 0xFFFF9000, "imul edx, ecx, -7"
        mov     ebx, 0x01000001
        imul    eax, ebx, 3
        CHECK32 eax, 0x03000003, "imul eax, ebx, 3"

        mov     edx, 0x0B00EA4E
        mov     eax, 0x242D2085
        mov     ecx, 0x9ABCDEF0
        div     ecx
        CHECK32 eax, 0x12345678, "div: quotient"
        CHECK32 edx, 5, "div: remainder"
        mov     eax, -1000000007
        cdq
        CHECK32 edx, 0xFFFFFFFF, "cdq"
        mov     ecx, 10
        idiv    ecx                     ; truncates toward zero: -100000000 rem -7
        CHECK32 eax, 0xFA0A1F00, "idiv: quotient"
        CHECK32 edx, 0xFFFFFFF9, "idiv: remainder takes the dividend's sign"
        xor     edx, edx
        mov     eax, 0x80000000         ; +2^31 / -1 = -2^31: just fits
        mov     ecx, -1
        idiv    ecx
        CHECK32 eax, 0x80000000, "idiv 2^31 / -1"

        ; Overflowing quotients raise #DE (vector 0). From the 286 on the pushed IP is that of
        ; the DIV itself, so a handler could fix things and retry.
        mov     edx, 1
        xor     eax, eax
        mov     ecx, 1
        RM_TRY  .de1_caught
.de1:   div     ecx
        RM_ENDTRY
.de1_caught:
        CHECK_RM_FAULT 0, .de1, "div 2^32 / 1"
        mov     edx, 0xFFFFFFFF
        mov     eax, 0x80000000         ; -2^31 / -1 = +2^31: does not fit
        mov     ecx, -1
        RM_TRY  .de2_caught
.de2:   idiv    ecx
        RM_ENDTRY
.de2_caught:
        CHECK_RM_FAULT 0, .de2, "idiv -2^31 / -1"
        xor     ecx, ecx
        RM_TRY  .de3_caught
.de3:   div     ecx
        RM_ENDTRY
.de3_caught:
        CHECK_RM_FAULT 0, .de3, "div by zero"
        ret

; ---------------------------------------------------------------------------------------------
test_extend:
        GROUP   "MOVZX MOVSX CWDE"
        mov     byte [es:SCRATCH], 0x80
        mov     word [es:SCRATCH + 2], 0x8001
        mov     eax, 0xFFFFFFFF
        movzx   eax, byte [es:SCRATCH]
        CHECK32 eax, 0x80, "movzx eax, byte"
        movsx   eax, byte [es:SCRATCH]
        CHECK32 eax, 0xFFFFFF80, "movsx eax, byte"
        movzx   ecx, word [es:SCRATCH + 2]
        CHECK32 ecx, 0x8001, "movzx ecx, word"
        movsx   ecx, word [es:SCRATCH + 2]
        CHECK32 ecx, 0xFFFF8001, "movsx ecx, word"
        mov     eax, 0x12345678
        mov     bl, 0xF0
        movsx   ax, bl                  ; a 16-bit destination: EAX 31..16 stay
        CHECK32 eax, 0x1234FFF0, "movsx ax, bl"
        mov     eax, 0x1234A5C3
        movzx   edx, ah
        CHECK32 edx, 0xA5, "movzx edx, ah"
        mov     eax, 0x5555F000
        cwde
        CHECK32 eax, 0xFFFFF000, "cwde"
        ret

; ---------------------------------------------------------------------------------------------
; BT, BTS, BTR, BTC copy a bit into CF and then leave, set, clear or complement it. With a
; register operand, or an immediate bit offset, the offset is taken modulo the operand size.
; With a memory operand and a register offset the operand is a bit string: the offset is a
; signed number that may address bits far below or above the named dword.
test_bit_ops:
        GROUP   "BT BTS BTR BTC"
        mov     eax, 0x10
        bt      eax, 4
        CHECK_FLAGS F_CF, F_CF, "bt eax, 4"
        mov     ecx, 36
        bt      eax, ecx                ; 36 mod 32 = 4
        CHECK_FLAGS F_CF, F_CF, "bt eax, ecx=36 (mod 32)"
        bt      eax, 36                 ; the immediate form too
        CHECK_FLAGS F_CF, F_CF, "bt eax, 36 (mod 32)"
        bts     eax, 0
        CHECK32 eax, 0x11, "bts eax, 0"
        CHECK_FLAGS F_CF, 0, "bts eax, 0: CF = old bit"
        btr     eax, 4
        CHECK32 eax, 0x01, "btr eax, 4"
        CHECK_FLAGS F_CF, F_CF, "btr eax, 4: CF = old bit"
        btc     eax, 31
        CHECK32 eax, 0x80000001, "btc eax, 31"
        mov     ax, 0x0002
        mov     cx, 17
        bt      ax, cx                  ; 17 mod 16 = 1
        CHECK_FLAGS F_CF, F_CF, "bt ax, cx=17 (mod 16)"

        ; The bit string: four dwords, addressed from the third (index 2).
        xor     eax, eax
        mov     di, BITS_ARRAY
        mov     cx, 4
        rep     stosd
        mov     di, BITS_ARRAY + 8
        mov     ecx, 35                 ; dword +1, bit 3
        bts     [es:di], ecx
        CHECK32 [es:BITS_ARRAY + 12], 0x00000008, "bts [m], 35 sets bit 3 of the next dword"
        mov     ecx, -1                 ; dword -1, bit 31
        bts     [es:di], ecx
        CHECK32 [es:BITS_ARRAY + 4], 0x80000000, "bts [m], -1 sets bit 31 of the previous dword"
        mov     ecx, -33                ; dword -2, bit 31
        bts     [es:di], ecx
        CHECK32 [es:BITS_ARRAY], 0x80000000, "bts [m], -33"
        CHECK_FLAGS F_CF, 0, "bts [m], -33: CF = old bit"
        mov     ecx, -1
        btr     [es:di], ecx
        CHECK_FLAGS F_CF, F_CF, "btr [m], -1: CF = old bit"
        CHECK32 [es:BITS_ARRAY + 4], 0, "btr [m], -1"
        xor     ecx, ecx
        btc     [es:di], ecx
        CHECK32 [es:BITS_ARRAY + 8], 1, "btc [m], 0"
        mov     cx, -1                  ; 16-bit operand: word -1, bit 15
        bts     [es:di], cx
        CHECK32 [es:BITS_ARRAY + 4], 0x80000000, "bts word [m], -1"
        mov     cx, 16                  ; word +1, bit 0
        bts     [es:di], cx
        CHECK32 [es:BITS_ARRAY + 8], 0x00010001, "bts word [m], 16"
        bts     dword [es:di], 35       ; immediate offset: 35 mod 32 = 3, same dword
        CHECK32 [es:BITS_ARRAY + 8], 0x00010009, "bts dword [m], 35 (immediate, mod 32)"
        CHECK32 [es:BITS_ARRAY + 12], 0x00000008, "bts [m], imm stays inside the dword"
        mov     edi, BITS_ARRAY
        mov     ecx, 96 + 3             ; 32-bit addressing: dword +3, bit 3
        bt      [es:edi], ecx
        CHECK_FLAGS F_CF, F_CF, "bt [edi], 99"
        ret

; ---------------------------------------------------------------------------------------------
test_bit_scan:
        GROUP   "BSF BSR"
        mov     ecx, 0x00018000
        bsf     eax, ecx
        CHECK32 eax, 15, "bsf 18000h"
        CHECK_FLAGS F_ZF, 0, "bsf: ZF=0 for a nonzero source"
        bsr     eax, ecx
        CHECK32 eax, 16, "bsr 18000h"
        mov     ecx, 0x80000000
        bsr     eax, ecx
        CHECK32 eax, 31, "bsr 80000000h"
        mov     cx, 1
        bsr     ax, cx
        CHECK16 ax, 0, "bsr ax, 1"
        xor     ecx, ecx
        bsf     eax, ecx
        CHECK_FLAGS F_ZF, F_ZF, "bsf 0: ZF=1"
        bsr     eax, ecx
        CHECK_FLAGS F_ZF, F_ZF, "bsr 0: ZF=1"
        ret

; ---------------------------------------------------------------------------------------------
; SHLD/SHRD shift a destination while filling the vacated bits from a second register.
test_double_shift:
        GROUP   "SHLD SHRD"
        mov     eax, 0x12345678
        mov     ebx, 0x9ABCDEF0
        shld    eax, ebx, 8
        CHECK32 eax, 0x3456789A, "shld eax, ebx, 8"
        CHECK_FLAGS F_CF, 0, "shld: CF = bit 24 of the old EAX"
        mov     eax, 0x12345678
        shrd    eax, ebx, 4
        CHECK32 eax, 0x01234567, "shrd eax, ebx, 4"
        CHECK_FLAGS F_CF, F_CF, "shrd: CF = bit 3 of the old EAX"
        mov     eax, 0x12345678
        shrd    eax, ebx, 12
        CHECK32 eax, 0xEF012345, "shrd eax, ebx, 12"
        stc
        mov     cl, 0
        shld    eax, ebx, cl            ; a zero count changes nothing, flags included
        CHECK32 eax, 0xEF012345, "shld by 0"
        CHECK_FLAGS F_CF, F_CF, "shld by 0 keeps CF"
        mov     cl, 32                  ; counts are taken mod 32
        shrd    eax, ebx, cl
        CHECK32 eax, 0xEF012345, "shrd by 32 = by 0"
        mov     ax, 0x1234
        mov     bx, 0xABCD
        shld    ax, bx, 4
        CHECK16 ax, 0x234A, "shld ax, bx, 4"
        CHECK_FLAGS F_CF, F_CF, "shld ax: CF = bit 12 of the old AX"
        mov     dword [es:SCRATCH], 0x11223344
        mov     eax, 0xAABBCCDD
        shrd    [es:SCRATCH], eax, 16
        CHECK32 [es:SCRATCH], 0xCCDD1122, "shrd [m], eax, 16"
        ret

; ---------------------------------------------------------------------------------------------
test_setcc:
        GROUP   "SETcc"
        mov     eax, -1
        mov     ebx, 1
        cmp     eax, ebx                ; signed: -1 < 1; unsigned: FFFFFFFFh > 1
        setl    al
        CHECK8  al, 1, "setl after -1 cmp 1"
        setb    al
        CHECK8  al, 0, "setb after -1 cmp 1"
        seta    al
        CHECK8  al, 1, "seta after -1 cmp 1"
        setg    al
        CHECK8  al, 0, "setg after -1 cmp 1"
        setnz   al
        CHECK8  al, 1, "setnz"
        mov     eax, 0x7FFFFFFF
        add     eax, 1
        seto    cl
        CHECK8  cl, 1, "seto after 7FFFFFFFh + 1"
        sets    cl
        CHECK8  cl, 1, "sets after 7FFFFFFFh + 1"
        setpe   cl                      ; 80000000h: low byte 00, even parity
        CHECK8  cl, 1, "setpe"
        mov     byte [es:SCRATCH], 0x55
        stc
        setc    byte [es:SCRATCH]
        CHECK8  [es:SCRATCH], 1, "setc [m]"
        ret

; ---------------------------------------------------------------------------------------------
; CMOVcc arrived with the P6 (CPUID.1:EDX.CMOV).
test_cmov:
        test    dword [ss:CPU_FEATURES], FEAT_CMOV
        jnz     .has_cmov
        GROUP   "CMOVcc absent: #UD"
        RM_TRY  .ud_caught
.ud:    cmovl   eax, ebx
        RM_ENDTRY
.ud_caught:
        CHECK_RM_FAULT 6, .ud, "cmovl without CMOV"
        ret
.has_cmov:
        GROUP   "CMOVcc"
        mov     eax, 1
        mov     ebx, 2
        mov     ecx, 0x77
        cmp     eax, ebx
        cmovl   eax, ebx
        CHECK32 eax, 2, "cmovl taken"
        cmovg   ecx, ebx
        CHECK32 ecx, 0x77, "cmovg not taken"
        mov     dword [es:SCRATCH], 0xCAFEF00D
        xor     edx, edx                ; ZF=1
        cmovz   edx, [es:SCRATCH]
        CHECK32 edx, 0xCAFEF00D, "cmovz from memory"
        mov     eax, 0x12345678
        mov     bx, 0xBEEF
        or      bx, bx                  ; ZF=0
        cmovnz  ax, bx
        CHECK32 eax, 0x1234BEEF, "cmovnz ax, bx keeps EAX 31..16"
        ret

; ---------------------------------------------------------------------------------------------
; The 486 added BSWAP, XADD and CMPXCHG.
test_486_ops:
        cmp     byte [ss:CPU_FAMILY], 4
        jae     .has_486
        GROUP   "486 instructions absent on the 386: #UD"
        RM_TRY  .ud1_caught
.ud1:   bswap   eax
        RM_ENDTRY
.ud1_caught:
        CHECK_RM_FAULT 6, .ud1, "bswap on a 386"
        RM_TRY  .ud2_caught
.ud2:   xadd    eax, ebx
        RM_ENDTRY
.ud2_caught:
        CHECK_RM_FAULT 6, .ud2, "xadd on a 386"
        RM_TRY  .ud3_caught
.ud3:   cmpxchg ecx, edx
        RM_ENDTRY
.ud3_caught:
        CHECK_RM_FAULT 6, .ud3, "cmpxchg on a 386"
        ret
.has_486:
        GROUP   "BSWAP XADD CMPXCHG"
        mov     eax, 0x12345678
        bswap   eax
        CHECK32 eax, 0x78563412, "bswap"

        mov     eax, 5
        mov     ebx, 7
        xadd    eax, ebx
        CHECK32 eax, 12, "xadd: dest = sum"
        CHECK32 ebx, 5, "xadd: source = old dest"
        mov     dword [es:SCRATCH], 100
        mov     ecx, -1
        xadd    [es:SCRATCH], ecx
        CHECK32 [es:SCRATCH], 99, "xadd [m], -1"
        CHECK32 ecx, 100, "xadd [m]: old value"
        CHECK_FLAGS F_CF | F_ZF, F_CF, "xadd flags are the add's"
        mov     eax, 3
        xadd    eax, eax                ; TEMP = 6; SRC = 3; DEST = 6: the destination wins
        CHECK32 eax, 6, "xadd eax, eax"
        mov     al, 0xF0
        mov     bl, 0x20
        xadd    al, bl
        CHECK8  al, 0x10, "xadd al, bl"
        CHECK8  bl, 0xF0, "xadd al, bl: old al"

        ; CMPXCHG compares the accumulator with the destination: equal, the source is stored
        ; (ZF=1); different, the destination is loaded into the accumulator (ZF=0).
        mov     dword [es:SCRATCH], 5
        mov     eax, 5
        mov     ebx, 9
        cmpxchg [es:SCRATCH], ebx
        CHECK_FLAGS F_ZF, F_ZF, "cmpxchg equal: ZF=1"
        CHECK32 [es:SCRATCH], 9, "cmpxchg equal: stored"
        CHECK32 eax, 5, "cmpxchg equal: EAX kept"
        mov     eax, 5
        mov     ebx, 1
        cmpxchg [es:SCRATCH], ebx
        CHECK_FLAGS F_ZF | F_CF | F_SF, F_CF | F_SF, "cmpxchg different: flags of 5 - 9"
        CHECK32 eax, 9, "cmpxchg different: EAX loaded"
        CHECK32 [es:SCRATCH], 9, "cmpxchg different: memory kept"
        mov     al, 0x44
        mov     cl, 0x44
        mov     dl, 0x99
        cmpxchg cl, dl
        CHECK8  cl, 0x99, "cmpxchg cl, dl equal"
        ret

; ---------------------------------------------------------------------------------------------
; CMPXCHG8B compares EDX:EAX with a qword: equal, ECX:EBX is stored; else EDX:EAX is loaded.
test_cmpxchg8b:
        test    dword [ss:CPU_FEATURES], FEAT_CX8
        jnz     .has_cx8
        GROUP   "CMPXCHG8B absent: #UD"
        RM_TRY  .ud_caught
.ud:    cmpxchg8b [es:SCRATCH]
        RM_ENDTRY
.ud_caught:
        CHECK_RM_FAULT 6, .ud, "cmpxchg8b without CX8"
        ret
.has_cx8:
        GROUP   "CMPXCHG8B"
        mov     dword [es:SCRATCH], 0x11111111
        mov     dword [es:SCRATCH + 4], 0x22222222
        mov     eax, 0x11111111
        mov     edx, 0x22222222
        mov     ebx, 0x33333333
        mov     ecx, 0x44444444
        cmpxchg8b [es:SCRATCH]
        CHECK_FLAGS F_ZF, F_ZF, "cmpxchg8b equal: ZF=1"
        CHECK32 [es:SCRATCH], 0x33333333, "cmpxchg8b equal: low dword"
        CHECK32 [es:SCRATCH + 4], 0x44444444, "cmpxchg8b equal: high dword"
        cmpxchg8b [es:SCRATCH]          ; EDX:EAX no longer match
        CHECK_FLAGS F_ZF, 0, "cmpxchg8b different: ZF=0"
        CHECK32 eax, 0x33333333, "cmpxchg8b different: EAX loaded"
        CHECK32 edx, 0x44444444, "cmpxchg8b different: EDX loaded"
        RM_TRY  .reg_caught
.reg:   db      0x0F, 0xC7, 0xC8        ; cmpxchg8b with a register operand
        RM_ENDTRY
.reg_caught:
        CHECK_RM_FAULT 6, .reg, "cmpxchg8b with a register operand: #UD"
        ret

; ---------------------------------------------------------------------------------------------
test_cpuid:
        cmp     byte [ss:CPU_FAMILY], 3
        jne     .check_id
        GROUP   "CPUID absent on the 386: #UD"
        RM_TRY  .ud_caught
.ud:    cpuid
        RM_ENDTRY
.ud_caught:
        CHECK_RM_FAULT 6, .ud, "cpuid on a 386"
        ret
.check_id:
        ; detect_features found CPUID through EFLAGS.ID; a 486 that cannot toggle ID would still
        ; be a 486, but Lantern's 486 is a DX4, which has CPUID.
        GROUP   "CPUID"
        cmp     dword [ss:CPU_FEATURES], 0
        jne     .has_cpuid
        FAIL_HERE "EFLAGS.ID cannot be toggled on a CPU with CPUID"
        ret
.has_cpuid:
        xor     eax, eax
        cpuid
        CHECK32 ebx, 'Genu', "vendor EBX"
        CHECK32 edx, 'ineI', "vendor EDX"
        CHECK32 ecx, 'ntel', "vendor ECX"
        mov     eax, 1
        cpuid
        call    print_inline
        db      "  cpuid family ", 0
        push    eax
        shr     eax, 8
        and     ax, 0x0F
        call    print_dec
        pop     eax
        call    newline
        test    edx, FEAT_FPU
        jnz     .fpu
        FAIL_HERE "CPUID.1:EDX.FPU clear (every model here has an on-chip FPU)"
.fpu:
        ret

; ---------------------------------------------------------------------------------------------
; RDTSC (Pentium, CPUID.1:EDX.TSC) reads the 64-bit time-stamp counter into EDX:EAX. It counts
; clock cycles, so two reads in a row must increase.
test_rdtsc:
        test    dword [ss:CPU_FEATURES], FEAT_TSC
        jnz     .has_tsc
        GROUP   "RDTSC absent: #UD"
        RM_TRY  .ud_caught
.ud:    rdtsc
        RM_ENDTRY
.ud_caught:
        CHECK_RM_FAULT 6, .ud, "rdtsc without TSC"
        ret
.has_tsc:
        GROUP   "RDTSC"
        rdtsc
        mov     esi, eax
        mov     edi, edx
        mov     cx, 100
.spin:  loop    .spin
        rdtsc
        sub     eax, esi
        sbb     edx, edi                ; EDX:EAX = the second read - the first
        CHECK32 edx, 0, "rdtsc: difference below 2^32"
        cmp     eax, 100                ; a hundred LOOPs take well over 100 cycles
        jae     .grew
        FAIL_HERE "rdtsc did not advance"
.grew:
        ret

; ---------------------------------------------------------------------------------------------
; PUSHAD pushes EAX, ECX, EDX, EBX, the ESP before the first push, EBP, ESI, EDI; POPAD pops them
; back in reverse, skipping the ESP image.
test_pushad:
        GROUP   "PUSHAD POPAD"
        movzx   esp, sp
        mov     eax, 0xA0A0A0A0
        mov     ecx, 0xC1C1C1C1
        mov     edx, 0xD2D2D2D2
        mov     ebx, 0xB3B3B3B3
        mov     ebp, 0xB5B5B5B5
        mov     esi, 0x56565656
        mov     edi, 0xD7D7D7D7
        mov     [es:SCRATCH], esp
        pushad
        mov     bp, sp
        CHECK32 [bp + 28], 0xA0A0A0A0, "pushad: EAX at +28"
        CHECK32 [bp + 24], 0xC1C1C1C1, "pushad: ECX at +24"
        CHECK32 [bp + 16], 0xB3B3B3B3, "pushad: EBX at +16"
        CHECK32 [bp + 12], [es:SCRATCH], "pushad: the original ESP at +12"
        CHECK32 [bp + 0], 0xD7D7D7D7, "pushad: EDI at +0"
        mov     dword [bp + 12], 0x12345678     ; POPAD must ignore this
        xor     eax, eax
        xor     ecx, ecx
        xor     ebx, ebx
        xor     ebp, ebp
        xor     edi, edi
        popad
        mov     [es:SCRATCH + 4], esp
        CHECK32 [es:SCRATCH + 4], [es:SCRATCH], "popad: ESP from the pops, not the image"
        CHECK32 eax, 0xA0A0A0A0, "popad: EAX"
        CHECK32 ebp, 0xB5B5B5B5, "popad: EBP"
        CHECK32 edi, 0xD7D7D7D7, "popad: EDI"
        mov     ax, sp
        pusha                           ; the 16-bit forms push eight words
        mov     bx, sp
        sub     ax, bx
        CHECK16 ax, 16, "pusha: 16 bytes"
        popa
        ret

; ---------------------------------------------------------------------------------------------
; ENTER size, level with a 32-bit operand size (80386 Programmer's Reference, ENTER): push EBP,
; remember the stack pointer as the frame, copy level-1 frame pointers from the old frame, push
; the frame, EBP = frame, then allocate `size` bytes. LEAVE undoes it.
test_enter_leave:
        GROUP   "ENTER LEAVE, 32-bit"
        movzx   esp, sp
        mov     [es:SCRATCH], esp
        mov     ebp, 0x12345678
        o32 enter 8, 0
        mov     [es:SCRATCH + 4], esp
        mov     ecx, [es:SCRATCH]
        sub     ecx, 4                  ; the frame: ESP after pushing EBP
        CHECK32 ebp, ecx, "enter 8, 0: EBP = frame"
        sub     ecx, 8
        CHECK32 [es:SCRATCH + 4], ecx, "enter 8, 0: ESP = frame - 8"
        CHECK32 [ss:bp], 0x12345678, "enter: the old EBP at [EBP]"
        o32 leave
        mov     [es:SCRATCH + 4], esp
        CHECK32 ebp, 0x12345678, "leave: EBP restored"
        CHECK32 [es:SCRATCH + 4], [es:SCRATCH], "leave: ESP restored"

        ; Level 2: one frame pointer is copied from the caller's display, at [EBP-4].
        mov     dword [ss:FRAME_AREA - 4], 0xCAFEBABE
        mov     ebp, FRAME_AREA
        o32 enter 4, 2
        mov     [es:SCRATCH + 4], esp
        mov     ecx, [es:SCRATCH]
        sub     ecx, 4
        CHECK32 ebp, ecx, "enter 4, 2: EBP = frame"
        CHECK32 [ss:bp], FRAME_AREA, "enter 4, 2: old EBP"
        CHECK32 [ss:bp - 4], 0xCAFEBABE, "enter 4, 2: copied frame pointer"
        CHECK32 [ss:bp - 8], ecx, "enter 4, 2: the frame itself"
        sub     ecx, 12
        CHECK32 [es:SCRATCH + 4], ecx, "enter 4, 2: ESP"
        o32 leave
        mov     [es:SCRATCH + 4], esp
        CHECK32 ebp, FRAME_AREA, "leave after enter 4, 2"
        CHECK32 [es:SCRATCH + 4], [es:SCRATCH], "leave after enter 4, 2: ESP"
        ret

; ---------------------------------------------------------------------------------------------
; String instructions with 32-bit addressing use ESI, EDI and (with REP) ECX; with 16-bit
; addressing only SI, DI and CX, and the high halves stay as they were.
test_strings:
        GROUP   "string instructions, 32-bit addressing"
        mov     esi, string_src         ; DS = CS = F000: the source is in the ROM
        mov     edi, STRING_DST
        mov     ecx, 10
        a32 rep movsb
        CHECK32 ecx, 0, "a32 rep movsb: ECX"
        CHECK32 esi, string_src + 10, "a32 rep movsb: ESI"
        CHECK32 edi, STRING_DST + 10, "a32 rep movsb: EDI"
        CHECK32 [es:STRING_DST], '0123', "a32 rep movsb: data"
        CHECK32 [es:STRING_DST + 6], '6789', "a32 rep movsb: data end"

        mov     esi, 0x55AA0000 + string_src
        mov     edi, 0x66BB0000 + STRING_DST
        mov     ecx, 0x00010003         ; CX = 3
        rep     movsb                   ; a16: only SI, DI and CX count
        CHECK32 ecx, 0x00010000, "a16 rep movsb: ECX 31..16 kept"
        CHECK32 esi, 0x55AA0003 + string_src, "a16 rep movsb: ESI 31..16 kept"
        CHECK32 edi, 0x66BB0003 + STRING_DST, "a16 rep movsb: EDI 31..16 kept"

        mov     edi, STRING_DST
        mov     ecx, 4
        mov     eax, 0xDEADBEEF
        a32 rep stosd
        CHECK32 edi, STRING_DST + 16, "a32 rep stosd: EDI"
        CHECK32 [es:STRING_DST + 12], 0xDEADBEEF, "a32 rep stosd: data"

        mov     byte [es:STRING_DST + 2], 0x44
        mov     esi, STRING_DST
        mov     edi, STRING_DST + 4
        mov     ecx, 4
        push    ds
        push    es
        pop     ds
        a32 repe cmpsb                  ; stops after the third byte (44h vs ADh)
        pop     ds
        CHECK32 ecx, 1, "a32 repe cmpsb: ECX left"
        CHECK32 esi, STRING_DST + 3, "a32 repe cmpsb: ESI"
        CHECK_FLAGS F_ZF, 0, "a32 repe cmpsb: ZF=0"

        std
        mov     esi, string_src + 4
        mov     edi, STRING_DST + 4
        a32 movsd
        cld
        CHECK32 esi, string_src, "std; a32 movsd: ESI - 4"
        CHECK32 edi, STRING_DST, "std; a32 movsd: EDI - 4"
        CHECK32 [es:STRING_DST + 4], '4567', "std; a32 movsd: data"
        mov     esi, string_src
        a32 lodsd
        CHECK32 eax, '0123', "a32 lodsd"
        ret

string_src:
        db      "0123456789"

; ---------------------------------------------------------------------------------------------
; LOOP and JCXZ count in CX or ECX by the address size.
test_loops:
        GROUP   "LOOP JECXZ by address size"
        mov     ecx, 0x00010001
        xor     eax, eax
.l16:   inc     eax
        loop    .l16, cx                ; CX: 1 -> 0 after one pass
        CHECK32 eax, 1, "loop with CX: one pass"
        CHECK32 ecx, 0x00010000, "loop with CX: ECX 31..16 kept"
        mov     ecx, 0x00010001
        xor     eax, eax
.l32:   inc     eax
        loop    .l32, ecx               ; 67 E2: ECX counts 65537 passes
        CHECK32 eax, 0x00010001, "loop with ECX: 65537 passes"
        mov     ecx, 0x00010000
        jcxz    .cx_zero
        FAIL_HERE "jcxz with CX = 0 not taken"
.cx_zero:
        jecxz   .ecx_zero_wrong
        jmp     .done
.ecx_zero_wrong:
        FAIL_HERE "jecxz with ECX = 10000h taken"
.done:
        ret

; ---------------------------------------------------------------------------------------------
; Model-specific registers (Pentium, CPUID.1:EDX.MSR): RDMSR/WRMSR move EDX:EAX to and from the
; MSR that ECX names; one that does not exist is #GP(0). MSR 10h is the time-stamp counter.
FEAT_MSR        equ     1 << 5
test_msr:
        test    dword [ss:CPU_FEATURES], FEAT_MSR
        jnz     .has_msr
        GROUP   "RDMSR absent: #UD"
        RM_TRY  .ud_caught
.ud:    rdmsr
        RM_ENDTRY
.ud_caught:
        CHECK_RM_FAULT 6, .ud, "rdmsr without MSRs"
        ret
.has_msr:
        GROUP   "RDMSR WRMSR"
        mov     ecx, 0x10               ; IA32_TIME_STAMP_COUNTER
        xor     eax, eax
        xor     edx, edx
        wrmsr                           ; the TSC restarts from 0
        rdtsc
        CHECK32 edx, 0, "TSC after wrmsr 0: high dword"
        cmp     eax, 1000
        jb      .small
        FAIL_HERE "TSC after wrmsr 0 is not small"
.small:
        mov     ecx, 0x10
        rdmsr
        CHECK32 edx, 0, "rdmsr 10h: high dword"
        mov     ecx, 0x12345678         ; no such MSR
        RM_TRY  .gp_caught
.gp:    rdmsr
        RM_ENDTRY
.gp_caught:
        CHECK_RM_FAULT 13, .gp, "rdmsr of a missing MSR: #GP(0)"
        cmp     byte [ss:CPU_FAMILY], 6
        jae     test_perf_counters
        ret

; The P6's performance counters (SDM Vol. 3, "Performance Monitoring (P6 Family Processor)"):
; PerfEvtSel0/1 (186h/187h) pick an event and the privilege levels to count at, EN (bit 22 of
; PerfEvtSel0) starts both; PerfCtr0/1 (C1h/C2h) are 40 bits wide, WRMSR writes bits 31:0 and
; copies bit 31 into 39:32; RDPMC reads the counter ECX names (CPL 0, or CR4.PCE).
PERF_OS         equ     1 << 17
PERF_USR        equ     1 << 16
PERF_EN         equ     1 << 22
test_perf_counters:
        GROUP   "P6 performance counters"
        xor     edx, edx
        xor     eax, eax
        mov     ecx, 0x186
        wrmsr                           ; stopped
        mov     ecx, 0xC1
        mov     eax, 0xFFFFFFF0
        wrmsr
        rdmsr
        CHECK32 edx, 0xFF, "PerfCtr0 bits 39:32 copy bit 31"
        CHECK32 eax, 0xFFFFFFF0, "PerfCtr0 bits 31:0"
        xor     eax, eax
        xor     edx, edx
        wrmsr                           ; PerfCtr0 = 0
        mov     ecx, 0xC2
        wrmsr                           ; PerfCtr1 = 0
        ; Counter 1: CPU_CLK_UNHALTED at CPL 0; counter 0: INST_RETIRED at CPL 0. Real mode is CPL 0.
        mov     ecx, 0x187
        mov     eax, 0x79 | PERF_OS
        wrmsr
        mov     ecx, 0x186
        mov     eax, 0xC0 | PERF_OS | PERF_EN
        wrmsr                           ; both start
        times 10 nop
        xor     ecx, ecx
        rdpmc                           ; PerfCtr0: the 10 NOPs and the instructions around them
        mov     esi, eax
        mov     edi, edx
        mov     ecx, 1
        rdpmc                           ; PerfCtr1: cycles
        mov     ebx, eax
        mov     ecx, 0x186
        xor     eax, eax
        xor     edx, edx
        wrmsr                           ; stopped again
        CHECK32 edi, 0, "INST_RETIRED: high byte"
        cmp     esi, 10
        jb      .few
        cmp     esi, 16
        jbe     .insns_ok
.few:   FAIL_HERE "INST_RETIRED is not 10 NOPs and a few instructions"
.insns_ok:
        cmp     ebx, esi
        ja      .cycles_ok
        FAIL_HERE "CPU_CLK_UNHALTED is not above the instruction count"
.cycles_ok:
        ; USR only: nothing counts at CPL 0.
        mov     ecx, 0xC1
        wrmsr                           ; PerfCtr0 = 0 (EDX:EAX = 0)
        mov     ecx, 0x186
        mov     eax, 0xC0 | PERF_USR | PERF_EN
        wrmsr
        times 4 nop
        xor     eax, eax
        wrmsr
        mov     ecx, 0xC1
        rdmsr
        CHECK32 eax, 0, "INST_RETIRED with USR only, at CPL 0"
        ; Reserved bits and a counter that does not exist.
        mov     ecx, 0x186
        mov     edx, 1
        RM_TRY  .evt_gp_caught
.evt_gp: wrmsr
        RM_ENDTRY
.evt_gp_caught:
        CHECK_RM_FAULT 13, .evt_gp, "PerfEvtSel0 bit 32: #GP(0)"
        mov     ecx, 2
        RM_TRY  .pmc_gp_caught
.pmc_gp: rdpmc
        RM_ENDTRY
.pmc_gp_caught:
        CHECK_RM_FAULT 13, .pmc_gp, "rdpmc of counter 2: #GP(0)"
        ret

; ---------------------------------------------------------------------------------------------
; From the 286 on, real-mode interrupts find their vectors at IDTR.base, not necessarily 0.
test_real_idt:
        GROUP   "LIDT in real mode"
        mov     word [es:SCRATCH + 0x33 * 4], .handler
        mov     word [es:SCRATCH + 0x33 * 4 + 2], 0xF000
        mov     word [es:SCRATCH + 0x200], SCRATCH + 0x33 * 4 + 3   ; limit: through vector 33h
        mov     dword [es:SCRATCH + 0x202], SCRATCH                 ; base
        lidt    [es:SCRATCH + 0x200]
        xor     ax, ax
        int     0x33
        lidt    [cs:real_idt_pointer]
        CHECK16 ax, 0x1D7, "int 33h used the table at IDTR.base"
        ret
.handler:
        mov     ax, 0x1D7
        iret

        ROM_END
