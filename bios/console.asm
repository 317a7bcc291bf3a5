; console.asm - how the BIOS talks to the person at the machine.
;
; Every message goes two ways: to the screen through INT 10h teletype (AH=0Eh), and to the
; firmware log port 402h, which the emulator prints on the host (QEMU calls it isa-debugcon). The
; second path is what makes a headless run - or a broken video BIOS - still readable.
;
; All routines here preserve every register (flags aside) unless they say otherwise.

        cpu 8086

; print_char - print AL (CR/LF/BS are handled by the teletype, as usual)
print_char:
        push ax
        push bx
        push dx
        mov dx, FIRMWARE_LOG
        out dx, al
        push ds                         ; EBDA_FLAGS bit 7: the firmware log only
        mov bx, BDA_SEG
        mov ds, bx
        mov ds, [BDA_EBDA_SEG]
        test byte [EBDA_FLAGS], 0x80
        pop ds
        jnz .done
        mov ah, 0x0E                    ; INT 10h teletype output
        mov bx, 0x0007                  ; page 0, light grey (used in graphics modes only)
        int 0x10
.done:  pop dx
        pop bx
        pop ax
        ret

; log_only_on / log_only_off - send what print_* prints to the firmware log only, or to both
log_only_on:
        push ds
        push ax
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        or byte [EBDA_FLAGS], 0x80
        pop ax
        pop ds
        ret
log_only_off:
        push ds
        push ax
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        and byte [EBDA_FLAGS], 0x7F
        pop ax
        pop ds
        ret

; print_str - print the zero-terminated string at CS:SI
print_str:
        push ax
        push si
.next:  cs lodsb
        test al, al
        jz .done
        call print_char
        jmp .next
.done:  pop si
        pop ax
        ret

; print_inline - print the zero-terminated string stored right after the CALL, and return to
; the byte after its terminator. This is what the PRINT macro (defs.inc) expands to; it keeps
; each message next to the code that prints it, which reads well in a listing.
print_inline:
        push bp
        mov bp, sp
        push ax
        push si
        mov si, [bp + 2]                ; the return address points at the string
        call print_str
.skip:  cs lodsb                        ; step SI past the terminator
        test al, al
        jnz .skip
        mov [bp + 2], si                ; resume after the string
        pop si
        pop ax
        pop bp
        ret

; print_hex8 / print_hex16 - AL / AX as 2 / 4 hexadecimal digits
print_hex16:
        xchg al, ah
        call print_hex8
        xchg al, ah
print_hex8:
        push ax
        push cx
        mov ah, al
        mov cl, 4
        shr al, cl
        call .digit
        mov al, ah
        and al, 0x0F
        call .digit
        pop cx
        pop ax
        ret
.digit: add al, '0'
        cmp al, '9'
        jbe .out
        add al, 'A' - '9' - 1
.out:   jmp print_char

; print_dec16 - AX as an unsigned decimal number, no leading zeros
print_dec16:
        push ax
        push bx
        push cx
        push dx
        mov bx, 10
        xor cx, cx
.div:   xor dx, dx
        div bx                          ; DX = the lowest digit
        push dx
        inc cx
        test ax, ax
        jnz .div
.emit:  pop ax
        add al, '0'
        call print_char
        loop .emit
        pop dx
        pop cx
        pop bx
        pop ax
        ret

; print_dec32 - DX:AX as an unsigned decimal number (for memory sizes in KiB)
print_dec32:
        push ax
        push bx
        push cx
        push dx
        push si
        xor cx, cx
.div:   ; divide DX:AX by 10 in two 16-bit steps (the 8086's DIV only gives a 16-bit quotient)
        mov bx, 10
        mov si, ax
        mov ax, dx
        xor dx, dx
        div bx                          ; AX = high quotient, DX = remainder
        xchg ax, si                     ; SI = high quotient, AX = low word
        div bx                          ; AX = low quotient, DX = the digit
        push dx
        inc cx
        mov dx, si
        mov bx, ax
        or bx, dx
        jnz .div
.emit:  pop ax
        add al, '0'
        call print_char
        loop .emit
        pop si
        pop dx
        pop cx
        pop bx
        pop ax
        ret

; log_char - AL to the firmware log only (not the screen)
log_char:
        push dx
        mov dx, FIRMWARE_LOG
        out dx, al
        pop dx
        ret

; log_str - the zero-terminated string at CS:SI to the firmware log only
log_str:
        push ax
        push si
.next:  cs lodsb
        test al, al
        jz .done
        call log_char
        jmp .next
.done:  pop si
        pop ax
        ret

; beep - a short tone on the PC speaker: PIT counter 2 square wave, gated through port 61h
beep:
        push ax
        push cx
        mov al, 0xB6                    ; counter 2, lobyte/hibyte, mode 3
        out PIT_MODE, al
        mov ax, 1193                    ; 1193182 Hz / 1193 = 1 kHz
        out PIT_CH2, al
        mov al, ah
        out PIT_CH2, al
        in al, PORT_B
        or al, 0x03                     ; GATE2 and speaker data on
        out PORT_B, al
        mov cx, 6600                    ; 6600 x 15.09 us = 100 ms
        call delay_15us
        in al, PORT_B
        and al, 0xFC
        out PORT_B, al
        pop cx
        pop ax
        ret

; delay_15us - wait CX refresh periods of 15.09 us each (IBM PC/AT Technical Reference, port 61h
; bit 4 "refresh detect" toggles once per DRAM refresh request). This is the AT's own timebase
; for short delays: it needs no interrupts and does not depend on the CPU's speed.
; A board without a toggling bit 4 would hang a naive loop, so each wait gives up after 512 reads.
delay_15us:
        jcxz .done
        push ax
        push cx
        push bx
.period:
        in al, PORT_B
        and al, 0x10
        mov ah, al
        mov bx, 512
.wait:  in al, PORT_B
        and al, 0x10
        cmp al, ah
        jne .edge
        dec bx
        jnz .wait
.edge:  loop .period
        pop bx
        pop cx
        pop ax
.done:  ret
