; serial.asm - the serial ports: detection at POST and INT 14h.
;
; The 8250/16450/16550 UART (National Semiconductor PC16550D datasheet, "Registers"): base+0
; data (divisor latch low with DLAB), +1 interrupt enable (divisor high with DLAB), +2 interrupt
; identification / FIFO control, +3 line control (bit 7 DLAB), +4 modem control, +5 line status,
; +6 modem status, +7 scratch. The clock is 1.8432 MHz, so divisor = 115200 / baud.
;
; INT 14h, DX = port (0-3):
;   AH=00h  initialise: AL bits 7-5 baud (110 ... 9600), 4-3 parity, 2 stop bits, 1-0 length
;   AH=01h  send AL              AH=02h  receive into AL           AH=03h  status
; Each returns AH = line status (bit 7 set: time-out), AL = modem status for 00h/03h.

        cpu 8086

COM_DATA        equ 0
COM_IER         equ 1
COM_LCR         equ 3
COM_MCR         equ 4
COM_LSR         equ 5
COM_MSR         equ 6
COM_SCRATCH     equ 7

; serial_post_init - look for UARTs at the four standard addresses (the scratch register must
; keep what is written to it) and list them in 0040:0000 in the order found
serial_post_init:
        push ax
        push bx
        push cx
        push dx
        push si
        xor bx, bx                      ; BX = offset of the next BDA slot
        mov si, serial_bases
.next:  mov dx, [cs:si]
        test dx, dx
        jz .done
        add dx, COM_SCRATCH
        mov al, 0x5A
        out dx, al
        in al, dx
        cmp al, 0x5A
        jne .skip
        mov al, 0xA5
        out dx, al
        in al, dx
        cmp al, 0xA5
        jne .skip
        sub dx, COM_SCRATCH
        mov [BDA_COM_BASE + bx], dx
        push bx
        shr bx, 1
        mov byte [BDA_COM_TIMEOUT + bx], 1
        pop bx
        add bx, 2
        PRINT "Serial port COM"
        mov ax, bx
        shr ax, 1
        add al, '0'
        call print_char
        PRINT " at "
        mov ax, dx
        call print_hex16
        PRINT "h", 13, 10
.skip:  add si, 2
        jmp .next
.done:  ; equipment word bits 11-9: number of serial ports
        shr bx, 1
        mov cl, 9
        shl bx, cl
        and word [BDA_EQUIPMENT], 0xF1FF
        or [BDA_EQUIPMENT], bx
        pop si
        pop dx
        pop cx
        pop bx
        pop ax
        ret

serial_bases: dw 0x3F8, 0x2F8, 0x3E8, 0x2E8, 0

; divisors for 110, 150, 300, 600, 1200, 2400, 4800, 9600 baud
serial_divisors: dw 1047, 768, 384, 192, 96, 48, 24, 12

int14_serial:
        sti
        SAVE_FRAME
        cld
        mov bx, BDA_SEG
        mov ds, bx
        cmp dx, 3
        ja .no_port
        mov bx, dx
        shl bx, 1
        mov si, [BDA_COM_BASE + bx]     ; SI = base port
        test si, si
        jz .no_port
        cmp ah, 0x00
        je .init
        cmp ah, 0x01
        je .send
        cmp ah, 0x02
        je .receive
        cmp ah, 0x03
        je .status
.no_port:
        mov byte [bp + F_AH], 0x80      ; time-out: there is nothing there
        jmp .out

.init:  mov bl, al
        mov cl, 5
        shr bl, cl
        xor bh, bh
        shl bx, 1
        mov cx, [cs:serial_divisors + bx]
        mov dx, si
        add dx, COM_LCR
        mov al, 0x80                    ; DLAB: the next two registers are the divisor
        out dx, al
        mov dx, si
        mov al, cl
        out dx, al
        inc dx
        mov al, ch
        out dx, al
        mov al, [bp + F_AL]
        and al, 0x1F                    ; the same bit layout as the line control register
        mov dx, si
        add dx, COM_LCR
        out dx, al
        mov dx, si
        add dx, COM_IER
        xor al, al
        out dx, al                      ; no UART interrupts: INT 14h polls
        jmp .status

.send:  mov dx, si
        add dx, COM_MCR
        mov al, 0x03                    ; DTR, RTS
        out dx, al
        mov ah, 0x20                    ; wait for THRE (the transmitter can take a byte)
        call serial_wait
        jc .timeout
        mov al, [bp + F_AL]
        mov dx, si
        out dx, al
        mov [bp + F_AH], ah
        jmp .out

.receive:
        mov dx, si
        add dx, COM_MCR
        mov al, 0x01                    ; DTR
        out dx, al
        mov ah, 0x01                    ; wait for DR (data ready)
        call serial_wait
        jc .timeout
        mov dx, si
        in al, dx
        mov [bp + F_AL], al
        and ah, 0x1E                    ; only the error bits
        mov [bp + F_AH], ah
        jmp .out

.timeout:
        or ah, 0x80
        mov [bp + F_AH], ah
        jmp .out

.status:
        mov dx, si
        add dx, COM_LSR
        in al, dx
        mov [bp + F_AH], al
        mov dx, si
        add dx, COM_MSR
        in al, dx
        mov [bp + F_AL], al
.out:   RESTORE_FRAME
        iret

; serial_wait - wait until the line status of port SI has a bit of AH set, for the port's
; time-out (0040:007C + port, in seconds). AH = the line status; CF on time-out.
serial_wait:
        push bx
        push cx
        push dx
        mov bl, ah
        mov bx, [bp + F_DX]
        mov cl, [BDA_COM_TIMEOUT + bx]
        mov al, 18
        mul cl
        mov cx, ax                      ; ticks
        call ticks_deadline
        mov bx, ax
        mov dx, si
        add dx, COM_LSR
        mov ch, [bp + F_AH]             ; (the function, to pick the bit again)
        mov cl, 0x20
        cmp ch, 0x01
        je .poll
        mov cl, 0x01
.poll:  in al, dx
        test al, cl
        jnz .ready
        push ax
        mov ax, bx
        call ticks_passed
        pop ax
        jnc .poll
        mov ah, al
        stc
        jmp .done
.ready: mov ah, al
        clc
.done:  pop dx
        pop cx
        pop bx
        ret
