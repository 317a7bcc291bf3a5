; menu.asm - the menu the boot sector jumps to (0000:8000), and the table of programs.
;
; Keys come from the BIOS keyboard service INT 16h AH=00h, which waits for a key and returns its
; scan code in AH and its ASCII code in AL (AL = 00h or E0h for keys without one, such as the
; arrows: Up is scan code 48h, Down 50h). Number keys 1-6 run a program at once; the arrows move
; the highlight and Enter runs the highlighted one. Each program returns here with RET.

MENU_ITEMS      equ     6
MENU_TOP        equ     9               ; screen row of the first item
MENU_LEFT       equ     20

menu_entry:
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        cli
        mov     ss, ax
        mov     sp, 0x7C00              ; the same stack the boot sector used
        sti
        cld
        mov     [menu_boot_drive], dl
        call    detect_cpu

menu_show:
        ; AH=00h AL=03h: 80x25 colour text. Setting a mode also clears the screen, resets the
        ; palette and puts the cursor home, so every program comes back to a clean screen.
        mov     ax, 0x0003
        int     0x10
        mov     ah, 0x01                ; AH=01h: cursor shape; CH bit 5 set hides the cursor
        mov     cx, 0x2000
        int     0x10
        mov     bl, ATTR_BOX
        mov     dx, 0x0112              ; row 1, column 18
        mov     cx, 0x032A              ; 3 rows, 42 columns inside
        call    draw_box
        mov     dx, 0x021F
        mov     bl, ATTR_TITLE
        mov     si, menu_msg_title
        call    print_at
        mov     dx, 0x0316
        mov     si, menu_msg_subtitle
        call    print_at
        mov     dx, 0x0614
        mov     bl, ATTR_NORMAL
        mov     si, menu_msg_cpu
        call    print_at
        call    print_cpu
        mov     dx, 0x1014
        mov     bl, ATTR_HINT
        mov     si, menu_msg_keys
        call    print_at
        mov     dx, 0x1114
        mov     si, menu_msg_keys2
        call    print_at

menu_redraw:
        call    menu_draw_items
menu_key:
        xor     ah, ah
        int     0x16
        cmp     al, '1'
        jb      .not_digit
        cmp     al, '0' + MENU_ITEMS
        ja      .not_digit
        sub     al, '1'
        mov     [menu_selected], al
        jmp     menu_run
.not_digit:
        cmp     al, 13                  ; Enter
        je      menu_run
        cmp     ah, SCAN_UP
        je      .up
        cmp     ah, SCAN_DOWN
        je      .down
        jmp     menu_key
.up:    dec     byte [menu_selected]
        jns     menu_redraw
        mov     byte [menu_selected], MENU_ITEMS - 1
        jmp     menu_redraw
.down:  inc     byte [menu_selected]
        cmp     byte [menu_selected], MENU_ITEMS
        jb      menu_redraw
        mov     byte [menu_selected], 0
        jmp     menu_redraw

menu_run:
        call    menu_draw_items         ; show which one was chosen before it starts
        mov     ah, 0x01                ; a normal underline cursor for the programs
        mov     cx, 0x0607
        int     0x10
        mov     bl, [menu_selected]
        xor     bh, bh
        shl     bx, 1
        call    [menu_programs + bx]
        jmp     menu_show

; menu_draw_items - the list, the selected item in reverse video
menu_draw_items:
        push    ax
        push    bx
        push    cx
        push    dx
        push    si
        xor     cx, cx                  ; CL = item number
        mov     dx, (MENU_TOP << 8) | MENU_LEFT
.item:  mov     bl, ATTR_NORMAL
        cmp     cl, [menu_selected]
        jne     .attr_ok
        mov     bl, ATTR_SELECTED
.attr_ok:
        ; a 40-column bar in the item's attribute, then its text on top
        push    cx
        mov     al, ' '
        mov     cx, 40
        call    fill_at
        pop     cx
        mov     bh, cl
        shl     bh, 1
        mov     al, bh
        xor     ah, ah
        mov     si, ax
        mov     si, [menu_names + si]
        inc     dl
        call    print_at
        dec     dl
        inc     dh
        inc     cl
        cmp     cl, MENU_ITEMS
        jb      .item
        pop     si
        pop     dx
        pop     cx
        pop     bx
        pop     ax
        ret

menu_programs:  dw prog_text, prog_protected, prog_timer, prog_graphics, prog_keyboard, prog_power_off
menu_names:     dw menu_name_1, menu_name_2, menu_name_3, menu_name_4, menu_name_5, menu_name_6
menu_name_1:    db "1  Text through the BIOS", 0
menu_name_2:    db "2  Protected mode and back", 0
menu_name_3:    db "3  Timer interrupt at 100 Hz", 0
menu_name_4:    db "4  Mode 13h graphics", 0
menu_name_5:    db "5  Keyboard echo", 0
menu_name_6:    db "6  Power off", 0
menu_msg_title: db "Lantern demo disk", 0
menu_msg_subtitle: db "Programs that show what a PC does", 0
menu_msg_cpu:   db "CPU: ", 0
menu_msg_keys:  db "Press 1-6, or choose with the arrows and Enter.", 0
menu_msg_keys2: db "Esc in a program comes back to this menu.", 0
menu_selected:  db 0
menu_boot_drive: db 0
