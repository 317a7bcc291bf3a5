; boot.asm - INT 19h (bootstrap loader) and INT 18h (boot failure: try the next device).
;
; The boot order comes from the CMOS, where Bochs and SeaBIOS machines keep it: byte 3Dh bits
; 3-0 name the first device and bits 7-4 the second, byte 38h bits 7-4 the third (1 floppy,
; 2 hard disk, 3 CD-ROM; 0 nothing). Byte 38h bit 0 = 1 skips the 55h AAh check on diskettes,
; for very old boot disks that lack it.
;
; A diskette or hard disk boots by loading its first sector to 0000:7C00 and jumping there with
; DL = the drive number (IBM PC/AT Technical Reference, "Bootstrap loader"). A CD boots through
; El Torito (cdrom_eltorito.asm).

        cpu 8086

BOOT_FLOPPY     equ 1
BOOT_HARD_DISK  equ 2
BOOT_CDROM      equ 3

int19_bootstrap:
        sti
        cld
        xor ax, ax
        mov ss, ax
        mov sp, POST_STACK
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        mov byte [EBDA_BOOT_STEP], 0
        call linux_boot_try             ; a kernel from the command line goes first (linux_boot.asm)
        jmp boot_next

; INT 18h: the boot sector of the device just tried gave up (or nothing booted): go on with
; the next device of the boot order.
int18_boot_failure:
        sti
        cld
        xor ax, ax
        mov ss, ax
        mov sp, POST_STACK
        jmp boot_next

boot_next:
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        mov al, [EBDA_BOOT_STEP]
        cmp al, 3
        jae boot_nothing
        inc byte [EBDA_BOOT_STEP]
        call boot_order_entry           ; AL = device type of step AL
        cmp al, BOOT_FLOPPY
        je .floppy
        cmp al, BOOT_HARD_DISK
        je .hard_disk
        cmp al, BOOT_CDROM
        je .cdrom
        jmp boot_next
.floppy:
        call floppy_boot
        jmp boot_next
.hard_disk:
        call hd_boot
        jmp boot_next
.cdrom: call cd_boot
        jmp boot_next

boot_nothing:
        PRINT 13, 10, "No bootable device.", 13, 10
        PRINT "Insert a boot disk and press any key to try again.", 13, 10
        xor ah, ah
        int 0x16
        int 0x19

; boot_order_entry - AL = the device of boot step AL (0-2), from CMOS 3Dh/38h; the default order
; (floppy, hard disk, CD-ROM) when the CMOS is not valid or names nothing at all.
boot_order_entry:
        push bx
        push cx
        mov bl, al
        call cmos_checksum_ok
        jc .default
        mov al, 0x3D
        call cmos_read
        mov ah, al
        mov al, 0x38
        call cmos_read                  ; AH = 3Dh, AL = 38h
        mov cx, ax
        and cx, 0xFFF0
        jz .default                     ; nothing named: use the default order
        cmp bl, 0
        jne .second
        mov al, ah
        and al, 0x0F
        jmp .done
.second:
        mov cl, 4
        cmp bl, 1
        jne .third
        mov al, ah
        shr al, cl
        jmp .done
.third: shr al, cl
        jmp .done
.default:
        mov al, bl
        inc al                          ; 1, 2, 3
.done:  pop cx
        pop bx
        ret

; floppy_boot - drive 00h. Returns (CF) if it cannot boot.
floppy_boot:
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        test byte [BDA_EQUIPMENT], 0x01
        pop ds
        jz .fail
        PRINT "Booting from floppy...", 13, 10
        mov dl, 0x00
        call boot_read_sector
        jc .fail
        mov al, 0x38                    ; CMOS 38h bit 0: no signature check for diskettes
        call cmos_read
        test al, 0x01
        jnz .go
        call boot_signature_ok
        jc .not_bootable
.go:    mov dl, 0x00
        mov bx, 0x07C0
        jmp boot_start
.not_bootable:
        PRINT "The floppy is not bootable", 13, 10
.fail:  stc
        ret

; hd_boot - drive 80h
hd_boot:
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        cmp byte [BDA_HD_COUNT], 0
        pop ds
        je .fail
        PRINT "Booting from hard disk...", 13, 10
        mov dl, 0x80
        call boot_read_sector
        jc .fail
        call boot_signature_ok
        jc .not_bootable
        mov dl, 0x80
        mov bx, 0x07C0
        jmp boot_start
.not_bootable:
        PRINT "The hard disk is not bootable", 13, 10
.fail:  stc
        ret

; boot_read_sector - sector 1 (cylinder 0, head 0) of drive DL to 0000:7C00, with up to four
; tries and a reset between them (a diskette drive reports a "changed" disk the first time).
boot_read_sector:
        push cx
        mov cx, 4
.try:   push cx
        push dx
        xor ax, ax
        mov es, ax
        mov bx, BOOT_OFF
        mov ax, 0x0201                  ; read one sector
        mov cx, 0x0001                  ; cylinder 0, sector 1
        mov dh, 0
        int 0x13
        pop dx
        pop cx
        jnc .ok
        push ax
        xor ax, ax                      ; reset the drive before the next try
        int 0x13
        pop ax
        cmp ah, 0x80                    ; timeout: nothing in the drive, stop trying
        je .error
        loop .try
.error: PRINT "Disk read error "
        mov al, ah
        call print_hex8
        PRINT "h", 13, 10
        stc
        pop cx
        ret
.ok:    clc
        pop cx
        ret

; boot_signature_ok - CF clear when the sector at 0000:7C00 ends in 55h AAh
boot_signature_ok:
        push es
        xor ax, ax
        mov es, ax
        cmp word [es:BOOT_OFF + 510], 0xAA55
        pop es
        je .ok
        stc
        ret
.ok:    clc
        ret

; boot_start - start a boot image: DL = drive, BX = load segment. The image gets CS:IP =
; 0000:7C00 when it was loaded there (what boot sectors are written for), SS:SP = 0000:7C00,
; DS = ES = 0, interrupts on.
boot_start:
        cli
        xor ax, ax
        mov ss, ax
        mov sp, POST_STACK
        push dx
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        mov [EBDA_BOOT_DRIVE], dl
        pop dx
        xor cx, cx
        mov ax, BOOT_OFF
        cmp bx, 0x07C0
        je .jump
        mov cx, bx                      ; elsewhere: segment:0000
        xor ax, ax
.jump:  push cx
        push ax
        xor ax, ax
        mov ds, ax
        mov es, ax
        xor bx, bx
        xor cx, cx
        xor si, si
        xor di, di
        xor bp, bp
        mov dh, 0
        sti
        retf
