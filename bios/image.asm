; image.asm - the 128 KiB ROM image: the video BIOS module at E0000h, a gap, the system BIOS at
; F0000h (README.md, "Image layout"). The build passes the directory holding vgabios.bin and
; system.bin with -I. A module larger than 32 KiB makes the first TIMES negative: NASM stops.

        bits 16

        incbin "vgabios.bin"
        times 0x8000 - ($ - $$) db 0xFF         ; the video module's 32 KiB
        times 0x10000 - ($ - $$) db 0xFF        ; E8000h-EFFFFh: unused
        incbin "system.bin"
        times 0x20000 - ($ - $$) db 0xFF        ; (system.bin is exactly 64 KiB)
