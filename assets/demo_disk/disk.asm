; disk.asm - the Lantern demo disk: a bootable 1.44 MB floppy with a menu of small programs.
;
; Assembled by NASM in one go (assets/demo_disk/CMakeLists.txt):
;     nasm -f bin -I assets/demo_disk/ -o demo_disk.bin disk.asm
; gives the boot sector followed by the program ("payload"); image.asm pads that to the 1,474,560
; bytes of a 1.44 MB diskette (80 cylinders x 2 heads x 18 sectors x 512 bytes).
;
; Memory while the demo runs (all real-mode segments are 0000h, so an offset IS a physical address,
; which is also what the debugger's symbol map shows):
;
;     0000:0000-03FF  interrupt vector table (the timer program changes vector 08h, then restores it)
;     0000:0400-04FF  BIOS data area (the timer program reads the BIOS tick count at 046Ch)
;     0000:0500-7BFF  free; the stack grows down from 7C00h
;     0000:7C00-7DFF  the boot sector (boot.asm), loaded there by the BIOS (INT 19h)
;     0000:8000-FFFF  the payload: menu, programs and their data, loaded by the boot sector
;     A000:0000       the VGA's 64 KiB graphics window (mode 13h: one byte per pixel)
;     B800:0000       the VGA's colour text buffer (mode 03h: character, attribute, ...)
;
; Everything except the protected-mode program is plain 8086 code (NASM's `cpu 8086` refuses
; anything newer), so the menu also runs on the oldest CPU model; the protected-mode program checks
; for an 80386 first.

        cpu     8086
        bits    16

PAYLOAD_ADDR    equ     0x8000          ; where the boot sector puts the payload (0000:8000)

section boot start=0 vstart=0x7C00
%include "boot.asm"

section payload follows=boot vstart=PAYLOAD_ADDR
payload_start:
%include "menu.asm"
%include "lib.asm"
%include "cpu_detect.asm"
%include "prog_text.asm"
%include "prog_protected.asm"
%include "prog_timer.asm"
%include "prog_graphics.asm"
%include "prog_keyboard.asm"
%include "prog_power_off.asm"
        align   512, db 0
payload_end:

PAYLOAD_SECTORS equ     (payload_end - payload_start) / 512

; The payload must stay inside segment 0000h (below 1_0000h): every label is a 16-bit offset, and
; the diskette's DMA transfers must not cross a 64 KiB boundary (the 8237A counts 16 address bits;
; the page register above them does not count). If the payload grows too big NASM stops here with
; "TIMES value ... is negative". (A nobits section: it reserves nothing in the file.)
section size_check nobits
        times   (0x10000 - PAYLOAD_ADDR) - (payload_end - payload_start) resb 1
