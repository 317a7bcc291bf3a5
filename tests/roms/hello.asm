; hello: the smallest end-to-end path. Prints a line on the debug console (port E9h), writes a
; POST code, checks the console's presence byte, and exits through port F4h.
%define TEST_NAME "hello"
%include "rom.inc"

test_main:
        call    print_inline
        db      "Hello from a Lantern test ROM!", 10, 0
        mov     al, 0x42
        out     POST_CODE, al
        in      al, DEBUGCON            ; Bochs' port E9 hack reads back E9h (presence check)
        CHECK8  al, 0xE9, "port E9h reads E9h"
        mov     dx, DEBUGCON            ; the same port through DX
        in      al, dx
        CHECK8  al, 0xE9, "IN AL, DX from port E9h"
        ret

        ROM_END
