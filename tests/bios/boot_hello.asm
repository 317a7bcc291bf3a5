; boot_hello.asm - the smallest boot test: a boot sector that says hello through INT 10h and on
; the debug console, checks it was started the way the BIOS promises (CS:IP = 0000:7C00 area,
; DL = the boot drive), and exits. Assembled per medium with -DEXPECT_DL=... and one of
; -DFLOPPY (a 1.44 MB image), -DHARDDISK (a 2 MiB image) or nothing (just the sector, for a CD).
; -DPATTERN makes a 1.44 MB image whose sector n starts with the word n, and reads one back.

        bits 16
        cpu 8086
        org 0x7C00

start:  jmp main
        times 62 - ($ - $$) db 0        ; where a diskette's BIOS parameter block would be

%include "testlib.inc"

main:   cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7C00
        sti
        mov [boot_drive], dl
        mov si, message                 ; through the BIOS's teletype and the debug console
.tty:   lodsb
        test al, al
        jz .checks
        out DEBUGCON, al
        mov ah, 0x0E
        mov bx, 0x0007
        int 0x10
        jmp .tty
.checks:
        mov al, [boot_drive]
        xor ah, ah
        CHECK ax, EXPECT_DL, "DL"
        int 0x12
        CHECK ax, 639, "INT 12h"
%ifdef PATTERN
        ; a sector read through INT 13h from the boot drive: cylinder 0, head 1, sector 1 is
        ; LBA 18 on a 1.44 MB diskette, and each sector of this image starts with its LBA
        mov ax, 0x0201
        mov cx, 0x0001
        mov dh, 1
        mov dl, [boot_drive]
        xor bx, bx
        mov es, bx
        mov bx, 0x1000
        int 0x13
        CHECK_NC "read"
        CHECK [0x1000], 18, "LBA 18"
%endif
        jmp finish

message:    db "Hello from the boot sector", 10, 0
boot_drive: db 0

        times 510 - ($ - $$) db 0
        dw 0xAA55
%ifdef PATTERN
%assign n 1
%rep 2879
        dw n
        times 510 db 0
%assign n n + 1
%endrep
%elifdef FLOPPY
        times 1474560 - ($ - $$) db 0
%endif
%ifdef HARDDISK
        times 2 * 1024 * 1024 - ($ - $$) db 0
%endif
