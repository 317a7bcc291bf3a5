; time.asm - the real-time clock and its CMOS RAM, INT 1Ah (time of day), INT 70h (IRQ8).
;
; The MC146818A keeps the date and time in BCD (Register B bit 2 = 0, which is what DOS expects)
; and a 24-hour clock (bit 1 = 1). Reading it mid-update can return a torn value, so readers wait
; for the update-in-progress flag (Register A bit 7) to clear first: the datasheet guarantees
; 244 us of stable registers after UIP falls ("Update Cycle").
;
; INT 1Ah also carries the PCI BIOS (AH=B1h), which lives in pci.asm.

        cpu 8086

RTC_SEC         equ 0x00
RTC_SEC_ALARM   equ 0x01
RTC_MIN         equ 0x02
RTC_MIN_ALARM   equ 0x03
RTC_HOUR        equ 0x04
RTC_HOUR_ALARM  equ 0x05
RTC_DAY         equ 0x07
RTC_MONTH       equ 0x08
RTC_YEAR        equ 0x09
RTC_REG_A       equ 0x0A
RTC_REG_B       equ 0x0B
RTC_REG_C       equ 0x0C
RTC_REG_D       equ 0x0D
CMOS_CENTURY    equ 0x32

; cmos_read - AL = CMOS byte AL. Interrupts stay off between selecting and reading, or an
; interrupt handler that touches the RTC could change the index in between.
cmos_read:
        pushf
        cli
        out CMOS_INDEX, al
        in al, CMOS_DATA
        popf
        ret

; cmos_write - CMOS byte AL := AH
cmos_write:
        pushf
        cli
        out CMOS_INDEX, al
        xchg al, ah
        out CMOS_DATA, al
        xchg al, ah
        popf
        ret

; cmos_checksum_ok - CF clear when the sum of bytes 10h-2Dh equals the word at 2Eh (high byte
; first), i.e. the configuration SETUP left is intact (IBM PC/AT Technical Reference, "CMOS RAM
; Configuration"). A board without an RTC reads all ones, which fails the test.
cmos_checksum_ok:
        push ax
        push bx
        push cx
        xor bx, bx
        mov cl, 0x10
.sum:   mov al, cl
        call cmos_read
        xor ah, ah
        add bx, ax
        inc cl
        cmp cl, 0x2E
        jb .sum
        mov al, 0x2E
        call cmos_read
        mov ah, al
        mov al, 0x2F
        call cmos_read
        cmp ax, bx
        je .ok
        stc
        jmp .done
.ok:    clc
.done:  pop cx
        pop bx
        pop ax
        ret

; rtc_wait_uip - wait until no update cycle is in progress. CF set if UIP never clears (no RTC,
; or a stopped one).
rtc_wait_uip:
        push ax
        push cx
        mov cx, 2000                    ; an update cycle takes under 2 ms; allow ~30 ms
.poll:  mov al, RTC_REG_A
        call cmos_read
        test al, 0x80
        jz .ok
        push cx
        mov cx, 1
        call delay_15us
        pop cx
        loop .poll
        stc
        jmp .done
.ok:    clc
.done:  pop cx
        pop ax
        ret

; bcd_to_bin - AL (BCD) -> AL (binary)
bcd_to_bin:
        push cx
        mov ch, al
        and ch, 0x0F
        mov cl, 4
        shr al, cl
        mov cl, 10
        mul cl
        add al, ch
        pop cx
        ret

; ---------------------------------------------------------------------------------------------
; rtc_post_init - a running divider (Register A: 32.768 kHz time base, 1024 Hz periodic rate),
; 24-hour BCD mode with every interrupt off (Register B), pending flags cleared (reading C), and
; the tick counter set from the time of day.
; ---------------------------------------------------------------------------------------------
rtc_post_init:
        push ax
        mov ax, 0x2600 | RTC_REG_A      ; DV = 010 (32.768 kHz), RS = 0110 (976.56 us)
        call cmos_write
        mov ax, 0x0200 | RTC_REG_B      ; 24-hour, BCD, no interrupts, no daylight saving
        call cmos_write
        mov al, RTC_REG_C
        call cmos_read
        mov al, RTC_REG_D
        call cmos_read                  ; (reading D is harmless; VRT tells the battery is good)
        call rtc_set_ticks_from_time
        pop ax
        ret

; rtc_set_ticks_from_time - 0040:006C := ticks since midnight according to the RTC.
; ticks = seconds x 1193182 / 65536 = seconds x 18.2065; computed as seconds x 18 plus
; (seconds x 13534) / 65536 in 16-bit steps, which the 8086 can do.
rtc_set_ticks_from_time:
        push ax
        push bx
        push cx
        push dx
        push si
        push di
        push ds
        call rtc_wait_uip
        jc .done
        mov al, RTC_HOUR
        call cmos_read
        call bcd_to_bin
        xor ah, ah
        mov bx, 3600
        mul bx                          ; DX:AX = hours x 3600
        mov si, ax
        mov di, dx
        mov al, RTC_MIN
        call cmos_read
        call bcd_to_bin
        mov bl, 60
        mul bl                          ; AX = minutes x 60
        add si, ax
        adc di, 0
        mov al, RTC_SEC
        call cmos_read
        call bcd_to_bin
        xor ah, ah
        add si, ax
        adc di, 0                       ; DI:SI = seconds since midnight (< 86400)
        ; seconds x 18
        mov ax, si
        mov bx, 18
        mul bx
        mov cx, ax
        mov bx, dx                      ; BX:CX = low word x 18
        mov ax, di
        mov dx, 18
        mul dx
        add bx, ax                      ; + high word x 18 << 16
        ; (seconds x 13534) >> 16
        mov ax, si
        mov dx, 13534
        mul dx                          ; DX = (low word x 13534) >> 16
        add cx, dx
        adc bx, 0
        mov ax, di
        mov dx, 13534
        mul dx                          ; AX = high word x 13534 (the high word is 0 or 1)
        add cx, ax
        adc bx, 0
        mov ax, BDA_SEG
        mov ds, ax
        cli
        mov [BDA_TICKS], cx
        mov [BDA_TICKS + 2], bx
        mov byte [BDA_MIDNIGHT], 0
        sti
.done:  pop ds
        pop di
        pop si
        pop dx
        pop cx
        pop bx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; INT 1Ah - time of day (IBM PC/AT Technical Reference, "Time-of-day"; Ralf Brown's Interrupt
; List, INT 1A):
;   AH=00h  read tick count      -> CX:DX ticks, AL = midnight flag (then cleared)
;   AH=01h  set tick count       CX:DX
;   AH=02h  read RTC time        -> CH hours, CL minutes, DH seconds (BCD), DL daylight saving
;   AH=03h  set RTC time         CH, CL, DH, DL as above
;   AH=04h  read RTC date        -> CH century, CL year, DH month, DL day (BCD)
;   AH=05h  set RTC date
;   AH=06h  set alarm            CH, CL, DH: INT 4Ah is called when the time matches
;   AH=07h  cancel alarm
;   AH=B1h  PCI BIOS (pci.asm)
; CF is set when the clock is not running or the alarm is already in use.
; ---------------------------------------------------------------------------------------------
int1a_time:
        cmp ah, 0xB1
        jne .std
        jmp pci_bios                    ; keeps 32-bit registers intact: its own entry
.std:   sti
        SAVE_FRAME
        mov bx, BDA_SEG
        mov ds, bx
        cmp ah, 0x00
        je .get_ticks
        cmp ah, 0x01
        je .set_ticks
        cmp ah, 0x02
        je .read_time
        cmp ah, 0x03
        je .set_time
        cmp ah, 0x04
        je .read_date
        cmp ah, 0x05
        je .set_date
        cmp ah, 0x06
        je .set_alarm
        cmp ah, 0x07
        je .cancel_alarm
        jmp .fail

.get_ticks:
        cli
        mov ax, [BDA_TICKS]
        mov [bp + F_DX], ax
        mov ax, [BDA_TICKS + 2]
        mov [bp + F_CX], ax
        mov al, [BDA_MIDNIGHT]
        mov byte [BDA_MIDNIGHT], 0
        sti
        mov [bp + F_AL], al
        jmp .ok
.set_ticks:
        cli
        mov [BDA_TICKS], dx
        mov [BDA_TICKS + 2], cx
        mov byte [BDA_MIDNIGHT], 0
        sti
        mov byte [bp + F_AH], 0
        jmp .ok

.read_time:
        call rtc_wait_uip
        jc .fail
        mov al, RTC_HOUR
        call cmos_read
        mov [bp + F_CH], al
        mov al, RTC_MIN
        call cmos_read
        mov [bp + F_CL], al
        mov al, RTC_SEC
        call cmos_read
        mov [bp + F_DH], al
        mov al, RTC_REG_B
        call cmos_read
        and al, 0x01
        mov [bp + F_DL], al
        jmp .ok0

.set_time:
        call rtc_begin_set
        mov ah, ch
        mov al, RTC_HOUR
        call cmos_write
        mov ah, cl
        mov al, RTC_MIN
        call cmos_write
        mov ah, dh
        mov al, RTC_SEC
        call cmos_write
        mov al, RTC_REG_B
        call cmos_read
        and al, 0x7E                    ; SET off, DSE from DL
        and dl, 0x01
        or al, dl
        or al, 0x02                     ; 24-hour mode, whatever was there
        and al, 0xFB                    ; BCD
        mov ah, al
        mov al, RTC_REG_B
        call cmos_write
        jmp .ok0

.read_date:
        call rtc_wait_uip
        jc .fail
        mov al, CMOS_CENTURY
        call cmos_read
        mov [bp + F_CH], al
        mov al, RTC_YEAR
        call cmos_read
        mov [bp + F_CL], al
        mov al, RTC_MONTH
        call cmos_read
        mov [bp + F_DH], al
        mov al, RTC_DAY
        call cmos_read
        mov [bp + F_DL], al
        jmp .ok0

.set_date:
        call rtc_begin_set
        mov ah, ch
        mov al, CMOS_CENTURY
        call cmos_write
        mov ah, cl
        mov al, RTC_YEAR
        call cmos_write
        mov ah, dh
        mov al, RTC_MONTH
        call cmos_write
        mov ah, dl
        mov al, RTC_DAY
        call cmos_write
        mov al, RTC_REG_B
        call cmos_read
        and al, 0x7F                    ; SET off: the clock runs again
        mov ah, al
        mov al, RTC_REG_B
        call cmos_write
        jmp .ok0

.set_alarm:
        mov al, RTC_REG_B
        call cmos_read
        test al, 0x20                   ; AIE already on: the alarm is in use
        jnz .fail
        call rtc_wait_uip
        mov ah, ch
        mov al, RTC_HOUR_ALARM
        call cmos_write
        mov ah, cl
        mov al, RTC_MIN_ALARM
        call cmos_write
        mov ah, dh
        mov al, RTC_SEC_ALARM
        call cmos_write
        mov al, RTC_REG_B
        call cmos_read
        or al, 0x20
        mov ah, al
        mov al, RTC_REG_B
        call cmos_write
        mov al, 8
        call pic_unmask
        jmp .ok0

.cancel_alarm:
        mov al, RTC_REG_B
        call cmos_read
        and al, 0xDF
        mov ah, al
        mov al, RTC_REG_B
        call cmos_write
        jmp .ok0

.ok0:   mov byte [bp + F_AH], 0
.ok:    CLEAR_CF
        RESTORE_FRAME
        iret
.fail:  SET_CF
        RESTORE_FRAME
        iret

; rtc_begin_set - stop the update cycle (Register B SET) so a new time is written as one piece
rtc_begin_set:
        push ax
        call rtc_wait_uip
        mov al, RTC_REG_B
        call cmos_read
        or al, 0x80
        mov ah, al
        mov al, RTC_REG_B
        call cmos_write
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; INT 70h - IRQ8, the RTC. Reading Register C acknowledges the chip. The periodic interrupt
; (every 976.56 us) counts down an INT 15h AH=83h/86h wait: when the microsecond count in
; 0040:009C runs out, bit 7 of the caller's flag byte (0040:0098 points at it) is set and the
; periodic interrupt is switched off again. An alarm calls INT 4Ah.
; ---------------------------------------------------------------------------------------------
int70_rtc:
        push ax
        push bx
        push ds
        mov ax, BDA_SEG
        mov ds, ax
.again: mov al, RTC_REG_C
        out CMOS_INDEX, al
        in al, CMOS_DATA
        mov bl, al                      ; BL = the flags that fired
        mov al, RTC_REG_B
        out CMOS_INDEX, al
        in al, CMOS_DATA
        and bl, al                      ; ... and are enabled
        test bl, 0x60
        jz .eoi
        test bl, 0x40                   ; periodic
        jz .alarm
        test byte [BDA_WAIT_ACTIVE], 0x01
        jz .alarm
        sub word [BDA_WAIT_COUNT], 976
        sbb word [BDA_WAIT_COUNT + 2], 0
        jnc .alarm
        ; the wait is over: tell the waiter, stop the periodic interrupt
        and byte [BDA_WAIT_ACTIVE], 0xFE
        push ds
        lds bx, [BDA_WAIT_PTR]
        or byte [bx], 0x80
        pop ds
        mov al, RTC_REG_B
        out CMOS_INDEX, al
        in al, CMOS_DATA
        and al, 0xBF
        mov ah, al
        mov al, RTC_REG_B
        out CMOS_INDEX, al
        mov al, ah
        out CMOS_DATA, al
.alarm: test bl, 0x20
        jz .eoi
        sti
        int 0x4A
        cli
.eoi:   mov al, PIC_EOI
        out PIC2_CMD, al
        out PIC1_CMD, al
        pop ds
        pop bx
        pop ax
        iret
