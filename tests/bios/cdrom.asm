; cdrom.asm - a minimal bootable CD image (ISO 9660 + El Torito), built by NASM alone:
;   sectors 0-15  system area (zeros)
;   sector 16     Primary Volume Descriptor (the fields a reader checks first)
;   sector 17     El Torito Boot Record Volume Descriptor -> the boot catalog at sector 19
;   sector 18     Volume Descriptor Set Terminator
;   sector 19     boot catalog: validation entry + initial/default entry
;   sector 20...  the boot image
; -DNOEMU: a no-emulation image, boot_hello.bin, started with DL = E0h.
; -DFLOPPY144: a 1.44 MB diskette image (selftest-like content from FLOPPY_IMAGE), drive 00h.

        bits 16
%define SECTOR 2048

        times 16 * SECTOR db 0

; sector 16: Primary Volume Descriptor (ECMA-119, 8.4)
pvd:    db 1, "CD001", 1, 0
        times 32 db ' '                                 ; system identifier
        db "LANTERN_TEST"
        times 32 - 12 db ' '                            ; volume identifier
        times 8 db 0
        dd TOTAL_SECTORS                                ; volume space size, both byte orders
        db (TOTAL_SECTORS >> 24) & 0xFF, (TOTAL_SECTORS >> 16) & 0xFF, (TOTAL_SECTORS >> 8) & 0xFF, TOTAL_SECTORS & 0xFF
        times 32 db 0
        dw 1, 0x0100                                    ; volume set size (LE, BE)
        dw 1, 0x0100                                    ; volume sequence number
        dw SECTOR, 0x0008                               ; logical block size 2048
        times 17 * SECTOR - ($ - $$) db 0

; sector 17: Boot Record Volume Descriptor (El Torito 1.0, 2.0)
brvd:   db 0, "CD001", 1, "EL TORITO SPECIFICATION"
        times 0x47 - ($ - brvd) db 0
        dd 19                                           ; the boot catalog's sector
        times 18 * SECTOR - ($ - $$) db 0

; sector 18: terminator
        db 255, "CD001", 1
        times 19 * SECTOR - ($ - $$) db 0

; sector 19: boot catalog (El Torito 1.0, 2.1 and 2.2)
catalog:
        db 0x01, 0x00                                   ; validation entry, platform 80x86
        dw 0
        times 24 db 0                                   ; manufacturer ID
        dw 0x55AA                                       ; checksum: the 16 words sum to zero
        db 0x55, 0xAA
%ifdef NOEMU
        db 0x88, 0x00                                   ; bootable, no emulation
        dw 0x0000                                       ; load segment: default (07C0h)
        db 0, 0
        dw 1                                            ; one 512-byte sector
        dd 20
%else
        db 0x88, 0x02                                   ; bootable, 1.44 MB diskette emulation
        dw 0x0000
        db 0, 0
        dw 1
        dd 20
%endif
        times 20 * SECTOR - ($ - $$) db 0

; sector 20: the boot image
image:  incbin BOOT_IMAGE
        times (($ - $$) + SECTOR - 1) / SECTOR * SECTOR - ($ - $$) db 0
TOTAL_SECTORS equ ($ - $$) / SECTOR
