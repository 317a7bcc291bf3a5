; misc.asm - the small services: INT 11h (equipment), INT 12h (memory size), and the INT 10h
; stand-in used when no video BIOS module is present.

        cpu 8086

; INT 11h - AX = the equipment word POST built (IBM PC/AT Technical Reference, "Equipment
; determination"): bit 0 diskettes, 1 coprocessor, 2 PS/2 mouse, 5-4 initial video mode,
; 7-6 diskettes - 1, 11-9 serial ports, 15-14 printers.
int11_equipment:
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov ax, [BDA_EQUIPMENT]
        pop ds
        iret

; INT 12h - AX = KiB of conventional memory (below the EBDA)
int12_memory:
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        mov ax, [BDA_MEM_KIB]
        pop ds
        iret

; INT 10h without a video BIOS: teletype output (AH=0Eh) goes to the debug console, port E9h, so
; a machine without video - or a test - can still be read; the mode query answers "80x25 text".
; Everything else does nothing.
int10_fallback:
        cmp ah, 0x0E
        jne .not_tty
        push dx
        mov dx, DEBUG_CONSOLE
        out dx, al
        pop dx
        iret
.not_tty:
        cmp ah, 0x0F
        jne .not_mode
        mov ax, 0x5003                  ; 80 columns, mode 03h
        mov bh, 0
        iret
.not_mode:
        cmp ah, 0x03
        jne .done
        mov cx, 0x0607                  ; the cursor shape of mode 03h, at row 0, column 0
        xor dx, dx
.done:  iret

; the IBM INT 10h entry point (F000:F065) leads to the video module when there is one
int10_f065:
        push ds
        push ax
        mov ax, VIDEO_SEG
        mov ds, ax
        cmp word [9], 'LV'
        pop ax
        pop ds
        jne int10_fallback
        jmp VIDEO_SEG:0x0006
