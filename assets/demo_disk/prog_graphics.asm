; prog_graphics.asm - program 4: mode 13h, 320x200 pixels in 256 colours, and the Mandelbrot set.
;
; Mode 13h is the simplest VGA graphics mode: one byte per pixel, row after row, 320 bytes a row,
; in the 64 KiB window at A000:0000 (pixel x, y is byte y * 320 + x). Each byte is an index into
; the DAC's table of 256 colours, 6 bits each of red, green and blue. A program changes a colour
; by writing its index to port 3C8h and then red, green, blue to port 3C9h; the DAC steps to the
; next index by itself after each blue (IBM VGA Technical Reference, "Video DAC").
;
; The picture is the Mandelbrot set: for each pixel's point c, iterate z = z * z + c from z = 0
; and colour the pixel by how many steps it takes |z| to pass 2 (black if it never does within
; MANDEL_ITER steps). The arithmetic is 16-bit fixed point with 12 fraction bits ("4.12": 4096
; means 1.0), so it runs on any x86 - no 386 registers and no x87 needed. IMUL multiplies two
; 16-bit numbers into DX:AX (24 fraction bits); shifting that right by 12 gives 4.12 again.

MANDEL_ITER     equ     32
MANDEL_ROWS     equ     176             ; rows 176-191: a bar of all 256 colours; 192-199: text
FIX_ONE         equ     4096
MANDEL_X0       equ     -10240          ; -2.5: the left edge
MANDEL_DX       equ     45              ; 3.5 / 320 per pixel, in 4.12
MANDEL_Y0       equ     -4928           ; -1.2: the top edge
MANDEL_DY       equ     56              ; 2.4 / 176 per row (VGA pixels are 1.2 times as tall as wide)
DAC_WRITE_INDEX equ     0x3C8
DAC_DATA        equ     0x3C9

prog_graphics:
        mov     ax, 0x0013              ; INT 10h AH=00h: set mode 13h
        int     0x10
        call    gfx_palette
        mov     ax, 0xA000
        mov     es, ax                  ; ES:DI walks the pixels
        call    gfx_mandelbrot
        call    gfx_colour_bar
        xor     ax, ax
        mov     es, ax
        ; In graphics modes the BIOS draws characters as pixels (colour in BL) at the cursor.
        ; 39 characters from column 0: writing the 40th column would wrap the cursor to a 26th
        ; row, and the BIOS would scroll the whole picture up to make room.
        mov     dx, 0x1800              ; text row 24 (pixel rows 192-199)
        call    set_cursor
        mov     si, gfx_msg
.text:  lodsb
        test    al, al
        jz      .text_done
        mov     ah, 0x0E
        mov     bx, 0x00FF              ; page 0, colour 255 (white in this palette)
        int     0x10
        jmp     .text
.text_done:
        call    wait_esc
        mov     ax, 0x0003              ; back to text mode (the menu would do it too)
        int     0x10
        ret

; gfx_palette - a gradient through the 256 DAC entries: black -> blue -> magenta -> red ->
; yellow -> white, 64 steps each of the last four (index 0 stays black for the set itself).
gfx_palette:
        mov     dx, DAC_WRITE_INDEX
        xor     al, al
        out     dx, al                  ; start at colour 0
        inc     dx                      ; DX = 3C9h
        xor     bx, bx                  ; BL = index
.next:  mov     al, bl
        and     al, 0x3F                ; position inside this quarter: 0..63
        mov     ah, bl
        mov     cl, 6
        shr     ah, cl                  ; which quarter: 0..3
        cmp     ah, 0
        je      .q0
        cmp     ah, 1
        je      .q1
        cmp     ah, 2
        je      .q2
        ; quarter 3: red 63, green 63, blue rising (yellow -> white)
        mov     ah, al
        mov     al, 63
        out     dx, al
        out     dx, al
        mov     al, ah
        out     dx, al
        jmp     .stepped
.q0:    ; black -> blue
        mov     ah, al
        xor     al, al
        out     dx, al
        out     dx, al
        mov     al, ah
        out     dx, al
        jmp     .stepped
.q1:    ; blue -> magenta: red rises
        out     dx, al
        mov     ah, al
        xor     al, al
        out     dx, al
        mov     al, 63
        out     dx, al
        jmp     .stepped
.q2:    ; magenta -> yellow: green rises, blue falls
        mov     ah, al
        mov     al, 63
        out     dx, al
        mov     al, ah
        out     dx, al
        mov     al, 63
        sub     al, ah
        out     dx, al
.stepped:
        inc     bl
        jnz     .next                   ; 256 entries, then BL wraps to 0
        ret

; gfx_mandelbrot - rows 0..MANDEL_ROWS-1 at A000:0000 (ES = A000h)
gfx_mandelbrot:
        xor     di, di
        mov     word [gfx_cy], MANDEL_Y0
        mov     word [gfx_row], MANDEL_ROWS
.row:   mov     word [gfx_cx], MANDEL_X0
        mov     word [gfx_col], 320
.pixel: call    gfx_escape_time         ; AL = colour
        stosb                           ; ES:[DI] = AL, DI + 1
        add     word [gfx_cx], MANDEL_DX
        dec     word [gfx_col]
        jnz     .pixel
        add     word [gfx_cy], MANDEL_DY
        dec     word [gfx_row]
        jnz     .row
        ret

; gfx_escape_time - AL = the colour of point (gfx_cx, gfx_cy): 0 inside the set, otherwise a
; palette index that grows with the number of steps to escape.
;   registers: SI = x, BP = y (4.12), CH = steps left
gfx_escape_time:
        push    bx
        push    cx
        push    dx
        push    si
        push    bp
        xor     si, si                  ; z = 0
        xor     bp, bp
        mov     ch, MANDEL_ITER
.step:  ; |x| or |y| >= 2 means |z| > 2 already, and squaring them could overflow 4.12
        mov     ax, si
        call    gfx_abs_small
        jnc     .escaped
        mov     ax, bp
        call    gfx_abs_small
        jnc     .escaped
        mov     ax, si                  ; x*x
        imul    ax
        call    gfx_fix12
        mov     bx, ax                  ; BX = x*x (0 .. 4.0)
        mov     ax, bp                  ; y*y
        imul    ax
        call    gfx_fix12
        mov     dx, bx
        add     dx, ax                  ; x*x + y*y (< 8.0 fits 16 bits unsigned)
        cmp     dx, 4 * FIX_ONE
        ja      .escaped
        sub     bx, ax                  ; x*x - y*y
        mov     ax, si                  ; new y = 2*x*y + cy: shift by 11 instead of 12 doubles it
        imul    bp
        call    gfx_fix11
        add     ax, [gfx_cy]
        mov     bp, ax
        add     bx, [gfx_cx]            ; new x = x*x - y*y + cx
        mov     si, bx
        dec     ch
        jnz     .step
        xor     al, al                  ; never escaped: inside the set, colour 0
        jmp     .done
.escaped:
        mov     al, MANDEL_ITER
        sub     al, ch                  ; steps taken: 0 .. MANDEL_ITER-1
        mov     cl, 3
        shl     al, cl                  ; spread over the palette: 8 colours a step
        add     al, 7
.done:  pop     bp
        pop     si
        pop     dx
        pop     cx
        pop     bx
        ret

; gfx_abs_small - CF set when -2.0 < AX < 2.0 (4.12)
gfx_abs_small:
        cmp     ax, 2 * FIX_ONE
        jge     .no
        cmp     ax, -2 * FIX_ONE
        jle     .no
        stc
        ret
.no:    clc
        ret

; gfx_fix12 - AX = DX:AX >> 12 (a product of two 4.12 numbers back to 4.12)
gfx_fix12:
        push    cx
        mov     cl, 12
        shr     ax, cl                  ; bits 15-12 of the low word ...
        mov     cl, 4
        shl     dx, cl                  ; ... below bits 27-16 of the high word
        or      ax, dx
        pop     cx
        ret

; gfx_fix11 - AX = DX:AX >> 11 (twice the product, in 4.12)
gfx_fix11:
        push    cx
        mov     cl, 11
        shr     ax, cl
        mov     cl, 5
        shl     dx, cl
        or      ax, dx
        pop     cx
        ret

; gfx_colour_bar - rows MANDEL_ROWS..191: every palette colour, 320 / 256 = 1.25 pixels each
gfx_colour_bar:
        mov     di, MANDEL_ROWS * 320
        mov     word [gfx_row], 192 - MANDEL_ROWS
.row:   xor     bx, bx                  ; BX = x
.pixel: mov     ax, bx
        mov     cl, 2
        shl     ax, cl
        mov     cl, 5
        div     cl                      ; AL = x * 4 / 5: 0..255
        stosb
        inc     bx
        cmp     bx, 320
        jb      .pixel
        dec     word [gfx_row]
        jnz     .row
        ret

gfx_cx:         dw 0
gfx_cy:         dw 0
gfx_row:        dw 0
gfx_col:        dw 0
gfx_msg:        db "Mandelbrot, 4.12 fixed point. Esc: menu", 0
