; fixed.asm - the IBM PC/AT's fixed addresses in segment F000h.
;
; Programs written for the PC and AT sometimes jumped straight to a BIOS routine or read a table
; at its address in IBM's ROM instead of going through the interrupt vector, so compatible BIOSes
; keep those entry points where IBM had them (IBM PC/AT Technical Reference, BIOS listing; the
; addresses are the ones every compatible BIOS documents). Each is a jump to the real routine.
; The code of the BIOS fills F000:0000-E05A; NASM stops the build if it grows past that.

        cpu 8086

        times 0xE05B - ($ - $$) db 0xFF
post_entry:                             ; F000:E05B  POST (the reset vector jumps here)
        jmp post_start

        times 0xE2C3 - ($ - $$) db 0xFF
        jmp int02_nmi                   ; F000:E2C3  NMI

        times 0xE3FE - ($ - $$) db 0xFF
        jmp int13_handler               ; F000:E3FE  INT 13h (fixed disk)

        times 0xE6F2 - ($ - $$) db 0xFF
        jmp int19_bootstrap             ; F000:E6F2  INT 19h

        times 0xE6F5 - ($ - $$) db 0xFF
; F000:E6F5  system configuration table (INT 15h AH=C0h): length, model FCh (AT), submodel,
; BIOS revision, feature byte 1 (bit 6 second PIC, 5 RTC, 4 INT 09h calls INT 15h AH=4Fh,
; 2 EBDA allocated), feature byte 2 (bit 6 INT 16h AH=09h supported), three reserved bytes
system_config_table:
        dw 8
        db 0xFC, 0x01, 0x00, 0x74, 0x40, 0x00, 0x00, 0x00

        times 0xE729 - ($ - $$) db 0xFF
; F000:E729  baud rate divisors (110 ... 9600 baud), as INT 14h uses them
        dw 1047, 768, 384, 192, 96, 48, 24, 12

        times 0xE739 - ($ - $$) db 0xFF
        jmp int14_serial                ; F000:E739  INT 14h

        times 0xE82E - ($ - $$) db 0xFF
        jmp int16_keyboard              ; F000:E82E  INT 16h

        times 0xE987 - ($ - $$) db 0xFF
        jmp int09_keyboard              ; F000:E987  INT 09h

        times 0xEC59 - ($ - $$) db 0xFF
        jmp int40_floppy                ; F000:EC59  INT 13h (diskette), INT 40h on the AT

        times 0xEF57 - ($ - $$) db 0xFF
        jmp int0e_floppy                ; F000:EF57  INT 0Eh

        times 0xEFC7 - ($ - $$) db 0xFF
; F000:EFC7  the diskette parameter table INT 1Eh points to (here: for 1.44 MB drives)
diskette_param_table:
        db 0xAF, 0x02, 0x25, 0x02, 18, 0x1B, 0xFF, 0x6C, 0xF6, 0x0F, 0x08

        times 0xEFD2 - ($ - $$) db 0xFF
        jmp int17_printer               ; F000:EFD2  INT 17h

        times 0xF065 - ($ - $$) db 0xFF
        jmp int10_f065                  ; F000:F065  INT 10h

        times 0xF841 - ($ - $$) db 0xFF
        jmp int12_memory                ; F000:F841  INT 12h

        times 0xF84D - ($ - $$) db 0xFF
        jmp int11_equipment             ; F000:F84D  INT 11h

        times 0xF859 - ($ - $$) db 0xFF
        jmp int15_handler               ; F000:F859  INT 15h

        times 0xFA6E - ($ - $$) db 0xFF
; F000:FA6E  characters 0-127 of the 8x8 font (CGA graphics modes). The ROM holds zeros; POST
; copies the video module's glyphs here while the shadow RAM is writable (shadow.asm).
font8x8_lower:
        times 1024 db 0

        times 0xFE6E - ($ - $$) db 0xFF
        jmp int1a_time                  ; F000:FE6E  INT 1Ah

        times 0xFEA5 - ($ - $$) db 0xFF
        jmp int08_timer                 ; F000:FEA5  INT 08h

        times 0xFF53 - ($ - $$) db 0xFF
dummy_iret:                             ; F000:FF53  the "dummy return" unused vectors point at
        iret

int05_entry:                            ; F000:FF54  INT 05h (print screen)
        jmp int05_print_screen

        times 0xFFF0 - ($ - $$) db 0xFF
reset_vector:                           ; F000:FFF0  where the CPU starts
        jmp BIOS_SEG:post_entry
bios_date:                              ; F000:FFF5  the BIOS date, MM/DD/YY
        db "11/22/25"
        db 0
model_byte:                             ; F000:FFFE  FCh: PC/AT
        db 0xFC
        db 0x00
