; post.asm - the power-on self test: everything between the reset vector and INT 19h.
;
; A PC starts at F000:FFF0 (the 286 and later at physical FFFFFFF0h, which the board aliases to
; the same ROM), where the reset vector jumps here. POST then brings the machine up in the order
; the hardware forces on it:
;
;   1. is this a reset, or a return path? (CMOS shutdown byte 0Fh)
;   2. CPU type, DMA controllers, interrupt controllers, timer
;   3. memory size (CMOS), the interrupt vector table, the BIOS data areas
;   4. interrupts on; the keyboard controller, the RTC
;   5. PCI (386 and later): resource assignment, interrupt routing, IDE decode
;   6. the video BIOS - from here on messages can be seen
;   7. serial and parallel ports, floppy drives, hard disks and CD-ROMs
;   8. option ROMs, shadow RAM, then INT 19h boots the operating system
;
; Progress codes go to port 80h so a hang shows where it happened.

        cpu 8086

post_start:
        cli
        cld
        ; ---- 1. Shutdown byte: the 286 can only leave protected mode through a reset, so the
        ; PC/AT lets software leave a reason in CMOS byte 0Fh before it resets the CPU (IBM PC/AT
        ; Technical Reference, "Shutdown status byte"). Any value other than the ones handled
        ; here means a normal POST.
        mov al, 0x8F                    ; CMOS 0Fh, NMI disabled (bit 7)
        out CMOS_INDEX, al
        in al, CMOS_DATA
        mov ah, al
        mov al, 0x8F
        out CMOS_INDEX, al
        xor al, al
        out CMOS_DATA, al               ; consume it: the next reset is a normal one
        cmp ah, 0x05
        je shutdown_05
        cmp ah, 0x09
        je shutdown_09
        cmp ah, 0x0A
        je shutdown_0a
        cmp ah, 0x0B
        je shutdown_0b
        cmp ah, 0x0C
        je shutdown_0c
        jmp post_normal

; 05h: flush the keyboard, end the interrupt, and jump through 0040:0067.
shutdown_05:
        in al, KBC_DATA
        mov al, PIC_EOI
        out PIC1_CMD, al
shutdown_0a:                            ; 0Ah: jump through 0040:0067, nothing else
        mov ax, BDA_SEG
        mov ds, ax
        jmp far [BDA_RESET_PTR]
shutdown_0b:                            ; 0Bh: IRET with SS:SP from 0040:0067
        mov ax, BDA_SEG
        mov ds, ax
        mov ss, [BDA_RESET_PTR + 2]
        mov sp, [BDA_RESET_PTR]
        iret
shutdown_0c:                            ; 0Ch: RETF with SS:SP from 0040:0067
        mov ax, BDA_SEG
        mov ds, ax
        mov ss, [BDA_RESET_PTR + 2]
        mov sp, [BDA_RESET_PTR]
        retf
shutdown_09:                            ; 09h: the end of an INT 15h AH=87h block move (286)
        mov ax, BDA_SEG
        mov ds, ax
        mov ss, [BDA_RESET_PTR + 2]
        mov sp, [BDA_RESET_PTR]
        jmp block_move_286_resume

post_normal:
        xor ax, ax
        mov ss, ax
        mov sp, POST_STACK
        POST_CODE 0x01

        ; A warm boot (Ctrl-Alt-Del) leaves 1234h in 0040:0072; remember it across the BDA wipe.
        mov ds, ax
        mov di, [0x0400 + BDA_RESET_FLAG]

        ; ---- 2. CPU, DMA, PICs, PIT
        call detect_cpu                 ; AL = 0, 2 or 3
        mov bl, al                      ; BL = CPU class until the EBDA exists

        POST_CODE 0x02
        call dma_init
        call pic_init
        call pit_init

        ; ---- 3. Memory, vectors, data areas
        POST_CODE 0x03
        call memory_size                ; AX = base memory KiB (without the EBDA), DX = EBDA segment
        call ivt_init
        call bda_init                   ; uses AX, DX, BL, DI
        call ext_memory_post_init       ; CMOS 30h/31h and 34h/35h into the EBDA
        mov ax, BDA_SEG
        mov ds, ax

        ; ---- 4. Interrupts on. The timer ticks from here; the keyboard and the RTC follow.
        POST_CODE 0x04
        call rtc_post_init
        call pic_unmask_timer
        sti
        call kbd_post_init

        ; ---- 5. PCI (needs 32-bit port I/O, so a 386 or later)
        POST_CODE 0x05
        call pci_post_init

        ; ---- 6. Video
        POST_CODE 0x06
        call video_post_init
        call print_banner

        ; ---- 7. The rest of the hardware
        POST_CODE 0x07
        call fpu_detect
        call serial_post_init
        call printer_post_init
        call print_memory_line
        POST_CODE 0x08
        call floppy_post_init
        POST_CODE 0x09
        call ata_post_init
        call kbd_update_leds

        ; ---- 8. Option ROMs, shadow RAM, boot
        POST_CODE 0x0A
        call option_rom_scan
        call shadow_post_init
        POST_CODE 0x0B
        mov ax, BDA_SEG
        mov ds, ax
        mov word [BDA_RESET_FLAG], 0
        PRINT 13, 10
        int 0x19
        ; INT 19h does not return; if a boot sector does, INT 18h handles it.
        int 0x18
.stop:  hlt
        jmp .stop

; ---------------------------------------------------------------------------------------------
; detect_cpu - AL = 0 for an 8086/8088, 2 for an 80286, 3 for an 80386 or later.
; The classic FLAGS test: the 8086 always reads FLAGS bits 15-12 as ones; the 286 in real mode
; always reads them as zeros; the 386 lets real-mode code set IOPL and NT (bits 14-12).
; ---------------------------------------------------------------------------------------------
detect_cpu:
        pushf
        xor ax, ax
        push ax
        popf
        pushf
        pop ax
        and ax, 0xF000
        cmp ax, 0xF000
        je .is_8086
        mov ax, 0x7000
        push ax
        popf
        pushf
        pop ax
        test ax, 0x7000
        jz .is_286
        mov al, 3
        jmp .done
.is_8086:
        mov al, 0
        jmp .done
.is_286:
        mov al, 2
.done:  popf
        ret

; ---------------------------------------------------------------------------------------------
; memory_size - AX = conventional memory in KiB left for DOS, DX = EBDA segment.
; The CMOS holds what SETUP found (bytes 15h/16h: base memory in KiB). If the CMOS checksum is
; bad the BIOS measures: it writes a pattern every 16 KiB and stops where it does not read back.
; 1 KiB at the top becomes the extended BIOS data area.
; ---------------------------------------------------------------------------------------------
memory_size:
        push bx
        push cx
        call cmos_checksum_ok
        jc .probe
        mov al, 0x16
        call cmos_read
        mov ah, al
        mov al, 0x15
        call cmos_read                  ; AX = base memory KiB
        cmp ax, 64
        jb .probe
        cmp ax, 640
        jbe .have
        mov ax, 640
        jmp .have
.probe: ; test one word in each 16 KiB block from 64 KiB up to 640 KiB
        push ds
        mov bx, 0x1000                  ; segment of the block being tested
.block: mov ds, bx
        mov cx, [0]
        mov word [0], 0xAA55
        cmp word [0], 0xAA55
        jne .end
        mov word [0], 0x55AA
        cmp word [0], 0x55AA
        jne .end
        mov [0], cx
        add bx, 0x0400                  ; 16 KiB further
        cmp bx, 0xA000
        jb .block
.end:   pop ds
        mov ax, bx
        mov cl, 6
        shr ax, cl                      ; segment / 64 = KiB
.have:  dec ax                          ; the EBDA's KiB
        mov dx, ax
        mov cl, 6
        shl dx, cl                      ; EBDA segment = KiB * 64
        pop cx
        pop bx
        ret

; ---------------------------------------------------------------------------------------------
; ivt_init - every vector gets a handler; then the real ones are installed from ivt_table.
; Vectors 60h-67h (reserved for user programs) stay zero, as on the IBM PC, so software that
; looks for a free vector finds them free.
; ---------------------------------------------------------------------------------------------
ivt_init:
        push ax
        push cx
        push si
        push di
        push es
        xor ax, ax
        mov es, ax
        xor di, di
        mov cx, 256
.fill:  mov ax, dummy_iret
        stosw
        mov ax, BIOS_SEG
        stosw
        loop .fill
        ; the hardware interrupts: unexpected ones are caught, counted and masked
        mov di, 0x08 * 4
        mov cx, 8
        mov ax, irq_unexpected_master
.irqm:  stosw
        add di, 2
        add ax, 5                       ; the stubs are 5 bytes apart
        loop .irqm
        mov di, 0x70 * 4
        mov cx, 8
        mov ax, irq_unexpected_slave
.irqs:  stosw
        add di, 2
        add ax, 5
        loop .irqs
        ; the user vectors
        mov di, 0x60 * 4
        mov cx, 16
        xor ax, ax
        rep stosw
        ; the table of real handlers (vector, offset; the segment is always F000h)
        mov si, ivt_table
.entry: cs lodsw
        cmp ax, 0xFFFF
        je .done
        mov di, ax
        shl di, 1
        shl di, 1
        cs lodsw
        mov [es:di], ax
        mov word [es:di + 2], BIOS_SEG
        jmp .entry
.done:  ; vectors that hold data pointers rather than code
        mov word [es:0x1E * 4], diskette_param_table
        mov word [es:0x1E * 4 + 2], BIOS_SEG
        mov word [es:0x1D * 4], 0
        mov word [es:0x1D * 4 + 2], 0
        mov word [es:0x1F * 4], 0
        mov word [es:0x1F * 4 + 2], 0
        mov word [es:0x43 * 4], 0
        mov word [es:0x43 * 4 + 2], 0
        pop es
        pop di
        pop si
        pop cx
        pop ax
        ret

ivt_table:
        dw 0x02, int02_nmi
        dw 0x05, int05_print_screen
        dw 0x08, int08_timer
        dw 0x09, int09_keyboard
        dw 0x0E, int0e_floppy
        dw 0x10, int10_fallback         ; replaced by the video BIOS's entry when there is one
        dw 0x11, int11_equipment
        dw 0x12, int12_memory
        dw 0x13, int13_handler
        dw 0x14, int14_serial
        dw 0x15, int15_handler
        dw 0x16, int16_keyboard
        dw 0x17, int17_printer
        dw 0x18, int18_boot_failure
        dw 0x19, int19_bootstrap
        dw 0x1A, int1a_time
        dw 0x40, int40_floppy
        dw 0x70, int70_rtc
        dw 0x71, int71_irq9
        dw 0x74, int74_mouse
        dw 0x75, int75_fpu
        dw 0x76, int76_ide_primary
        dw 0x77, int77_ide_secondary
        dw 0xFFFF

; ---------------------------------------------------------------------------------------------
; bda_init - wipe and fill the BIOS data area and the EBDA.
; In: AX = base memory KiB, DX = EBDA segment, BL = CPU class, DI = the old reset flag.
; ---------------------------------------------------------------------------------------------
bda_init:
        push ax
        push cx
        push di
        push es
        push ax
        push di
        ; the BDA: 0040:0000-0040:00FF
        mov ax, BDA_SEG
        mov es, ax
        xor di, di
        xor ax, ax
        mov cx, 128
        rep stosw
        pop ax
        mov [es:BDA_RESET_FLAG], ax     ; keep the warm-boot flag for this POST
        pop ax
        mov [es:BDA_MEM_KIB], ax
        mov [es:BDA_EBDA_SEG], dx
        mov word [es:BDA_KB_HEAD], BDA_KB_BUFFER
        mov word [es:BDA_KB_TAIL], BDA_KB_BUFFER
        mov word [es:BDA_KB_START], BDA_KB_BUFFER
        mov word [es:BDA_KB_END], BDA_KB_BUFFER + 32
        mov byte [es:BDA_KB_FLAG3], 0x10 ; a 101/102-key keyboard
        mov byte [es:BDA_KB_FLAG0], 0x20 ; NumLock on after POST (what users expect today)
        ; equipment word: 80x25 colour as the initial video mode (bits 5-4 = 10b); floppies, the
        ; coprocessor and the ports are added as POST finds them
        mov word [es:BDA_EQUIPMENT], 0x0020
        ; the EBDA: size in KiB, everything else zero
        mov es, dx
        xor di, di
        xor ax, ax
        mov cx, 512
        rep stosw
        mov byte [es:EBDA_SIZE], EBDA_KIB
        mov byte [es:EBDA_MOUSE_SIZE], 3     ; a standard mouse's package (INT 15h C205h changes it)
        mov [es:EBDA_CPU], bl
        pop es
        pop di
        pop cx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; video_post_init - call the video BIOS module's init entry (README.md, "The video module").
; Without a module INT 10h stays on int10_fallback, which copies teletype output to port E9h.
; ---------------------------------------------------------------------------------------------
video_post_init:
        push ds
        push es
        push ax
        push bx
        push cx
        push dx
        push si
        push di
        push bp
        mov ax, VIDEO_SEG
        mov es, ax
        cmp word [es:0], 0xAA55
        jne .none
        cmp word [es:9], 'LV'
        jne .none
        cmp word [es:11], 'GA'
        jne .none
        xor ax, ax
        mov ds, ax
        mov word [0x10 * 4], 0x0006
        mov word [0x10 * 4 + 2], VIDEO_SEG
        call far [cs:video_init_ptr]
        jmp .done
.none:  mov si, msg_no_video
        call log_str
.done:  pop bp
        pop di
        pop si
        pop dx
        pop cx
        pop bx
        pop ax
        pop es
        pop ds
        ret

video_init_ptr: dw 0x0003, VIDEO_SEG
msg_no_video:   db "Lantern BIOS: no video BIOS module at E000:0000, INT 10h teletype goes to port E9h", 13, 10, 0

print_banner:
        PRINT "Lantern BIOS 1.0 - an educational PC BIOS", 13, 10
        push ds
        push ax
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        PRINT "CPU: "
        mov al, [EBDA_CPU]
        cmp al, 3
        jae .c386
        cmp al, 2
        je .c286
        PRINT "8086/8088"
        jmp .cdone
.c286:  PRINT "80286"
        jmp .cdone
.c386:  PRINT "80386 or later"
.cdone: PRINT 13, 10
        pop ax
        pop ds
        ret

; print_memory_line - "Memory: 639 KiB base, 130048 KiB extended"
print_memory_line:
        push ax
        push dx
        push ds
        mov ax, BDA_SEG
        mov ds, ax
        PRINT "Memory: "
        mov ax, [BDA_MEM_KIB]
        call print_dec16
        PRINT " KiB base"
        call extended_memory_kib        ; DX:AX = KiB above 1 MiB
        mov ds, ax
        or ax, dx
        jz .noext
        mov ax, ds
        PRINT ", "
        call print_dec32
        PRINT " KiB extended"
.noext: PRINT 13, 10
        pop ds
        pop dx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; fpu_detect - an x87 answers FNINIT/FNSTSW with a zero status word; without one the store never
; happens and the pattern stays. Sets equipment bit 1.
; ---------------------------------------------------------------------------------------------
fpu_detect:
        push ax
        push ds
        push bx
        mov ax, BDA_SEG
        mov ds, ax
        mov bx, 0x00AC                  ; a scratch word in the BDA (0040:00AC, unused)
        mov word [bx], 0x5A5A
        fninit
        fnstsw [bx]
        cmp byte [bx], 0
        jne .none
        or byte [BDA_EQUIPMENT], 0x02
        PRINT "Coprocessor: present", 13, 10
.none:  mov word [bx], 0
        pop bx
        pop ds
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; option_rom_scan - adapter ROMs in C8000-DFFFF: 55h AAh, a length byte (512-byte units), a zero
; checksum, and an init entry at offset 3 that POST far-calls (IBM PC/AT Technical Reference,
; "Adapter ROM"). C0000-C7FFF is the video ROM's place; the built-in video part is at E0000.
; ---------------------------------------------------------------------------------------------
option_rom_scan:
        push ax
        push bx
        push cx
        push dx
        push si
        push ds
        mov dx, 0xC800
.next:  mov ds, dx
        cmp word [0], 0xAA55
        jne .skip
        mov cl, [2]
        xor ch, ch
        jcxz .skip
        push cx
        mov ax, cx
        mov cl, 9
        shl ax, cl
        mov cx, ax                      ; bytes (the size byte is at most 7Fh here: 64 KiB)
        xor si, si
        xor bl, bl
.sum:   lodsb
        add bl, al
        loop .sum
        pop cx
        test bl, bl
        jnz .skip
        PRINT "Option ROM at "
        mov ax, dx
        call print_hex16
        PRINT ":0000", 13, 10
        call option_rom_init
        ; continue after the ROM (its size, rounded up to 2 KiB)
        add cx, 3
        shr cx, 1
        shr cx, 1
        mov ax, cx
        mov cl, 7
        shl ax, cl                      ; 2 KiB blocks -> paragraphs
        add dx, ax
        jmp .check
.skip:  add dx, 0x0080                  ; 2 KiB further
.check: cmp dx, 0xE000
        jb .next
        pop ds
        pop si
        pop dx
        pop cx
        pop bx
        pop ax
        ret

; option_rom_init - far call DX:0003 with a far pointer built on the stack
option_rom_init:
        push ax
        push bx
        push cx
        push dx
        push si
        push di
        push bp
        push ds
        push es
        mov bp, sp
        push dx                         ; segment
        mov ax, 3
        push ax                         ; offset
        mov bx, sp
        call far [ss:bx]
        mov sp, bp
        pop es
        pop ds
        pop bp
        pop di
        pop si
        pop dx
        pop cx
        pop bx
        pop ax
        ret
