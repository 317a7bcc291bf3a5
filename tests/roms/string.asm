; string: the string instructions with and without REP, both directions, and their registers.
;
; Source data lives in this ROM (DS = CS = F000); destinations are RAM at ES = 0. After each
; operation the checks look at SI, DI and CX (8086 Family User's Manual, "String Instructions":
; each iteration steps SI/DI by the operand size, down when DF = 1; REP stops when CX = 0, REPE
; also when ZF = 0, REPNE also when ZF = 1).
%define TEST_NAME "string"
%include "rom.inc"

DST             equ     0x1000

test_main:
        GROUP   "rep movsb"
        mov     si, text_hello
        mov     di, DST
        mov     cx, 11
        rep     movsb
        CHECK16 cx, 0, "rep movsb CX"
        CHECK16 si, text_hello + 11, "rep movsb SI"
        CHECK16 di, DST + 11, "rep movsb DI"
        CHECK16 [es:DST], 'He', "rep movsb first bytes"
        CHECK16 [es:DST + 9], 'ds', "rep movsb last bytes"

        GROUP   "repe cmpsb"
        mov     si, text_hello
        mov     di, DST
        mov     cx, 11
        repe    cmpsb                   ; equal all the way
        CHECK_FLAGS F_ZF, F_ZF, "repe cmpsb equal ZF"
        CHECK16 cx, 0, "repe cmpsb equal CX"
        mov     si, text_world
        mov     di, DST
        mov     cx, 11
        repe    cmpsb                   ; "Hello World" vs "Hello Words": differ at index 9
        CHECK_FLAGS F_ZF | F_CF, 0, "repe cmpsb mismatch flags ('l' - 'd')"
        CHECK16 cx, 1, "repe cmpsb mismatch CX"
        CHECK16 si, text_world + 10, "repe cmpsb mismatch SI"
        CHECK16 di, DST + 10, "repe cmpsb mismatch DI"

        GROUP   "repne scasb"
        mov     di, DST
        mov     al, 'W'
        mov     cx, 11
        repne   scasb
        CHECK_FLAGS F_ZF, F_ZF, "repne scasb found ZF"
        CHECK16 cx, 4, "repne scasb CX"
        CHECK16 di, DST + 7, "repne scasb DI"
        mov     di, DST
        mov     al, 'z'
        mov     cx, 11
        repne   scasb
        CHECK_FLAGS F_ZF, 0, "repne scasb not found ZF"
        CHECK16 cx, 0, "repne scasb not found CX"

        GROUP   "rep stosw, scasw, lodsw"
        mov     ax, 0xA5A5
        mov     di, 0x2000
        mov     cx, 8
        rep     stosw
        CHECK16 di, 0x2010, "rep stosw DI"
        CHECK16 [es:0x200E], 0xA5A5, "rep stosw last word"
        CHECK16 [es:0x2010], 0x0000, "rep stosw stops"
        mov     di, 0x2000
        scasw
        CHECK_FLAGS F_ZF, F_ZF, "scasw ZF"
        CHECK16 di, 0x2002, "scasw DI"
        mov     si, words
        lodsw
        CHECK16 ax, 0x1111, "lodsw"
        lodsw
        CHECK16 ax, 0x2222, "lodsw again"
        CHECK16 si, words + 4, "lodsw SI"

        GROUP   "rep with CX = 0"
        xor     cx, cx
        mov     di, 0x5000
        mov     al, 0x77
        rep     stosb
        CHECK16 di, 0x5000, "rep stosb CX=0 DI"
        CHECK8  [es:0x5000], 0x00, "rep stosb CX=0 memory"

        GROUP   "DF = 1: backwards"
        mov     si, words + 6
        mov     di, 0x3006
        mov     cx, 4
        std
        rep     movsw
        cld
        CHECK16 si, words - 2, "std rep movsw SI"
        CHECK16 di, 0x2FFE, "std rep movsw DI"
        CHECK16 [es:0x3000], 0x1111, "std rep movsw first"
        CHECK16 [es:0x3006], 0x4444, "std rep movsw last"
        std
        mov     si, text_hello + 10
        lodsb
        cld
        CHECK8  al, 's', "std lodsb"
        CHECK16 si, text_hello + 9, "std lodsb SI"

        GROUP   "segment override on the source"
        mov     si, DST                 ; ES:DST holds "Hello Words"
        mov     di, 0x4000
        es      movsb
        CHECK8  [es:0x4000], 'H', "es: movsb"
        CHECK16 si, DST + 1, "es: movsb SI"

        GROUP   "movs between RAM segments"
        push    ds
        mov     ax, 0x0100
        mov     ds, ax                  ; DS:0 = physical 1000h = DST
        mov     ax, 0x0050
        mov     es, ax                  ; ES:0100h = physical 0600h
        xor     si, si
        mov     di, 0x0100
        mov     cx, 5
        rep     movsb
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        CHECK16 [0x0600], 'He', "movs DS:SI -> ES:DI across segments"
        CHECK8  [0x0604], 'o', "movs across segments last byte"
        pop     ds
        ret

text_hello:     db      "Hello Words"
text_world:     db      "Hello World"
words:          dw      0x1111, 0x2222, 0x3333, 0x4444

        ROM_END
