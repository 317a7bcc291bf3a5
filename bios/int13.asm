; int13.asm - INT 13h, the disk services, and where each request goes.
;
; The drive number in DL picks the device:
;   00h-7Fh  diskette drives (disk_floppy.asm)
;   80h-DFh  hard disks (disk_ata.asm)
;   E0h-FFh  CD-ROM drives, addressed in 2048-byte sectors through the EDD functions
;            (cdrom_eltorito.asm)
; After an El Torito boot in floppy or hard disk emulation, the emulated drive (00h or 80h) is the
; CD image, and the real drives of that kind move up by one (El Torito specification 1.0,
; section 5.3 "INT 13h changes"): cdrom_eltorito.asm sees those requests first.
;
; Handlers run with the service frame of defs.inc (BP = frame, DS = 0040h) and return the status
; in AH with CF set on error; the dispatcher copies both into the caller's registers.

        cpu 8086

int13_handler:
        sti
        cld
        SAVE_FRAME
        mov si, BDA_SEG
        mov ds, si
        call cd_emulation_filter        ; returns only when the request is not for an emulated drive
        cmp dl, 0x80
        jb .floppy
        cmp dl, 0xE0
        jae .cdrom
        call hd_service
        jmp .done_flags
.floppy:
        call floppy_service
        jmp .done_flags
.cdrom: call cd_service
.done_flags:
int13_exit:
        ; AH = status; CF = error. Both go to the caller's AH and FLAGS.
        mov [bp + F_AH], ah
        jc .error
        CLEAR_CF
        jmp .remap
.error: SET_CF
.remap: ; a request the CD emulation moved to DL - 1: give the caller its DL back (except from
        ; 08h, which returns the number of drives in DL)
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        mov al, [EBDA_REMAPPED]         ; 1: remapped, 2: remapped but DL is a result
        mov byte [EBDA_REMAPPED], 0
        cmp al, 1
        jne .out
        inc byte [bp + F_DL]
.out:   RESTORE_FRAME
        iret

; INT 40h - the diskette services under their AT name: a hard disk BIOS moves the diskette
; handler here and takes INT 13h itself. Software that calls INT 40h directly reaches the
; diskette code whatever DL says.
int40_floppy:
        sti
        cld
        SAVE_FRAME
        mov si, BDA_SEG
        mov ds, si
        call floppy_service
        mov [bp + F_AH], ah
        jc .error
        CLEAR_CF
        RESTORE_FRAME
        iret
.error: SET_CF
        RESTORE_FRAME
        iret

; ---------------------------------------------------------------------------------------------
; Helpers shared by the disk drivers
; ---------------------------------------------------------------------------------------------

; ticks_deadline - AX = the tick count CX ticks from now (low word; for short timeouts)
ticks_deadline:
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov ax, [BDA_TICKS]
        add ax, cx
        pop ds
        ret

; ticks_passed - CF set when the low tick word has reached AX (a deadline from ticks_deadline).
; The signed difference keeps working across the 16-bit wrap.
ticks_passed:
        push ds
        push bx
        mov bx, BDA_SEG
        mov ds, bx
        mov bx, [BDA_TICKS]
        sub bx, ax
        pop bx
        pop ds
        js .not_yet
        stc
        ret
.not_yet:
        clc
        ret

; linear_address - DX:AX = the 20-bit address of ES:BX (DX = bits 19-16 plus a carry)
linear_address:
        push cx
        mov ax, es
        mov dx, ax
        mov cl, 4
        shl ax, cl
        mov cl, 12
        shr dx, cl
        add ax, bx
        adc dx, 0
        pop cx
        ret

; dap_to_registers - for the EDD functions: read the disk address packet at DS:SI of the caller
; (frame F_DS:F_SI) into registers. Out: ES:DI = transfer buffer, CX = block count, and the
; 64-bit starting block in [ss:bp - 8] .. [ss:bp - 2] is NOT used; instead DX:AX = block bits
; 0-31 and BX = bits 32-47. CF set if the packet is malformed (size < 16).
; Packet (EDD 3.0, "Device Address Packet"): +0 size, +1 0, +2 word count, +4 dword buffer
; (offset, segment), +8 qword starting block.
dap_read:
        push ds
        push si
        mov ds, [bp + F_DS]
        mov si, [bp + F_SI]
        cmp byte [si], 0x10
        jb .bad
        mov cx, [si + 2]
        mov di, [si + 4]
        mov es, [si + 6]
        mov ax, [si + 8]
        mov dx, [si + 10]
        mov bx, [si + 12]
        pop si
        pop ds
        clc
        ret
.bad:   pop si
        pop ds
        stc
        ret

; dap_set_count - store CX as the packet's block count (the number actually transferred)
dap_set_count:
        push ds
        push si
        mov ds, [bp + F_DS]
        mov si, [bp + F_SI]
        mov [si + 2], cx
        pop si
        pop ds
        ret

; mul32_16 - DX:AX := DX:AX x CX (low 32 bits of the product)
mul32_16:
        push bx
        push si
        mov si, ax
        mov ax, dx
        mul cx                          ; high word x CX: only its low word matters
        mov bx, ax
        mov ax, si
        mul cx                          ; DX:AX = low word x CX
        add dx, bx
        pop si
        pop bx
        ret

; div32_16 - DX:AX := DX:AX / CX, BX = remainder (CX != 0). Two 16-bit divisions, so the
; quotient may exceed 16 bits without the 8086's divide overflow.
div32_16:
        push si
        mov si, ax
        mov ax, dx
        xor dx, dx
        div cx                          ; AX = high quotient, DX = partial remainder
        xchg ax, si                     ; SI = high quotient, AX = low word
        div cx                          ; AX = low quotient, DX = remainder
        mov bx, dx
        mov dx, si
        pop si
        ret
