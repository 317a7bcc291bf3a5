; mouse.asm - the PS/2 pointing device: INT 15h AH=C2h, the BIOS's mouse services (DOS mouse
; drivers such as CuteMouse use them instead of talking to the 8042), and the IRQ 12 handler
; (INT 74h) that hands each movement package to the driver. After the IBM PS/2 Technical
; Reference, "Pointing Device BIOS Interface", and Ralf Brown's Interrupt List (INT 15/AX=C2xx).
;
;   AX=C200h  BH=00h disable, 01h enable (enabling needs a handler: AH=05h otherwise)
;   AX=C201h  reset: BH = device ID (00h), BL = AAh; defaults restored, disabled
;   AX=C202h  sample rate BH = 0-6: 10, 20, 40, 60, 80, 100, 200 reports/s
;   AX=C203h  resolution BH = 0-3: 1, 2, 4, 8 counts/mm
;   AX=C204h  device type: BH = ID (00h: a standard PS/2 mouse)
;   AX=C205h  initialise for BH-byte packages (1-8; 3 for a standard mouse): reset, disabled
;   AX=C206h  BH=00h status (BL status byte, CL resolution, DL sample rate); 01h/02h scaling 1:1/2:1
;   AX=C207h  ES:BX = the far routine INT 74h calls with each package (0000:0000 removes it)
; Errors: CF set and AH = 01h invalid function, 02h invalid input, 03h interface error,
; 04h resend, 05h no device handler installed.
;
; The device talks through the 8042: command D4h sends the next data byte to the mouse, whose
; answer (FAh acknowledge, then any reply bytes) arrives in the output buffer with status bit 5
; set. The services exchange bytes by polling with interrupts off, and INT 74h reads the data
; port only when the output buffer really holds a mouse byte, so it never steals a reply.
;
; The handler is called FAR with four words on the stack, as the PS/2 BIOS calls it: pushed
; first the status byte, then X, then Y, then 0 (byte 1, 2, 3 of a 3-byte package, each
; zero-extended); it returns with RETF and the BIOS removes them.

        cpu 8086

MOUSE_ACK       equ 0xFA

; ---------------------------------------------------------------------------------------------
; mouse_send - send AL to the mouse and wait for its acknowledge. CF set on failure.
; Interrupts must be off (the reply is polled).
; ---------------------------------------------------------------------------------------------
mouse_send:
        push ax
        push cx
        mov ah, al
        mov al, 0xD4                    ; write the next byte to the auxiliary device
        call kbc_command
        mov al, ah
        call kbc_write_data
        mov ah, 4                       ; skip up to 3 stray bytes (a late power-on AAh 00h)
.reply: mov cx, 6600                    ; 100 ms
        call kbc_read_timeout
        jc .done
        cmp al, MOUSE_ACK
        je .done                        ; (CF clear: equal)
        cmp al, 0xFE                    ; resend / error: give up
        jae .fail
        dec ah
        jnz .reply
.fail:  stc
.done:  pop cx
        pop ax
        ret

; mouse_read - AL = the next reply byte from the mouse (up to ~1 s: a reset's self-test). CF on timeout.
mouse_read:
        push cx
        mov cx, 0xFFFF
        call kbc_read_timeout
        pop cx
        ret

; mouse_reset - reset the device: FFh, then FAh, AAh (self-test passed) and its ID. AL = ID.
mouse_reset:
        mov al, 0xFF
        call mouse_send
        jc .done
        call mouse_read
        jc .done
        cmp al, 0xAA
        jne .bad
        call mouse_read                 ; the device ID
        ret
.bad:   stc
.done:  ret

; mouse_aux_on - the 8042 command byte: auxiliary interface enabled, its interrupt (IRQ 12) on.
; The command byte is read and written with the interface disabled, so no mouse byte can arrive
; in between and pass for its value.
mouse_aux_on:
        push ax
        mov al, 0xA7                    ; disable the auxiliary interface for now
        call kbc_command
        call kbc_flush
        mov al, 0x20                    ; read the command byte
        call kbc_command
        push cx
        mov cx, 6600
        call kbc_read_timeout
        pop cx
        jc .done
        or al, 0x02                     ; bit 1: auxiliary interrupt on
        and al, 0xDF                    ; bit 5: auxiliary clock not disabled
        push ax
        mov al, 0x60
        call kbc_command
        pop ax
        call kbc_write_data
.done:  mov al, 0xA8                    ; enable the auxiliary interface
        call kbc_command
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; INT 15h AH=C2h (called from int15_handler with the frame saved, BP = frame, DS = BDA, ES = EBDA)
; ---------------------------------------------------------------------------------------------
int15_mouse:
        cli
        call kbc_flush                  ; a byte left in the output buffer is no reply of ours
        mov bh, [bp + F_BH]
        mov al, [bp + F_AL]
        cmp al, 0x07
        ja .invalid_function
        cmp al, 0x07
        je .set_handler
        cmp al, 0x00
        je .enable
        cmp al, 0x01
        je .reset
        cmp al, 0x02
        je .rate
        cmp al, 0x03
        je .resolution
        cmp al, 0x04
        je .type
        cmp al, 0x05
        je .init
        jmp .extended

.set_handler:
        mov ax, [bp + F_BX]
        mov [es:EBDA_MOUSE_HANDLER], ax
        mov ax, [bp + F_ES]
        mov [es:EBDA_MOUSE_HANDLER + 2], ax
        and byte [es:EBDA_MOUSE_FLAGS], 0xFE
        or ax, [bp + F_BX]              ; 0000:0000 removes the routine
        jz .ok
        or byte [es:EBDA_MOUSE_FLAGS], 0x01
        jmp .ok

.enable:
        cmp bh, 1
        ja .invalid_input
        jb .disable
        test byte [es:EBDA_MOUSE_FLAGS], 0x01
        jz .no_handler
        call mouse_aux_on
        mov byte [es:EBDA_MOUSE_INDEX], 0
        mov al, 0xF4                    ; enable data reporting
        call mouse_send
        jc .interface_error
        mov al, 12
        call pic_unmask
        jmp .ok
.disable:
        mov al, 0xF5                    ; disable data reporting
        call mouse_send
        jc .interface_error
        jmp .ok

.init:
        cmp bh, 1
        jb .invalid_input
        cmp bh, 8
        ja .invalid_input
        mov [es:EBDA_MOUSE_SIZE], bh
        ; fall through: an initialise is a reset with the new package size
.reset:
        call mouse_aux_on
        call mouse_reset
        jc .interface_error
        mov byte [es:EBDA_MOUSE_INDEX], 0
        cmp byte [bp + F_AL], 0x05
        je .ok                          ; C205h returns nothing else
        mov byte [bp + F_BH], al        ; the device ID
        mov byte [bp + F_BL], 0xAA
        jmp .ok

.rate:
        cmp bh, 6
        ja .invalid_input
        mov bl, bh
        xor bh, bh
        mov al, 0xF3                    ; set sample rate
        call mouse_send
        jc .interface_error
        mov al, [cs:mouse_rates + bx]
        call mouse_send
        jc .interface_error
        jmp .ok

.resolution:
        cmp bh, 3
        ja .invalid_input
        mov al, 0xE8                    ; set resolution
        call mouse_send
        jc .interface_error
        mov al, bh
        call mouse_send
        jc .interface_error
        jmp .ok

.type:
        mov al, 0xF2                    ; read device type
        call mouse_send
        jc .interface_error
        call mouse_read
        jc .interface_error
        mov [bp + F_BH], al
        jmp .ok

.extended:                              ; AL = 06h
        cmp bh, 0
        jne .scaling
        mov al, 0xE9                    ; status request: three bytes after the acknowledge
        call mouse_send
        jc .interface_error
        call mouse_read
        jc .interface_error
        mov [bp + F_BL], al
        call mouse_read
        jc .interface_error
        mov [bp + F_CL], al
        call mouse_read
        jc .interface_error
        mov [bp + F_DL], al
        jmp .ok
.scaling:
        cmp bh, 2
        ja .invalid_input
        mov al, 0xE6                    ; 1:1 (BH=1)
        cmp bh, 1
        je .scale
        mov al, 0xE7                    ; 2:1 (BH=2)
.scale: call mouse_send
        jc .interface_error
        jmp .ok

.ok:    jmp int15_ok
.invalid_function:
        mov byte [bp + F_AH], 0x01
        jmp int15_fail
.invalid_input:
        mov byte [bp + F_AH], 0x02
        jmp int15_fail
.interface_error:
        mov byte [bp + F_AH], 0x03
        jmp int15_fail
.no_handler:
        mov byte [bp + F_AH], 0x05
        jmp int15_fail

mouse_rates:    db 10, 20, 40, 60, 80, 100, 200

; ---------------------------------------------------------------------------------------------
; INT 74h - IRQ 12: one byte of a package; with the package complete, the driver's routine runs.
; ---------------------------------------------------------------------------------------------
int74_mouse:
        SAVE_FRAME
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        in al, KBC_STATUS
        and al, 0x21                    ; output buffer full, and from the auxiliary device
        cmp al, 0x21
        jne .eoi
        in al, KBC_DATA
        mov bl, [EBDA_MOUSE_INDEX]
        xor bh, bh
        test bl, bl
        jnz .store
        test al, 0x08                   ; a package's first byte always has bit 3 set:
        jz .eoi                         ; otherwise we are out of step - drop the byte
.store: cmp bl, 8
        jae .restart
        mov [EBDA_MOUSE_BUF + bx], al
        inc bl
        mov [EBDA_MOUSE_INDEX], bl
        cmp bl, [EBDA_MOUSE_SIZE]
        jb .eoi
.restart:
        mov byte [EBDA_MOUSE_INDEX], 0
        test byte [EBDA_MOUSE_FLAGS], 0x01
        jz .eoi
        xor ah, ah
        mov al, [EBDA_MOUSE_BUF]        ; status
        push ax
        mov al, [EBDA_MOUSE_BUF + 1]    ; X
        push ax
        mov al, [EBDA_MOUSE_BUF + 2]    ; Y
        push ax
        xor ax, ax                      ; Z
        push ax
        call far [EBDA_MOUSE_HANDLER]
        add sp, 8
.eoi:   mov al, PIC_EOI
        out PIC2_CMD, al
        out PIC1_CMD, al
        RESTORE_FRAME
        iret
