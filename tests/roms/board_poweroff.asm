; board_poweroff: two PC-board paths a guest OS takes at its two ends, through the command line.
;   1. COM1 (16550 at 3F8h): program 115200 8N1 and send a line, waiting for THRE before each
;      byte (16550 datasheet, "Line Status Register" bit 5); with --serial stdio it reaches stdout.
;   2. ACPI soft-off through the PIIX4 power-management function (PCI 00:01.3): place its I/O
;      block with PMBA (config 40h), enable it with PMREGMISC (80h) bit 0, then write
;      SUS_TYP = 0 (S5) with SUS_EN to PMCNTRL (block + 04h) (82371AB datasheet, 3.6 and 3.7).
;      The run ends there with status 0; reaching the FAIL line below means it did not.
; Needs a 386 or later: PCI configuration mechanism #1 takes 32-bit writes to port CF8h.
%define TEST_NAME "board_poweroff"
%include "rom.inc"

COM1            equ     0x3F8
PM_BASE         equ     0xB000

test_main:
        GROUP   "COM1"
        mov     dx, COM1 + 3            ; LCR: DLAB = 1 to reach the divisor latch
        mov     al, 0x80
        out     dx, al
        mov     dx, COM1                ; divisor 1: 1.8432 MHz / 16 = 115200 baud
        mov     al, 1
        out     dx, al
        inc     dx
        xor     al, al
        out     dx, al
        mov     dx, COM1 + 3            ; LCR: 8 data bits, no parity, 1 stop bit, DLAB = 0
        mov     al, 0x03
        out     dx, al
        mov     si, serial_line
.next:  cs lodsb
        test    al, al
        jz      .sent
        mov     ah, al
        mov     dx, COM1 + 5            ; LSR
.wait:  in      al, dx
        test    al, 0x20                ; THRE: the holding register is empty
        jz      .wait
        mov     dx, COM1
        mov     al, ah
        out     dx, al
        jmp     .next
.sent:
        GROUP   "PIIX4 soft-off"
        cpu     386                     ; (rom.inc assembles for the 8086 by default)
        mov     eax, 0x80000000 | (1 << 11) | (3 << 8) | 0x40   ; bus 0, device 1, function 3, PMBA
        mov     dx, 0xCF8
        out     dx, eax
        mov     dx, 0xCFC
        mov     eax, PM_BASE | 1
        out     dx, eax
        mov     eax, 0x80000000 | (1 << 11) | (3 << 8) | 0x80   ; PMREGMISC
        mov     dx, 0xCF8
        out     dx, eax
        mov     dx, 0xCFC
        mov     al, 1                   ; PMIOSE: decode the PM I/O block
        out     dx, al
        mov     dx, PM_BASE + 4         ; PMCNTRL: SUS_TYP 0 (soft off) | SUS_EN
        mov     ax, 1 << 13
        out     dx, ax
        call    print_inline
        db      "FAIL: still running after the soft-off write", 10, 0
        ret

serial_line:
        db      "COM1 says hello at 115200 8N1", 13, 10, 0

        ROM_END
