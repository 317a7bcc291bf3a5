; disk_ata.asm - hard disks on the two IDE channels: detection, INT 13h (CHS and the EDD
; extensions 41h-48h), and the PIO transfer loop the CD-ROM code shares.
;
; An ATA command is written as registers (ATA/ATAPI-6, section 7 "Register description"):
; Features (base+1), Sector Count (+2), LBA Low/Mid/High (+3/+4/+5), Device (+6: bit 6 LBA,
; bit 4 device 1, bits 3-0 LBA 27-24 or the head), Command (+7; reading +7 gives Status: BSY,
; DRDY, DF, DRQ, ERR). The BIOS uses PIO: after each sector the device raises DRQ and the CPU
; moves 256 words through the Data register (+0). Interrupts are switched off at the device
; (Device Control nIEN), the BIOS polls the Status register instead.
;
; Geometry: INT 13h's CHS interface reaches 1024 cylinders x 255 heads x 63 sectors. A disk
; whose own geometry fits is shown as it is; a larger one gets "LBA-assisted translation"
; (63 sectors, 16/32/64/128/255 heads picked by size), and every transfer goes out as an LBA.
;
; Device records (EBDA_ATA_DEV, defs.inc) describe what POST found. The routines below take
; DS = EBDA and SI = a device record.

        cpu 8086

ATA_ERR_BAD_CMD     equ 0x01
ATA_ERR_NO_MARK     equ 0x02
ATA_ERR_WRITE_PROT  equ 0x03
ATA_ERR_NOT_FOUND   equ 0x04
ATA_ERR_RESET       equ 0x05
ATA_ERR_BAD_SECTOR  equ 0x0A
ATA_ERR_ECC         equ 0x10
ATA_ERR_CONTROLLER  equ 0x20
ATA_ERR_TIMEOUT     equ 0x80
ATA_ERR_NOT_READY   equ 0xAA
ATA_ERR_WRITE_FAULT equ 0xCC

ATA_BUSY_TICKS      equ 182                 ; 10 s for a command to complete

; ---------------------------------------------------------------------------------------------
; Low-level register access
; ---------------------------------------------------------------------------------------------

; ata_delay400 - four reads of Alternate Status: the 400 ns a device may take to show a new
; status after a select or a command (ATA-6, 9.6 and 9.7)
ata_delay400:
        push ax
        push dx
        mov dx, [si + ATAD_CTRL]
        in al, dx
        in al, dx
        in al, dx
        in al, dx
        pop dx
        pop ax
        ret

; ata_status - AL = Status (reading it also acknowledges a pending device interrupt)
ata_status:
        push dx
        mov dx, [si + ATAD_BASE]
        add dx, 7
        in al, dx
        pop dx
        ret

; ata_wait_busy - wait until BSY clears, at most CX ticks. AL = Status. CF on timeout.
ata_wait_busy:
        push bx
        push dx
        call ticks_deadline
        mov bx, ax                      ; BX = deadline
        mov dx, [si + ATAD_BASE]
        add dx, 7
.poll:  in al, dx
        test al, 0x80
        jz .ok
        push ax
        mov ax, bx
        call ticks_passed
        pop ax
        jnc .poll
        stc
        jmp .done
.ok:    clc
.done:  pop dx
        pop bx
        ret

; ata_wait_drq - wait for the device to be ready for data: BSY clear and DRQ set.
; AH = 0, or the error status (CF set) if the device reported an error or timed out.
ata_wait_drq:
        push cx
        mov cx, ATA_BUSY_TICKS
        call ata_wait_busy
        pop cx
        jc .timeout
        test al, 0x21                   ; ERR or DF
        jnz .error
        test al, 0x08
        jz .error
        xor ah, ah
        clc
        ret
.timeout:
        mov ah, ATA_ERR_TIMEOUT
        stc
        ret
.error: call ata_error_status
        stc
        ret

; ata_error_status - AH = the INT 13h status for the device's error state (AL = Status)
ata_error_status:
        push dx
        mov ah, ATA_ERR_WRITE_FAULT
        test al, 0x20                   ; DF: device fault
        jnz .done
        mov ah, ATA_ERR_CONTROLLER
        test al, 0x01
        jz .done
        mov dx, [si + ATAD_BASE]
        inc dx
        in al, dx                       ; Error register
        mov ah, ATA_ERR_ECC
        test al, 0x40                   ; UNC
        jnz .done
        mov ah, ATA_ERR_NOT_FOUND
        test al, 0x10                   ; IDNF
        jnz .done
        mov ah, ATA_ERR_BAD_SECTOR
        test al, 0x80                   ; BBK
        jnz .done
        mov ah, ATA_ERR_NO_MARK
        test al, 0x01                   ; AMNF
        jnz .done
        mov ah, ATA_ERR_BAD_CMD
        test al, 0x04                   ; ABRT
        jz .ctl
        cmp byte [EBDA_REQ_OP], 1       ; an aborted write: the medium is write-protected
        jne .done
        mov ah, ATA_ERR_WRITE_PROT
        jmp .done
.ctl:   mov ah, ATA_ERR_CONTROLLER
.done:  pop dx
        ret

; ata_select - Device register := A0h | DEV bit | AL, then the 400 ns settle
ata_select:
        push ax
        push dx
        or al, 0xA0
        or al, [si + ATAD_SLAVE]
        mov dx, [si + ATAD_BASE]
        add dx, 6
        out dx, al
        call ata_delay400
        pop dx
        pop ax
        ret

; ata_out_reg - register base + BL := AL
ata_out_reg:
        push dx
        mov dx, [si + ATAD_BASE]
        add dl, bl
        out dx, al
        pop dx
        ret

; ata_pio_in - CX words from the Data register to ES:DI (DI advances). 286 and later use
; REP INSW; the 8086 has no string I/O, so it moves one word at a time.
ata_pio_in:
        push ax
        push cx
        push dx
        mov dx, [si + ATAD_BASE]
        cmp byte [EBDA_CPU], 2
        jb .slow
        cpu 286
        rep insw
        cpu 8086
        jmp .done
.slow:  in ax, dx
        stosw
        loop .slow
.done:  pop dx
        pop cx
        pop ax
        ret

; ata_pio_out - CX words from ES:DI to the Data register (DI advances)
ata_pio_out:
        push ax
        push cx
        push dx
        push si
        push ds
        mov dx, [si + ATAD_BASE]
        mov al, [EBDA_CPU]
        mov si, di
        push es
        pop ds
        cmp al, 2
        jb .slow
        cpu 286
        rep outsw
        cpu 8086
        jmp .done
.slow:  lodsw
        out dx, ax
        loop .slow
.done:  mov di, si
        pop ds
        pop si
        pop dx
        pop cx
        pop ax
        ret

; normalize_es_di - the same address with DI < 16, so a long transfer never wraps its offset
normalize_es_di:
        push ax
        push cx
        mov ax, di
        mov cl, 4
        shr ax, cl
        mov cx, es
        add cx, ax
        mov es, cx
        and di, 0x000F
        pop cx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; ata_transfer - read, write or verify EBDA_REQ_COUNT sectors from EBDA_REQ_LBA (ES:DI buffer),
; EBDA_REQ_OP = 0 read, 1 write, 2 verify. Commands carry at most 128 sectors each.
; Out: AH = status (CF on error), EBDA_REQ_DONE = sectors done.
; ---------------------------------------------------------------------------------------------
ata_transfer:
        push bx
        push cx
        push dx
        mov word [EBDA_REQ_DONE], 0
.chunk: mov cx, [EBDA_REQ_COUNT]
        sub cx, [EBDA_REQ_DONE]
        jz .ok
        cmp cx, 128
        jbe .issue
        mov cx, 128
.issue: call ata_issue                  ; CX = sectors in this command
        test ah, ah
        jnz .fail
        cmp byte [EBDA_REQ_OP], 2
        je .verify
.sector:
        call normalize_es_di
        call ata_wait_drq
        jc .fail
        push cx
        mov cx, 256
        cmp byte [EBDA_REQ_OP], 1
        je .write
        call ata_pio_in
        jmp .moved
.write: call ata_pio_out
.moved: pop cx
        inc word [EBDA_REQ_DONE]
        loop .sector
        jmp .finish
.verify:
        add [EBDA_REQ_DONE], cx
.finish:
        ; the command ends with BSY clear and no error
        push cx
        mov cx, ATA_BUSY_TICKS
        call ata_wait_busy
        pop cx
        jc .timeout
        test al, 0x21
        jz .next
        call ata_error_status
        jmp .fail
.next:  ; the next command starts where this one ended
        mov ax, [EBDA_REQ_DONE]
        jmp .chunk
.ok:    xor ah, ah
        clc
        jmp .done
.timeout:
        mov ah, ATA_ERR_TIMEOUT
.fail:  stc
.done:  pop dx
        pop cx
        pop bx
        ret

; ata_issue - write the task file for CX sectors at EBDA_REQ_LBA + EBDA_REQ_DONE and the
; command. LBA48 when the address needs it (and the disk has it), LBA28 otherwise, CHS for a
; disk without LBA. AH = 0, or a status if the device never became ready.
ata_issue:
        push bx
        push cx
        push dx
        push di
        ; nIEN: no interrupts from the device, the BIOS polls
        mov dx, [si + ATAD_CTRL]
        mov al, 0x02
        out dx, al
        push cx
        mov cx, ATA_BUSY_TICKS
        call ata_wait_busy
        pop cx
        jnc .ready
        mov ah, ATA_ERR_TIMEOUT
        jmp .out
.ready: ; DI:DX:AX... the 48-bit address of this command = start + done
        mov ax, [EBDA_REQ_LBA]
        mov dx, [EBDA_REQ_LBA + 2]
        mov di, [EBDA_REQ_LBA + 4]
        add ax, [EBDA_REQ_DONE]
        adc dx, 0
        adc di, 0
        test byte [si + ATAD_FLAGS], 0x01
        jz .chs
        test di, di
        jnz .lba48
        test dh, 0xF0
        jnz .lba48
        ; LBA28: Device = E0h | DEV | LBA 27-24
        push ax
        mov al, dh
        and al, 0x0F
        or al, 0x40
        call ata_select
        mov al, cl
        mov bl, 2
        call ata_out_reg                ; Sector Count (0 would mean 256)
        pop ax
        mov bl, 3
        call ata_out_reg                ; LBA 7-0
        mov al, ah
        inc bx
        call ata_out_reg                ; LBA 15-8
        mov al, dl
        inc bx
        call ata_out_reg                ; LBA 23-16
        mov bl, 0x20                    ; READ SECTORS / WRITE SECTORS / READ VERIFY SECTORS
        jmp .command
.lba48: test byte [si + ATAD_FLAGS], 0x02
        jnz .lba48_ok
        mov ah, ATA_ERR_NOT_FOUND       ; beyond what LBA28 can address
        jmp .out
.lba48_ok:
        ; each register is a two-deep FIFO: the "previous" (high) byte first
        push ax
        mov al, 0x40
        call ata_select
        mov al, ch
        mov bl, 2
        call ata_out_reg                ; Sector Count 15-8
        mov al, dh
        inc bx
        call ata_out_reg                ; LBA 31-24
        mov ax, di
        inc bx
        call ata_out_reg                ; LBA 39-32
        mov al, ah
        inc bx
        call ata_out_reg                ; LBA 47-40
        mov al, cl
        mov bl, 2
        call ata_out_reg                ; Sector Count 7-0
        pop ax
        inc bx
        call ata_out_reg                ; LBA 7-0
        mov al, ah
        inc bx
        call ata_out_reg                ; LBA 15-8
        mov al, dl
        inc bx
        call ata_out_reg                ; LBA 23-16
        mov bl, 0x24                    ; READ SECTORS EXT / WRITE SECTORS EXT / READ VERIFY EXT
        jmp .command
.chs:   ; a disk without LBA: cylinder, head, sector from its own geometry
        push cx                         ; the sector count
        mov cl, [si + ATAD_PSPT]
        xor ch, ch
        call div32_16                   ; DX:AX = track, BX = sector - 1
        inc bx
        push bx
        mov cl, [si + ATAD_PHEADS]
        call div32_16                   ; DX:AX = cylinder, BX = head
        push ax
        mov al, bl
        call ata_select                 ; the head goes in the Device register
        pop dx                          ; DX = cylinder
        pop ax                          ; AL = sector
        pop cx
        mov bl, 3
        call ata_out_reg                ; Sector Number
        mov al, cl
        mov bl, 2
        call ata_out_reg                ; Sector Count
        mov al, dl
        mov bl, 4
        call ata_out_reg                ; Cylinder Low
        mov al, dh
        mov bl, 5
        call ata_out_reg                ; Cylinder High
        mov bl, 0x20
.command:
        ; command = base (20h/24h) + 10h for a write, + 20h for a verify (READ VERIFY is 40h/42h)
        mov al, bl
        cmp byte [EBDA_REQ_OP], 1
        jne .not_write
        add al, 0x10
.not_write:
        cmp byte [EBDA_REQ_OP], 2
        jne .send
        mov al, 0x40
        cmp bl, 0x20
        je .send
        mov al, 0x42
.send:  mov bl, 7
        call ata_out_reg
        call ata_delay400
        xor ah, ah
.out:   pop di
        pop dx
        pop cx
        pop bx
        ret

; ata_reset_channel - software reset of device SI's channel (SRST in Device Control), then
; wait for both devices to finish. Leaves nIEN set. AH = status.
ata_reset_channel:
        push cx
        push dx
        mov dx, [si + ATAD_CTRL]
        mov al, 0x06                    ; SRST + nIEN
        out dx, al
        mov cx, 2
        call delay_15us                 ; SRST must stay asserted at least 5 us
        mov al, 0x02
        out dx, al
        mov cx, 140                     ; 2 ms before BSY is meaningful (ATA-6, 9.2)
        call delay_15us
        mov cx, ATA_BUSY_TICKS
        call ata_wait_busy
        mov ah, 0
        jnc .done
        mov ah, ATA_ERR_RESET
.done:  pop dx
        pop cx
        ret

; ---------------------------------------------------------------------------------------------
; ata_post_init - find the devices on both channels (the PIIX3's IDE decode must be on: see
; pci.asm), IDENTIFY each, fill the device records, number the hard disks 80h.. and the CD-ROM
; drives E0h.., and print a line for each.
; ---------------------------------------------------------------------------------------------
ata_post_init:
        push ax
        push bx
        push cx
        push dx
        push si
        push di
        push ds
        push es
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        xor bx, bx                      ; BL = device index 0-3
.device:
        mov si, bx
        mov cl, 5
        shl si, cl
        add si, EBDA_ATA_DEV            ; SI = the record
        mov byte [si + ATAD_TYPE], 0
        mov al, bl
        shr al, 1
        mov [si + ATAD_CHANNEL], al
        mov word [si + ATAD_BASE], 0x1F0
        mov word [si + ATAD_CTRL], 0x3F6
        test al, al
        jz .primary
        mov word [si + ATAD_BASE], 0x170
        mov word [si + ATAD_CTRL], 0x376
.primary:
        mov al, bl
        and al, 1
        mov cl, 4
        shl al, cl
        mov [si + ATAD_SLAVE], al
        test bl, 1
        jnz .probe
        ; first device of a channel: is anything driving the bus? Then reset the channel.
        call ata_status
        cmp al, 0xFF
        je .skip_channel
        call ata_reset_channel
.probe: xor al, al
        call ata_select
        call ata_status
        cmp al, 0xFF
        je .next
        ; (an ATAPI device shows status 00h after a reset, and so does an absent device 1 next
        ; to a present device 0: ata_identify tells them apart by whether the command is taken)
        mov cx, 18                      ; 1 s
        call ata_wait_busy
        jc .next
        mov dx, [si + ATAD_BASE]
        add dx, 4
        in al, dx
        mov ah, al
        inc dx
        in al, dx                       ; AH = LBA Mid, AL = LBA High: the device signature
        cmp ax, 0x14EB                  ; a packet (ATAPI) device
        je .atapi
        test ax, ax
        jnz .next
        mov al, 0xEC                    ; IDENTIFY DEVICE
        call ata_identify
        jc .next
        call ata_setup_disk
        jmp .next
.atapi: mov al, 0xA1                    ; IDENTIFY PACKET DEVICE
        call ata_identify
        jc .next
        call atapi_setup
        jmp .next
.skip_channel:
        inc bx
.next:  inc bx
        cmp bx, 4
        jb .device
        ; the BDA's hard disk count, and the fixed disk parameter tables
        mov al, [EBDA_HD_REAL]
        push ds
        mov cx, BDA_SEG
        mov ds, cx
        mov [BDA_HD_COUNT], al
        pop ds
        call ata_fill_fdpts
        test byte [EBDA_HD_REAL], 0xFF
        jnz .irq
        test byte [EBDA_CD_COUNT], 0xFF
        jz .done
.irq:   mov al, 14                      ; the controllers' lines: their handlers acknowledge
        call pic_unmask
        mov al, 15
        call pic_unmask
.done:  pop es
        pop ds
        pop di
        pop si
        pop dx
        pop cx
        pop bx
        pop ax
        ret

; ata_identify - send IDENTIFY command AL to device SI, read the 512 bytes to 0000:2000.
; CF when the device does not answer.
ata_identify:
        push bx
        push cx
        push di
        push es
        push ax
        mov dx, [si + ATAD_CTRL]
        mov al, 0x02                    ; nIEN
        out dx, al
        pop ax
        mov bl, 7
        call ata_out_reg
        call ata_delay400
        call ata_status                 ; a device that exists is busy, ready or failing now;
        test al, al                     ; nothing answers for one that does not (ATA-6, 9.16.1)
        stc
        jz .done
        mov byte [EBDA_REQ_OP], 0
        call ata_wait_drq
        jc .done
        xor ax, ax
        mov es, ax
        mov di, 0x2000
        mov cx, 256
        call ata_pio_in
        clc
.done:  pop es
        pop di
        pop cx
        pop bx
        ret

; ata_setup_disk - an ATA disk answered IDENTIFY (data at 0000:2000): record its geometry,
; capacity, the logical geometry INT 13h shows, and give it the next drive number.
ata_setup_disk:
        push ax
        push bx
        push cx
        push dx
        push di
        push es
        xor ax, ax
        mov es, ax
        mov bx, 0x2000
        mov byte [si + ATAD_TYPE], 1
        mov word [si + ATAD_BLOCK], 512
        mov ax, [es:bx + 1 * 2]         ; word 1: cylinders
        mov [si + ATAD_PCYLS], ax
        mov al, [es:bx + 3 * 2]         ; word 3: heads
        mov [si + ATAD_PHEADS], al
        mov al, [es:bx + 6 * 2]         ; word 6: sectors per track
        mov [si + ATAD_PSPT], al
        mov byte [si + ATAD_FLAGS], 0
        xor ax, ax
        mov [si + ATAD_SECTORS + 4], ax
        mov [si + ATAD_SECTORS + 6], ax
        test byte [es:bx + 49 * 2 + 1], 0x02    ; word 49 bit 9: LBA supported
        jz .chs_only
        or byte [si + ATAD_FLAGS], 0x01
        mov ax, [es:bx + 60 * 2]        ; words 60-61: LBA28 capacity
        mov dx, [es:bx + 61 * 2]
        mov [si + ATAD_SECTORS], ax
        mov [si + ATAD_SECTORS + 2], dx
        test byte [es:bx + 83 * 2 + 1], 0x04    ; word 83 bit 10: the 48-bit feature set
        jz .geometry
        or byte [si + ATAD_FLAGS], 0x02
        mov ax, [es:bx + 100 * 2]       ; words 100-103: LBA48 capacity
        mov [si + ATAD_SECTORS], ax
        mov ax, [es:bx + 101 * 2]
        mov [si + ATAD_SECTORS + 2], ax
        mov ax, [es:bx + 102 * 2]
        mov [si + ATAD_SECTORS + 4], ax
        mov ax, [es:bx + 103 * 2]
        mov [si + ATAD_SECTORS + 6], ax
        jmp .geometry
.chs_only:
        mov ax, [si + ATAD_PCYLS]
        mov cl, [si + ATAD_PHEADS]
        xor ch, ch
        mul cx
        mov cl, [si + ATAD_PSPT]
        call mul32_16
        mov [si + ATAD_SECTORS], ax
        mov [si + ATAD_SECTORS + 2], dx
.geometry:
        ; the disk's own geometry when INT 13h can show it
        mov ax, [si + ATAD_PCYLS]
        mov [si + ATAD_LCYLS], ax
        mov al, [si + ATAD_PHEADS]
        mov [si + ATAD_LHEADS], al
        mov al, [si + ATAD_PSPT]
        mov [si + ATAD_LSPT], al
        cmp word [si + ATAD_PCYLS], 1024
        jbe .numbered
        test byte [si + ATAD_FLAGS], 0x01
        jz .cap
        ; LBA-assisted translation: 63 sectors per track, the fewest heads that bring the
        ; cylinders down to 1024
        mov byte [si + ATAD_LSPT], 63
        mov byte [si + ATAD_LHEADS], 255
        mov word [si + ATAD_LCYLS], 1024
        mov ax, [si + ATAD_SECTORS + 4]
        or ax, [si + ATAD_SECTORS + 6]
        jnz .numbered                   ; beyond 2^32 sectors: the largest CHS disk
        mov ax, [si + ATAD_SECTORS]
        mov dx, [si + ATAD_SECTORS + 2]
        mov cx, 63
        call div32_16                   ; DX:AX = tracks
        mov di, ata_head_choices
.heads: mov cl, [cs:di]
        xor ch, ch
        push ax
        push dx
        call div32_16                   ; DX:AX = cylinders with CX heads
        test dx, dx
        jnz .more
        cmp ax, 1024
        ja .more
        add sp, 4
        mov [si + ATAD_LHEADS], cl
        mov [si + ATAD_LCYLS], ax
        jmp .numbered
.more:  pop dx
        pop ax
        inc di
        cmp byte [cs:di], 0
        jne .heads
        jmp .numbered
.cap:   mov word [si + ATAD_LCYLS], 1024
.numbered:
        mov al, [EBDA_HD_REAL]
        cmp al, 4
        jae .done
        mov bl, al
        xor bh, bh
        mov ax, si
        sub ax, EBDA_ATA_DEV
        mov cl, 5
        shr ax, cl
        mov [EBDA_HD_MAP + bx], al
        inc byte [EBDA_HD_REAL]
        call ata_print_device
.done:  pop es
        pop di
        pop dx
        pop cx
        pop bx
        pop ax
        ret

ata_head_choices: db 16, 32, 64, 128, 255, 0

; ata_print_device - "IDE primary master: disk 80h LANTERN HARDDISK, 512 MiB (CHS 1040/16/63)"
ata_print_device:
        push ax
        push bx
        push cx
        push dx
        push si
        push di
        push es
        PRINT "IDE "
        cmp byte [si + ATAD_CHANNEL], 0
        jne .sec
        PRINT "primary "
        jmp .ms
.sec:   PRINT "secondary "
.ms:    cmp byte [si + ATAD_SLAVE], 0
        jne .slave
        PRINT "master: "
        jmp .kind
.slave: PRINT "slave: "
.kind:  cmp byte [si + ATAD_TYPE], 2
        jne .disk
        PRINT "CD-ROM drive "
        mov al, [EBDA_CD_COUNT]
        add al, 0xDF
        call print_hex8
        PRINT "h "
        jmp .model
.disk:  PRINT "hard disk "
        mov al, [EBDA_HD_REAL]
        add al, 0x7F
        call print_hex8
        PRINT "h "
.model: ; IDENTIFY words 27-46: the model, two characters a word, high byte first
        xor ax, ax
        mov es, ax
        mov di, 0x2000 + 27 * 2
        mov cx, 40                      ; the model is padded with spaces: find its end
.trim:  mov bx, cx
        dec bx
        xor bx, 1                       ; the byte holding character CX-1
        cmp byte [es:di + bx], ' '
        jne .print
        loop .trim
.print: xor bx, bx
        jcxz .eol_model
.char:  mov al, [es:di + bx]
        xor bx, 1
        mov al, [es:di + bx]            ; characters come high byte first in each word
        xor bx, 1
        call print_char
        inc bx
        loop .char
.eol_model:
        cmp byte [si + ATAD_TYPE], 1
        jne .eol
        ; size in MiB = sectors / 2048
        mov ax, [si + ATAD_SECTORS + 1]
        mov dx, [si + ATAD_SECTORS + 3]
        mov cx, 3
.shift: shr dx, 1
        rcr ax, 1
        loop .shift
        PRINT ", "
        call print_dec32
        PRINT " MiB, CHS "
        mov ax, [si + ATAD_LCYLS]
        call print_dec16
        mov al, '/'
        call print_char
        mov al, [si + ATAD_LHEADS]
        xor ah, ah
        call print_dec16
        mov al, '/'
        call print_char
        mov al, [si + ATAD_LSPT]
        xor ah, ah
        call print_dec16
.eol:   PRINT 13, 10
        pop es
        pop di
        pop si
        pop dx
        pop cx
        pop bx
        pop ax
        ret

; ata_fill_fdpts - fixed disk parameter tables for drives 80h and 81h in the EBDA, pointed to by
; INT 41h and INT 46h (IBM PC/AT Technical Reference, "Fixed disk parameter table"):
; +0 cylinders, +2 heads, +5 write precompensation (FFFFh: none), +8 control byte (bit 3: more
; than 8 heads), +0Ch landing zone, +0Eh sectors per track.
ata_fill_fdpts:
        push ax
        push bx
        push cx
        push si
        push di
        push es
        xor ax, ax
        mov es, ax
        xor bx, bx                      ; BX = BIOS disk 0 / 1
.disk:  cmp bl, [EBDA_HD_REAL]
        jae .done
        mov di, EBDA_FDPT0
        test bx, bx
        jz .table
        mov di, EBDA_FDPT1
.table: mov al, [EBDA_HD_MAP + bx]
        xor ah, ah
        mov cl, 5
        shl ax, cl
        add ax, EBDA_ATA_DEV
        mov si, ax
        mov ax, [si + ATAD_LCYLS]
        mov [di], ax
        mov [di + 0x0C], ax
        mov al, [si + ATAD_LHEADS]
        mov [di + 2], al
        mov word [di + 5], 0xFFFF
        mov byte [di + 8], 0
        cmp al, 8
        jbe .few
        mov byte [di + 8], 0x08
.few:   mov al, [si + ATAD_LSPT]
        mov [di + 0x0E], al
        ; INT 41h (disk 0) or INT 46h (disk 1) -> the table
        mov ax, 0x41 * 4
        test bx, bx
        jz .vector
        mov ax, 0x46 * 4
.vector:
        push bx
        mov bx, ax
        mov [es:bx], di
        mov [es:bx + 2], ds
        pop bx
        inc bx
        cmp bx, 2
        jb .disk
.done:  pop es
        pop di
        pop si
        pop cx
        pop bx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; hd_service - INT 13h for drives 80h-DFh (frame in BP, DS = 0040h). AH = status, CF.
; ---------------------------------------------------------------------------------------------
hd_service:
        push ds
        mov ds, [BDA_EBDA_SEG]
        mov al, dl
        sub al, 0x80
        cmp al, [EBDA_HD_REAL]
        jb .exists
        mov ah, ATA_ERR_BAD_CMD
        cmp byte [bp + F_AH], 0x15      ; "is there a disk?": AH = 0, no error
        jne .finish_err
        xor ah, ah
        mov [bp + F_CX], ax
        mov [bp + F_DX], ax
        jmp .ok_nostatus
.exists:
        mov bl, al
        xor bh, bh
        mov al, [EBDA_HD_MAP + bx]
        xor ah, ah
        mov cl, 5
        shl ax, cl
        add ax, EBDA_ATA_DEV
        mov si, ax                      ; SI = device record
        mov ah, [bp + F_AH]
        cmp ah, 0x00
        je .reset
        cmp ah, 0x01
        je .status
        cmp ah, 0x02
        je .chs_rw
        cmp ah, 0x03
        je .chs_rw
        cmp ah, 0x04
        je .chs_rw
        cmp ah, 0x08
        je .params
        cmp ah, 0x15
        je .type
        cmp ah, 0x41
        je .edd_check
        cmp ah, 0x42
        je .edd_rw
        cmp ah, 0x43
        je .edd_rw
        cmp ah, 0x44
        je .edd_rw
        cmp ah, 0x48
        je .edd_params
        ; nothing to do on an ATA disk: format (05h), initialise (09h), seek (0Ch, 47h),
        ; alternate reset (0Dh), recalibrate (11h), diagnostics (14h)
        cmp ah, 0x05
        je .ok
        cmp ah, 0x09
        je .ok
        cmp ah, 0x0C
        je .ok
        cmp ah, 0x0D
        je .ok
        cmp ah, 0x11
        je .ok
        cmp ah, 0x14
        je .ok
        cmp ah, 0x47
        je .ok
        cmp ah, 0x10                    ; test drive ready
        je .ready
        mov ah, ATA_ERR_BAD_CMD
        jmp .finish_err

.reset: call ata_reset_channel
        jmp .finish
.status:
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov ah, [BDA_HD_STATUS]
        pop ds
        jmp .ok_nostatus_ah
.ready: call ata_status
        mov ah, ATA_ERR_NOT_READY
        test al, 0x40                   ; DRDY
        jz .finish_err
        jmp .ok

.chs_rw:
        ; CX = cylinder 7-0 in CH, 9-8 in CL 7-6, sector in CL 5-0; DH = head; AL = count
        mov al, [bp + F_AL]
        mov byte [bp + F_AL], 0
        test al, al
        jz .bad
        xor ah, ah
        mov [EBDA_REQ_COUNT], ax
        mov cl, [bp + F_CL]
        mov al, cl
        and al, 0x3F                    ; sector
        jz .bad
        cmp al, [si + ATAD_LSPT]
        ja .bad
        mov ah, [bp + F_DH]
        cmp ah, [si + ATAD_LHEADS]
        jae .bad
        mov bl, al                      ; BL = sector, BH = head
        mov bh, ah
        mov al, [bp + F_CH]
        mov ah, cl
        rol ah, 1
        rol ah, 1
        and ah, 0x03                    ; AX = cylinder
        cmp ax, [si + ATAD_LCYLS]
        jae .bad
        ; LBA = (cylinder x heads + head) x sectors + sector - 1
        mov cl, [si + ATAD_LHEADS]
        xor ch, ch
        mul cx
        add al, bh
        adc ah, 0
        adc dx, 0
        mov cl, [si + ATAD_LSPT]
        call mul32_16
        mov bh, 0
        dec bx
        add ax, bx
        adc dx, 0
        mov [EBDA_REQ_LBA], ax
        mov [EBDA_REQ_LBA + 2], dx
        xor ax, ax
        mov [EBDA_REQ_LBA + 4], ax
        mov [EBDA_REQ_LBA + 6], ax
        mov al, [bp + F_AH]
        sub al, 2
        mov [EBDA_REQ_OP], al
        mov es, [bp + F_ES]
        mov di, [bp + F_BX]
        call ata_transfer
        mov al, [EBDA_REQ_DONE]
        mov [bp + F_AL], al
        jmp .finish
.bad:   mov ah, ATA_ERR_BAD_CMD
        jmp .finish_err

.params:
        mov ax, [si + ATAD_LCYLS]
        dec ax                          ; the last cylinder
        cmp ax, 1023
        jbe .pc
        mov ax, 1023
.pc:    mov [bp + F_CH], al
        mov cl, 6
        shl ah, cl                      ; cylinder bits 9-8 -> CL bits 7-6
        or ah, [si + ATAD_LSPT]
        mov [bp + F_CL], ah
        mov al, [si + ATAD_LHEADS]
        dec al
        mov [bp + F_DH], al
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov al, [BDA_HD_COUNT]
        pop ds
        mov [bp + F_DL], al
        mov byte [bp + F_AL], 0
        jmp .ok

.type:  ; AH = 03h (fixed disk), CX:DX = sectors reachable through CHS
        mov ax, [si + ATAD_LCYLS]
        mov cl, [si + ATAD_LHEADS]
        xor ch, ch
        mul cx
        mov cl, [si + ATAD_LSPT]
        call mul32_16
        mov [bp + F_CX], dx
        mov [bp + F_DX], ax
        mov ah, 0x03
        jmp .ok_nostatus_ah

.edd_check:
        ; EDD installation check: BX = AA55h, AH = 30h (EDD 3.0), CX bit 0 = functions 42h-44h,
        ; 47h, 48h (the "fixed disk access subset")
        cmp word [bp + F_BX], 0x55AA
        jne .bad
        mov word [bp + F_BX], 0xAA55
        mov word [bp + F_CX], 0x0001
        mov ah, 0x30
        jmp .ok_nostatus_ah

.edd_rw:
        call dap_read                   ; ES:DI buffer, CX blocks, BX:DX:AX block
        jc .bad
        mov [EBDA_REQ_LBA], ax
        mov [EBDA_REQ_LBA + 2], dx
        mov [EBDA_REQ_LBA + 4], bx
        mov word [EBDA_REQ_LBA + 6], 0
        mov [EBDA_REQ_COUNT], cx
        mov al, [bp + F_AH]
        sub al, 0x42
        mov [EBDA_REQ_OP], al
        cmp al, 2
        je .edd_go                      ; verify: no buffer
        cmp di, 0xFFFF                  ; FFFF:FFFF means a 64-bit flat buffer address: not
        jne .edd_go                     ; reachable from real mode
        mov ax, es
        cmp ax, 0xFFFF
        je .bad
.edd_go:
        xor cx, cx
        cmp [EBDA_REQ_COUNT], cx
        je .edd_done
        call ata_transfer
.edd_done:
        mov cx, [EBDA_REQ_DONE]
        call dap_set_count
        jmp .finish

.edd_params:
        ; EDD 48h result buffer (EDD 3.0, "Get Drive Parameters"): +0 size, +2 flags,
        ; +4 cylinders, +8 heads, +0Ch sectors per track (dwords), +10h total sectors (qword),
        ; +18h bytes per sector, +1Ah DPTE pointer (FFFF:FFFF: none)
        mov es, [bp + F_DS]
        mov di, [bp + F_SI]
        mov bx, [es:di]                 ; the caller's buffer size
        cmp bx, 0x1A
        jb .bad
        mov word [es:di], 0x1A
        mov word [es:di + 2], 0x0002    ; the geometry fields are valid
        mov ax, [si + ATAD_PCYLS]
        mov [es:di + 4], ax
        mov word [es:di + 6], 0
        mov al, [si + ATAD_PHEADS]
        xor ah, ah
        mov [es:di + 8], ax
        mov word [es:di + 10], 0
        mov al, [si + ATAD_PSPT]
        mov [es:di + 12], ax
        mov word [es:di + 14], 0
        mov ax, [si + ATAD_SECTORS]
        mov [es:di + 16], ax
        mov ax, [si + ATAD_SECTORS + 2]
        mov [es:di + 18], ax
        mov ax, [si + ATAD_SECTORS + 4]
        mov [es:di + 20], ax
        mov ax, [si + ATAD_SECTORS + 6]
        mov [es:di + 22], ax
        mov word [es:di + 24], 512
        cmp bx, 0x1E
        jb .ok
        mov word [es:di], 0x1E
        mov word [es:di + 0x1A], 0xFFFF
        mov word [es:di + 0x1C], 0xFFFF
        jmp .ok

.ok:    xor ah, ah
.finish:
        test ah, ah
        jnz .finish_err
        push ds
        mov bx, BDA_SEG
        mov ds, bx
        mov [BDA_HD_STATUS], ah
        pop ds
.ok_nostatus:
        xor ah, ah
.ok_nostatus_ah:
        pop ds
        clc
        ret
.finish_err:
        push ds
        mov bx, BDA_SEG
        mov ds, bx
        mov [BDA_HD_STATUS], ah
        pop ds
        pop ds
        stc
        ret

; ---------------------------------------------------------------------------------------------
; INT 76h / 77h - IRQ14 / IRQ15. The BIOS polls with the device's interrupt off, but an
; operating system's driver may turn it on before hooking the vector: acknowledge the device
; (reading Status) and both interrupt controllers, and note it in 0040:008E as the AT BIOS does.
; ---------------------------------------------------------------------------------------------
int76_ide_primary:
        push ax
        push dx
        mov dx, 0x1F7
        jmp ide_irq_common
int77_ide_secondary:
        push ax
        push dx
        mov dx, 0x177
ide_irq_common:
        in al, dx
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov byte [BDA_HD_INT_FLAG], 0xFF
        pop ds
        mov al, PIC_EOI
        out PIC2_CMD, al
        out PIC1_CMD, al
        pop dx
        pop ax
        iret
