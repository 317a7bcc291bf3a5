; gui_steps: a tiny ROM for the GUI tests (tests/gui/registers.gui steps through it one instruction
; at a time and checks the CPU, stack, memory and disassembly panes after each).
; Mapped like a BIOS at F0000-FFFFF; the reset vector (offset FFF0) jumps to `start`.
        cpu     8086
        bits    16
        org     0

start:                                  ; F000:0000
        cli                             ; 0000
        xor     ax, ax                  ; 0001
        mov     ss, ax                  ; 0003
        mov     sp, 0x7C00              ; 0005
        mov     ax, 0x1234              ; 0008  the issue's example: AX reads 1234
        mov     bx, 0xBEEF              ; 000B
        add     ax, bx                  ; 000E  AX = D123, SF=1, CF=0, ZF=0
        push    ax                      ; 0010  the stack's top word: D123
        mov     di, 0x0600              ; 0011
        mov     [es:di], ax             ; 0014  RAM 00600: 23 D1
        mov     cx, 3                   ; 0017
.again: call    bump                    ; 001A
        loop    .again                  ; 001D
        mov     al, 0x55                ; 001F
        out     0x80, al                ; 0021  POST code 55
        mov     al, 0
        out     0xF4, al                ; the run ends (debug exit)
        hlt

bump:   inc     dx                      ; DX counts the calls
        ret

        times   0xFFF0 - ($ - $$) db 0xFF
reset:  jmp     0xF000:start            ; FFFF:0000 (8086) and F000:FFF0 (286)
        times   0x10000 - ($ - $$) db 0xFF
