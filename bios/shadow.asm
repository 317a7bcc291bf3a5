; shadow.asm - copy the BIOS from ROM into RAM and write-protect it ("shadow RAM").
;
; ROM was slow and 8 bits wide; DRAM is fast. The i440FX decides for each piece of C0000-FFFFF
; whether reads and writes go to the ROM/PCI side or to the DRAM underneath, through its
; Programmable Attribute Map registers (82441FX datasheet, PAM0-PAM6, 59h-5Fh; RE = read enable,
; WE = write enable, one nibble per 16 KiB segment, PAM0 bits 5-4 for all of F0000-FFFFF):
;   1. RE=0 WE=1: reads still come from the ROM, writes go to DRAM - so copying each byte onto
;      itself (REP MOVSW with the same source and destination) fills the DRAM;
;   2. RE=1 WE=0: from now on reads come from the DRAM copy and writes are ignored, as in ROM.
; The code doing this runs from the very region it switches: both states read the same bytes.
;
; While the DRAM is still writable POST also puts characters 0-127 of the 8x8 font at the IBM
; fixed address F000:FA6E (the video module's header says where its font is).

        cpu 8086

PAM0            equ 0x59                ; F0000-FFFFF in bits 5-4
PAM5            equ 0x5E                ; E0000-E3FFF (bits 1-0), E4000-E7FFF (bits 5-4)
PAM6            equ 0x5F                ; E8000-EBFFF, EC000-EFFFF

shadow_post_init:
        push ds
        push es
        push ax
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        test byte [EBDA_FLAGS], 0x01    ; PCI (and so a 386) present?
        jz .out
        cpu 386
        pushad
        mov bx, 0x0000                  ; 00:00.0: is it the 82441FX?
        xor di, di
        call pci_read32
        cmp eax, 0x12378086
        jne .done
        ; 1. reads from ROM, writes to DRAM
        mov al, 0x22
        mov di, PAM5
        call pci_write8
        mov di, PAM6
        call pci_write8
        mov di, PAM0
        call pci_read8
        and al, 0xCF
        or al, 0x20
        call pci_write8
        ; copy E0000-FFFFF onto itself
        cld
        mov dx, VIDEO_SEG
.segment:
        mov ds, dx
        mov es, dx
        xor si, si
        xor di, di
        mov cx, 0x8000
        rep movsw
        add dx, 0x1000
        jnz .segment                    ; E000h, then F000h; stops when DX wraps to 0
        call shadow_copy_font
        ; 2. reads from DRAM, writes ignored
        mov al, 0x11
        mov di, PAM5
        call pci_write8
        mov di, PAM6
        call pci_write8
        mov di, PAM0
        call pci_read8
        and al, 0xCF
        or al, 0x10
        call pci_write8
        mov ax, BDA_SEG
        mov ds, ax
        mov ds, [BDA_EBDA_SEG]
        or byte [EBDA_FLAGS], 0x02
        PRINT "Shadow RAM: E0000-FFFFF copied to RAM and write-protected", 13, 10
.done:  popad
        cpu 8086
.out:   pop ax
        pop es
        pop ds
        ret

; shadow_copy_font - 1 KiB of 8x8 glyphs (characters 0-127) from the video module to F000:FA6E
shadow_copy_font:
        push ds
        push es
        push si
        push di
        push cx
        mov ax, VIDEO_SEG
        mov ds, ax
        cmp word [0], 0xAA55
        jne .done
        cmp word [9], 'LV'
        jne .done
        mov si, [0x0E]
        test si, si
        jz .done
        mov ax, BIOS_SEG
        mov es, ax
        mov di, font8x8_lower
        mov cx, 512
        rep movsw
.done:  pop cx
        pop di
        pop si
        pop es
        pop ds
        ret
