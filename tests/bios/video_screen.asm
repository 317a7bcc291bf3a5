; video_screen.asm - a 128 KiB test BIOS image: the video module at E0000h (vgabios.bin, found
; through -I) and, at F0000h, a stand-in for the system BIOS that does the part of POST the
; module relies on (bios/README.md: IVT, BIOS data area, EBDA, stack), far-calls the module's
; init entry and then draws one scene through INT 10h, chosen with -DSCENE=n:
;   1  text: teletype output that scrolls, a coloured AH=13h string, box drawing with AH=09h
;   2  mode 13h: colour bars with AH=0Ch, a gray ramp, text in graphics mode
;   3  VBE 640x480x8 through the banked window (AX=4F02h, 4F05h)
; and exits through port F4h (status 1), leaving the picture for --text-dump / --screenshot
; (or, in video_bios_vbe_test.cpp, for text_dump() and render() on VideoRig).

        bits    16

section video start=0
        incbin  "vgabios.bin"

section system start=0x10000 vstart=0
        cpu     8086
reset:
        cli
        xor     ax, ax
        mov     ss, ax
        mov     sp, 0x7C00
        mov     ds, ax
        mov     es, ax
        cld
        xor     di, di                          ; IVT: every vector at an IRET ...
        mov     cx, 256
.vector:
        mov     ax, ignore_interrupt
        stosw
        mov     ax, cs
        stosw
        loop    .vector
        mov     word [0x10 * 4], 0x0006         ; ... INT 10h at the module (E000:0006)
        mov     word [0x10 * 4 + 2], 0xE000
        mov     di, 0x400                       ; the BIOS data area
        xor     ax, ax
        mov     cx, 128
        rep     stosw
        mov     word [0x410], 0x0020            ; equipment: 80x25 colour
        mov     word [0x413], 639
        mov     word [0x40E], 0x9FC0            ; EBDA
        sti
        call    0xE000:0x0003                   ; the video module's init
        call    scene
        mov     al, 0
        out     0xF4, al                        ; exit: status 1
.halt:
        hlt
        jmp     .halt

ignore_interrupt:
        iret

; print: CS:SI = NUL-terminated string, teletype output in colour BL.
print:
        mov     al, [cs:si]
        inc     si
        test    al, al
        jz      .done
        mov     ah, 0x0E
        int     0x10
        jmp     print
.done:
        ret

%if SCENE == 1
scene:
        mov     bx, 0x0007
        mov     si, title
        call    print
        mov     cx, 1                           ; 30 numbered lines: the screen scrolls
.line:
        mov     si, line_text
        call    print
        mov     ax, cx
        call    print_number
        mov     si, crlf
        call    print
        inc     cx
        cmp     cx, 30
        jbe     .line
        ; a string in yellow on blue at row 3, column 10, with AH=13h
        push    cs
        pop     es
        mov     ax, 0x1301
        mov     bx, 0x001E
        mov     cx, attr_text_end - attr_text
        mov     dx, 0x030A
        mov     bp, attr_text
        int     0x10
        ; a box with AH=09h at row 6: corners and a line of double horizontals
        mov     ah, 0x02
        xor     bh, bh
        mov     dx, 0x0600
        int     0x10
        mov     ax, 0x09C9                      ; top left corner
        mov     bx, 0x000F
        mov     cx, 1
        int     0x10
        mov     ah, 0x02
        mov     dx, 0x0601
        int     0x10
        mov     ax, 0x09CD                      ; 10 horizontals
        mov     cx, 10
        int     0x10
        mov     ah, 0x02
        mov     dx, 0x060B
        int     0x10
        mov     ax, 0x09BB                      ; top right corner
        mov     cx, 1
        int     0x10
        ret

; print_number: AX = 1..99 in decimal.
print_number:
        push    cx
        mov     cl, 10
        div     cl                              ; AL = tens, AH = ones
        mov     ch, ah
        test    al, al
        jz      .ones
        add     al, '0'
        mov     ah, 0x0E
        int     0x10
.ones:
        mov     al, ch
        add     al, '0'
        mov     ah, 0x0E
        int     0x10
        pop     cx
        ret

title:          db      "Lantern video BIOS", 13, 10, 0
line_text:      db      "line ", 0
crlf:           db      13, 10, 0
attr_text:      db      "colour"
attr_text_end:
%endif

%if SCENE == 2
scene:
        mov     ax, 0x0013
        int     0x10
        ; 16 bars, colours 20h-2Fh, 20 pixels wide, lines 50-99
        mov     dx, 50
.row:
        xor     cx, cx
.pixel:
        mov     ax, cx
        mov     bl, 20
        div     bl
        add     al, 0x20
        mov     ah, 0x0C
        xor     bh, bh
        int     0x10
        inc     cx
        cmp     cx, 320
        jb      .pixel
        inc     dx
        cmp     dx, 100
        jb      .row
        ; the gray ramp, colours 10h-1Fh, one pixel each at line 150, x = 0..15
        xor     cx, cx
        mov     dx, 150
.gray:
        mov     al, cl
        add     al, 0x10
        mov     ah, 0x0C
        int     0x10
        inc     cx
        cmp     cx, 16
        jb      .gray
        ; "13h" in white at the top left
        mov     bl, 0x0F
        mov     si, text13
        call    print
        ret
text13:         db      "13h", 0
%endif

%if SCENE == 3
scene:
        mov     ax, 0x4F02
        mov     bx, 0x0101                      ; 640x480, 256 colours, windowed
        int     0x10
        ; line 200 starts at byte 128000: window position 1 (64 KiB units), offset 62464
        mov     ax, 0x4F05
        xor     bx, bx
        mov     dx, 1
        int     0x10
        mov     ax, 0xA000
        mov     es, ax
        mov     di, 128000 - 65536
        mov     al, 0x28                        ; red in the default palette
        mov     cx, 640
        rep     stosb
        ret
%endif

        times 0xFFF0 - ($ - $$) db 0xFF
        jmp     0xF000:reset                    ; the reset vector, F000:FFF0
        times 0x10000 - ($ - $$) db 0xFF
