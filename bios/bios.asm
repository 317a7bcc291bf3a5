; bios.asm - the Lantern system BIOS, everything in segment F000h (the video BIOS is a separate
; module at E000h; README.md describes the image and how the two parts meet).
;
; This file only puts the pieces together. Each service area has its own file; fixed.asm comes
; last because it places the IBM entry points at F000:E05B and above, up to the reset vector at
; F000:FFF0. The result is exactly 64 KiB.

        bits 16
        org 0
        cpu 8086

%include "defs.inc"

bios_signature:
        db "Lantern BIOS 1.0 - an educational PC BIOS. "
        db "Source: bios/ in the Lantern emulator.", 0

%include "console.asm"
%include "post.asm"
%include "pic_pit.asm"
%include "time.asm"
%include "keyboard.asm"
%include "int13.asm"
%include "disk_floppy.asm"
%include "disk_ata.asm"
%include "cdrom_eltorito.asm"
%include "boot.asm"
%include "linux_boot.asm"
%include "int15.asm"
%include "mouse.asm"
%include "serial.asm"
%include "printer.asm"
%include "pci.asm"
%include "shadow.asm"
%include "misc.asm"

code_end:
%include "fixed.asm"
