; halt: stops the CPU for good (HLT with interrupts disabled). Lantern ends the run with its
; "halted" status (10) and a message on stderr. Not a PASS/FAIL ROM.
%define TEST_NAME "halt"
%include "rom.inc"

test_main:
        call    print_inline
        db      "halting with interrupts disabled", 10, 0
        cli
        hlt
        FAIL_HERE "HLT with IF=0 returned"
        ret

        ROM_END
