; image.asm - the 1.44 MB diskette image: the demo (boot sector + payload, from disk.asm) padded
; with zero bytes to 80 cylinders x 2 heads x 18 sectors x 512 bytes = 1,474,560 bytes.
;     nasm -f bin -I <build dir>/ -o demo_disk.img image.asm
        incbin  "demo_disk.bin"
        times   1474560 - ($ - $$) db 0
