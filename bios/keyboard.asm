; keyboard.asm - the 8042 keyboard controller at POST, INT 09h (IRQ1) and INT 16h.
;
; The keyboard sends scan code set 2; the 8042 translates it to the PC/XT's set 1 (command byte
; bit 6), so INT 09h sees one byte per make (bit 7 clear) or break (bit 7 set) code, with E0h
; in front of the keys the 101-key keyboard added and E1h in front of Pause (IBM PC/AT Technical
; Reference and IBM PS/2 Hardware Interface Technical Reference, "Keyboard"). INT 09h turns
; them into the 16-bit key codes of INT 16h - scan code in the high byte, character in the low
; byte - and queues them in the BIOS data area's 16-word ring buffer (0040:001E; head and tail
; pointers at 0040:001A/001C, the buffer's bounds at 0040:0080/0082).

        cpu 8086

; ---------------------------------------------------------------------------------------------
; 8042 helpers. The controller takes a byte when its input buffer is empty (status bit 1) and
; offers one when its output buffer is full (status bit 0). The waits are bounded in real time
; (delay_15us), so a missing controller cannot hang POST.
; ---------------------------------------------------------------------------------------------

; kbc_wait_write - wait until the 8042 can take a byte. CF set on timeout (~100 ms).
kbc_wait_write:
        push ax
        push cx
        mov cx, 6600
.poll:  in al, KBC_STATUS
        test al, 0x02
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

; kbc_read_timeout - AL = next byte from the 8042, waiting up to CX x 15 us. CF set on timeout.
kbc_read_timeout:
        push cx
.poll:  in al, KBC_STATUS
        test al, 0x01
        jnz .got
        push cx
        mov cx, 1
        call delay_15us
        pop cx
        loop .poll
        stc
        pop cx
        ret
.got:   in al, KBC_DATA
        clc
        pop cx
        ret

; kbc_command - send AL to the 8042's command port
kbc_command:
        call kbc_wait_write
        jc .done
        out KBC_CMD, al
.done:  ret

; kbc_write_data - send AL to the data port (the keyboard, or a command's parameter)
kbc_write_data:
        call kbc_wait_write
        jc .done
        out KBC_DATA, al
.done:  ret

; kbc_flush - discard whatever waits in the output buffer (at most 16 bytes)
kbc_flush:
        push ax
        push cx
        mov cx, 16
.next:  in al, KBC_STATUS
        test al, 0x01
        jz .done
        in al, KBC_DATA
        push cx
        mov cx, 70                      ; let the next byte arrive if one is on its way (~1 ms)
        call delay_15us
        pop cx
        loop .next
.done:  pop cx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; kbd_post_init - test the controller, reset the keyboard, and turn on IRQ1.
; Done with IRQ1 masked: the replies are read by polling.
; ---------------------------------------------------------------------------------------------
kbd_post_init:
        push ax
        push cx
        call kbc_flush
        mov al, 0xAA                    ; controller self-test: 55h means it passed
        call kbc_command
        mov cx, 6600
        call kbc_read_timeout
        jc .no_kbc
        cmp al, 0x55
        jne .kbc_bad
        mov al, 0xAB                    ; keyboard interface test: 00h means the lines are fine
        call kbc_command
        mov cx, 6600
        call kbc_read_timeout
        ; command byte: keyboard interrupt on, system flag (POST passed), keyboard enabled,
        ; mouse port disabled, translation to set 1 on
        mov al, 0x60
        call kbc_command
        mov al, 0x65
        call kbc_write_data
        ; reset the keyboard: it answers FAh (acknowledge), then AAh when its self-test passed
        mov al, 0xFF
        call kbc_write_data
        mov cx, 6600                    ; 100 ms for the acknowledge
        call kbc_read_timeout
        jc .no_keyboard
        cmp al, 0xFA
        jne .no_keyboard
        mov cx, 0xFFFF                  ; ~1 s for the self-test
        call kbc_read_timeout
        jc .no_keyboard
        cmp al, 0xAA
        jne .no_keyboard
        call kbc_flush
        mov al, 1
        call pic_unmask
        jmp .done
.kbc_bad:
        PRINT "Keyboard controller self-test failed", 13, 10
        jmp .done
.no_kbc:
        mov si, msg_no_kbc
        call log_str
        jmp .done
.no_keyboard:
        mov si, msg_no_keyboard
        call log_str
        mov al, 1                       ; a keyboard may still be plugged in later
        call pic_unmask
.done:  pop cx
        pop ax
        ret

msg_no_kbc:      db "Lantern BIOS: no keyboard controller", 13, 10, 0
msg_no_keyboard: db "Lantern BIOS: keyboard did not answer the reset", 13, 10, 0

; ---------------------------------------------------------------------------------------------
; kbd_send - send AL to the keyboard and wait for its acknowledge. Called with interrupts
; enabled and IRQ1 unmasked: the acknowledge arrives as an ordinary IRQ1, and INT 09h records
; FAh (acknowledge) or FEh (resend) in 0040:0097 bits 4 and 5, which this routine watches.
; CF set when the keyboard did not acknowledge after three tries.
; ---------------------------------------------------------------------------------------------
kbd_send:
        push cx
        push dx
        push ds
        mov dx, BDA_SEG
        mov ds, dx
        mov dl, al
        mov dh, 3                       ; tries
.try:   cli
        and byte [BDA_KB_FLAG2], 0xCF   ; clear ACK and RESEND
        mov al, dl
        call kbc_write_data
        sti
        mov cx, 6600                    ; 100 ms
.wait:  test byte [BDA_KB_FLAG2], 0x30
        jnz .answer
        push cx
        mov cx, 1
        call delay_15us
        pop cx
        loop .wait
        jmp .retry
.answer:
        test byte [BDA_KB_FLAG2], 0x10
        jnz .ok
.retry: dec dh
        jnz .try
        or byte [BDA_KB_FLAG2], 0x80    ; transmit error
        stc
        jmp .done
.ok:    clc
.done:  mov al, dl
        pop ds
        pop dx
        pop cx
        ret

; ---------------------------------------------------------------------------------------------
; kbd_update_leds - make the keyboard's LEDs show the lock states in 0040:0017 bits 6-4
; (Set/Reset Mode Indicators, command EDh, then bit 2 Caps, 1 Num, 0 Scroll Lock).
; 0040:0097 bits 2-0 remember what the keyboard shows; bit 6 marks an update in progress so a
; key pressed meanwhile does not start a second one.
; ---------------------------------------------------------------------------------------------
kbd_update_leds:
        push ax
        push cx
        push ds
        pushf
        mov ax, BDA_SEG
        mov ds, ax
        cli
        test byte [BDA_KB_FLAG2], 0x40
        jnz .done
        mov al, [BDA_KB_FLAG0]
        mov cl, 4
        shr al, cl
        and al, 0x07                    ; the three lock bits, in LED order
        mov ah, [BDA_KB_FLAG2]
        and ah, 0x07
        cmp al, ah
        je .done
        or byte [BDA_KB_FLAG2], 0x40
        sti
        push ax
        mov al, 0xED
        call kbd_send
        pop ax
        jc .fail
        call kbd_send
        jc .fail
        cli
        and byte [BDA_KB_FLAG2], 0xF8
        or [BDA_KB_FLAG2], al
        jmp .end
.fail:  cli
        mov al, 0xF4                    ; enable scanning: leave the keyboard working
        call kbc_write_data
.end:   and byte [BDA_KB_FLAG2], 0xBF
.done:  popf
        pop ds
        pop cx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; INT 09h - IRQ1: one byte from the keyboard.
; ---------------------------------------------------------------------------------------------
int09_keyboard:
        sti
        push ax
        push bx
        push cx
        push dx
        push si
        push di
        push ds
        push es
        cld
        mov ax, BDA_SEG
        mov ds, ax
        in al, KBC_DATA
        ; INT 15h AH=4Fh: a chance for software to change or swallow the scan code
        mov ah, 0x4F
        stc
        int 0x15
        jnc .eoi                        ; swallowed
        ; replies to commands
        cmp al, 0xFA
        je .ack
        cmp al, 0xFE
        je .resend
        cmp al, 0x00                    ; buffer overrun
        je .eoi
        cmp al, 0xFF
        je .eoi
        cmp al, 0xE0
        je .prefix_e0
        cmp al, 0xE1
        je .prefix_e1
        ; a Pause sequence swallows its following bytes (E1 1D 45 E1 9D C5)
        test byte [BDA_KB_FLAG3], 0x01
        jz .key
        cmp al, 0x45
        je .pause_make
        cmp al, 0xC5
        jne .eoi_keep                   ; 1Dh/9Dh/E1h inside the sequence: keep swallowing
        and byte [BDA_KB_FLAG3], 0xFE
        jmp .eoi
.ack:   or byte [BDA_KB_FLAG2], 0x10
        jmp .eoi
.resend:
        or byte [BDA_KB_FLAG2], 0x20
        jmp .eoi
.prefix_e0:
        or byte [BDA_KB_FLAG3], 0x02
        jmp .eoi_keep
.prefix_e1:
        or byte [BDA_KB_FLAG3], 0x01
        jmp .eoi_keep
.pause_make:
        and byte [BDA_KB_FLAG3], 0xFE
        test byte [BDA_KB_FLAG0], 0x04  ; Ctrl+Pause is Break on the 101-key keyboard
        jz .pause
        call kbd_break
        jmp .eoi
.pause: ; Pause: spin (with interrupts working) until the next key press ends it
        or byte [BDA_KB_FLAG1], 0x08
        cli
        mov al, PIC_EOI
        out PIC1_CMD, al
        sti
.paused:
        hlt
        test byte [BDA_KB_FLAG1], 0x08
        jnz .paused
        jmp .out

.key:   call kbd_process                ; AL = scan code, E0 flag in 0040:0096 bit 1
.eoi:   and byte [BDA_KB_FLAG3], 0xFC   ; the prefix applied to this byte only
.eoi_keep:
        cli
        mov al, PIC_EOI
        out PIC1_CMD, al
        ; lock keys change the LEDs; done after the EOI because the keyboard's replies arrive
        ; as IRQ1s themselves
        call kbd_update_leds
.out:   pop es
        pop ds
        pop di
        pop si
        pop dx
        pop cx
        pop bx
        pop ax
        iret

; ---------------------------------------------------------------------------------------------
; kbd_process - one make or break code (AL), DS = 0040h.
; ---------------------------------------------------------------------------------------------
kbd_process:
        mov ah, al
        and ah, 0x80                    ; AH = 80h for a break code
        and al, 0x7F                    ; AL = the key
        ; a key press ends Pause, and is swallowed doing so
        test byte [BDA_KB_FLAG1], 0x08
        jz .not_paused
        test ah, ah
        jnz .not_paused
        and byte [BDA_KB_FLAG1], 0xF7
        ret
.not_paused:
        test byte [BDA_KB_FLAG3], 0x02
        jz .plain
        ; E0-prefixed: the extra Shift codes the keyboard wraps around grey keys mean nothing
        cmp al, 0x2A
        je .ret
        cmp al, 0x36
        je .ret
.plain: cmp al, 0x2A
        je .lshift
        cmp al, 0x36
        je .rshift
        cmp al, 0x1D
        je .ctrl
        cmp al, 0x38
        je .alt
        cmp al, 0x3A
        je .caps
        cmp al, 0x45
        je .num
        cmp al, 0x46
        je .scroll
        cmp al, 0x52
        je .insert
        cmp al, 0x54                    ; SysRq (Alt+Print Screen)
        je .sysrq
        test ah, ah
        jnz .ret                        ; other keys: releases do nothing
        jmp kbd_make
.ret:   ret

.lshift:
        mov bl, 0x02
        jmp .shift
.rshift:
        mov bl, 0x01
.shift: test ah, ah
        jnz .shift_up
        or [BDA_KB_FLAG0], bl
        ret
.shift_up:
        not bl
        and [BDA_KB_FLAG0], bl
        ret

.ctrl:  ; left Ctrl: 0040:0018 bit 0; right Ctrl (E0 1D): 0040:0096 bit 2; either: 0040:0017 bit 2
        test byte [BDA_KB_FLAG3], 0x02
        jnz .rctrl
        test ah, ah
        jnz .lctrl_up
        or byte [BDA_KB_FLAG1], 0x01
        jmp .ctrl_sum
.lctrl_up:
        and byte [BDA_KB_FLAG1], 0xFE
        jmp .ctrl_sum
.rctrl: test ah, ah
        jnz .rctrl_up
        or byte [BDA_KB_FLAG3], 0x04
        jmp .ctrl_sum
.rctrl_up:
        and byte [BDA_KB_FLAG3], 0xFB
.ctrl_sum:
        and byte [BDA_KB_FLAG0], 0xFB
        test byte [BDA_KB_FLAG1], 0x01
        jnz .ctrl_on
        test byte [BDA_KB_FLAG3], 0x04
        jz .ret
.ctrl_on:
        or byte [BDA_KB_FLAG0], 0x04
        ret

.alt:   ; the same for Alt: 0040:0018 bit 1, 0040:0096 bit 3, 0040:0017 bit 3
        test byte [BDA_KB_FLAG3], 0x02
        jnz .ralt
        test ah, ah
        jnz .lalt_up
        or byte [BDA_KB_FLAG1], 0x02
        jmp .alt_sum
.lalt_up:
        and byte [BDA_KB_FLAG1], 0xFD
        jmp .alt_sum
.ralt:  test ah, ah
        jnz .ralt_up
        or byte [BDA_KB_FLAG3], 0x08
        jmp .alt_sum
.ralt_up:
        and byte [BDA_KB_FLAG3], 0xF7
.alt_sum:
        and byte [BDA_KB_FLAG0], 0xF7
        test byte [BDA_KB_FLAG1], 0x02
        jnz .alt_on
        test byte [BDA_KB_FLAG3], 0x08
        jz .alt_off
.alt_on:
        or byte [BDA_KB_FLAG0], 0x08
        ret
.alt_off:
        ; Alt released: a number typed on the keypad meanwhile becomes that character
        mov al, [BDA_ALT_KEYPAD]
        mov byte [BDA_ALT_KEYPAD], 0
        test al, al
        jz .ret
        xor ah, ah
        jmp kbd_enqueue

.caps:  mov bl, 0x40
        jmp .toggle
.num:   test byte [BDA_KB_FLAG3], 0x02  ; E0 45 does not exist; Ctrl+NumLock was Pause on old keyboards
        jnz .ret
        mov bl, 0x20
        jmp .toggle
.scroll:
        test byte [BDA_KB_FLAG0], 0x04  ; Ctrl+Scroll Lock = Break
        jz .scroll_lock
        test ah, ah
        jnz .ret
        jmp kbd_break
.scroll_lock:
        mov bl, 0x10
        jmp .toggle
.insert:
        ; Ins is a lock key only when it acts as Insert: the grey one always, the keypad one
        ; unless NumLock xor Shift makes it the digit 0
        test byte [BDA_KB_FLAG3], 0x02
        jnz .ins_toggle
        test byte [BDA_KB_FLAG0], 0x08  ; Alt + keypad 0 is a digit of an Alt-number
        jnz .ins_make
        call kbd_numpad_digits
        jnz .ins_make
.ins_toggle:
        mov bl, 0x80
        jmp .toggle
.ins_make:
        test ah, ah
        jnz .ret
        jmp kbd_make

        ; a lock key: 0040:0018 holds "key down" (so typematic repeats do not toggle again),
        ; 0040:0017 the lock state
.toggle:
        test ah, ah
        jnz .toggle_up
        test [BDA_KB_FLAG1], bl
        jnz .toggle_repeat
        or [BDA_KB_FLAG1], bl
        xor [BDA_KB_FLAG0], bl
.toggle_repeat:
        cmp bl, 0x80                    ; Insert also produces a key code
        jne .ret
        jmp kbd_make
.toggle_up:
        not bl
        and [BDA_KB_FLAG1], bl
        ret

.sysrq: ; Alt+SysRq: INT 15h AH=85h, AL=0 pressed, 1 released
        test ah, ah
        jnz .sysrq_up
        test byte [BDA_KB_FLAG1], 0x04
        jnz .ret
        or byte [BDA_KB_FLAG1], 0x04
        mov ax, 0x8500
        int 0x15
        ret
.sysrq_up:
        and byte [BDA_KB_FLAG1], 0xFB
        mov ax, 0x8501
        int 0x15
        ret

; kbd_numpad_digits - ZF clear when the numeric keypad gives digits now (NumLock xor Shift)
kbd_numpad_digits:
        push ax
        mov al, [BDA_KB_FLAG0]
        mov ah, al
        and al, 0x20                    ; NumLock
        and ah, 0x03                    ; either Shift
        jz .noshift
        xor al, 0x20
.noshift:
        test al, al
        pop ax
        ret

; kbd_break - Ctrl+Break: empty the buffer, queue a zero word, set 0040:0071 bit 7, INT 1Bh
kbd_break:
        cli
        mov ax, [BDA_KB_START]
        mov [BDA_KB_HEAD], ax
        mov [BDA_KB_TAIL], ax
        mov byte [BDA_BREAK], 0x80
        sti
        int 0x1B
        xor ax, ax
        jmp kbd_enqueue

; ---------------------------------------------------------------------------------------------
; kbd_make - a key went down (AL = scan code 01h-7Fh). Chooses the column of the key table by
; the shift state, handles the special combinations, and queues the key code.
; ---------------------------------------------------------------------------------------------
kbd_make:
        mov bl, al                      ; BL = scan code
        test byte [BDA_KB_FLAG3], 0x02
        jz .not_grey
        jmp kbd_make_grey
.not_grey:
        ; Ctrl+Alt+Del: the three-finger salute restarts the machine without a memory test
        cmp bl, 0x53
        jne .not_cad
        mov al, [BDA_KB_FLAG0]
        and al, 0x0C
        cmp al, 0x0C
        jne .not_cad
        jmp kbd_reboot
.not_cad:
        ; Shift+Print Screen (the keypad * on the old 84-key layout) is done by the grey key
        cmp bl, 0x58
        ja .ret
        ; Alt + keypad digit: accumulate a decimal character code
        test byte [BDA_KB_FLAG0], 0x08
        jz .no_altnum
        call kbd_keypad_digit_value     ; AL = digit or FFh
        cmp al, 0xFF
        je .no_altnum
        mov ah, al
        mov al, [BDA_ALT_KEYPAD]
        mov cl, 10
        mul cl
        add al, ah
        mov [BDA_ALT_KEYPAD], al
.ret:   ret
.no_altnum:
        ; pick the table column: Alt (3), Ctrl (2), Shift (1), normal (0)
        xor bh, bh
        dec bx                          ; table index = scan code - 1
        mov si, bx
        shl si, 1
        shl si, 1
        shl si, 1                       ; 8 bytes per key: four key codes
        test byte [BDA_KB_FLAG0], 0x08
        jz .no_alt
        mov ax, [cs:key_table + si + 6]
        jmp .have
.no_alt:
        test byte [BDA_KB_FLAG0], 0x04
        jz .no_ctrl
        mov ax, [cs:key_table + si + 4]
        jmp .have
.no_ctrl:
        ; Shift, corrected by Caps Lock for letters and NumLock for the keypad
        mov cl, [BDA_KB_FLAG0]
        and cl, 0x03                    ; CL = 1: a Shift key is down
        jz .shift_known
        mov cl, 1
.shift_known:
        cmp bl, 0x46                    ; keypad keys: 47h-53h (index 46h-52h)
        jb .letters
        cmp bl, 0x52
        ja .column
        call kbd_numpad_digits
        mov cl, 0
        jz .column
        mov cl, 1
        jmp .column
.letters:
        test byte [BDA_KB_FLAG0], 0x40  ; Caps Lock
        jz .column
        mov al, [cs:key_table + si]     ; normal character
        cmp al, 'a'
        jb .column
        cmp al, 'z'
        ja .column
        xor cl, 1                       ; Caps Lock inverts Shift for letters
        and cl, 1
.column:
        test cl, cl
        jz .normal
        mov ax, [cs:key_table + si + 2]
        jmp .have
.normal:
        mov ax, [cs:key_table + si]
.have:  cmp ax, 0xFFFF                  ; no code for this combination
        je .ret
        jmp kbd_enqueue

; kbd_keypad_digit_value - AL = the digit of keypad key BL (47h-53h), or FFh
kbd_keypad_digit_value:
        mov al, 0xFF
        cmp bl, 0x47
        jb .done
        cmp bl, 0x52
        ja .done
        push bx
        sub bl, 0x47
        xor bh, bh
        mov al, [cs:keypad_digits + bx]
        pop bx
.done:  ret
keypad_digits:  db 7, 8, 9, 0xFF, 4, 5, 6, 0xFF, 1, 2, 3, 0

; kbd_make_grey - an E0-prefixed key: the cursor block, keypad Enter and /, Print Screen.
kbd_make_grey:
        cmp bl, 0x37                    ; Print Screen
        jne .not_prtsc
        test byte [BDA_KB_FLAG0], 0x04  ; Ctrl+PrtSc is a key code, not a print
        jnz .ret
        int 0x05
.ret:   ret
.not_prtsc:
        cmp bl, 0x53
        jne .not_del
        mov al, [BDA_KB_FLAG0]
        and al, 0x0C
        cmp al, 0x0C
        jne .not_del
        jmp kbd_reboot
.not_del:
        mov si, grey_keys
.find:  mov al, [cs:si]
        test al, al
        jz .ret
        cmp al, bl
        je .found
        add si, 9
        jmp .find
.found: test byte [BDA_KB_FLAG0], 0x08
        jz .g_noalt
        mov ax, [cs:si + 7]
        jmp .g_have
.g_noalt:
        test byte [BDA_KB_FLAG0], 0x04
        jz .g_noctrl
        mov ax, [cs:si + 5]
        jmp .g_have
.g_noctrl:
        test byte [BDA_KB_FLAG0], 0x03
        jz .g_normal
        mov ax, [cs:si + 3]
        jmp .g_have
.g_normal:
        mov ax, [cs:si + 1]
.g_have:
        cmp ax, 0xFFFF
        je .ret
        jmp kbd_enqueue

; kbd_reboot - Ctrl+Alt+Del: warm boot flag, then the POST entry
kbd_reboot:
        mov word [BDA_RESET_FLAG], 0x1234
        cli
        mov al, PIC_EOI
        out PIC1_CMD, al
        jmp BIOS_SEG:post_entry

; ---------------------------------------------------------------------------------------------
; kbd_enqueue - put key code AX in the ring buffer (DS = 0040h). A full buffer beeps and drops
; the key, as the IBM BIOS does. After queueing, INT 15h AX=9102h tells a multitasker that the
; keyboard has something (the "interrupt complete" call).
; ---------------------------------------------------------------------------------------------
kbd_enqueue:
        push bx
        push si
        cli
        mov bx, [BDA_KB_TAIL]
        mov si, bx
        add si, 2
        cmp si, [BDA_KB_END]
        jb .nowrap
        mov si, [BDA_KB_START]
.nowrap:
        cmp si, [BDA_KB_HEAD]
        je .full
        mov [bx], ax
        mov [BDA_KB_TAIL], si
        sti
        mov ax, 0x9102
        int 0x15
        jmp .done
.full:  sti
        call beep
.done:  pop si
        pop bx
        ret

; ---------------------------------------------------------------------------------------------
; The key table: for scan codes 01h-58h, the key code with no shift, with Shift, with Ctrl and
; with Alt (IBM PC/AT Technical Reference, "Keyboard Encoding and Usage"; Ralf Brown's Interrupt
; List, INT 16h key code tables). FFFFh: the combination produces nothing.
; ---------------------------------------------------------------------------------------------
%define NO 0xFFFF
key_table:
        dw 0x011B, 0x011B, 0x011B, 0x0100       ; 01 Esc
        dw 0x0231, 0x0221, NO,     0x7800       ; 02 1 !
        dw 0x0332, 0x0340, 0x0300, 0x7900       ; 03 2 @
        dw 0x0433, 0x0423, NO,     0x7A00       ; 04 3 #
        dw 0x0534, 0x0524, NO,     0x7B00       ; 05 4 $
        dw 0x0635, 0x0625, NO,     0x7C00       ; 06 5 %
        dw 0x0736, 0x075E, 0x071E, 0x7D00       ; 07 6 ^
        dw 0x0837, 0x0826, NO,     0x7E00       ; 08 7 &
        dw 0x0938, 0x092A, NO,     0x7F00       ; 09 8 *
        dw 0x0A39, 0x0A28, NO,     0x8000       ; 0A 9 (
        dw 0x0B30, 0x0B29, NO,     0x8100       ; 0B 0 )
        dw 0x0C2D, 0x0C5F, 0x0C1F, 0x8200       ; 0C - _
        dw 0x0D3D, 0x0D2B, NO,     0x8300       ; 0D = +
        dw 0x0E08, 0x0E08, 0x0E7F, 0x0E00       ; 0E Backspace
        dw 0x0F09, 0x0F00, 0x9400, 0xA500       ; 0F Tab
        dw 0x1071, 0x1051, 0x1011, 0x1000       ; 10 q
        dw 0x1177, 0x1157, 0x1117, 0x1100       ; 11 w
        dw 0x1265, 0x1245, 0x1205, 0x1200       ; 12 e
        dw 0x1372, 0x1352, 0x1312, 0x1300       ; 13 r
        dw 0x1474, 0x1454, 0x1414, 0x1400       ; 14 t
        dw 0x1579, 0x1559, 0x1519, 0x1500       ; 15 y
        dw 0x1675, 0x1655, 0x1615, 0x1600       ; 16 u
        dw 0x1769, 0x1749, 0x1709, 0x1700       ; 17 i
        dw 0x186F, 0x184F, 0x180F, 0x1800       ; 18 o
        dw 0x1970, 0x1950, 0x1910, 0x1900       ; 19 p
        dw 0x1A5B, 0x1A7B, 0x1A1B, 0x1A00       ; 1A [ {
        dw 0x1B5D, 0x1B7D, 0x1B1D, 0x1B00       ; 1B ] }
        dw 0x1C0D, 0x1C0D, 0x1C0A, 0x1C00       ; 1C Enter
        dw NO,     NO,     NO,     NO           ; 1D Ctrl
        dw 0x1E61, 0x1E41, 0x1E01, 0x1E00       ; 1E a
        dw 0x1F73, 0x1F53, 0x1F13, 0x1F00       ; 1F s
        dw 0x2064, 0x2044, 0x2004, 0x2000       ; 20 d
        dw 0x2166, 0x2146, 0x2106, 0x2100       ; 21 f
        dw 0x2267, 0x2247, 0x2207, 0x2200       ; 22 g
        dw 0x2368, 0x2348, 0x2308, 0x2300       ; 23 h
        dw 0x246A, 0x244A, 0x240A, 0x2400       ; 24 j
        dw 0x256B, 0x254B, 0x250B, 0x2500       ; 25 k
        dw 0x266C, 0x264C, 0x260C, 0x2600       ; 26 l
        dw 0x273B, 0x273A, NO,     0x2700       ; 27 ; :
        dw 0x2827, 0x2822, NO,     0x2800       ; 28 ' "
        dw 0x2960, 0x297E, NO,     0x2900       ; 29 ` ~
        dw NO,     NO,     NO,     NO           ; 2A left Shift
        dw 0x2B5C, 0x2B7C, 0x2B1C, 0x2B00       ; 2B \ |
        dw 0x2C7A, 0x2C5A, 0x2C1A, 0x2C00       ; 2C z
        dw 0x2D78, 0x2D58, 0x2D18, 0x2D00       ; 2D x
        dw 0x2E63, 0x2E43, 0x2E03, 0x2E00       ; 2E c
        dw 0x2F76, 0x2F56, 0x2F16, 0x2F00       ; 2F v
        dw 0x3062, 0x3042, 0x3002, 0x3000       ; 30 b
        dw 0x316E, 0x314E, 0x310E, 0x3100       ; 31 n
        dw 0x326D, 0x324D, 0x320D, 0x3200       ; 32 m
        dw 0x332C, 0x333C, NO,     0x3300       ; 33 , <
        dw 0x342E, 0x343E, NO,     0x3400       ; 34 . >
        dw 0x352F, 0x353F, NO,     0x3500       ; 35 / ?
        dw NO,     NO,     NO,     NO           ; 36 right Shift
        dw 0x372A, 0x372A, 0x9600, 0x3700       ; 37 keypad *
        dw NO,     NO,     NO,     NO           ; 38 Alt
        dw 0x3920, 0x3920, 0x3920, 0x3920       ; 39 Space
        dw NO,     NO,     NO,     NO           ; 3A Caps Lock
        dw 0x3B00, 0x5400, 0x5E00, 0x6800       ; 3B F1
        dw 0x3C00, 0x5500, 0x5F00, 0x6900       ; 3C F2
        dw 0x3D00, 0x5600, 0x6000, 0x6A00       ; 3D F3
        dw 0x3E00, 0x5700, 0x6100, 0x6B00       ; 3E F4
        dw 0x3F00, 0x5800, 0x6200, 0x6C00       ; 3F F5
        dw 0x4000, 0x5900, 0x6300, 0x6D00       ; 40 F6
        dw 0x4100, 0x5A00, 0x6400, 0x6E00       ; 41 F7
        dw 0x4200, 0x5B00, 0x6500, 0x6F00       ; 42 F8
        dw 0x4300, 0x5C00, 0x6600, 0x7000       ; 43 F9
        dw 0x4400, 0x5D00, 0x6700, 0x7100       ; 44 F10
        dw NO,     NO,     NO,     NO           ; 45 Num Lock
        dw NO,     NO,     NO,     NO           ; 46 Scroll Lock
        dw 0x4700, 0x4737, 0x7700, NO           ; 47 keypad 7 Home
        dw 0x4800, 0x4838, 0x8D00, NO           ; 48 keypad 8 Up
        dw 0x4900, 0x4939, 0x8400, NO           ; 49 keypad 9 PgUp
        dw 0x4A2D, 0x4A2D, 0x8E00, 0x4A00       ; 4A keypad -
        dw 0x4B00, 0x4B34, 0x7300, NO           ; 4B keypad 4 Left
        dw 0x4C00, 0x4C35, 0x8F00, NO           ; 4C keypad 5
        dw 0x4D00, 0x4D36, 0x7400, NO           ; 4D keypad 6 Right
        dw 0x4E2B, 0x4E2B, 0x9000, 0x4E00       ; 4E keypad +
        dw 0x4F00, 0x4F31, 0x7500, NO           ; 4F keypad 1 End
        dw 0x5000, 0x5032, 0x9100, NO           ; 50 keypad 2 Down
        dw 0x5100, 0x5133, 0x7600, NO           ; 51 keypad 3 PgDn
        dw 0x5200, 0x5230, 0x9200, NO           ; 52 keypad 0 Ins
        dw 0x5300, 0x532E, 0x9300, NO           ; 53 keypad . Del
        dw NO,     NO,     NO,     NO           ; 54 SysRq
        dw NO,     NO,     NO,     NO           ; 55 (none)
        dw 0x565C, 0x567C, NO,     NO           ; 56 the 102nd key \ |
        dw 0x8500, 0x8700, 0x8900, 0x8B00       ; 57 F11
        dw 0x8600, 0x8800, 0x8A00, 0x8C00       ; 58 F12

; The grey keys (E0 prefix): scan code, then normal, Shift, Ctrl, Alt. Their character byte is
; E0h, which is how INT 16h AH=10h callers tell the grey arrows from the keypad ones.
grey_keys:
        db 0x1C
        dw 0xE00D, 0xE00D, 0xE00A, 0xA600       ; keypad Enter
        db 0x35
        dw 0xE02F, 0xE02F, 0x9500, 0xA400       ; keypad /
        db 0x47
        dw 0x47E0, 0x47E0, 0x77E0, 0x9700       ; Home
        db 0x48
        dw 0x48E0, 0x48E0, 0x8DE0, 0x9800       ; Up
        db 0x49
        dw 0x49E0, 0x49E0, 0x84E0, 0x9900       ; Page Up
        db 0x4B
        dw 0x4BE0, 0x4BE0, 0x73E0, 0x9B00       ; Left
        db 0x4D
        dw 0x4DE0, 0x4DE0, 0x74E0, 0x9D00       ; Right
        db 0x4F
        dw 0x4FE0, 0x4FE0, 0x75E0, 0x9F00       ; End
        db 0x50
        dw 0x50E0, 0x50E0, 0x91E0, 0xA000       ; Down
        db 0x51
        dw 0x51E0, 0x51E0, 0x76E0, 0xA100       ; Page Down
        db 0x52
        dw 0x52E0, 0x52E0, 0x92E0, 0xA200       ; Insert
        db 0x53
        dw 0x53E0, 0x53E0, 0x93E0, 0xA300       ; Delete
        db 0

; ---------------------------------------------------------------------------------------------
; INT 16h - keyboard services (IBM PC/AT Technical Reference; Ralf Brown's Interrupt List, INT 16):
;   AH=00h/10h  wait for a key, return it in AX (00h: in the 83-key form, see below)
;   AH=01h/11h  is a key waiting? ZF set if not; otherwise AX = the key, left in the buffer
;   AH=02h/12h  shift flags in AL (12h: also AH = left/right Ctrl/Alt and SysRq/lock keys down)
;   AH=03h      AL=05h: set typematic rate BL and delay BH
;   AH=05h      store key code CX in the buffer: AL = 0, or 1 when it is full
;   AH=09h      capabilities, AH=0Ah keyboard ID
; The "standard" functions 00h/01h predate the 101-key keyboard: they translate the grey keys to
; their keypad twins (E0h -> 00h) and drop the combinations the old keyboard could not make.
; ---------------------------------------------------------------------------------------------
int16_keyboard:
        sti
        SAVE_FRAME
        cld
        mov bx, BDA_SEG
        mov ds, bx
        cmp ah, 0x00
        je .read_std
        cmp ah, 0x10
        je .read_ext
        cmp ah, 0x01
        je .peek_std
        cmp ah, 0x11
        je .peek_ext
        cmp ah, 0x02
        je .flags
        cmp ah, 0x12
        je .flags_ext
        cmp ah, 0x03
        je .typematic
        cmp ah, 0x05
        je .store
        cmp ah, 0x09
        je .caps
        cmp ah, 0x0A
        je .id
        jmp .out

.read_std:
        call kbd_wait_key
        call kbd_take_key
        call kbd_std_key
        jc .read_std                    ; not representable: drop it and wait for another
        mov [bp + F_AX], ax
        jmp .out
.read_ext:
        call kbd_wait_key
        call kbd_take_key
        mov [bp + F_AX], ax
        jmp .out

.peek_std:
        cli
        mov bx, [BDA_KB_HEAD]
        cmp bx, [BDA_KB_TAIL]
        je .empty
        mov ax, [bx]
        call kbd_std_key
        jnc .full
        call kbd_take_key               ; drop it, look at the next
        jmp .peek_std
.peek_ext:
        cli
        mov bx, [BDA_KB_HEAD]
        cmp bx, [BDA_KB_TAIL]
        je .empty
        mov ax, [bx]
.full:  sti
        mov [bp + F_AX], ax
        and byte [bp + F_FLAGS], 0xBF   ; ZF = 0: a key is there
        jmp .out
.empty: sti
        or byte [bp + F_FLAGS], 0x40    ; ZF = 1
        jmp .out

.flags: mov al, [BDA_KB_FLAG0]
        mov [bp + F_AL], al
        jmp .out
.flags_ext:
        mov al, [BDA_KB_FLAG0]
        mov [bp + F_AL], al
        mov al, [BDA_KB_FLAG1]          ; bits 7-4 lock keys down, bit 2 SysRq, 1-0 left Alt/Ctrl
        and al, 0x73                    ; (bit 7 of 0040:0018 is Insert down: not reported here)
        mov ah, [BDA_KB_FLAG1]
        and ah, 0x04
        shl ah, 1
        shl ah, 1
        shl ah, 1
        shl ah, 1
        shl ah, 1                       ; SysRq down -> bit 7
        or al, ah
        mov ah, [BDA_KB_FLAG3]
        and ah, 0x0C                    ; right Ctrl, right Alt -> bits 2, 3
        or al, ah
        mov [bp + F_AH], al
        jmp .out

.typematic:
        cmp al, 0x05
        jne .out
        mov al, 0xF3                    ; Set Typematic Rate/Delay
        call kbd_send
        jc .out
        mov al, bh
        and al, 0x03
        mov cl, 5
        shl al, cl
        mov ah, bl
        and ah, 0x1F
        or al, ah
        call kbd_send
        jmp .out

.store: mov ax, cx
        cli
        mov bx, [BDA_KB_TAIL]
        mov si, bx
        add si, 2
        cmp si, [BDA_KB_END]
        jb .st_nowrap
        mov si, [BDA_KB_START]
.st_nowrap:
        cmp si, [BDA_KB_HEAD]
        je .st_full
        mov [bx], ax
        mov [BDA_KB_TAIL], si
        sti
        mov byte [bp + F_AL], 0
        jmp .out
.st_full:
        sti
        mov byte [bp + F_AL], 1
        jmp .out

.caps:  ; 0305h (typematic), 0Ah (ID) and 10h-12h are supported
        mov byte [bp + F_AL], 0x34
        jmp .out
.id:    mov word [bp + F_BX], 0xAB41    ; MF2 keyboard, translated by the controller
.out:   RESTORE_FRAME
        iret

; kbd_wait_key - wait (HLT between interrupts) until the buffer holds a key. While waiting,
; INT 15h AX=9002h tells a multitasker the keyboard is idle ("device busy").
kbd_wait_key:
        cli
        mov bx, [BDA_KB_HEAD]
        cmp bx, [BDA_KB_TAIL]
        jne .ready
        sti
        mov ax, 0x9002
        int 0x15
        cli
        mov bx, [BDA_KB_HEAD]
        cmp bx, [BDA_KB_TAIL]
        jne .ready
        sti                             ; STI takes effect after HLT starts: no lost wake-up
        hlt
        jmp kbd_wait_key
.ready: sti
        ret

; kbd_take_key - AX = the key at the head of the buffer, which is removed (buffer not empty)
kbd_take_key:
        cli
        mov bx, [BDA_KB_HEAD]
        mov ax, [bx]
        add bx, 2
        cmp bx, [BDA_KB_END]
        jb .nowrap
        mov bx, [BDA_KB_START]
.nowrap:
        mov [BDA_KB_HEAD], bx
        sti
        ret

; kbd_std_key - convert key code AX to its 83-key form for AH=00h/01h; CF set if it has none
kbd_std_key:
        cmp ah, 0xE0                    ; keypad Enter and / from the grey keypad
        jne .not_e0
        cmp al, 0x2F
        mov ah, 0x35
        je .ok
        mov ah, 0x1C
        jmp .ok
.not_e0:
        cmp ah, 0x84                    ; F11/F12 and the new Ctrl/Alt combinations
        ja .none
        cmp al, 0xE0                    ; grey cursor keys: character byte E0h -> 00h
        jne .ok
        test ah, ah
        jz .ok
        xor al, al
.ok:    clc
        ret
.none:  stc
        ret
