; loop: spins forever, for --max-instructions and --timeout. Not a PASS/FAIL ROM.
%define TEST_NAME "loop"
%include "rom.inc"

test_main:
        call    print_inline
        db      "looping forever", 10, 0
.spin:
        inc     ax
        jmp     .spin

        ROM_END
