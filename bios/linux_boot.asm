; linux_boot.asm - boot a Linux kernel given on Lantern's command line (--kernel/--initrd/--append)
; instead of a disk, the way QEMU's -kernel does, but after our own POST.
;
; The emulator's loader device (devices/pc/linux_boot.h) answers at port 5F0h only when a kernel is
; configured: reading 'L' there means "a kernel waits". Writing 01h makes the device copy the
; real-mode setup, the protected-mode kernel, the initrd and the command line into RAM and patch
; the setup header; then we enter setup as the Linux boot protocol says (Documentation/x86/boot.rst,
; "Running the kernel": CS = segment + 20h, IP = 0, DS = ES = SS = segment, SP = end of the heap,
; interrupts off). Without the device the port reads FFh and INT 19h boots from disk as always.
; 8086 code: the probe must be harmless on every CPU model.

        cpu 8086

LINUX_LOADER_PORT       equ 0x5F0
LINUX_LOADER_WAITING    equ 'L'
LINUX_LOADER_LOAD       equ 0x01

; linux_boot_try - returns if no kernel is configured; otherwise never returns.
linux_boot_try:
        mov dx, LINUX_LOADER_PORT
        in al, dx
        cmp al, LINUX_LOADER_WAITING
        je .boot
        ret
.boot:  PRINT "Booting the Linux kernel from the command line...", 13, 10
        mov dx, LINUX_LOADER_PORT
        mov al, LINUX_LOADER_LOAD
        out dx, al                      ; the device copies everything at this instruction
        add dx, 4
        in ax, dx                       ; SP: the end of setup's heap
        mov bx, ax
        sub dx, 2
        in ax, dx                       ; the real-mode segment
        cli
        mov ss, ax
        mov sp, bx
        mov ds, ax
        mov es, ax
        add ax, 0x20                    ; setup's entry: the sector after the boot sector
        push ax
        xor ax, ax
        push ax
        xor bx, bx
        xor cx, cx
        xor dx, dx
        xor si, si
        xor di, di
        xor bp, bp
        retf
