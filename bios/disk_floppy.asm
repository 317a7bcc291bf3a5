; disk_floppy.asm - the diskette services of INT 13h, on the 82077AA controller and DMA channel 2.
;
; A diskette transfer is a conversation with the controller (82077AA datasheet, section 5): the
; BIOS writes a command's bytes to the FIFO one at a time when the Main Status Register says
; RQM=1 DIO=0, the controller does the work - moving the data itself through DMA channel 2 - and
; raises IRQ6; INT 0Eh notes the interrupt in bit 7 of 0040:003E; the BIOS then reads the result
; bytes (ST0, ST1, ST2, C, H, R, N) into 0040:0042.
;
; Before a disk can be read the BIOS must know its data rate. A 1.44M drive reads 1.44M disks at
; 500 kbps and 720K disks at 250 kbps; the BIOS tries each rate with READ ID until one works and
; records the answer in the media state byte (0040:0090 + drive), as the IBM PC/AT BIOS does.
;
; Functions: 00h reset, 01h status, 02h read, 03h write, 04h verify, 05h format track, 08h drive
; parameters, 15h drive type, 16h change line, 17h/18h media type for format.
; In: DL = drive (0 or 1), the frame (BP), DS = 0040h. Out: AH = status, CF on error.

        cpu 8086

FD_ERR_BAD_CMD      equ 0x01
FD_ERR_NO_MARK      equ 0x02
FD_ERR_WRITE_PROT   equ 0x03
FD_ERR_NOT_FOUND    equ 0x04
FD_ERR_CHANGED      equ 0x06
FD_ERR_DMA_OVERRUN  equ 0x08
FD_ERR_DMA_BOUNDARY equ 0x09
FD_ERR_MEDIA_TYPE   equ 0x0C
FD_ERR_CRC          equ 0x10
FD_ERR_CONTROLLER   equ 0x20
FD_ERR_SEEK         equ 0x40
FD_ERR_TIMEOUT      equ 0x80

floppy_service:
        cmp ah, 0x00
        je fd_fn_reset
        cmp ah, 0x01
        je fd_fn_status
        cmp ah, 0x02
        je fd_fn_rw
        cmp ah, 0x03
        je fd_fn_rw
        cmp ah, 0x04
        je fd_fn_rw
        cmp ah, 0x05
        je fd_fn_rw
        cmp ah, 0x08
        je fd_fn_params
        cmp ah, 0x15
        je fd_fn_type
        cmp ah, 0x16
        je fd_fn_change
        cmp ah, 0x17
        je fd_fn_set_dasd
        cmp ah, 0x18
        je fd_fn_set_media
        mov ah, FD_ERR_BAD_CMD
        jmp fd_finish

fd_fn_status:
        mov ah, [BDA_FD_STATUS]
        test ah, ah
        jz .ok
        stc
        ret
.ok:    clc
        ret

fd_fn_reset:
        call fdc_reset
        jmp fd_finish

; fd_finish - AH = status: store it as the last status and set CF
fd_finish:
        mov [BDA_FD_STATUS], ah
        test ah, ah
        jz .ok
        stc
        ret
.ok:    clc
        ret

; fd_drive_type - AL = CMOS type (1-5) of drive DL, 0 if there is none
fd_drive_type:
        xor al, al
        cmp dl, 1
        ja .done
        push ds
        push cx
        mov ds, [BDA_EBDA_SEG]
        mov al, [EBDA_FD_TYPES]
        pop cx
        pop ds
        test dl, dl
        jnz .b
        push cx
        mov cl, 4
        shr al, cl
        pop cx
.b:     and al, 0x0F
        cmp al, 5
        jbe .done
        xor al, al
.done:  ret

; ---------------------------------------------------------------------------------------------
; 08h - drive parameters: BL type, CH/CL last cylinder and sector, DH last head, DL number of
; drives, ES:DI the parameter table for the drive's native media.
; ---------------------------------------------------------------------------------------------
fd_fn_params:
        xor ax, ax
        mov [bp + F_AX], ax
        mov [bp + F_BX], ax
        mov [bp + F_CX], ax
        mov [bp + F_DX], ax
        mov [bp + F_DI], ax
        mov [bp + F_ES], ax
        mov al, [BDA_EQUIPMENT]         ; number of drives: bit 0 and bits 7-6
        test al, 0x01
        jz .count
        mov cl, 6
        shr al, cl
        inc al
        mov [bp + F_DL], al
.count: call fd_drive_type
        test al, al
        jz .done                        ; no such drive: zeros, but no error
        mov [bp + F_BL], al
        call fd_native_media            ; SI = media record of the drive's own format
        mov al, [cs:si + MEDIA_CYLS]
        dec al
        mov [bp + F_CH], al
        mov al, [cs:si + MEDIA_SPT]
        mov [bp + F_CL], al
        mov byte [bp + F_DH], 1
        mov ax, [cs:si + MEDIA_TABLE]
        mov [bp + F_DI], ax
        mov word [bp + F_ES], BIOS_SEG
.done:  xor ah, ah
        jmp fd_finish

; 15h - drive type: AH = 00h none, 01h no change line (360K), 02h change line available
fd_fn_type:
        call fd_drive_type
        mov ah, 0
        test al, al
        jz .out
        mov ah, 2
        cmp al, 1
        jne .out
        mov ah, 1
.out:   clc
        ret

; 16h - has the disk been changed? AH = 06h (CF set) if the change line is active
fd_fn_change:
        call fd_drive_type
        test al, al
        jz .none
        cmp al, 1                       ; 360K drives have no change line: always "changed"
        je .changed
        call fd_motor_on
        mov dx, FDC_DIR
        in al, dx
        mov dl, [bp + F_DL]
        call fd_motor_later
        test al, 0x80
        jnz .changed
        xor ah, ah
        jmp fd_finish
.changed:
        mov ah, FD_ERR_CHANGED
        jmp fd_finish
.none:  mov ah, FD_ERR_TIMEOUT
        jmp fd_finish

; 17h - media type for format (AL: 1 360K/360K, 2 360K/1.2M, 3 1.2M/1.2M, 4 720K/720K)
fd_fn_set_dasd:
        call fd_drive_type
        test al, al
        jz .none
        mov al, [bp + F_AL]
        mov ah, 0x80 | MEDIA_KNOWN | 3  ; 360K in a 360K drive: 250 kbps
        cmp al, 1
        je .set
        mov ah, 0x40 | MEDIA_KNOWN | MEDIA_DSTEP | 4   ; 360K in 1.2M: 300 kbps, double step
        cmp al, 2
        je .set
        mov ah, 0x00 | MEDIA_KNOWN | 5  ; 1.2M: 500 kbps
        cmp al, 3
        je .set
        mov ah, 0x80 | MEDIA_KNOWN | 7  ; 720K: 250 kbps
        cmp al, 4
        je .set
        mov ah, FD_ERR_BAD_CMD
        jmp fd_finish
.set:   mov bl, dl
        xor bh, bh
        mov [BDA_FD_MEDIA + bx], ah
        xor ah, ah
        jmp fd_finish
.none:  mov ah, FD_ERR_TIMEOUT
        jmp fd_finish

; 18h - media type for format from CH (last cylinder) and CL (sectors per track); returns the
; matching parameter table in ES:DI
fd_fn_set_media:
        call fd_drive_type
        test al, al
        jz .none
        mov bl, al                      ; drive type
        mov si, media_records
.find:  cmp byte [cs:si], 0
        je .unsupported
        mov al, [cs:si + MEDIA_SPT]
        cmp al, [bp + F_CL]
        jne .next
        mov al, [cs:si + MEDIA_CYLS]
        dec al
        cmp al, [bp + F_CH]
        jne .next
        call fd_media_fits_drive        ; CF clear if media SI can be used in drive type BL
        jnc .found
.next:  add si, MEDIA_RECORD_SIZE
        jmp .find
.found: mov al, [cs:si + MEDIA_STATE]
        mov bl, dl
        xor bh, bh
        mov [BDA_FD_MEDIA + bx], al
        mov ax, [cs:si + MEDIA_TABLE]
        mov [bp + F_DI], ax
        mov word [bp + F_ES], BIOS_SEG
        xor ah, ah
        jmp fd_finish
.unsupported:
        mov ah, FD_ERR_MEDIA_TYPE
        jmp fd_finish
.none:  mov ah, FD_ERR_TIMEOUT
        jmp fd_finish

; ---------------------------------------------------------------------------------------------
; 02h read, 03h write, 04h verify, 05h format.
; In: AL = sectors (05h: sectors per track), CH = cylinder, CL = sector, DH = head, DL = drive,
; ES:BX = buffer (05h: the C/H/R/N address fields of the track). Out: AL = sectors transferred.
; Locals live below the dispatcher's return address.
; ---------------------------------------------------------------------------------------------
FDL_TYPE        equ -4                  ; byte: drive type
FDL_COUNT       equ -5                  ; byte: sectors requested
FDL_TRIES       equ -6
FDL_MEDIA       equ -8                  ; word: media record
FDL_SIZE        equ 8

fd_fn_rw:
        sub sp, FDL_SIZE
        call fd_drive_type
        mov [bp + FDL_TYPE], al
        mov ah, [bp + F_AL]
        mov [bp + FDL_COUNT], ah
        mov byte [bp + F_AL], 0
        test al, al
        jnz .drive_ok
        mov ah, FD_ERR_TIMEOUT
        jmp .out
.drive_ok:
        test ah, ah
        jnz .count_ok
        mov ah, FD_ERR_BAD_CMD
        jmp .out
.count_ok:
        call fd_motor_on                ; CF set: the motor was off
        jnc .spinning
        cmp byte [bp + F_AH], 0x03      ; writes wait for the motor to reach speed
        jb .spinning                    ; (reads just go: a read too early fails and is retried)
        cmp byte [bp + F_AH], 0x04
        je .spinning
        call fd_wait_motor_start
.spinning:
        cmp byte [bp + FDL_TYPE], 1     ; 360K drives have no change line
        je .no_change_line
        call fd_check_change
        test ah, ah
        jnz .fail
.no_change_line:
        mov byte [bp + FDL_TRIES], 3
.retry: call fd_ensure_media            ; SI = media record
        test ah, ah
        jnz .failed_try
        mov [bp + FDL_MEDIA], si
        call fd_ensure_recal
        test ah, ah
        jnz .failed_try
        mov ch, [bp + F_CH]
        test byte [cs:si + MEDIA_STATE], MEDIA_DSTEP
        jz .seek
        shl ch, 1                       ; a 40-track disk in an 80-track drive
.seek:  call fd_seek
        test ah, ah
        jnz .failed_try
        call fd_transfer
        test ah, ah
        jz .done
.failed_try:
        cmp ah, FD_ERR_WRITE_PROT       ; retrying changes nothing for these
        je .fail
        cmp ah, FD_ERR_DMA_BOUNDARY
        je .fail
        cmp ah, FD_ERR_TIMEOUT
        je .fail
        cmp ah, FD_ERR_BAD_CMD
        je .fail
        ; the head may be lost or the media guessed wrong: recalibrate and sense the rate again
        push ax
        call fd_forget_media
        pop ax
        dec byte [bp + FDL_TRIES]
        jnz .retry
        jmp .fail
.done:  mov al, [bp + FDL_COUNT]
        mov [bp + F_AL], al
.fail:  mov dl, [bp + F_DL]
        call fd_motor_later
.out:   add sp, FDL_SIZE
        jmp fd_finish

; fd_transfer - program DMA channel 2, send the command, wait for the interrupt, read the
; result. AH = status.
fd_transfer:
        mov al, [bp + F_AH]             ; the function
        mov cl, [bp + FDL_COUNT]
        xor ch, ch
        cmp al, 0x05
        je .fmt_dma
        mov ah, cl                      ; bytes = sectors x 512
        xor al, al
        shl ax, 1
        mov cx, ax
        mov al, 0x46                    ; DMA mode: single, increment, write to memory, channel 2
        cmp byte [bp + F_AH], 0x02
        je .dma
        mov al, 0x4A                    ; read from memory
        cmp byte [bp + F_AH], 0x03
        je .dma
        mov al, 0x42                    ; verify: the controller reads, nothing is stored
        jmp .dma
.fmt_dma:
        shl cx, 1
        shl cx, 1                       ; 4 bytes per sector
        mov al, 0x4A
.dma:   mov bx, [bp + F_BX]
        mov es, [bp + F_ES]
        call fd_dma_setup
        jnc .command
        mov ah, FD_ERR_DMA_BOUNDARY
        ret
.command:
        and byte [BDA_FD_RECAL], 0x7F   ; no interrupt seen yet
        mov si, [bp + FDL_MEDIA]
        mov dl, [bp + F_DL]
        mov dh, [bp + F_DH]
        and dh, 1
        shl dh, 1
        shl dh, 1
        or dh, dl                       ; DH = head << 2 | drive
        mov al, [bp + F_AH]
        cmp al, 0x05
        je .format
        mov al, 0xE6                    ; READ DATA: multi-track, MFM, skip deleted data
        cmp byte [bp + F_AH], 0x03
        jne .send
        mov al, 0xC5                    ; WRITE DATA: multi-track, MFM
        or byte [BDA_FD_MOTOR], 0x80    ; (0040:003F bit 7: a write is in progress)
.send:  call fdc_out
        jc .ctl_fail
        mov al, dh
        call fdc_out
        mov al, [bp + F_CH]             ; C: the cylinder number recorded in the sector IDs
        call fdc_out
        mov al, [bp + F_DH]             ; H
        and al, 1
        call fdc_out
        mov al, [bp + F_CL]             ; R
        and al, 0x3F
        call fdc_out
        mov al, 2                       ; N: 512-byte sectors
        call fdc_out
        mov al, [cs:si + MEDIA_SPT]     ; EOT: the last sector of a track
        call fdc_out
        mov al, [cs:si + MEDIA_GAP]     ; GPL
        call fdc_out
        mov al, 0xFF                    ; DTL (unused with N != 0)
        call fdc_out
        jc .ctl_fail
        jmp .wait
.format:
        mov al, 0x4D                    ; FORMAT TRACK, MFM
        or byte [BDA_FD_MOTOR], 0x80
        call fdc_out
        jc .ctl_fail
        mov al, dh
        call fdc_out
        mov al, 2                       ; N
        call fdc_out
        mov al, [bp + FDL_COUNT]        ; SC: sectors per track
        call fdc_out
        mov al, [cs:si + MEDIA_FGAP]    ; GPL for formatting
        call fdc_out
        mov al, 0xF6                    ; D: the filler byte
        call fdc_out
        jc .ctl_fail
.wait:  call fd_wait_irq
        jc .timeout
        call fdc_results
        jc .ctl_fail
        and byte [BDA_FD_MOTOR], 0x7F
        ; ST0 bits 7-6 (interrupt code): 00 = normal termination
        mov al, [BDA_FD_RESULT]
        test al, 0xC0
        jz .ok
        mov al, [BDA_FD_RESULT + 1]     ; ST1
        mov ah, FD_ERR_WRITE_PROT
        test al, 0x02
        jnz .err
        mov ah, FD_ERR_NO_MARK
        test al, 0x01
        jnz .err
        mov ah, FD_ERR_DMA_OVERRUN
        test al, 0x10
        jnz .err
        mov ah, FD_ERR_CRC
        test al, 0x20
        jnz .err
        mov ah, FD_ERR_NOT_FOUND
        test al, 0x84                   ; ND, or EN (ran off the end of the track)
        jnz .err
        mov ah, FD_ERR_CONTROLLER
.err:   ret
.ok:    xor ah, ah
        ret
.timeout:
        call fdc_reset                  ; a controller waiting for a disk that never turns
        mov ah, FD_ERR_TIMEOUT
        ret
.ctl_fail:
        and byte [BDA_FD_MOTOR], 0x7F
        call fdc_reset
        mov ah, FD_ERR_CONTROLLER
        ret

; fd_dma_setup - program DMA channel 2: AL = mode, CX = bytes (> 0), ES:BX = buffer.
; CF set when the buffer crosses a 64 KiB boundary: the 8237's address counter has 16 bits
; and the page register does not count, so such a transfer would wrap within its page.
fd_dma_setup:
        push ax
        push bx
        push cx
        push dx
        push ax                         ; the mode
        call linear_address             ; DX:AX = the buffer's physical address
        dec cx                          ; the 8237 counts bytes - 1
        mov bx, ax
        add bx, cx
        pop bx                          ; BL = mode
        jnc .fits
        cmp bl, 0x42                    ; verify moves nothing: the boundary does not matter
        je .fits
        stc
        jmp .done
.fits:  cli
        push ax
        mov al, 0x06                    ; mask channel 2 while it is programmed
        out DMA1_MASK, al
        out DMA1_CLEAR_FF, al           ; the next byte is the low byte
        mov al, bl
        out DMA1_MODE, al
        pop ax
        out DMA1_CH2_ADDR, al
        mov al, ah
        out DMA1_CH2_ADDR, al
        mov al, dl
        out DMA_PAGE_CH2, al
        out DMA1_CLEAR_FF, al
        mov al, cl
        out DMA1_CH2_COUNT, al
        mov al, ch
        out DMA1_CH2_COUNT, al
        mov al, 0x02                    ; unmask channel 2
        out DMA1_MASK, al
        sti
        clc
.done:  pop dx
        pop cx
        pop bx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; Talking to the controller
; ---------------------------------------------------------------------------------------------

; fdc_out - write AL to the FIFO once the controller asks for a command byte. CF on timeout.
fdc_out:
        push ax
        push cx
        push dx
        mov ah, al
        mov dx, FDC_MSR
        mov cx, 3300                    ; 50 ms
.poll:  in al, dx
        and al, 0xC0
        cmp al, 0x80                    ; RQM = 1, DIO = 0 (host to controller)
        je .send
        push cx
        mov cx, 1
        call delay_15us
        pop cx
        loop .poll
        stc
        jmp .done
.send:  mov al, ah
        mov dx, FDC_FIFO
        out dx, al
        clc
.done:  pop dx
        pop cx
        pop ax
        ret

; fdc_results - read the result phase (at most 7 bytes) into 0040:0042. CF on timeout.
fdc_results:
        push ax
        push bx
        push cx
        push dx
        xor bx, bx
.byte:  mov dx, FDC_MSR
        mov cx, 3300
.poll:  in al, dx
        and al, 0xC0
        cmp al, 0xC0                    ; RQM = 1, DIO = 1: a result byte is ready
        je .read
        cmp al, 0x80                    ; RQM = 1, DIO = 0: the result phase is over
        je .end
        push cx
        mov cx, 1
        call delay_15us
        pop cx
        loop .poll
        stc
        jmp .done
.read:  mov dx, FDC_FIFO
        in al, dx
        cmp bx, 7
        jae .byte                       ; more than 7: read and drop
        mov [BDA_FD_RESULT + bx], al
        inc bx
        jmp .byte
.end:   test bx, bx
        jz .fail
        clc
        jmp .done
.fail:  stc
.done:  pop dx
        pop cx
        pop bx
        pop ax
        ret

; fd_wait_irq - wait for INT 0Eh to set bit 7 of 0040:003E (2 s). CF on timeout.
; INT 15h AX=9001h first: "the diskette is busy", so a multitasker may run something else.
fd_wait_irq:
        push ax
        push cx
        mov ax, 0x9001
        int 0x15
        mov cx, 37                      ; ticks: 2 s
        call ticks_deadline
.poll:  cli
        test byte [BDA_FD_RECAL], 0x80
        jnz .got
        call ticks_passed
        jc .timeout
        sti
        hlt                             ; the next interrupt: IRQ6 or the timer
        jmp .poll
.got:   and byte [BDA_FD_RECAL], 0x7F
        sti
        clc
        jmp .done
.timeout:
        sti
        stc
.done:  pop cx
        pop ax
        ret

; fd_sense_interrupt - SENSE INTERRUPT STATUS: ST0 and the present cylinder land in 0040:0042.
fd_sense_interrupt:
        push ax
        mov al, 0x08
        call fdc_out
        jc .done
        call fdc_results
.done:  pop ax
        ret

; ---------------------------------------------------------------------------------------------
; fdc_reset - pulse the controller's reset (DOR bit 2), take the four polling interrupts it
; reports afterwards (82077AA datasheet, 8.1 "Reset"), and SPECIFY the step rate, head load and
; unload times from the diskette parameter table (INT 1Eh). Every drive then needs a
; recalibration. AH = 0, or 20h when the controller does not answer.
; ---------------------------------------------------------------------------------------------
fdc_reset:
        push bx
        push cx
        push dx
        push es
        cli
        and byte [BDA_FD_RECAL], 0x70   ; interrupt flag and "recalibrated" bits off
        mov al, [BDA_FD_MOTOR]
        and al, 0x0F
        mov cl, 4
        shl al, cl
        or al, 0x08                     ; DMA and interrupt gate on, RESET asserted (bit 2 = 0)
        mov dx, FDC_DOR
        out dx, al
        mov cx, 2
        call delay_15us
        or al, 0x04                     ; release reset
        out dx, al
        sti
        call fd_wait_irq
        jc .fail
        mov cx, 4
.sense: call fd_sense_interrupt
        loop .sense
        ; SPECIFY: SRT/HUT and HLT/ND (bit 0 = 0: DMA mode) from the parameter table
        xor ax, ax
        mov es, ax
        les bx, [es:0x1E * 4]
        mov al, 0x03
        call fdc_out
        mov al, [es:bx]
        call fdc_out
        mov al, [es:bx + 1]
        and al, 0xFE
        call fdc_out
        jc .fail
        mov al, [BDA_FD_LASTRATE]       ; the data rate as it was
        mov cl, 6
        shr al, cl
        mov dx, FDC_CCR
        out dx, al
        xor ah, ah
        jmp .done
.fail:  mov ah, FD_ERR_CONTROLLER
.done:  pop es
        pop dx
        pop cx
        pop bx
        ret

; ---------------------------------------------------------------------------------------------
; The drive's motor. 0040:003F bits 3-0 say which motors run, bits 5-4 which drive is selected;
; 0040:0040 counts ticks until INT 08h turns the motors off (FFh while an operation runs).
; ---------------------------------------------------------------------------------------------

; fd_motor_on - drive DL: motor on and selected. CF set when the motor had been off.
fd_motor_on:
        push ax
        push cx
        push dx
        cli
        mov byte [BDA_FD_MOTOR_CNT], 0xFF
        mov cl, dl
        mov ah, 1
        shl ah, cl                      ; this drive's motor bit
        mov al, [BDA_FD_MOTOR]
        mov ch, al
        and ch, ah                      ; CH != 0: it was already on
        and al, 0xCF
        or al, ah
        mov cl, 4
        shl dl, cl
        or al, dl                       ; drive select in bits 5-4
        mov [BDA_FD_MOTOR], al
        and al, 0x0F
        shl al, cl                      ; motors in DOR bits 7-4
        shr dl, cl
        or al, dl                       ; drive select in DOR bits 1-0
        or al, 0x0C                     ; not in reset, DMA and interrupt gate on
        mov dx, FDC_DOR
        out dx, al
        sti
        test ch, ch
        jnz .was_on
        stc
        jmp .done
.was_on:
        clc
.done:  pop dx
        pop cx
        pop ax
        ret

; fd_wait_motor_start - wait the motor start time of the parameter table (byte 10, 1/8 s units)
fd_wait_motor_start:
        push ax
        push bx
        push cx
        push es
        xor ax, ax
        mov es, ax
        les bx, [es:0x1E * 4]
        mov al, [es:bx + 10]
        test al, al
        jz .done
.eighth:
        mov cx, 8290                    ; 125 ms in 15.09 us periods
        call delay_15us
        dec al
        jnz .eighth
.done:  pop es
        pop cx
        pop bx
        pop ax
        ret

; fd_motor_later - let INT 08h turn the motor off after the parameter table's delay (byte 2)
fd_motor_later:
        push ax
        push bx
        push es
        xor ax, ax
        mov es, ax
        les bx, [es:0x1E * 4]
        mov al, [es:bx + 2]
        mov [BDA_FD_MOTOR_CNT], al
        and byte [BDA_FD_MOTOR], 0x7F
        pop es
        pop bx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; Position and media
; ---------------------------------------------------------------------------------------------

; fd_check_change - drive DL (selected, motor on): AH = 0 if the disk was not changed; 06h if it
; was (the change line is then cleared by stepping the head, which needs a disk in the drive);
; 80h if there is no disk at all.
fd_check_change:
        push dx
        mov dx, FDC_DIR
        in al, dx
        pop dx
        test al, 0x80
        jz .unchanged
        call fd_forget_media
        ; step out and back: a step pulse with a disk present clears DSKCHG
        call fd_ensure_recal
        mov ch, 1
        call fd_seek
        mov ch, 0
        call fd_seek
        push dx
        mov dx, FDC_DIR
        in al, dx
        pop dx
        test al, 0x80
        jnz .no_disk
        mov ah, FD_ERR_CHANGED
        ret
.no_disk:
        mov ah, FD_ERR_TIMEOUT
        ret
.unchanged:
        xor ah, ah
        ret

; fd_forget_media - drive DL: media unknown, recalibrate before the next access
fd_forget_media:
        push bx
        push cx
        mov bl, dl
        xor bh, bh
        and byte [BDA_FD_MEDIA + bx], ~MEDIA_KNOWN & 0xFF
        mov cl, dl
        mov al, 1
        shl al, cl
        not al
        and [BDA_FD_RECAL], al
        pop cx
        pop bx
        ret

; fd_ensure_recal - drive DL: RECALIBRATE unless done since the last reset. AH = status.
fd_ensure_recal:
        push bx
        push cx
        mov cl, dl
        mov bl, 1
        shl bl, cl                      ; BL = the drive's bit in 0040:003E
        test [BDA_FD_RECAL], bl
        jnz .ok
        mov cx, 2                       ; an 80-track drive may need a second try (82077AA:
.try:   and byte [BDA_FD_RECAL], 0x7F   ; RECALIBRATE gives up after 79 steps)
        mov al, 0x07
        call fdc_out
        mov al, dl
        call fdc_out
        jc .fail
        call fd_wait_irq
        jc .fail
        call fd_sense_interrupt
        mov al, [BDA_FD_RESULT]
        and al, 0xF0
        cmp al, 0x20                    ; SE (seek end), normal termination
        je .done_recal
        loop .try
        mov ah, FD_ERR_SEEK
        jmp .out
.done_recal:
        or [BDA_FD_RECAL], bl
        mov bl, dl
        xor bh, bh
        mov byte [BDA_FD_CYL + bx], 0
.ok:    xor ah, ah
        jmp .out
.fail:  call fdc_reset
        mov ah, FD_ERR_TIMEOUT
.out:   pop cx
        pop bx
        ret

; fd_seek - drive DL: move the head to track CH (physical track). AH = status.
fd_seek:
        push bx
        push cx
        mov bl, dl
        xor bh, bh
        cmp [BDA_FD_CYL + bx], ch
        je .ok
        and byte [BDA_FD_RECAL], 0x7F
        mov al, 0x0F                    ; SEEK
        call fdc_out
        mov al, dl
        call fdc_out
        mov al, ch
        call fdc_out
        jc .fail
        call fd_wait_irq
        jc .fail
        call fd_sense_interrupt
        mov al, [BDA_FD_RESULT]
        and al, 0xE0
        cmp al, 0x20
        jne .seek_err
        cmp [BDA_FD_RESULT + 1], ch     ; the present cylinder number
        jne .seek_err
        mov [BDA_FD_CYL + bx], ch
        ; head settle time (parameter table byte 9, in ms)
        push es
        push bx
        xor ax, ax
        mov es, ax
        les bx, [es:0x1E * 4]
        mov al, [es:bx + 9]
        pop bx
        pop es
        mov ah, 66                      ; 66 x 15.09 us = 1 ms
        mul ah
        mov cx, ax
        call delay_15us
.ok:    xor ah, ah
        jmp .out
.seek_err:
        mov byte [BDA_FD_CYL + bx], 0xFF
        mov cl, dl
        mov al, 1
        shl al, cl
        not al
        and [BDA_FD_RECAL], al          ; recalibrate next time
        mov ah, FD_ERR_SEEK
        jmp .out
.fail:  call fdc_reset
        mov ah, FD_ERR_TIMEOUT
.out:   pop cx
        pop bx
        ret

; fd_set_rate - tell the controller the data rate of media state byte AL (bits 7-6 are the
; 82077AA's DRATE encoding: 00 500 kbps, 01 300, 10 250, 11 1 Mbps)
fd_set_rate:
        push ax
        push cx
        push dx
        and al, 0xC0
        mov [BDA_FD_LASTRATE], al
        mov cl, 6
        shr al, cl
        mov dx, FDC_CCR
        out dx, al
        pop dx
        pop cx
        pop ax
        ret

; fd_ensure_media - drive DL: SI = the media record of the disk in it, sensing the data rate
; first if it is not known (READ ID at each rate the drive supports). AH = status.
fd_ensure_media:
        push bx
        push cx
        mov bl, dl
        xor bh, bh
        mov al, [BDA_FD_MEDIA + bx]
        test al, MEDIA_KNOWN
        jz .sense
        call fd_media_record            ; SI = record for state AL
        jc .sense
        call fd_set_rate
        xor ah, ah
        jmp .out
.sense: call fd_drive_type
        mov bl, al
        xor bh, bh
        shl bx, 1
        mov bx, [cs:media_candidates - 2 + bx]
.try:   mov si, [cs:bx]
        test si, si
        jz .unknown
        mov al, [cs:si + MEDIA_STATE]
        call fd_set_rate
        call fd_ensure_recal
        test ah, ah
        jnz .out
        and byte [BDA_FD_RECAL], 0x7F
        mov al, 0x4A                    ; READ ID, MFM
        call fdc_out
        mov al, dl                      ; head 0
        call fdc_out
        jc .ctl
        call fd_wait_irq
        jc .timeout
        call fdc_results
        jc .ctl
        test byte [BDA_FD_RESULT], 0xC0
        jz .found
        add bx, 2
        jmp .try
.found: mov al, [cs:si + MEDIA_STATE]
        push bx
        mov bl, dl
        xor bh, bh
        mov [BDA_FD_MEDIA + bx], al
        pop bx
        xor ah, ah
        jmp .out
.unknown:
        mov ah, FD_ERR_MEDIA_TYPE
        jmp .out
.timeout:                               ; no index pulses: no disk in the drive
        call fdc_reset
        mov ah, FD_ERR_TIMEOUT
        jmp .out
.ctl:   call fdc_reset
        mov ah, FD_ERR_CONTROLLER
.out:   pop cx
        pop bx
        ret

; fd_media_record - SI = the record whose state byte is AL. CF if none matches.
fd_media_record:
        mov si, media_records
.next:  cmp byte [cs:si], 0
        je .none
        cmp [cs:si + MEDIA_STATE], al
        je .found
        add si, MEDIA_RECORD_SIZE
        jmp .next
.found: clc
        ret
.none:  stc
        ret

; fd_native_media - SI = the record of the drive DL's own format (drive type AL, 1-5)
fd_native_media:
        push bx
        mov bl, al
        xor bh, bh
        shl bx, 1
        mov bx, [cs:media_candidates - 2 + bx]
        mov si, [cs:bx]                 ; the first candidate is the native format
        pop bx
        ret

; fd_media_fits_drive - CF clear if media record SI can be used in a drive of type BL
fd_media_fits_drive:
        push ax
        push cx
        mov cl, bl
        mov al, 1
        shl al, cl
        test [cs:si + MEDIA_DRIVES], al
        pop cx
        pop ax
        jz .no
        clc
        ret
.no:    stc
        ret

; ---------------------------------------------------------------------------------------------
; floppy_post_init - drives from CMOS byte 10h, equipment word, controller reset, a line each.
; ---------------------------------------------------------------------------------------------
floppy_post_init:
        push ax
        push bx
        push cx
        push dx
        push es
        mov al, 0x10
        call cmos_read
        call cmos_checksum_ok
        jnc .cmos_ok
        xor al, al
.cmos_ok:
        mov es, [BDA_EBDA_SEG]
        mov [es:EBDA_FD_TYPES], al
        xor cx, cx                      ; CL = number of drives
        mov dl, 0
.drive: call fd_drive_type
        test al, al
        jz .next
        inc cl
        ; controller information byte 0040:008F: bit 2 (drive 0) / bit 6 (drive 1) = change
        ; line present, bit 0/4 = type determined, bit 1/5 = multiple data rates
        mov ah, 0x01
        cmp al, 1
        je .info
        mov ah, 0x07
        cmp al, 3
        jne .info
        mov ah, 0x05
.info:  test dl, dl
        jz .store
        push cx
        mov cl, 4
        shl ah, cl
        pop cx
.store: or [BDA_FD_INFO], ah
        PRINT "Floppy drive "
        push ax
        mov al, 'A'
        add al, dl
        call print_char
        pop ax
        PRINT ": "
        xor ah, ah
        mov bx, ax
        shl bx, 1
        mov si, [cs:floppy_type_names - 2 + bx]
        call print_str
        PRINT 13, 10
.next:  inc dl
        cmp dl, 2
        jb .drive
        test cl, cl
        jz .done
        dec cl
        mov al, cl
        mov cl, 6
        shl al, cl
        or al, 0x01                     ; bit 0: diskette drives present; bits 7-6: count - 1
        or [BDA_EQUIPMENT], al
        mov al, 6
        call pic_unmask
        call fdc_reset
.done:  pop es
        pop dx
        pop cx
        pop bx
        pop ax
        ret

floppy_type_names:
        dw .t1, .t2, .t3, .t4, .t5
.t1:    db "360 KB 5.25in", 0
.t2:    db "1.2 MB 5.25in", 0
.t3:    db "720 KB 3.5in", 0
.t4:    db "1.44 MB 3.5in", 0
.t5:    db "2.88 MB 3.5in", 0

; ---------------------------------------------------------------------------------------------
; INT 0Eh - IRQ6, the diskette controller: note it for fd_wait_irq, end the interrupt, and tell a
; multitasker the operation finished (INT 15h AX=9101h).
; ---------------------------------------------------------------------------------------------
int0e_floppy:
        push ax
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        or byte [BDA_FD_RECAL], 0x80
        mov al, PIC_EOI
        out PIC1_CMD, al
        mov ax, 0x9101
        int 0x15
        pop ds
        pop ax
        iret

; ---------------------------------------------------------------------------------------------
; Media records: one per disk format the drives can read.
;   state  the media state byte once established (rate, double step, established, IBM code)
;   drives bit n set: a drive of CMOS type n reads it
; ---------------------------------------------------------------------------------------------
MEDIA_STATE     equ 0
MEDIA_SPT       equ 1
MEDIA_CYLS      equ 2
MEDIA_GAP       equ 3
MEDIA_FGAP      equ 4
MEDIA_DRIVES    equ 5
MEDIA_TABLE     equ 6
MEDIA_RECORD_SIZE equ 8

media_records:
media_360:      db 0x80 | MEDIA_KNOWN | 3, 9, 40, 0x2A, 0x50, 0x02
                dw dpt_360
media_360_in_12: db 0x40 | MEDIA_KNOWN | MEDIA_DSTEP | 4, 9, 40, 0x23, 0x50, 0x04
                dw dpt_360
media_1200:     db 0x00 | MEDIA_KNOWN | 5, 15, 80, 0x1B, 0x54, 0x04
                dw dpt_1200
media_720:      db 0x80 | MEDIA_KNOWN | 7, 9, 80, 0x2A, 0x50, 0x38
                dw dpt_720
media_1440:     db 0x00 | MEDIA_KNOWN | 7, 18, 80, 0x1B, 0x6C, 0x30
                dw dpt_1440
media_2880:     db 0xC0 | MEDIA_KNOWN | 7, 36, 80, 0x1B, 0x53, 0x20
                dw dpt_2880
                db 0

; what to try, in order, for each drive type (1-5); the first is the drive's native format
media_candidates:
        dw .t1, .t2, .t3, .t4, .t5
.t1:    dw media_360, 0
.t2:    dw media_1200, media_360_in_12, 0
.t3:    dw media_720, 0
.t4:    dw media_1440, media_720, 0
.t5:    dw media_2880, media_1440, media_720, 0

; Diskette parameter tables (IBM PC/AT Technical Reference, "Diskette parameter table"; the
; last two bytes are the PS/2 extension: last cylinder, data rate):
;  0 SRT/HUT  1 HLT/ND  2 motor-off ticks  3 bytes per sector (2 = 512)  4 sectors per track
;  5 gap length  6 data length  7 format gap  8 format filler  9 head settle ms
; 10 motor start (1/8 s)
dpt_360:  db 0xDF, 0x02, 0x25, 0x02,  9, 0x2A, 0xFF, 0x50, 0xF6, 0x0F, 0x08, 39, 0x80
dpt_1200: db 0xDF, 0x02, 0x25, 0x02, 15, 0x1B, 0xFF, 0x54, 0xF6, 0x0F, 0x08, 79, 0x00
dpt_720:  db 0xDF, 0x02, 0x25, 0x02,  9, 0x2A, 0xFF, 0x50, 0xF6, 0x0F, 0x08, 79, 0x80
dpt_1440: db 0xAF, 0x02, 0x25, 0x02, 18, 0x1B, 0xFF, 0x6C, 0xF6, 0x0F, 0x08, 79, 0x00
dpt_2880: db 0xAF, 0x02, 0x25, 0x02, 36, 0x1B, 0xFF, 0x53, 0xF6, 0x0F, 0x08, 79, 0xC0
