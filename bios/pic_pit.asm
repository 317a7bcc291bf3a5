; pic_pit.asm - the interrupt controllers, the timer, the DMA controllers' reset state, and the
; handlers for hardware interrupts nobody asked for.
;
; The PC/AT has two 8259A PICs: the master takes IRQ0-7 and delivers them as INT 08h-0Fh (where
; the IBM PC put them, even though Intel reserved those vectors for exceptions), the slave hangs
; on the master's IR2 and delivers IRQ8-15 as INT 70h-77h (IBM PC/AT Technical Reference,
; "Interrupt controller").

        cpu 8086

; ---------------------------------------------------------------------------------------------
; dma_init - master-clear both 8237As (every channel masked) and put DMA2's channel 4 in cascade
; mode, because DMA1's hold request reaches the CPU through it.
; ---------------------------------------------------------------------------------------------
dma_init:
        push ax
        out DMA1_RESET, al              ; any value: master clear
        out DMA2_RESET, al
        mov al, 0xC0                    ; mode: cascade, channel 0 of DMA2 (= board channel 4)
        out DMA2_MODE, al
        mov al, 0x00                    ; clear the mask bit of that channel
        out DMA2_MASK, al
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; pic_init - the four initialisation words of each 8259A (8259A datasheet, "Initialization
; Command Words"), then every line masked. Lines are unmasked as their handlers become useful.
; ---------------------------------------------------------------------------------------------
pic_init:
        push ax
        mov al, 0x11                    ; ICW1: edge triggered, cascade mode, ICW4 follows
        out PIC1_CMD, al
        out PIC2_CMD, al
        mov al, 0x08                    ; ICW2: master vectors 08h-0Fh
        out PIC1_DATA, al
        mov al, 0x70                    ;       slave vectors 70h-77h
        out PIC2_DATA, al
        mov al, 0x04                    ; ICW3: the master has a slave on IR2
        out PIC1_DATA, al
        mov al, 0x02                    ;       the slave's identity is 2
        out PIC2_DATA, al
        mov al, 0x01                    ; ICW4: 8086 mode, normal EOI
        out PIC1_DATA, al
        out PIC2_DATA, al
        mov al, 0xFF                    ; OCW1: everything masked
        out PIC1_DATA, al
        out PIC2_DATA, al
        pop ax
        ret

; pic_unmask_timer - let IRQ0 through
pic_unmask_timer:
        push ax
        mov al, 0
        call pic_unmask
        pop ax
        ret

; pic_unmask - unmask IRQ AL (0-15); an IRQ of the slave also needs the cascade line IRQ2
pic_unmask:
        push ax
        push cx
        mov cl, al
        and cl, 7
        mov ah, 1
        shl ah, cl
        not ah
        cmp al, 8
        jae .slave
        in al, PIC1_DATA
        and al, ah
        out PIC1_DATA, al
        jmp .done
.slave: in al, PIC2_DATA
        and al, ah
        out PIC2_DATA, al
        in al, PIC1_DATA
        and al, 0xFB
        out PIC1_DATA, al
.done:  pop cx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; pit_init - 8254 counter 0 in mode 3 with the largest count (65536): 1193182 Hz / 65536 = 18.2
; interrupts a second, the "timer tick" DOS counts time in. Counter 1 keeps requesting DRAM
; refresh every 15 us (mode 2, count 18), as on the AT.
; ---------------------------------------------------------------------------------------------
pit_init:
        push ax
        mov al, 0x36                    ; counter 0, lobyte then hibyte, mode 3, binary
        out PIT_MODE, al
        xor al, al
        out PIT_CH0, al
        out PIT_CH0, al
        mov al, 0x54                    ; counter 1, lobyte only, mode 2
        out PIT_MODE, al
        mov al, 18
        out PIT_CH1, al
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; INT 08h - IRQ0, the timer tick. Counts ticks since midnight in 0040:006C (a day is 1800B0h
; ticks: 24 h x 3600 s x 1193182 / 65536), counts down the floppy motor timeout, and calls the
; user hook INT 1Ch.
; ---------------------------------------------------------------------------------------------
int08_timer:
        push ax
        push dx
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        add word [BDA_TICKS], 1
        adc word [BDA_TICKS + 2], 0
        cmp word [BDA_TICKS + 2], 0x0018
        jb .motor
        cmp word [BDA_TICKS], 0x00B0
        jb .motor
        mov word [BDA_TICKS], 0
        mov word [BDA_TICKS + 2], 0
        mov byte [BDA_MIDNIGHT], 1
.motor: cmp byte [BDA_FD_MOTOR_CNT], 0
        je .hook
        dec byte [BDA_FD_MOTOR_CNT]
        jnz .hook
        ; timeout: every motor off, controller stays enabled (DOR: DMA+IRQ gate, not in reset)
        and byte [BDA_FD_MOTOR], 0xF0
        mov al, 0x0C
        mov dx, FDC_DOR
        out dx, al
.hook:  int 0x1C
        cli
        mov al, PIC_EOI
        out PIC1_CMD, al
        pop ds
        pop dx
        pop ax
        iret

; ---------------------------------------------------------------------------------------------
; Unexpected hardware interrupts. A line that interrupts without a handler would interrupt again
; and again (a level-triggered PCI line certainly will), so the handler records the IRQ number in
; 0040:006B, masks the line and ends the interrupt, as the IBM BIOS does. A spurious interrupt
; (the 8259A delivers IR7 when a request vanished before it was acknowledged) has no in-service
; bit: it gets no EOI and masks nothing.
; Each stub is 5 bytes: ivt_init points vectors 08h-0Fh and 70h-77h at them.
; ---------------------------------------------------------------------------------------------
irq_unexpected_master:
%assign irq 0
%rep 8
        push ax
        mov al, irq
        jmp short irq_unexpected_master_common
%assign irq irq + 1
%endrep
irq_unexpected_slave:
%assign irq 8
%rep 8
        push ax
        mov al, irq
        jmp short irq_unexpected_slave_common
%assign irq irq + 1
%endrep

irq_unexpected_master_common:
        push cx
        push ds
        mov cl, al
        mov al, 0x0B                    ; OCW3: read the in-service register
        out PIC1_CMD, al
        in al, PIC1_CMD
        mov ch, 1
        shl ch, cl                      ; this IRQ's bit
        test al, ch
        jz .done                        ; not in service: spurious
        mov ax, BDA_SEG
        mov ds, ax
        mov [BDA_LAST_IRQ], ch
        cmp cl, 2                       ; never mask the cascade line
        je .eoi
        in al, PIC1_DATA
        or al, ch
        out PIC1_DATA, al
.eoi:   mov al, PIC_EOI
        out PIC1_CMD, al
.done:  pop ds
        pop cx
        pop ax
        iret

irq_unexpected_slave_common:
        push cx
        push ds
        mov cl, al
        and cl, 7
        mov al, 0x0B
        out PIC2_CMD, al
        in al, PIC2_CMD
        mov ch, 1
        shl ch, cl
        test al, ch
        jz .spurious
        mov ax, BDA_SEG
        mov ds, ax
        mov byte [BDA_LAST_IRQ], 0x04   ; IBM reports slave interrupts as "IRQ2"
        in al, PIC2_DATA
        or al, ch
        out PIC2_DATA, al
        mov al, PIC_EOI
        out PIC2_CMD, al
.spurious:
        mov al, PIC_EOI                 ; the master saw a real request on IR2 either way
        out PIC1_CMD, al
        pop ds
        pop cx
        pop ax
        iret

; ---------------------------------------------------------------------------------------------
; INT 71h - IRQ9. The AT wired the PC's IRQ2 slot pin to IRQ9, so the BIOS passes IRQ9 on to
; INT 0Ah, where PC software hooked IRQ2. If nothing did, it is an unexpected interrupt.
; ---------------------------------------------------------------------------------------------
int71_irq9:
        push ax
        push ds
        xor ax, ax
        mov ds, ax
        cmp word [0x0A * 4 + 2], BIOS_SEG
        pop ds
        jne .redirect
        mov al, 9
        jmp irq_unexpected_slave_common
.redirect:
        mov al, PIC_EOI
        out PIC2_CMD, al
        pop ax
        int 0x0A
        iret

; INT 75h - IRQ13, the coprocessor's error line on the AT. Clear the busy latch (port F0h), end
; the interrupt and report it as an NMI, where PC software expects coprocessor errors.
int75_fpu:
        push ax
        xor al, al
        out 0xF0, al
        mov al, PIC_EOI
        out PIC2_CMD, al
        out PIC1_CMD, al
        pop ax
        int 0x02
        iret

; INT 02h - NMI. This board never raises parity or channel-check NMIs; nothing to report.
int02_nmi:
        iret

; INT 05h - print screen. There is no printer (INT 17h): record "error" in the status byte
; 0050:0000 as the IBM BIOS does when printing fails.
int05_print_screen:
        push ds
        push ax
        mov ax, 0x0050
        mov ds, ax
        mov byte [0], 0xFF
        pop ax
        pop ds
        iret

