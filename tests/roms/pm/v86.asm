; v86.asm - virtual-8086 mode.
;
; With EFLAGS.VM set, a protected-mode CPU runs real-mode code: segment registers are paragraph
; numbers again (base = selector * 16, 64 KiB limits), but the code runs at CPL 3 under a
; protected-mode "monitor" that owns the IDT. What the 8086 program may do is decided by IOPL and
; the TSS I/O permission bitmap:
;
;   IOPL < 3   CLI, STI, PUSHF, POPF, INT n and IRET are IOPL-sensitive: #GP(0) to the monitor,
;              which can emulate them (it finds the INT through the pushed CS:IP)
;   IOPL = 3   they run; INT n goes through the protected-mode IDT (a DPL-3 gate to ring-0
;              code), and the handler's IRETD with VM=1 in the image returns to virtual-8086 mode
;   IN/OUT     always checked against the I/O bitmap, whatever IOPL
;
; An interrupt or exception from v86 mode switches to the ring-0 stack from the TSS and pushes
; GS, FS, DS, ES, SS, ESP, EFLAGS (with VM), CS, EIP - and the data segment registers are
; zeroed, since paragraph numbers mean nothing in protected mode. IRETD from ring 0 with VM=1 in
; the popped EFLAGS is how the monitor enters (and re-enters) v86 mode.

%define TEST_NAME "v86"
%include "pm.inc"

V86_STACK       equ     0x8800          ; v86 SS:SP = 0000:8800
V86_DATA_SEG    equ     0x0900          ; v86 DS: linear 9000h
MARKER          equ     0x9000
HIGH_MARKER     equ     0x100000        ; just above 1 MiB: FFFF:0010
V86_R           equ     0x9E00          ; what the v86 code saw (words, written through ES = 0)
V86_R_AX        equ     V86_R + 0x00
V86_R_MARK      equ     V86_R + 0x02
V86_R_CS        equ     V86_R + 0x04
V86_R_DS        equ     V86_R + 0x06
V86_R_FS        equ     V86_R + 0x08
V86_R_HIGH      equ     V86_R + 0x0A
V86_R_FLAGS     equ     V86_R + 0x0C
V86_R_INTAX     equ     V86_R + 0x0E
V86_R_OUT       equ     V86_R + 0x10
V86_R_IRET      equ     V86_R + 0x12
V86_R_FLAGS2    equ     V86_R + 0x14
MON             equ     0x9E80          ; what the monitor saw
MON_DS          equ     MON + 0x00      ; the data segment registers at handler entry (words)
MON_ES          equ     MON + 0x02
MON_FS          equ     MON + 0x04
MON_GS          equ     MON + 0x06
MON_FRAME       equ     MON + 0x08      ; the stack frame, ten dwords

VEC_V86_INT     equ     0x60            ; DPL-3 gate: the IOPL-3 INT test
VEC_V86_EXIT    equ     0x61            ; DPL-3 gate into the catcher: the way out
VEC_DPL0        equ     0x62            ; DPL-0 gate

; IRET_TO_V86 ip, eflags, ds, fs: enter virtual-8086 mode at F000:ip. IRETD at CPL 0 with VM set
; in the EFLAGS image pops EIP, CS, EFLAGS, ESP, SS, then ES, DS, FS and GS as paragraphs.
%macro IRET_TO_V86 4
        push    dword 0x5678            ; GS
        push    dword %4                ; FS
        push    dword %3                ; DS
        push    dword 0                 ; ES
        push    dword 0                 ; SS
        push    dword V86_STACK         ; ESP
        push    dword F_VM | (%2)       ; EFLAGS
        push    dword 0xF000            ; CS
        push    dword %1                ; EIP
        iretd
%endmacro

test_main:
        call    rm_install_vectors
        call    detect_features
        call    pm_build_tables
        ENTER_PM32
        call    pm_load_tr              ; the TSS gives the ring-0 stack for v86 interrupts
        mov     word [MARKER], 0x8086
        mov     dword [HIGH_MARKER], 0x10FFEF
        SET_IDT_GATE 13, v86_gp_monitor, 0x8E00
        SET_IDT_GATE VEC_V86_INT, v86_int_handler, 0xEE00
        SET_IDT_GATE VEC_V86_EXIT, v86_exit_stub, 0xEE00
        SET_IDT_GATE VEC_DPL0, v86_int_handler, 0x8E00
        call    iopl0_tests
        call    iopl3_tests
        call    v86_faults
        LEAVE_PM32
        ret

        bits    32

; #GP from v86 mode: keep the whole frame (it has the four extra segment registers) and the
; segment registers as the handler found them, then hand over to the catcher.
v86_gp_monitor:
        mov     [ss:MON_DS], ds
        mov     [ss:MON_ES], es
        mov     [ss:MON_FS], fs
        mov     [ss:MON_GS], gs
        push    eax
        push    ecx
        xor     ecx, ecx
.copy:
        mov     eax, [esp + 8 + ecx * 4]        ; error code, EIP, CS, EFLAGS, ESP, SS, ES..GS
        mov     [ss:MON_FRAME + ecx * 4], eax
        inc     ecx
        cmp     ecx, 10
        jb      .copy
        pop     ecx
        pop     eax
        push    dword 13
        jmp     pm_fault_common

; INT 60h from v86 mode at IOPL 3: a protected-mode handler. It records, changes AX for the v86
; program to see, and IRETDs back into v86 mode.
v86_int_handler:
        mov     [ss:MON_DS], ds
        mov     [ss:MON_ES], es
        mov     [ss:MON_FS], fs
        mov     [ss:MON_GS], gs
        push    ecx
        push    eax
        xor     ecx, ecx
.copy:
        mov     eax, [esp + 8 + ecx * 4]        ; EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS
        mov     [ss:MON_FRAME + ecx * 4], eax
        inc     ecx
        cmp     ecx, 9
        jb      .copy
        pop     eax
        pop     ecx
        mov     ax, 0x600D
        iretd

v86_exit_stub:
        push    dword NO_ERROR_CODE
        push    dword VEC_V86_EXIT
        jmp     pm_fault_common

%macro CHECK_WORD 3     ; a word of memory, zero-extended
        movzx   eax, word [%1]
        PCHECK  eax, %2, %3
%endmacro

; ---------------------------------------------------------------------------------------------
iopl0_tests:
        PGROUP  "v86 at IOPL 0: real-mode code, INT n traps to the monitor"
        TRY     .back
        IRET_TO_V86 v86_prog1, 0x0002, V86_DATA_SEG, 0x1234
.back:
        CHECK_FAULT 13, 0, v86_prog1.int, "INT n at IOPL 0: #GP(0) at the INT"
        PCHECK  [FAULT_CS], 0xF000, "the pushed CS is the v86 paragraph"
        mov     eax, [FAULT_EFLAGS]
        and     eax, F_VM
        PCHECK  eax, F_VM, "the pushed EFLAGS has VM set"
        PCHECK  [FAULT_ESP], V86_STACK, "the pushed ESP is v86's"
        PCHECK  [FAULT_SS], 0, "the pushed SS is v86's"
        PCHECK  [MON_FRAME + 24], 0, "frame: ES"
        PCHECK  [MON_FRAME + 28], V86_DATA_SEG, "frame: DS"
        PCHECK  [MON_FRAME + 32], 0x1234, "frame: FS"
        PCHECK  [MON_FRAME + 36], 0x5678, "frame: GS"
        CHECK_WORD MON_DS, 0, "monitor entry: DS zeroed"
        CHECK_WORD MON_GS, 0, "monitor entry: GS zeroed"
        CHECK_WORD V86_R_AX, 0x2345, "v86: arithmetic"
        CHECK_WORD V86_R_MARK, 0x8086, "v86: DS=0900h reads linear 9000h"
        CHECK_WORD V86_R_CS, 0xF000, "v86: CS reads as a paragraph"
        CHECK_WORD V86_R_DS, V86_DATA_SEG, "v86: DS from the IRET frame"
        CHECK_WORD V86_R_FS, 0x1234, "v86: FS from the IRET frame"
        CHECK_WORD V86_R_HIGH, 0xFFEF, "v86: FFFF:0010 is linear 100000h"
        CHECK_WORD V86_R_OUT, 1, "v86: out to a port the bitmap allows"

        TRY     .back2
        IRET_TO_V86 v86_prog_cli, 0x0002, 0, 0
.back2:
        CHECK_FAULT 13, 0, v86_prog_cli, "CLI at IOPL 0: #GP(0)"
        TRY     .back3
        IRET_TO_V86 v86_prog_pushf, 0x0002, 0, 0
.back3:
        CHECK_FAULT 13, 0, v86_prog_pushf, "PUSHF at IOPL 0: #GP(0)"
        TRY     .back4
        IRET_TO_V86 v86_prog_iret, 0x0002, 0, 0
.back4:
        CHECK_FAULT 13, 0, v86_prog_iret, "IRET at IOPL 0: #GP(0)"
        ret

; ---------------------------------------------------------------------------------------------
iopl3_tests:
        PGROUP  "v86 at IOPL 3: INT through the IDT and IRETD back"
        mov     dword [MON_FRAME], 0
        TRY     .back
        IRET_TO_V86 v86_prog3, 0x3002, V86_DATA_SEG, 0x1234
.back:
        PCHECK  [FAULT_VEC], VEC_V86_EXIT, "v86 left through its exit gate"
        PCHECK  [MON_FRAME], v86_prog3.after_int, "handler frame: IP after the INT"
        PCHECK  [MON_FRAME + 4], 0xF000, "handler frame: CS"
        mov     eax, [MON_FRAME + 8]
        and     eax, F_VM | F_IOPL3
        PCHECK  eax, F_VM | F_IOPL3, "handler frame: EFLAGS with VM and IOPL 3"
        PCHECK  [MON_FRAME + 12], V86_STACK, "handler frame: SP"
        PCHECK  [MON_FRAME + 24], V86_DATA_SEG, "handler frame: DS"
        PCHECK  [MON_FRAME + 28], 0x1234, "handler frame: FS"
        CHECK_WORD MON_DS, 0, "handler entry: DS zeroed"
        CHECK_WORD MON_FS, 0, "handler entry: FS zeroed"
        CHECK_WORD V86_R_INTAX, 0x600D, "v86 after IRETD: AX from the handler"
        CHECK_WORD V86_R_DS, V86_DATA_SEG, "v86 after IRETD: DS restored"
        CHECK_WORD V86_R_FS, 0x1234, "v86 after IRETD: FS restored"
        CHECK_WORD V86_R_MARK, 0x8086, "v86 after IRETD: DS works"
        mov     eax, [FAULT_EFLAGS]
        and     eax, F_VM | F_IOPL3 | F_IF
        PCHECK  eax, F_VM | F_IOPL3, "v86: CLI ran at IOPL 3"
        CHECK_WORD V86_R_FLAGS, 0x3202, "v86: PUSHF/POPF at IOPL 3; POPF cannot change IOPL"
        CHECK_WORD V86_R_IRET, 1, "v86: IRET at IOPL 3 returns within v86 mode"
        CHECK_WORD V86_R_FLAGS2, 0x3002, "v86: IRET cannot change IOPL either"

        TRY     .back2
        IRET_TO_V86 v86_prog_dpl0, 0x3002, 0, 0
.back2:
        CHECK_FAULT 13, VEC_DPL0 * 8 + 2, v86_prog_dpl0, "INT through a DPL-0 gate: #GP(vec*8+2)"

        ; The I/O bitmap applies in v86 mode even at IOPL 3.
        bts     dword [TSS_BASE + TSS_IOMAP + 0x80 / 8], 0x80 % 8
        TRY     .back3
        IRET_TO_V86 v86_prog_in, 0x3002, 0, 0
.back3:
        btr     dword [TSS_BASE + TSS_IOMAP + 0x80 / 8], 0x80 % 8
        CHECK_FAULT 13, 0, v86_prog_in, "IN from a port the bitmap forbids, IOPL 3: #GP(0)"
        ret

; ---------------------------------------------------------------------------------------------
v86_faults:
        PGROUP  "v86: exceptions leave to the protected-mode handler"
        TRY     .back1
        IRET_TO_V86 v86_prog_div, 0x3002, 0, 0
.back1:
        CHECK_FAULT 0, NO_ERROR_CODE, v86_prog_div.div, "DIV by zero in v86: #DE to the IDT"
        mov     eax, [FAULT_EFLAGS]
        and     eax, F_VM
        PCHECK  eax, F_VM, "#DE frame: VM set"
        TRY     .back2
        IRET_TO_V86 v86_prog_limit, 0x3002, 0, 0
.back2:
        CHECK_FAULT 13, 0, v86_prog_limit, "word at offset FFFFh in v86: #GP(0)"
        TRY     .back3
        IRET_TO_V86 v86_prog_arpl, 0x3002, 0, 0
.back3:
        CHECK_FAULT 6, NO_ERROR_CODE, v86_prog_arpl, "ARPL in v86: #UD"
        TRY     .back4
        IRET_TO_V86 v86_prog_hlt, 0x3002, 0, 0
.back4:
        CHECK_FAULT 13, 0, v86_prog_hlt, "HLT in v86: #GP(0)"
        TRY     .back5
        IRET_TO_V86 v86_prog_cr0, 0x3002, 0, 0
.back5:
        CHECK_FAULT 13, 0, v86_prog_cr0, "MOV EAX, CR0 in v86: #GP(0)"
        ret

; ---------------------------------------------------------------------------------------------
; The virtual-8086 programs: 16-bit real-mode code, running in segment F000 as in real mode.
        bits    16

v86_prog1:
        mov     ax, 0x1234
        add     ax, 0x1111
        mov     [es:V86_R_AX], ax       ; ES = 0: linear addresses below 64 KiB
        mov     ax, [0]                 ; DS = 0900h
        mov     [es:V86_R_MARK], ax
        mov     ax, cs
        mov     [es:V86_R_CS], ax
        mov     ax, ds
        mov     [es:V86_R_DS], ax
        mov     ax, fs
        mov     [es:V86_R_FS], ax
        push    ds
        mov     ax, 0xFFFF
        mov     ds, ax
        mov     ax, [0x10]              ; FFFF:0010 = 100000h (A20 is on)
        pop     ds
        mov     [es:V86_R_HIGH], ax
        mov     word [es:V86_R_OUT], 0
        mov     al, 0x86
        out     POST_CODE, al           ; the bitmap allows port 80h
        mov     word [es:V86_R_OUT], 1
.int:   int     0x21                    ; IOPL 0: to the monitor
        hlt

v86_prog_cli:
        cli
        hlt
v86_prog_pushf:
        pushf
        hlt
v86_prog_iret:
        iret

v86_prog3:
        cli                             ; IOPL 3: allowed
        pushf
        pop     ax
        and     ax, ~0x3000             ; try to clear IOPL...
        or      ax, 0x0200              ; ...and set IF
        push    ax
        popf
        pushf
        pop     ax
        mov     [es:V86_R_FLAGS], ax    ; IF set, IOPL still 3
        cli
        mov     word [es:V86_R_IRET], 0
        push    word 0x0002             ; FLAGS image: IOPL 0 - which v86 code cannot set
        push    cs
        push    word .iret_target
        iret                            ; IOPL 3: an ordinary real-mode IRET
        hlt
.iret_target:
        mov     word [es:V86_R_IRET], 1
        pushf
        pop     word [es:V86_R_FLAGS2]
        xor     ax, ax
        mov     ds, ax
        mov     fs, ax
        mov     ax, V86_DATA_SEG        ; the handler's IRETD must restore DS and FS
        mov     ds, ax
        mov     ax, 0x1234
        mov     fs, ax
        xor     ax, ax
        int     VEC_V86_INT
.after_int:
        mov     [es:V86_R_INTAX], ax
        mov     ax, ds
        mov     [es:V86_R_DS], ax
        mov     ax, fs
        mov     [es:V86_R_FS], ax
        mov     word [es:V86_R_MARK], 0
        mov     ax, [0]
        mov     [es:V86_R_MARK], ax
        int     VEC_V86_EXIT

v86_prog_dpl0:
        int     VEC_DPL0
        hlt
v86_prog_in:
        in      al, POST_CODE
        hlt
v86_prog_div:
        xor     cx, cx
.div:   div     cx
        hlt
v86_prog_limit:
        mov     ax, [es:0xFFFF]
        hlt
v86_prog_arpl:
        arpl    ax, bx
        hlt
v86_prog_hlt:
        hlt
v86_prog_cr0:
        mov     eax, cr0
        hlt

        ROM_END
