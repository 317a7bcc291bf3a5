; printer.asm - parallel printer ports: detection at POST and INT 17h.
;
; A parallel port (IBM PC/AT Technical Reference, "Parallel printer adapter") has a data latch
; at base+0 that reads back what was written, the printer's status at base+1 (bit 7 not busy,
; 6 acknowledge, 5 out of paper, 4 selected, 3 error - with bits 7 and 3 active low on the wire)
; and the control lines at base+2 (bit 0 strobe, 2 initialise, 3 select).
;
; INT 17h, DX = printer (0-2): AH=00h print AL, AH=01h initialise, AH=02h status. AH returns the
; status byte as BIOSes report it (bit 0 = time-out). The Lantern board has no parallel port, so
; the ports are looked for, none is found, and every request reports a time-out.

        cpu 8086

printer_post_init:
        push ax
        push bx
        push cx
        push dx
        push si
        xor bx, bx
        mov si, printer_bases
.next:  mov dx, [cs:si]
        test dx, dx
        jz .done
        mov al, 0xAA                    ; the data latch reads back what it holds
        out dx, al
        in al, dx
        cmp al, 0xAA
        jne .skip
        mov al, 0x55
        out dx, al
        in al, dx
        cmp al, 0x55
        jne .skip
        mov [BDA_LPT_BASE + bx], dx
        push bx
        shr bx, 1
        mov byte [BDA_LPT_TIMEOUT + bx], 20
        pop bx
        add bx, 2
        PRINT "Parallel port at "
        mov ax, dx
        call print_hex16
        PRINT "h", 13, 10
        cmp bx, 6
        jae .done
.skip:  add si, 2
        jmp .next
.done:  ; equipment word bits 15-14: number of printers
        shr bx, 1
        mov cl, 14
        shl bx, cl
        and word [BDA_EQUIPMENT], 0x3FFF
        or [BDA_EQUIPMENT], bx
        pop si
        pop dx
        pop cx
        pop bx
        pop ax
        ret

printer_bases: dw 0x3BC, 0x378, 0x278, 0

int17_printer:
        sti
        SAVE_FRAME
        mov bx, BDA_SEG
        mov ds, bx
        cmp dx, 2
        ja .none
        mov bx, dx
        shl bx, 1
        mov si, [BDA_LPT_BASE + bx]
        test si, si
        jz .none
        cmp ah, 0x00
        je .print
        cmp ah, 0x01
        je .init
        cmp ah, 0x02
        je .status
        jmp .out
.none:  mov byte [bp + F_AH], 0x01      ; time-out: no printer answers
        jmp .out

.print: mov dx, si
        out dx, al
        ; wait for "not busy" (status bit 7), up to the port's time-out in seconds
        mov bx, [bp + F_DX]
        mov al, [BDA_LPT_TIMEOUT + bx]
        mov ah, 18
        mul ah
        mov cx, ax
        call ticks_deadline
        mov bx, ax
        lea dx, [si + 1]
.busy:  in al, dx
        test al, 0x80
        jnz .strobe
        mov ax, bx
        call ticks_passed
        jnc .busy
        in al, dx
        and al, 0xF8
        xor al, 0x48
        or al, 0x01                     ; time-out
        mov [bp + F_AH], al
        jmp .out
.strobe:
        inc dx
        mov al, 0x0D                    ; strobe high (select, not initialising)
        out dx, al
        mov al, 0x0C
        out dx, al
        jmp .status

.init:  lea dx, [si + 2]
        mov al, 0x08                    ; initialise line low
        out dx, al
        mov cx, 4                       ; at least 50 us
        call delay_15us
        mov al, 0x0C
        out dx, al
.status:
        lea dx, [si + 1]
        in al, dx
        and al, 0xF8
        xor al, 0x48                    ; report acknowledge and error the right way up
        mov [bp + F_AH], al
.out:   RESTORE_FRAME
        iret
