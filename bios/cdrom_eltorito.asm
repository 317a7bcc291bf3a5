; cdrom_eltorito.asm - ATAPI CD-ROM drives, the El Torito boot, and INT 13h for CDs.
;
; An ATAPI drive speaks SCSI commands wrapped in the ATA PACKET command (ATA/ATAPI-6, 8.21 and
; 9.11): the BIOS writes PACKET (A0h) with the largest byte count it accepts per DRQ block in the
; LBA Mid/High registers, the drive asks for the 12-byte command packet (DRQ), and then hands over
; the data in blocks of the byte count it writes back into LBA Mid/High. The BIOS only needs two
; commands: READ(10) (28h) and READ CAPACITY (25h), plus START STOP UNIT (1Bh) to eject.
;
; El Torito ("Bootable CD-ROM Format Specification" 1.0, Phoenix/IBM 1995):
;   sector 17 of the disc is the Boot Record Volume Descriptor: 0, "CD001", 1,
;   "EL TORITO SPECIFICATION", and at offset 47h the sector of the boot catalog;
;   the catalog starts with a validation entry (header ID 1, key bytes 55h AAh at 1Eh/1Fh, words
;   summing to zero) and the initial/default entry (80h/88h bootable, media type, load segment,
;   sector count in 512-byte units, start sector of the image).
; Media type 0 loads the image as is ("no emulation") and starts it with DL = the CD's drive
; number (E0h). Types 1-3 make the image a 1.2M/1.44M/2.88M diskette, drive 00h; type 4 a hard
; disk, drive 80h. Emulated drives are served here from 512-byte pieces of the disc's sectors.

        cpu 8086

; atapi_setup - a packet device answered IDENTIFY PACKET DEVICE (data at 0000:2000): if it is a
; CD-ROM (word 0 bits 12-8 = 05h), record it and give it the next drive number (E0h..).
atapi_setup:
        push ax
        push bx
        push es
        xor ax, ax
        mov es, ax
        mov al, [es:0x2000 + 1]
        and al, 0x1F
        cmp al, 0x05
        jne .done
        mov byte [si + ATAD_TYPE], 2
        mov byte [si + ATAD_FLAGS], 0x04        ; removable
        mov word [si + ATAD_BLOCK], 2048
        mov bl, [EBDA_CD_COUNT]
        cmp bl, 4
        jae .done
        xor bh, bh
        mov ax, si
        sub ax, EBDA_ATA_DEV
        push cx
        mov cl, 5
        shr ax, cl
        pop cx
        mov [EBDA_CD_MAP + bx], al
        inc byte [EBDA_CD_COUNT]
        call ata_print_device
.done:  pop es
        pop bx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; atapi_command - send the packet at EBDA_PACKET to device SI (DS = EBDA) and take the data:
; the first EBDA_REQ_SKIP bytes are dropped, the next EBDA_REQ_STORE bytes go to ES:DI (DI
; advances), the rest is dropped. AH = 0, 06h after a medium change (unit attention), AAh when
; the drive is not ready, 80h on timeout, 20h for other failures; CF on error.
; ---------------------------------------------------------------------------------------------
atapi_command:
        push bx
        push cx
        push dx
        mov dx, [si + ATAD_CTRL]
        mov al, 0x02                    ; nIEN
        out dx, al
        mov cx, ATA_BUSY_TICKS
        call ata_wait_busy
        jc .timeout
        xor al, al
        call ata_select
        mov cx, ATA_BUSY_TICKS
        call ata_wait_busy
        jc .timeout
        xor al, al
        mov bl, 1
        call ata_out_reg                ; Features: PIO data
        mov bl, 4
        call ata_out_reg                ; byte count limit 0800h: one CD sector per block
        mov al, 0x08
        mov bl, 5
        call ata_out_reg
        mov al, 0xA0                    ; PACKET
        mov bl, 7
        call ata_out_reg
        call ata_delay400
        mov cx, ATA_BUSY_TICKS
        call ata_wait_busy
        jc .timeout
        test al, 0x01
        jnz .check
        test al, 0x08                   ; DRQ: the drive wants the packet
        jz .fail
        mov dx, [si + ATAD_BASE]
        mov bx, EBDA_PACKET
        mov cx, 6
.packet:
        mov ax, [bx]
        out dx, ax
        add bx, 2
        loop .packet
        call ata_delay400
.phase: mov cx, ATA_BUSY_TICKS
        call ata_wait_busy
        jc .timeout
        test al, 0x01                   ; CHK: the command failed
        jnz .check
        test al, 0x08
        jz .ok                          ; no DRQ: the status phase, done
        ; a data block: its size is in LBA Mid/High
        mov dx, [si + ATAD_BASE]
        add dx, 4
        in al, dx
        mov cl, al
        inc dx
        in al, dx
        mov ch, al
        inc cx
        shr cx, 1                       ; words
        jcxz .phase
        mov dx, [si + ATAD_BASE]
.word:  in ax, dx
        cmp word [EBDA_REQ_SKIP], 0
        je .store
        sub word [EBDA_REQ_SKIP], 2
        jmp .next
.store: cmp word [EBDA_REQ_STORE], 0
        je .next
        stosw
        sub word [EBDA_REQ_STORE], 2
.next:  loop .word
        jmp .phase
.ok:    xor ah, ah
        clc
        jmp .done
.check: ; the sense key is in the Error register's upper nibble
        mov dx, [si + ATAD_BASE]
        inc dx
        in al, dx
        mov cl, 4
        shr al, cl
        mov ah, 0x06
        cmp al, 0x06                    ; UNIT ATTENTION
        je .err
        mov ah, 0xAA
        cmp al, 0x02                    ; NOT READY
        je .err
        mov ah, 0x04
        cmp al, 0x05                    ; ILLEGAL REQUEST (e.g. beyond the end of the disc)
        je .err
.fail:  mov ah, 0x20
        jmp .err
.timeout:
        mov ah, 0x80
        call ata_reset_channel
        mov ah, 0x80
.err:   stc
.done:  pop dx
        pop cx
        pop bx
        ret

; atapi_clear_packet - zero the 12-byte packet
atapi_clear_packet:
        push ax
        xor ax, ax
        mov [EBDA_PACKET], ax
        mov [EBDA_PACKET + 2], ax
        mov [EBDA_PACKET + 4], ax
        mov [EBDA_PACKET + 6], ax
        mov [EBDA_PACKET + 8], ax
        mov [EBDA_PACKET + 10], ax
        pop ax
        ret

; atapi_read_sector - READ(10) of CD sector DX:AX; EBDA_REQ_SKIP/STORE choose what reaches ES:DI.
; A unit attention (the first command after power-on or a disc change) is answered by trying
; again. AH = status, CF.
atapi_read_sector:
        push bx
        push cx
        mov bx, [EBDA_REQ_SKIP]         ; kept for the retries
        mov [EBDA_SCRATCH + 8], bx
        mov bx, [EBDA_REQ_STORE]
        mov [EBDA_SCRATCH + 10], bx
        call normalize_es_di
        mov [EBDA_SCRATCH + 12], di
        mov cx, 3                       ; tries
.try:   mov bx, [EBDA_SCRATCH + 8]
        mov [EBDA_REQ_SKIP], bx
        mov bx, [EBDA_SCRATCH + 10]
        mov [EBDA_REQ_STORE], bx
        mov di, [EBDA_SCRATCH + 12]
        call atapi_clear_packet
        mov byte [EBDA_PACKET], 0x28
        mov [EBDA_PACKET + 2], dh       ; the block address is big-endian
        mov [EBDA_PACKET + 3], dl
        mov [EBDA_PACKET + 4], ah
        mov [EBDA_PACKET + 5], al
        mov byte [EBDA_PACKET + 8], 1   ; one block
        push ax
        call atapi_command
        mov bl, ah
        pop ax
        jnc .ok
        cmp bl, 0x06                    ; unit attention: the same command again
        jne .fail
        loop .try
.fail:  mov ah, bl
        stc
        jmp .out
.ok:    xor ah, ah
        clc
.out:   pop cx
        pop bx
        ret

; atapi_read_capacity - DX:AX = the number of 2048-byte blocks on the disc, CF if unknown
atapi_read_capacity:
        push bx
        push cx
        push di
        push es
        mov cx, 3
.try:   call atapi_clear_packet
        mov byte [EBDA_PACKET], 0x25
        mov word [EBDA_REQ_SKIP], 0
        mov word [EBDA_REQ_STORE], 8
        push ds
        pop es
        mov di, EBDA_SCRATCH
        call atapi_command
        jnc .ok
        cmp ah, 0x06
        jne .fail
        loop .try
.fail:  stc
        jmp .done
.ok:    mov dh, [EBDA_SCRATCH]          ; last block address, big-endian
        mov dl, [EBDA_SCRATCH + 1]
        mov ah, [EBDA_SCRATCH + 2]
        mov al, [EBDA_SCRATCH + 3]
        add ax, 1
        adc dx, 0
        clc
.done:  pop es
        pop di
        pop cx
        pop bx
        ret

; cd_read_virtual - CX 512-byte sectors of the emulated image, starting at sector DX:AX of the
; image (EBDA_CD_EMU +4: the image's first CD sector), to ES:DI. EBDA_REQ_DONE counts them.
cd_read_virtual:
        push bx
        push cx
        push dx
        mov word [EBDA_REQ_DONE], 0
        jcxz .ok
.sector:
        push ax
        push dx
        push cx
        mov bx, ax
        and bx, 3                       ; which quarter of the CD sector
        mov cl, 9
        shl bx, cl
        mov [EBDA_REQ_SKIP], bx
        mov word [EBDA_REQ_STORE], 512
        shr dx, 1
        rcr ax, 1
        shr dx, 1
        rcr ax, 1                       ; CD sector within the image
        add ax, [EBDA_CD_EMU + 4]
        adc dx, [EBDA_CD_EMU + 6]
        call atapi_read_sector
        pop cx
        pop dx
        pop bx                          ; (the virtual sector's low word)
        jc .fail
        inc word [EBDA_REQ_DONE]
        mov ax, bx
        add ax, 1
        adc dx, 0
        loop .sector
.ok:    xor ah, ah
        clc
        jmp .done
.fail:  stc
.done:  pop dx
        pop cx
        pop bx
        ret

; ---------------------------------------------------------------------------------------------
; cd_emulation_filter - called first by INT 13h (frame in BP, DS = 0040h). Handles AH=4Bh and
; requests for an emulated drive itself (it then leaves through int13_exit and never returns);
; for a real drive of the emulated kind that moved up by one it lowers DL and returns; for
; everything else it just returns.
; ---------------------------------------------------------------------------------------------
cd_emulation_filter:
        cmp ah, 0x4B
        je .spec
        push ds
        mov ds, [BDA_EBDA_SEG]
        cmp byte [EBDA_CD_ACTIVE], 0
        je .mine_not
        mov bl, [EBDA_CD_EMU + 2]       ; the emulated drive
        cmp dl, bl
        je .emulate
        cmp dl, 0xE0
        jae .mine_not
        mov bh, dl
        xor bh, bl
        test bh, 0x80
        jnz .mine_not                   ; a drive of the other kind
        cmp dl, bl
        jb .mine_not
        dec dl                          ; the real drive behind it
        dec byte [bp + F_DL]
        mov byte [EBDA_REMAPPED], 1
        cmp ah, 0x08                    ; 08h returns the number of drives in DL
        jne .mine_not
        mov byte [EBDA_REMAPPED], 2
.mine_not:
        pop ds
        mov bx, [bp + F_BX]
        ret
.emulate:
        pop ds
        add sp, 2
        call cd_emu_service
        jmp int13_exit
.spec:  add sp, 2
        call cd_spec_service
        jmp int13_exit

; cd_spec_service - INT 13h AH=4Bh: AL=00h terminate the emulation, AL=01h just report. Both
; copy the 13h-byte specification packet to DS:SI. DL = the drive asked about (7Fh: any).
cd_spec_service:
        push ds
        mov ds, [BDA_EBDA_SEG]
        cmp byte [EBDA_CD_BOOTED], 0
        je .none
        cmp al, 1
        ja .bad
        cmp dl, 0x7F
        je .copy
        cmp dl, [EBDA_CD_EMU + 2]
        jne .none
.copy:  mov es, [bp + F_DS]
        mov di, [bp + F_SI]
        mov si, EBDA_CD_EMU
        mov cx, 0x13
        rep movsb
        test al, al
        jnz .ok
        mov byte [EBDA_CD_ACTIVE], 0    ; the emulated drive is gone; real drives move back
.ok:    pop ds
        xor ah, ah
        clc
        ret
.bad:
.none:  pop ds
        mov ah, 0x01
        stc
        ret

; ---------------------------------------------------------------------------------------------
; cd_emu_service - INT 13h for the emulated diskette or hard disk (DL = EBDA_CD_EMU+2).
; Reads come from the CD image; writes fail as write-protected.
; ---------------------------------------------------------------------------------------------
cd_emu_service:
        push ds
        mov ds, [BDA_EBDA_SEG]
        mov al, [EBDA_CD_DEV]
        xor ah, ah
        mov cl, 5
        shl ax, cl
        add ax, EBDA_ATA_DEV
        mov si, ax
        mov ah, [bp + F_AH]
        cmp ah, 0x00
        je .ok
        cmp ah, 0x01
        je .status
        cmp ah, 0x02
        je .read
        cmp ah, 0x03
        je .wp
        cmp ah, 0x04
        je .verify
        cmp ah, 0x05
        je .wp
        cmp ah, 0x08
        je .params
        cmp ah, 0x15
        je .type
        cmp ah, 0x16
        je .ok
        cmp byte [EBDA_CD_EMU + 2], 0x80 ; the EDD functions: for an emulated hard disk
        jb .bad
        cmp ah, 0x41
        je .edd_check
        cmp ah, 0x42
        je .edd_read
        cmp ah, 0x43
        je .wp
        cmp ah, 0x44
        je .ok
        cmp ah, 0x47
        je .ok
.bad:   mov ah, 0x01
        jmp .finish
.wp:    mov ah, 0x03
        jmp .finish
.status:
        mov ah, [EBDA_CD_LASTST]
        jmp .out_ah
.verify:
        jmp .ok

.read:  mov al, [bp + F_AL]
        mov byte [bp + F_AL], 0
        test al, al
        jz .bad
        xor ah, ah
        push ax                         ; count
        ; virtual sector = (cylinder x heads + head) x sectors + sector - 1
        mov cl, [bp + F_CL]
        mov bl, cl
        and bl, 0x3F
        jz .bad_pop
        cmp bl, [EBDA_CD_SPT]
        ja .bad_pop
        mov al, [bp + F_CH]
        mov ah, cl
        rol ah, 1
        rol ah, 1
        and ah, 3
        mov cl, [EBDA_CD_HEADS]
        xor ch, ch
        mul cx
        mov cl, [bp + F_DH]
        add ax, cx
        adc dx, 0
        mov cl, [EBDA_CD_SPT]
        call mul32_16
        xor bh, bh
        dec bx
        add ax, bx
        adc dx, 0
        pop cx
        mov es, [bp + F_ES]
        mov di, [bp + F_BX]
        call cd_read_virtual
        mov al, [EBDA_REQ_DONE]
        mov [bp + F_AL], al
        jmp .finish
.bad_pop:
        pop ax
        jmp .bad

.params:
        xor ax, ax
        mov [bp + F_AX], ax
        mov ax, [EBDA_CD_CYLS]
        dec ax
        mov [bp + F_CH], al
        mov cl, 6
        shl ah, cl
        or ah, [EBDA_CD_SPT]
        mov [bp + F_CL], ah
        mov al, [EBDA_CD_HEADS]
        dec al
        mov [bp + F_DH], al
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov al, [BDA_HD_COUNT]
        mov ah, [BDA_EQUIPMENT]
        pop ds
        cmp byte [EBDA_CD_EMU + 2], 0x80
        jae .hd_count
        mov cl, 6
        shr ah, cl
        inc ah
        mov al, ah
        mov [bp + F_DL], al
        ; diskette: BL = drive type, ES:DI = its parameter table
        mov bl, [EBDA_CD_EMU + 1]
        xor bh, bh
        mov al, [cs:.emu_type + bx]
        mov [bp + F_BL], al
        shl bx, 1
        mov ax, [cs:.emu_table + bx]
        mov [bp + F_DI], ax
        mov word [bp + F_ES], BIOS_SEG
        jmp .ok
.hd_count:
        mov [bp + F_DL], al
        jmp .ok
.emu_type:  db 0, 2, 4, 5
.emu_table: dw 0, dpt_1200, dpt_1440, dpt_2880

.type:  cmp byte [EBDA_CD_EMU + 2], 0x80
        jae .type_hd
        mov ah, 0x01                    ; a diskette drive without change line
        jmp .out_ah
.type_hd:
        mov ax, [EBDA_CD_CYLS]
        mov cl, [EBDA_CD_HEADS]
        xor ch, ch
        mul cx
        mov cl, [EBDA_CD_SPT]
        call mul32_16
        mov [bp + F_CX], dx
        mov [bp + F_DX], ax
        mov ah, 0x03
        jmp .out_ah

.edd_check:
        cmp word [bp + F_BX], 0x55AA
        jne .bad
        mov word [bp + F_BX], 0xAA55
        mov word [bp + F_CX], 0x0001
        mov ah, 0x30
        jmp .out_ah
.edd_read:
        call dap_read
        jc .bad
        test bx, bx
        jnz .bad
        call cd_read_virtual
        mov cx, [EBDA_REQ_DONE]
        call dap_set_count
        jmp .finish

.ok:    xor ah, ah
.finish:
        mov [EBDA_CD_LASTST], ah
.out_ah:
        pop ds
        test ah, ah
        jz .good
        cmp byte [bp + F_AH], 0x15      ; 15h/41h return a code in AH, not an error
        je .good
        cmp byte [bp + F_AH], 0x41
        je .good
        stc
        ret
.good:  clc
        ret

; ---------------------------------------------------------------------------------------------
; cd_service - INT 13h for CD-ROM drives E0h.. in 2048-byte blocks (frame in BP, DS = 0040h):
; 00h reset, 01h status, 41h-48h (EDD: read, verify, lock, eject, seek, parameters).
; ---------------------------------------------------------------------------------------------
cd_service:
        push ds
        mov ds, [BDA_EBDA_SEG]
        mov al, dl
        sub al, 0xE0
        cmp al, [EBDA_CD_COUNT]
        jb .exists
        mov ah, 0x01
        jmp .finish
.exists:
        mov bl, al
        xor bh, bh
        mov al, [EBDA_CD_MAP + bx]
        xor ah, ah
        mov cl, 5
        shl ax, cl
        add ax, EBDA_ATA_DEV
        mov si, ax
        mov ah, [bp + F_AH]
        cmp ah, 0x00
        je .ok
        cmp ah, 0x01
        je .status
        cmp ah, 0x41
        je .edd_check
        cmp ah, 0x42
        je .read
        cmp ah, 0x43
        je .wp
        cmp ah, 0x44
        je .ok
        cmp ah, 0x45
        je .lock
        cmp ah, 0x46
        je .eject
        cmp ah, 0x47
        je .ok
        cmp ah, 0x48
        je .params
        mov ah, 0x01
        jmp .finish
.wp:    mov ah, 0x03
        jmp .finish
.status:
        mov ah, [EBDA_CD_LASTST]
        jmp .out_ah
.edd_check:
        cmp word [bp + F_BX], 0x55AA
        jne .bad
        mov word [bp + F_BX], 0xAA55
        mov word [bp + F_CX], 0x0003    ; fixed-disk subset + removable-media subset
        mov ah, 0x30
        jmp .out_ah
.bad:   mov ah, 0x01
        jmp .finish

.read:  call dap_read                   ; ES:DI, CX blocks, BX:DX:AX block
        jc .bad
        test bx, bx
        jnz .bad
        mov word [EBDA_REQ_DONE], 0
        jcxz .read_done
.block: mov word [EBDA_REQ_SKIP], 0
        mov word [EBDA_REQ_STORE], 2048
        push ax
        push dx
        call atapi_read_sector
        pop dx
        pop ax
        jc .read_done
        inc word [EBDA_REQ_DONE]
        add ax, 1
        adc dx, 0
        loop .block
        xor ah, ah
.read_done:
        push ax
        mov cx, [EBDA_REQ_DONE]
        call dap_set_count
        pop ax
        jmp .finish

.lock:  ; AL = 0 lock, 1 unlock, 2 status; the drive is never left locked
        cmp byte [bp + F_AL], 2
        ja .bad
        mov byte [bp + F_AL], 0
        jmp .ok
.eject: call atapi_clear_packet
        mov byte [EBDA_PACKET], 0x1B    ; START STOP UNIT: LoEj = 1, Start = 0
        mov byte [EBDA_PACKET + 4], 0x02
        mov word [EBDA_REQ_SKIP], 0
        mov word [EBDA_REQ_STORE], 0
        call atapi_command
        jmp .finish

.params:
        mov es, [bp + F_DS]
        mov di, [bp + F_SI]
        mov bx, [es:di]
        cmp bx, 0x1A
        jb .bad
        push di
        push es
        call atapi_read_capacity
        pop es
        pop di
        jnc .cap
        xor ax, ax
        xor dx, dx
.cap:   mov word [es:di], 0x1A
        mov word [es:di + 2], 0x0014    ; removable, change line supported; no CHS geometry
        mov word [es:di + 4], 0
        mov word [es:di + 6], 0
        mov word [es:di + 8], 0
        mov word [es:di + 10], 0
        mov word [es:di + 12], 0
        mov word [es:di + 14], 0
        mov [es:di + 16], ax
        mov [es:di + 18], dx
        mov word [es:di + 20], 0
        mov word [es:di + 22], 0
        mov word [es:di + 24], 2048
        cmp bx, 0x1E
        jb .ok
        mov word [es:di], 0x1E
        mov word [es:di + 0x1A], 0xFFFF
        mov word [es:di + 0x1C], 0xFFFF
.ok:    xor ah, ah
.finish:
        mov [EBDA_CD_LASTST], ah
.out_ah:
        pop ds
        test ah, ah
        jz .good
        cmp byte [bp + F_AH], 0x41
        je .good
        stc
        ret
.good:  clc
        ret

; ---------------------------------------------------------------------------------------------
; cd_boot - boot from the first CD-ROM drive. Returns (CF) only when there is nothing bootable;
; otherwise it starts the boot image.
; ---------------------------------------------------------------------------------------------
cd_boot:
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        cmp byte [EBDA_CD_COUNT], 0
        je .fail_quiet
        PRINT "Booting from CD-ROM...", 13, 10
        mov al, [EBDA_CD_MAP]
        mov [EBDA_CD_DEV], al
        xor ah, ah
        mov cl, 5
        shl ax, cl
        add ax, EBDA_ATA_DEV
        mov si, ax
        ; the Boot Record Volume Descriptor, sector 17, to 0000:0600
        xor ax, ax
        mov es, ax
        mov di, 0x0600
        mov word [EBDA_REQ_SKIP], 0
        mov word [EBDA_REQ_STORE], 2048
        mov ax, 17
        xor dx, dx
        call atapi_read_sector
        jc .no_disc
        xor ax, ax                      ; (reads leave ES:DI normalised past the data)
        mov es, ax
        push ds
        push si
        xor ax, ax
        mov ds, ax
        mov si, 0x0600
        push cs
        pop es
        mov di, eltorito_brvd
        mov cx, 7 + 23
        repe cmpsb
        pop si
        pop ds
        jne .not_bootable
        xor ax, ax
        mov es, ax
        mov ax, [es:0x0647]             ; the boot catalog's sector
        mov dx, [es:0x0649]
        mov di, 0x0600
        mov word [EBDA_REQ_SKIP], 0
        mov word [EBDA_REQ_STORE], 2048
        call atapi_read_sector
        jc .not_bootable
        xor ax, ax
        mov es, ax
        ; validation entry: header 01h, key 55h AAh, sixteen words summing to zero
        cmp byte [es:0x0600], 0x01
        jne .not_bootable
        cmp word [es:0x061E], 0xAA55
        jne .not_bootable
        xor ax, ax
        mov bx, 0x0600
        mov cx, 16
.sum:   add ax, [es:bx]
        add bx, 2
        loop .sum
        test ax, ax
        jnz .not_bootable
        ; initial/default entry
        cmp byte [es:0x0620], 0x88
        jne .not_bootable
        ; the specification packet (INT 13h AX=4B01h returns it)
        mov byte [EBDA_CD_EMU], 0x13
        mov al, [es:0x0621]
        and al, 0x0F
        cmp al, 4
        ja .not_bootable
        mov [EBDA_CD_EMU + 1], al
        mov al, [si + ATAD_CHANNEL]
        mov [EBDA_CD_EMU + 3], al
        mov ax, [es:0x0628]
        mov [EBDA_CD_EMU + 4], ax
        mov ax, [es:0x062A]
        mov [EBDA_CD_EMU + 6], ax
        mov al, [si + ATAD_SLAVE]
        mov cl, 4
        shr al, cl
        xor ah, ah
        mov [EBDA_CD_EMU + 8], ax       ; device specification: bit 0 = slave
        mov word [EBDA_CD_EMU + 0x0A], 0
        mov ax, [es:0x0622]
        test ax, ax
        jnz .seg
        mov ax, 0x07C0
.seg:   mov [EBDA_CD_EMU + 0x0C], ax
        mov ax, [es:0x0626]
        mov [EBDA_CD_EMU + 0x0E], ax
        mov byte [EBDA_CD_BOOTED], 1
        mov al, [EBDA_CD_EMU + 1]
        test al, al
        jz .no_emulation
        cmp al, 4
        je .hard_disk
        ; diskette emulation: 80 cylinders, 2 heads, 15/18/36 sectors
        mov byte [EBDA_CD_EMU + 2], 0x00
        mov bl, al
        xor bh, bh
        mov al, [cs:.emu_spt + bx]
        mov [EBDA_CD_SPT], al
        mov byte [EBDA_CD_HEADS], 2
        mov word [EBDA_CD_CYLS], 80
        ; one more diskette drive in the equipment word
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov al, [BDA_EQUIPMENT]
        test al, 0x01
        jz .first_fd
        cmp al, 0xC0
        jae .eq_done
        add al, 0x40
        jmp .eq_store
.first_fd:
        or al, 0x01
        and al, 0x3F
.eq_store:
        mov [BDA_EQUIPMENT], al
.eq_done:
        pop ds
        jmp .emulated
.hard_disk:
        ; hard disk emulation: the geometry the image's partition table was made for
        mov byte [EBDA_CD_EMU + 2], 0x80
        mov byte [EBDA_CD_ACTIVE], 1
        xor ax, ax
        xor dx, dx
        mov cx, 1
        mov di, 0x0600
        mov byte [EBDA_CD_SPT], 63      ; (cd_read_virtual does not use the geometry)
        call cd_read_virtual
        jc .not_bootable
        xor ax, ax
        mov es, ax
        mov al, [es:0x0600 + 0x1BE + 5] ; first partition: ending head
        inc al
        mov [EBDA_CD_HEADS], al
        mov al, [es:0x0600 + 0x1BE + 6]
        mov ah, al
        and al, 0x3F                    ; ending sector = sectors per track
        jnz .spt_ok
        mov al, 63
.spt_ok:
        mov [EBDA_CD_SPT], al
        mov al, [es:0x0600 + 0x1BE + 7]
        rol ah, 1
        rol ah, 1
        and ah, 3
        inc ax
        mov [EBDA_CD_CYLS], ax
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        inc byte [BDA_HD_COUNT]
        pop ds
.emulated:
        mov byte [EBDA_CD_ACTIVE], 1
.no_emulation_load:
        ; load the boot image: sector count (512-byte units) from its first sector
        mov cx, [EBDA_CD_EMU + 0x0E]
        test cx, cx
        jnz .count
        inc cx
.count: mov es, [EBDA_CD_EMU + 0x0C]
        xor di, di
        xor ax, ax
        xor dx, dx
        call cd_read_virtual
        jc .not_bootable
        mov dl, [EBDA_CD_EMU + 2]
        mov [EBDA_BOOT_DRIVE], dl
        mov bx, [EBDA_CD_EMU + 0x0C]
        pop ds
        jmp boot_start                  ; DL = drive, BX = load segment
.no_emulation:
        mov al, [EBDA_CD_DEV]
        ; drive number: E0h + the drive's position among the CD-ROMs
        xor bx, bx
.find:  cmp [EBDA_CD_MAP + bx], al
        je .found
        inc bx
        cmp bx, 4
        jb .find
        xor bx, bx
.found: add bl, 0xE0
        mov [EBDA_CD_EMU + 2], bl
        jmp .no_emulation_load
.no_disc:
        PRINT "No disc in the CD-ROM drive", 13, 10
        jmp .fail_quiet
.not_bootable:
        mov byte [EBDA_CD_BOOTED], 0
        mov byte [EBDA_CD_ACTIVE], 0
        PRINT "The CD is not bootable", 13, 10
.fail_quiet:
        pop ds
        stc
        ret
.emu_spt: db 0, 15, 18, 36

eltorito_brvd:
        db 0, "CD001", 1, "EL TORITO SPECIFICATION"
