; hd_pattern.asm - a 2 MiB hard disk image whose sector n starts with the dword n, so a test can
; tell which sector it read. Sector 0 is a boot sector (55h AAh) that just fails: the self-test
; boots from the diskette and only reads this disk.
        bits 16
        org 0x7C00
        mov al, 1
        out 0xF4, al
        times 510 - ($ - $$) db 0
        dw 0xAA55
%assign n 1
%rep 4095
        dd n
        times 508 db 0
%assign n n + 1
%endrep
