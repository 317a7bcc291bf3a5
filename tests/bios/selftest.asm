; selftest.asm - the BIOS services checked from the inside: a boot sector that loads the rest of
; this program from the diskette, calls INT 11h-1Ah the way DOS and boot loaders do, and checks
; every answer itself. Results go to the debug console: "ok <check>" or "FAIL <check>: got X,
; expected Y", then PASS/FAIL and the exit through port F4h.
;
; The machine it expects: a 1.44 MB diskette (this image) in drive A:, and optionally the 2 MiB
; hard disk of hd_pattern.asm as drive 80h (sector n starts with the dword n). The checks that
; need a 386 (E820h, the block move, PCI BIOS) run only on one; on an 8086 the 16-bit ones run.

        bits 16
        cpu 8086
        org 0x7C00

start:  jmp loader
        times 62 - ($ - $$) db 0
loader: cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7C00
        sti
        cld
        mov ax, 0x0200 + PROGRAM_SECTORS ; the rest: sectors 2.. of track 0, to 0000:7E00
        mov cx, 0x0002
        mov dh, 0
        mov bx, 0x7E00
        int 0x13
        jc .fail
        jmp main
.fail:  mov al, 'L'
        out 0xE9, al
        mov al, 1
        out 0xF4, al
        hlt
        times 510 - ($ - $$) db 0
        dw 0xAA55

; ---------------------------------------------------------------------------------------------
%include "testlib.inc"

cpu_class: db 0                         ; 0 8086, 2 286, 3 386+

main:   SAY "BIOS self-test", 10
        call detect_cpu
        call test_equipment
        call test_keyboard
        call test_time
        call test_int15
        call test_mouse
        call test_floppy
        call test_hard_disk
        cmp byte [cpu_class], 3
        jb .done
        call test_386
.done:  jmp finish

detect_cpu:                             ; the FLAGS test (bits 15-12)
        pushf
        xor ax, ax
        push ax
        popf
        pushf
        pop ax
        and ax, 0xF000
        cmp ax, 0xF000
        je .c86
        mov ax, 0x7000
        push ax
        popf
        pushf
        pop ax
        test ax, 0x7000
        jz .c286
        mov byte [cpu_class], 3
        jmp .out
.c286:  mov byte [cpu_class], 2
        jmp .out
.c86:   mov byte [cpu_class], 0
.out:   popf
        ret

; ---------------------------------------------------------------------------------------------
test_equipment:
        int 0x11
        and ax, 0x0001
        CHECK ax, 1, "INT 11h: diskette drives present"
        int 0x12
        CHECK ax, 639, "INT 12h: 639 KiB"
        mov ax, [0x040E]
        CHECK ax, 0x9FC0, "BDA 40:0E: EBDA segment"
        ret

; ---------------------------------------------------------------------------------------------
test_keyboard:
        ; the buffer: store, peek, read
        mov ah, 0x05
        mov cx, 0x1E61
        int 0x16
        xor ah, ah
        CHECK ax, 0, "INT 16h AH=05h stores a key"
        mov ah, 0x01
        int 0x16
        jnz .has
        call fail_here
        db "INT 16h AH=01h sees the key", 0
.has:   CHECK ax, 0x1E61, "INT 16h AH=01h key code"
        mov ah, 0x00
        int 0x16
        CHECK ax, 0x1E61, "INT 16h AH=00h reads it"
        mov ah, 0x01
        int 0x16
        jz .empty
        call fail_here
        db "INT 16h AH=01h: buffer empty again", 0
.empty: ; the ring buffer holds 15 keys: the 16th does not fit
        mov cx, 0x0231
        mov bx, 15
.fill:  mov ah, 0x05
        push cx
        int 0x16
        pop cx
        inc cx
        dec bx
        jnz .fill
        mov ah, 0x05
        int 0x16
        xor ah, ah
        CHECK ax, 1, "INT 16h AH=05h: the 16th key does not fit"
        mov ah, 0x10
        int 0x16
        CHECK ax, 0x0231, "INT 16h AH=10h: first in, first out"
        mov bx, 14
.drain: mov ah, 0x10
        int 0x16
        dec bx
        jnz .drain
        CHECK ax, 0x023F, "INT 16h: the 15th key"
        ; the grey arrow keys: AH=10h keeps E0h, AH=00h turns it into 00h
        mov ah, 0x05
        mov cx, 0x48E0
        int 0x16
        mov ah, 0x00
        int 0x16
        CHECK ax, 0x4800, "INT 16h AH=00h: grey Up as keypad Up"
        mov ah, 0x02
        int 0x16
        and ax, 0x0020
        CHECK ax, 0x0020, "INT 16h AH=02h: NumLock on after POST"
        mov ah, 0x09
        int 0x16
        and ax, 0x0020
        CHECK ax, 0x0020, "INT 16h AH=09h: functions 10h-12h supported"
        ret

; ---------------------------------------------------------------------------------------------
test_time:
        mov ah, 0x04
        int 0x1A
        CHECK_NC "INT 1Ah AH=04h: the RTC runs"
        CHECK cx, 0x2000, "INT 1Ah AH=04h: century and year (BCD)"
        CHECK dx, 0x0101, "INT 1Ah AH=04h: month and day (BCD)"
        ; set the clock, read it back
        mov ah, 0x03
        mov cx, 0x1234
        mov dx, 0x5600
        int 0x1A
        mov ah, 0x02
        int 0x1A
        CHECK_NC "INT 1Ah AH=02h"
        CHECK cx, 0x1234, "INT 1Ah AH=03h/02h: hours and minutes"
        ; the tick counter, and a one second wait (INT 15h AH=86h) measured with it
        mov ah, 0x01
        mov cx, 0x0001
        mov dx, 0x0000
        int 0x1A
        mov ah, 0x00
        int 0x1A
        CHECK cx, 0x0001, "INT 1Ah AH=01h/00h: tick count high word"
        mov si, dx
        mov ah, 0x86
        mov cx, 0x000F                  ; 1,000,000 us
        mov dx, 0x4240
        int 0x15
        CHECK_NC "INT 15h AH=86h wait"
        mov ah, 0x00
        int 0x1A
        sub dx, si                      ; ticks during the wait: 18.2 a second
        mov ax, 0
        cmp dx, 17
        jb .bad
        cmp dx, 20
        ja .bad
        mov ax, 1
.bad:   CHECK ax, 1, "INT 15h AH=86h: one second is 17-20 ticks"
        ret

; ---------------------------------------------------------------------------------------------
test_int15:
        mov ah, 0xC0
        int 0x15
        CHECK_NC "INT 15h AH=C0h"
        mov al, [es:bx + 2]
        xor ah, ah
        CHECK ax, 0xFC, "INT 15h AH=C0h: model byte FCh"
        push ds
        pop es
        mov ah, 0xC1
        int 0x15
        mov ax, es
        CHECK ax, 0x9FC0, "INT 15h AH=C1h: EBDA segment"
        push ds
        pop es
        mov ah, 0x53                    ; APM installation check: not present
        mov al, 0x00
        xor bx, bx
        int 0x15
        mov al, 0
        adc al, 0
        mov ah, 0
        CHECK ax, 1, "INT 15h AH=53h: no APM"
        ret

; ---------------------------------------------------------------------------------------------
; The PS/2 mouse through INT 15h AH=C2h, as a DOS mouse driver uses it: initialise, install a
; routine, enable; then a package "from the mouse" (the 8042's D3h command puts a byte in its
; output buffer as if the mouse had sent it) reaches the routine through IRQ 12.
mouse_words:    dw 0, 0, 0, 0, 0        ; status, X, Y, Z, calls
mouse_routine:
        push bp
        mov bp, sp
        push ax
        mov ax, [bp + 12]
        mov [cs:mouse_words], ax
        mov ax, [bp + 10]
        mov [cs:mouse_words + 2], ax
        mov ax, [bp + 8]
        mov [cs:mouse_words + 4], ax
        mov ax, [bp + 6]
        mov [cs:mouse_words + 6], ax
        inc word [cs:mouse_words + 8]
        pop ax
        pop bp
        retf

mouse_feed:                             ; AL = a byte "from the mouse"; then 2 ms for IRQ 12
        push ax
        push cx
        push dx
        mov ah, al
.w1:    in al, 0x64
        test al, 0x02
        jnz .w1
        mov al, 0xD3
        out 0x64, al
.w2:    in al, 0x64
        test al, 0x02
        jnz .w2
        mov al, ah
        out 0x60, al
        mov ah, 0x86                    ; the byte reaches the output buffer a little later:
        xor cx, cx                      ; wait 2000 us (INT 15h AH=86h) for it and its IRQ 12
        mov dx, 2000
        int 0x15
        pop dx
        pop cx
        pop ax
        ret

test_mouse:
        mov ax, 0xC205                  ; initialise: 3-byte packages
        mov bh, 3
        int 0x15
        CHECK_NC "INT 15h C205h initialise"
        mov ax, 0xC200                  ; enable without a routine: AH=05h
        mov bh, 1
        int 0x15
        mov al, 0
        adc al, 0
        CHECK ax, 0x0501, "INT 15h C200h without a handler: CF, AH=05h"
        push cs
        pop es
        mov bx, mouse_routine
        mov ax, 0xC207
        int 0x15
        CHECK_NC "INT 15h C207h set handler"
        push ds
        pop es
        mov ax, 0xC204
        int 0x15
        mov al, bh
        xor ah, ah
        CHECK ax, 0, "INT 15h C204h: device ID 00h"
        mov ax, 0xC202                  ; 40 reports/s
        mov bh, 2
        int 0x15
        CHECK_NC "INT 15h C202h sample rate"
        mov ax, 0xC206
        mov bh, 0
        int 0x15
        CHECK_NC "INT 15h C206h status"
        mov al, dl
        xor ah, ah
        CHECK ax, 40, "INT 15h C206h: sample rate 40"
        mov ax, 0xC202
        mov bh, 7
        int 0x15
        mov al, 0
        adc al, 0
        CHECK ax, 0x0201, "INT 15h C202h rate 7: CF, AH=02h"
        mov ax, 0xC200
        mov bh, 1
        int 0x15
        CHECK_NC "INT 15h C200h enable"
        sti
        mov al, 0x09                    ; left button, and bit 3 (always 1)
        call mouse_feed
        mov al, 0x05                    ; X +5
        call mouse_feed
        mov al, 0xFD                    ; Y -3
        call mouse_feed
        CHECK [cs:mouse_words + 8], 1, "INT 74h: the routine ran once"
        CHECK [cs:mouse_words], 0x09, "INT 74h: status word"
        CHECK [cs:mouse_words + 2], 0x05, "INT 74h: X word"
        CHECK [cs:mouse_words + 4], 0xFD, "INT 74h: Y word"
        CHECK [cs:mouse_words + 6], 0, "INT 74h: Z word"
        mov ax, 0xC200                  ; disable
        mov bh, 0
        int 0x15
        CHECK_NC "INT 15h C200h disable"
        ret

; ---------------------------------------------------------------------------------------------
test_floppy:
        mov ah, 0x08
        mov dl, 0x00
        int 0x13
        CHECK_NC "INT 13h AH=08h diskette"
        push es
        push ds
        pop es
        mov al, bl
        xor ah, ah
        CHECK ax, 4, "INT 13h AH=08h: drive type 1.44 MB"
        CHECK cx, 0x4F12, "INT 13h AH=08h: 80 cylinders, 18 sectors"
        CHECK dx, 0x0101, "INT 13h AH=08h: 2 heads, 1 drive"
        pop es
        push ds
        pop es
        mov ah, 0x15
        mov dl, 0x00
        int 0x13
        mov al, ah
        xor ah, ah
        CHECK ax, 2, "INT 13h AH=15h: drive with change line"
        ; read the boot sector again, by CHS
        mov ax, 0x0201
        mov cx, 0x0001
        mov dx, 0x0000
        mov bx, 0x1000
        int 0x13
        CHECK_NC "INT 13h AH=02h read"
        CHECK ax, 0x0001, "INT 13h AH=02h: one sector, status 0"
        CHECK [0x11FE], 0xAA55, "INT 13h AH=02h: the boot sector's signature"
        ; two sectors across the head boundary (multi-track): sector 18 head 0 and sector 1 head 1
        mov ax, 0x0202
        mov cx, 0x0012
        mov dx, 0x0000
        mov bx, 0x1000
        int 0x13
        CHECK_NC "INT 13h AH=02h across heads"
        CHECK [0x1000], 17, "INT 13h AH=02h: LBA 17 (head 0, sector 18)"
        CHECK [0x1200], 18, "INT 13h AH=02h: LBA 18 (head 1, sector 1)"
        ; write the last sector (cylinder 79, head 1, sector 18), read it back, verify it
        mov word [0x1000], 0x1234
        mov word [0x11FE], 0x5678
        mov ax, 0x0301
        mov cx, 0x4F12
        mov dx, 0x0100
        mov bx, 0x1000
        int 0x13
        CHECK_NC "INT 13h AH=03h write"
        mov word [0x1000], 0
        mov word [0x11FE], 0
        mov ax, 0x0201
        mov cx, 0x4F12
        mov dx, 0x0100
        mov bx, 0x1000
        int 0x13
        CHECK_NC "INT 13h AH=02h read back"
        CHECK [0x1000], 0x1234, "INT 13h: written data, first word"
        CHECK [0x11FE], 0x5678, "INT 13h: written data, last word"
        mov ax, 0x0401
        mov cx, 0x4F12
        mov dx, 0x0100
        int 0x13
        CHECK_NC "INT 13h AH=04h verify"
        ; a buffer across a 64 KiB boundary cannot be done by DMA: status 09h
        push es
        mov ax, 0x0FFF
        mov es, ax
        mov bx, 0x0000                  ; 0FFF0h-101EFh
        mov ax, 0x0201
        mov cx, 0x0001
        mov dx, 0x0000
        int 0x13
        pop es
        mov al, ah
        mov ah, 0
        CHECK ax, 0x09, "INT 13h: DMA boundary error 09h"
        mov ah, 0x01
        mov dl, 0
        int 0x13
        mov al, ah
        mov ah, 0
        CHECK ax, 0x09, "INT 13h AH=01h: last status"
        ret

; ---------------------------------------------------------------------------------------------
test_hard_disk:
        cmp byte [0x0475], 0
        jne .present
        SAY "(no hard disk: skipped)", 10
        ret
.present:
        mov ah, 0x08
        mov dl, 0x80
        int 0x13
        CHECK_NC "INT 13h AH=08h hard disk"
        push ds
        pop es
        mov al, dh
        xor ah, ah
        CHECK ax, 15, "INT 13h AH=08h: 16 heads"
        mov ax, cx
        and ax, 0x003F
        CHECK ax, 63, "INT 13h AH=08h: 63 sectors per track"
        ; CHS read: cylinder 1, head 2, sector 3 = LBA (1 x 16 + 2) x 63 + 2 = 1136
        mov ax, 0x0201
        mov cx, 0x0103
        mov dx, 0x0280
        mov bx, 0x1000
        int 0x13
        CHECK_NC "INT 13h AH=02h hard disk"
        CHECK [0x1000], 1136, "INT 13h AH=02h: LBA 1136"
        ; EDD
        mov ah, 0x41
        mov bx, 0x55AA
        mov dl, 0x80
        int 0x13
        CHECK_NC "INT 13h AH=41h"
        CHECK bx, 0xAA55, "INT 13h AH=41h: signature"
        mov al, ah
        xor ah, ah
        CHECK ax, 0x30, "INT 13h AH=41h: EDD 3.0"
        mov word [dap + 2], 2           ; two sectors from LBA 4000
        mov word [dap + 4], 0x1000
        mov word [dap + 6], 0
        mov word [dap + 8], 4000
        mov ah, 0x42
        mov dl, 0x80
        mov si, dap
        int 0x13
        CHECK_NC "INT 13h AH=42h"
        CHECK [0x1000], 4000, "INT 13h AH=42h: LBA 4000"
        CHECK [0x1200], 4001, "INT 13h AH=42h: LBA 4001"
        mov word [0x1000], 0xBEEF
        mov word [dap + 2], 1
        mov word [dap + 8], 3000
        mov ax, 0x4300
        mov dl, 0x80
        mov si, dap
        int 0x13
        CHECK_NC "INT 13h AH=43h"
        mov word [0x1000], 0
        mov ah, 0x42
        mov dl, 0x80
        mov si, dap
        int 0x13
        CHECK [0x1000], 0xBEEF, "INT 13h AH=43h/42h: written and read back"
        mov word [params], 0x1E
        mov ah, 0x48
        mov dl, 0x80
        mov si, params
        int 0x13
        CHECK_NC "INT 13h AH=48h"
        CHECK [params + 16], 4096, "INT 13h AH=48h: 4096 sectors"
        CHECK [params + 24], 512, "INT 13h AH=48h: 512 bytes each"
        ret

dap:    db 0x10, 0
        dw 0, 0, 0
        dq 0
params: times 0x1E db 0

; ---------------------------------------------------------------------------------------------
        cpu 386
test_386:
        ; E820h: the first range is conventional memory, and the walk ends with EBX = 0
        xor ebx, ebx
        mov di, 0x2000
        mov edx, 0x534D4150
        mov eax, 0xE820
        mov ecx, 20
        int 0x15
        CHECK_NC "INT 15h E820h"
        cmp eax, 0x534D4150
        sete al
        movzx ax, al
        CHECK ax, 1, "INT 15h E820h: EAX = 'SMAP'"
        CHECK [0x2008], 0xFC00, "INT 15h E820h: first range 0-9FC00h"
        CHECK [0x2010], 1, "INT 15h E820h: usable RAM"
        mov si, 1
.walk:  test ebx, ebx
        jz .walked
        mov edx, 0x534D4150
        mov eax, 0xE820
        mov ecx, 20
        int 0x15
        jc .walked
        inc si
        cmp si, 16
        jb .walk
.walked:
        CHECK si, 5, "INT 15h E820h: five ranges"
        ; the A20 gate
        mov ax, 0x2400
        int 0x15
        CHECK_NC "INT 15h AX=2400h"
        call a20_wraps
        CHECK ax, 1, "A20 off: FFFF:0510 is 0000:0500"
        mov ax, 0x2402
        int 0x15
        xor ah, ah
        CHECK ax, 0, "INT 15h AX=2402h: off"
        mov ax, 0x2401
        int 0x15
        CHECK_NC "INT 15h AX=2401h"
        call a20_wraps
        CHECK ax, 0, "A20 on: no wrap"
        ; block move: 64 bytes to 1 MiB + 64 KiB and back
        mov si, 0
.pat:   mov byte [0x3000 + si], 0
        mov ax, si
        mov [0x2000 + si], al
        inc si
        cmp si, 64
        jb .pat
        mov dword [gdt + 0x12], 0x00002000 | (0x93 << 24)   ; source: 0000:2000
        mov dword [gdt + 0x1A], 0x00110000 | (0x93 << 24)   ; destination: 110000h
        mov ah, 0x87
        mov cx, 32
        push ds
        pop es
        mov si, gdt
        int 0x15
        CHECK_NC "INT 15h AH=87h there"
        mov dword [gdt + 0x12], 0x00110000 | (0x93 << 24)
        mov dword [gdt + 0x1A], 0x00003000 | (0x93 << 24)
        mov ah, 0x87
        mov cx, 32
        mov si, gdt
        int 0x15
        CHECK_NC "INT 15h AH=87h back"
        CHECK [0x3000], 0x0100, "INT 15h AH=87h: bytes 0-1"
        CHECK [0x303E], 0x3F3E, "INT 15h AH=87h: bytes 62-63"
        ; the PCI BIOS
        mov ax, 0xB101
        int 0x1A
        CHECK_NC "INT 1Ah AX=B101h"
        cmp edx, 0x20494350
        sete al
        movzx ax, al
        CHECK ax, 1, "INT 1Ah AX=B101h: ' PCI'"
        mov ax, 0xB102
        mov cx, 0x7000
        mov dx, 0x8086
        mov si, 0
        int 0x1A
        CHECK_NC "INT 1Ah AX=B102h"
        CHECK bx, 0x0008, "INT 1Ah AX=B102h: PIIX3 at 00:01.0"
        mov ax, 0xB10A
        mov bx, 0x0000
        mov di, 0
        int 0x1A
        CHECK cx, 0x8086, "INT 1Ah AX=B10Ah: host bridge vendor"
        shr ecx, 16
        CHECK cx, 0x1237, "INT 1Ah AX=B10Ah: host bridge device"
        mov ax, 0xB103
        mov ecx, 0x010180
        mov si, 0
        int 0x1A
        CHECK_NC "INT 1Ah AX=B103h"
        CHECK bx, 0x0009, "INT 1Ah AX=B103h: IDE at 00:01.1"
        ret

; a20_wraps - AX = 1 when 0000:0500 and FFFF:0510 are the same byte
a20_wraps:
        push es
        mov ax, 0xFFFF
        mov es, ax
        mov byte [0x0500], 0x11
        mov byte [es:0x0510], 0x22
        xor ax, ax
        cmp byte [0x0500], 0x22
        jne .no
        inc ax
.no:    pop es
        ret
        cpu 8086

; the caller's GDT for INT 15h AH=87h: 6 descriptors, 2 and 3 are source and destination
gdt:    times 0x10 db 0
        dw 0xFFFF, 0, 0, 0              ; source: limit, base 0-15, base 16-23 + access, 386 part
        dw 0xFFFF, 0, 0, 0              ; destination
        times 0x10 db 0

program_end:
PROGRAM_SECTORS equ (program_end - start - 512 + 511) / 512
%if (program_end - start) > 16 * 512
%error the self-test outgrew track 0 of the diskette
%endif
        times 512 * (1 + 16) - ($ - $$) db 0
; the rest of the diskette: sector n (LBA) starts with the word n
%assign n 17
%rep 2880 - 17
        dw n
        times 510 db 0
%assign n n + 1
%endrep
