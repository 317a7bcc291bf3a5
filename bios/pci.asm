; pci.asm - PCI: configuration at POST and the PCI BIOS (INT 1Ah AH=B1h).
;
; Configuration mechanism #1 (PCI Local Bus Specification 2.1, 3.7.4.1): a dword written to
; CONFIG_ADDRESS (0CF8h) - bit 31 enable, bus in 23-16, device in 15-11, function in 10-8,
; register in 7-2 - selects a configuration register, which then appears at CONFIG_DATA
; (0CFCh-0CFFh). Only 32-bit port accesses reach CONFIG_ADDRESS, so PCI needs a 386 or later.
;
; POST gives every function what a PCI device cannot choose itself (PCI 2.1, 6.2.5):
;  * base address registers: writing all ones and reading back tells a BAR's size; I/O windows
;    are placed from C000h up, memory windows from E0000000h up, largest first so each is
;    aligned to its size (the VGA's 16 MiB frame buffer lands at E0000000h);
;  * interrupts: the PIIX3 steers PIRQA#-PIRQD# to IRQ 10, 10, 11, 11 (registers 60h-63h, made
;    level-triggered in the ELCR); device d's pin p is wired to PIRQ (d + p + 2) mod 4 on this
;    board, and the Interrupt Line register (3Ch) tells drivers the result;
;  * the PIIX3 IDE function decodes its legacy ports only after IDETIM bit 15 is set, and may
;    master the bus only after Command bit 2 is set;
;  * the PIIX4 power management function gets its I/O block (PMBA, 40h) and PMIOSE (80h bit 0).
;
; Routines here take BX = bus << 8 | device << 3 | function and DI = register.

        cpu 8086

PCI_IO_BASE     equ 0xC000
PCI_MEM_BASE    equ 0xE0000000
PCI_BAR_TABLE   equ 0x2000          ; scratch at 0000:2000 during POST: 8 bytes per BAR
pirq_irqs:      db 10, 10, 11, 11

        cpu 386

; pci_select - CONFIG_ADDRESS for BX/DI; DX = the CONFIG_DATA port of the register's byte
pci_select:
        push eax
        movzx eax, bx
        shl eax, 8
        mov dx, di
        and dl, 0xFC
        or al, dl
        or eax, 0x80000000
        mov dx, PCI_ADDR
        out dx, eax
        pop eax
        mov dx, di
        and dx, 3
        add dx, PCI_DATA
        ret

pci_read8:
        push dx
        call pci_select
        in al, dx
        pop dx
        ret
pci_read16:
        push dx
        call pci_select
        in ax, dx
        pop dx
        ret
pci_read32:
        push dx
        call pci_select
        in eax, dx
        pop dx
        ret
pci_write8:
        push dx
        call pci_select
        out dx, al
        pop dx
        ret
pci_write16:
        push dx
        call pci_select
        out dx, ax
        pop dx
        ret
pci_write32:
        push dx
        call pci_select
        out dx, eax
        pop dx
        ret

; pci_present - CF clear when configuration mechanism #1 answers (CONFIG_ADDRESS keeps a value)
pci_present:
        push eax
        push dx
        mov dx, PCI_ADDR
        in eax, dx
        push eax
        mov eax, 0x80000000
        out dx, eax
        in eax, dx
        cmp eax, 0x80000000
        pop eax
        out dx, eax
        pop dx
        pop eax
        je .yes
        stc
        ret
.yes:   clc
        ret

; ---------------------------------------------------------------------------------------------
; pci_post_init
; ---------------------------------------------------------------------------------------------
        cpu 8086
pci_post_init:
        push ds
        push es
        push ax
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        cmp byte [EBDA_CPU], 3
        jb .out
        cpu 386
        call pci_present
        jc .out
        or byte [EBDA_FLAGS], 0x01
        pushad
        mov word [EBDA_PCI_IO], PCI_IO_BASE
        mov dword [EBDA_PCI_MEM], PCI_MEM_BASE
        ; the PIIX3 first: routing and the ELCR must be right before any device interrupts
        call pci_setup_pirq
        ; pass 1: list every function, size its BARs into the table at 0000:2000
        xor ax, ax
        mov es, ax
        mov bp, PCI_BAR_TABLE           ; BP = next free table entry
        mov si, pci_pass1
        call pci_for_each
        mov word [es:bp], 0xFFFF        ; end of the table
        ; pass 2: I/O windows in table order, memory windows largest first
        call pci_assign_io
        call pci_assign_memory
        ; pass 3: decoding on, and what particular functions need
        call pci_enable_all
        mov si, pci_function_setup
        call pci_for_each
        popad
        cpu 8086
.out:   pop ax
        pop es
        pop ds
        ret

        cpu 386
; pci_for_each - call the routine at CS:SI for every function on bus 0, with BX = the function
; (the routine keeps BX and SI)
pci_for_each:
        xor bx, bx                      ; bus 0, device 0, function 0
.function:
        xor di, di
        call pci_read16
        cmp ax, 0xFFFF
        je .absent
        call si
.absent:
        ; functions 1-7 only exist in a multi-function device
        test bl, 0x07
        jnz .next_fn
        mov di, 0x0E
        call pci_read8
        cmp al, 0xFF
        je .next_dev
        test al, 0x80
        jz .next_dev
.next_fn:
        inc bl
        test bl, 0x07
        jnz .function
        jmp .check_end
.next_dev:
        and bl, 0xF8
        add bl, 0x08
.check_end:
        test bl, bl                     ; wrapped past device 31
        jnz .function
        ret

pci_pass1:
        call pci_print_function
        call pci_probe_bars
        call pci_set_irq_line
        ret

; pci_print_function - "PCI 00:01.1 8086:7010 class 0101"
pci_print_function:
        push ax
        call log_only_on                ; (before the video BIOS: the log is where it can be read)
        PRINT "PCI 00:"
        mov al, bl
        shr al, 3
        call print_hex8
        mov al, '.'
        call print_char
        mov al, bl
        and al, 7
        add al, '0'
        call print_char
        mov al, ' '
        call print_char
        xor di, di
        call pci_read16
        call print_hex16
        mov al, ':'
        call print_char
        mov di, 2
        call pci_read16
        call print_hex16
        PRINT " class "
        mov di, 0x0A
        call pci_read16
        call print_hex16
        PRINT 13, 10
        call log_only_off
        pop ax
        ret

; pci_probe_bars - size each BAR of function BX (header type 0 only) and add it to the table:
; +0 function (BX), +2 register, +3 kind (0 I/O, 1 memory, 2 64-bit memory, +80h assigned),
; +4 size
pci_probe_bars:
        push eax
        push ecx
        mov di, 0x0E
        call pci_read8
        and al, 0x7F
        jnz .done                       ; bridges have other layouts (none on this board)
        mov di, 0x10
.bar:   call pci_read32
        mov ecx, eax                    ; the original value
        mov eax, 0xFFFFFFFF
        call pci_write32
        call pci_read32
        xchg eax, ecx
        call pci_write32                ; put it back until the window is assigned
        test ecx, ecx
        jz .next
        mov [es:bp], bx
        mov ax, di
        mov [es:bp + 2], al
        test cl, 0x01
        jz .memory
        and ecx, 0xFFFFFFFC             ; I/O: bits 1-0 are flags
        or ecx, 0xFFFF0000              ; (only 16 bits decode)
        mov byte [es:bp + 3], 0
        jmp .size
.memory:
        mov byte [es:bp + 3], 1
        mov al, cl
        and al, 0x06
        cmp al, 0x04                    ; 64-bit: the next BAR holds the upper half (left 0)
        jne .mem32
        mov byte [es:bp + 3], 2
.mem32: and ecx, 0xFFFFFFF0
.size:  not ecx
        inc ecx
        mov [es:bp + 4], ecx
        add bp, 8
        cmp byte [es:bp - 5], 2
        jne .next
        add di, 4                       ; skip the upper half of a 64-bit BAR
        xor eax, eax
        call pci_write32
.next:  add di, 4
        cmp di, 0x24
        jbe .bar
.done:  pop ecx
        pop eax
        ret

; pci_assign_io - place every I/O BAR, aligned to its size
pci_assign_io:
        mov si, PCI_BAR_TABLE
.entry: cmp word [es:si], 0xFFFF
        je .done
        cmp byte [es:si + 3], 0
        jne .skip
        mov ecx, [es:si + 4]
        movzx eax, word [EBDA_PCI_IO]
        dec ecx
        add eax, ecx
        not ecx
        and eax, ecx                    ; rounded up to the alignment
        not ecx
        inc ecx
        lea edx, [eax + ecx]
        cmp edx, 0x10000
        ja .skip                        ; out of I/O space: leave it unassigned
        mov [EBDA_PCI_IO], dx
        mov bx, [es:si]
        movzx di, byte [es:si + 2]
        or al, 0x01
        call pci_write32
        or byte [es:si + 3], 0x80
.skip:  add si, 8
        jmp .entry
.done:  ret

; pci_assign_memory - memory BARs, the largest first, each aligned to its size
pci_assign_memory:
.round: ; find the largest unassigned memory BAR
        xor ecx, ecx
        xor bp, bp
        mov si, PCI_BAR_TABLE
.find:  cmp word [es:si], 0xFFFF
        je .found
        mov al, [es:si + 3]
        cmp al, 1
        je .cand
        cmp al, 2
        jne .next
.cand:  cmp [es:si + 4], ecx
        jbe .next
        mov ecx, [es:si + 4]
        mov bp, si
.next:  add si, 8
        jmp .find
.found: test bp, bp
        jz .done
        mov eax, [EBDA_PCI_MEM]
        dec ecx
        add eax, ecx
        jc .full
        not ecx
        and eax, ecx
        not ecx
        inc ecx
        mov edx, eax
        add edx, ecx
        jc .full
        mov [EBDA_PCI_MEM], edx
        mov bx, [es:bp]
        movzx di, byte [es:bp + 2]
        call pci_write32
.full:  or byte [es:bp + 3], 0x80
        jmp .round
.done:  ret

; pci_enable_all - Command register: I/O and memory decoding for the windows each function got
pci_enable_all:
        mov si, PCI_BAR_TABLE
.entry: cmp word [es:si], 0xFFFF
        je .done
        mov bx, [es:si]
        mov di, 0x04
        call pci_read16
        mov cl, [es:si + 3]
        and cl, 0x7F
        jnz .mem
        or al, 0x01
        jmp .set
.mem:   or al, 0x02
.set:   call pci_write16
        add si, 8
        jmp .entry
.done:  ret

; pci_function_setup - what particular functions need besides their BARs
pci_function_setup:
        push eax
        mov di, 0x0A
        call pci_read16                 ; class / subclass
        cmp ax, 0x0300                  ; VGA: the legacy ports and memory decode as well
        jne .not_vga
        mov di, 0x04
        call pci_read16
        or al, 0x03
        call pci_write16
.not_vga:
        xor di, di
        call pci_read32
        cmp eax, 0x70108086             ; PIIX3 IDE
        je .ide
        cmp eax, 0x71138086             ; PIIX4 power management
        je .pm
        jmp .done
.ide:   mov di, 0x40                    ; IDETIM, primary and secondary: IDE Decode Enable
        call pci_read16
        or ax, 0x8000
        call pci_write16
        mov di, 0x42
        call pci_read16
        or ax, 0x8000
        call pci_write16
        mov di, 0x04                    ; I/O decode and bus master
        call pci_read16
        or al, 0x05
        call pci_write16
        jmp .done
.pm:    ; a 64-byte I/O block, from the same pool as the BARs (placed right away, aligned)
        movzx eax, word [EBDA_PCI_IO]
        add eax, 63
        and al, 0xC0
        lea ecx, [eax + 64]
        mov [EBDA_PCI_IO], cx
        or al, 0x01
        mov di, 0x40                    ; PMBA
        call pci_write32
        mov di, 0x80                    ; PMREGMISC: PMIOSE
        call pci_read8
        or al, 0x01
        call pci_write8
.done:  pop eax
        ret

; pci_setup_pirq - find the PIIX3 ISA bridge and route PIRQA-D (60h-63h) to IRQ 10/10/11/11,
; level-triggered (ELCR, 4D0h/4D1h)
pci_setup_pirq:
        push eax
        push bx
        push dx
        mov bx, 0x0008                  ; 00:01.0
        xor di, di
        call pci_read32
        cmp eax, 0x70008086
        jne .done
        mov di, 0x60
        mov eax, [cs:pirq_irqs]         ; the four bytes at once
        call pci_write32
        mov dx, ELCR2
        in al, dx
        or al, 0x0C                     ; IRQ10 and IRQ11 level-triggered
        out dx, al
.done:  pop dx
        pop bx
        pop eax
        ret

; pci_set_irq_line - Interrupt Line := the IRQ behind the function's pin (none: unchanged)
pci_set_irq_line:
        push ax
        push cx
        mov di, 0x3D
        call pci_read8
        test al, al
        jz .done
        cmp al, 4
        ja .done
        mov cl, bl
        shr cl, 3                       ; device number
        add al, cl
        add al, 2
        and al, 3                       ; PIRQ (device + pin + 2) mod 4
        movzx di, al
        mov al, [cs:pirq_irqs + di]
        mov di, 0x3C
        call pci_write8
.done:  pop cx
        pop ax
        ret

; ---------------------------------------------------------------------------------------------
; INT 1Ah AH=B1h - the PCI BIOS, real-mode interface (PCI BIOS Specification 2.1, chapter 3):
;   B101h installation check: EDX = " PCI", AL = mechanisms, BH.BL = version 2.10, CL = last bus
;   B102h find device CX of vendor DX, SI-th one -> BH = bus, BL = device/function
;   B103h find class code ECX, SI-th one
;   B108h/B109h/B10Ah read byte/word/dword DI of BH:BL into CL/CX/ECX
;   B10Bh/B10Ch/B10Dh write them
; Return codes in AH: 00h success, 81h unsupported, 83h bad vendor, 86h device not found,
; 87h bad register number. CF set on error.
; ---------------------------------------------------------------------------------------------
        cpu 8086
pci_bios:
        push ds
        push ax
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        test byte [EBDA_FLAGS], 0x01
        pop ax
        pop ds
        jnz .present
        mov ah, 0x81
        jmp pci_bios_fail
.present:
        cpu 386
        sti
        cmp al, 0x01
        je .install
        cmp al, 0x02
        je .find_device
        cmp al, 0x03
        je .find_class
        cmp al, 0x08
        je .read8
        cmp al, 0x09
        je .read16
        cmp al, 0x0A
        je .read32
        cmp al, 0x0B
        je .write8
        cmp al, 0x0C
        je .write16
        cmp al, 0x0D
        je .write32
        mov ah, 0x81
        jmp pci_bios_fail

.install:
        mov edx, 0x20494350             ; " PCI"
        mov ax, 0x0001                  ; AH = 0, AL bit 0: configuration mechanism #1
        mov bx, 0x0210
        mov cl, 0                       ; the last bus
        xor edi, edi                    ; (no protected-mode entry point)
        jmp pci_bios_ok

.find_device:
        cmp dx, 0xFFFF
        jne .fd_go
        mov ah, 0x83
        jmp pci_bios_fail
.fd_go: push eax
        push ecx
        push si
        push di
        push dx
        shl ecx, 16
        mov cx, dx                      ; ECX = device << 16 | vendor, as the ID register reads
        xor bx, bx
.fd_fn: xor di, di
        call pci_read32
        cmp eax, ecx
        jne .fd_next
        test si, si
        jz .fd_found
        dec si
.fd_next:
        call pci_next_function
        jnc .fd_fn
        pop dx
        pop di
        pop si
        pop ecx
        pop eax
        mov ah, 0x86
        jmp pci_bios_fail
.fd_found:
        pop dx
        pop di
        pop si
        pop ecx
        pop eax
        xor ah, ah
        jmp pci_bios_ok

.find_class:
        push eax
        push ecx
        push si
        push di
        push dx
        and ecx, 0x00FFFFFF
        xor bx, bx
.fc_fn: xor di, di
        call pci_read16
        cmp ax, 0xFFFF
        je .fc_next
        mov di, 0x08
        call pci_read32
        shr eax, 8
        cmp eax, ecx
        jne .fc_next
        test si, si
        jz .fd_found
        dec si
.fc_next:
        call pci_next_function
        jnc .fc_fn
        pop dx
        pop di
        pop si
        pop ecx
        pop eax
        mov ah, 0x86
        jmp pci_bios_fail

.read8: push ax
        call pci_read8
        mov cl, al
        pop ax
        jmp .rw_ok
.read16:
        test di, 1
        jnz .bad_reg
        push ax
        call pci_read16
        mov cx, ax
        pop ax
        jmp .rw_ok
.read32:
        test di, 3
        jnz .bad_reg
        push eax
        call pci_read32
        mov ecx, eax
        pop eax
        jmp .rw_ok
.write8:
        push ax
        mov al, cl
        call pci_write8
        pop ax
        jmp .rw_ok
.write16:
        test di, 1
        jnz .bad_reg
        push ax
        mov ax, cx
        call pci_write16
        pop ax
        jmp .rw_ok
.write32:
        test di, 3
        jnz .bad_reg
        push eax
        mov eax, ecx
        call pci_write32
        pop eax
.rw_ok: xor ah, ah
        jmp pci_bios_ok
.bad_reg:
        mov ah, 0x87
        jmp pci_bios_fail

; pci_next_function - BX = the next device/function on bus 0; CF after the last
pci_next_function:
        push ax
        push di
        test bl, 0x07
        jnz .fn
        mov di, 0x0E                    ; a single-function device: skip functions 1-7
        call pci_read8
        cmp al, 0xFF
        je .dev
        test al, 0x80
        jz .dev
.fn:    inc bl
        test bl, 0x07
        jnz .ok
        jmp .wrapped
.dev:   and bl, 0xF8
        add bl, 0x08
.wrapped:
        test bl, bl
        jnz .ok
        stc
        jmp .done
.ok:    clc
.done:  pop di
        pop ax
        ret
        cpu 8086

; leave INT 1Ah with CF clear / set in the caller's FLAGS (AH already holds the code)
pci_bios_ok:
        push bp
        mov bp, sp
        and byte [bp + 6], 0xFE
        pop bp
        iret
pci_bios_fail:
        push bp
        mov bp, sp
        or byte [bp + 6], 0x01
        pop bp
        iret
