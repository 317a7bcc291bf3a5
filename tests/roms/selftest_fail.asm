; selftest_fail: checks the checkers. Every check here is wrong on purpose, so the ROM must report
; FAIL for each and exit with 1 (status 3); a ROM harness that passed this would pass anything.
%define TEST_NAME "selftest_fail"
%include "rom.inc"

test_main:
        mov     ax, 0x1234
        CHECK16 ax, 0x1235, "deliberate CHECK16"
        mov     bl, 7
        CHECK8  bl, 8, "deliberate CHECK8"
        stc
        CHECK_FLAGS F_CF, 0, "deliberate CHECK_FLAGS"
        FAIL_HERE "deliberate FAIL_HERE"
        CHECK16 ax, 0x1234, "a check that passes"
        ret

        ROM_END
