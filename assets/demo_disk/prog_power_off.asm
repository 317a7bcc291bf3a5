; prog_power_off.asm - program 6: end the run.
;
; A real PC of the 1990s switches itself off through ACPI or APM; emulators also offer a simpler
; door: QEMU's and Lantern's "isa-debug-exit" device at I/O port F4h. Writing a value V there ends
; the emulator at once (Lantern reports the value; its command line exits with status
; (V << 1) | 1). On a real machine nothing answers at port F4h, so the program then says it is
; done and halts with interrupts off.

DEBUG_EXIT_PORT equ     0xF4

prog_power_off:
        mov     bl, ATTR_NORMAL
        call    clear_screen
        mov     si, off_msg_writing
        call    print
        xor     al, al                  ; V = 0: "all is well"
        out     DEBUG_EXIT_PORT, al
        ; Still here: no debug-exit device.
        call    newline
        mov     si, off_msg_halted
        call    print
        cli
.halt:  hlt                             ; with IF = 0 only an NMI or a reset gets past this
        jmp     .halt

off_msg_writing: db "Power off: writing 0 to port F4h (isa-debug-exit).", 0
off_msg_halted:  db "Nothing answered at port F4h. It is now safe to switch off the computer.", 0
