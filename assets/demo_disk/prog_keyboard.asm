; prog_keyboard.asm - program 5: what the keyboard sends, as INT 16h reports it.
;
; Each key press makes the keyboard send a *scan code* - a number for the key's position, not for
; its letter - to the 8042 controller, which raises IRQ1. The BIOS's INT 09h handler reads it from
; port 60h, works out the character from the shift state (Shift, Ctrl, Alt, Caps Lock) and puts
; the pair (scan code, ASCII code) into a 16-entry buffer in the BIOS data area. A program takes
; pairs out with INT 16h (IBM PC/AT Technical Reference, "Keyboard BIOS"):
;     AH=10h  wait for a key: AH = scan code, AL = ASCII code (00h for keys without one, E0h
;             for the grey keys of the 101-key keyboard, so a program can tell them apart)
;     AH=12h  the shift flags: AL = the byte at 0040:0017 (bit 0 right Shift, 1 left Shift,
;             2 Ctrl, 3 Alt, 4 Scroll Lock, 5 Num Lock, 6 Caps Lock, 7 Insert)
; The letter 'a' and 'A' share scan code 1Eh; only the ASCII code differs.

KBD_FIRST_ROW   equ     6
KBD_LAST_ROW    equ     22

prog_keyboard:
        mov     bl, ATTR_NORMAL
        call    clear_screen
        mov     dx, 0x0000
        mov     cx, 0x014E
        mov     bl, ATTR_BOX
        call    draw_box
        mov     dx, 0x0119
        mov     bl, ATTR_TITLE
        mov     si, kbd_msg_title
        call    print_at
        mov     dx, 0x0300
        call    set_cursor
        mov     si, kbd_msg_explain
        call    print
        mov     dx, (KBD_FIRST_ROW - 1) << 8 | 2
        mov     bl, ATTR_HINT
        mov     si, kbd_msg_header
        call    print_at
        call    show_esc_hint

.key:   mov     ah, 0x10                ; wait for a key
        int     0x16
        cmp     ah, SCAN_ESC
        je      .done
        mov     [kbd_last], ax
        ; Make room: scroll rows KBD_FIRST_ROW..KBD_LAST_ROW up one line (INT 10h AH=06h, AL=1)
        ; and write the new key on the freed bottom row.
        mov     ax, 0x0601
        mov     bh, ATTR_NORMAL
        mov     cx, KBD_FIRST_ROW << 8
        mov     dx, KBD_LAST_ROW << 8 | 79
        int     0x10
        mov     dx, KBD_LAST_ROW << 8 | 2
        call    set_cursor
        mov     si, kbd_msg_scan
        call    print
        mov     ax, [kbd_last]
        mov     al, ah
        call    print_hex8
        mov     si, kbd_msg_ascii
        call    print
        mov     ax, [kbd_last]
        call    print_hex8
        mov     si, kbd_msg_char
        call    print
        ; the character itself, unless it is a control code or a grey-key marker
        cmp     al, ' '
        jb      .no_char
        cmp     al, 0x7F
        jae     .no_char
        mov     ah, al
        mov     al, 0x27                ; '
        call    put_char
        mov     al, ah
        call    put_char
        mov     al, 0x27
        call    put_char
        jmp     .flags
.no_char:
        mov     si, kbd_msg_none
        call    print
.flags: mov     si, kbd_msg_flags
        call    print
        mov     ah, 0x12
        int     0x16
        call    print_hex8
        mov     al, 'h'
        call    put_char
        jmp     .key
.done:  ret

kbd_last:        dw 0
kbd_msg_title:   db "Keyboard echo: INT 16h scan codes", 0
kbd_msg_explain:
        db "Press keys. INT 16h AH=10h returns the scan code (which key) in AH and the", 13, 10
        db "ASCII code (which character) in AL. Try a, Shift+A, the arrows, F1, Ctrl+C.", 0
kbd_msg_header:  db "scan code  ASCII code   char   shift flags (INT 16h AH=12h)", 0
kbd_msg_scan:    db "Scan ", 0
kbd_msg_ascii:   db "h      ASCII ", 0
kbd_msg_char:    db "h     ", 0
kbd_msg_none:    db "   ", 0
kbd_msg_flags:   db "    flags ", 0
