; vgabios.asm - the Lantern video BIOS: the VGA's option ROM.
;
; What it does: at power-on, POST far-calls the init entry, which programs the VGA for 80x25
; colour text (mode 03h), loads the font, fills the BIOS data area's video fields and points
; INT 10h, 1Fh and 43h here. After that every program reaches the display through INT 10h:
; modes, the cursor, characters and teletype output, scrolling, pixels, palettes and the DAC,
; fonts, information calls, and the VESA BIOS Extension for the Bochs-style linear
; framebuffer modes.
;
; Layout (bios/README.md, "The video module"): an ISA option ROM at segment E000h (maybe C000h
; one day), position independent within its segment: assembled at org 0, it finds itself
; through CS and never names its own segment. Files, one per service area:
;   vga_int10.asm    the INT 10h dispatcher; cursor, page and mode queries (01h-05h, 0Fh)
;   vga_mode.asm     setting a mode (00h): registers, DAC palettes, memory, font
;   vga_text.asm     scrolling, characters, teletype output, strings (06h-0Ah, 0Eh, 13h)
;   vga_gfx.asm      characters and pixels in graphics modes (0Ch, 0Dh)
;   vga_palette.asm  0Bh and 10h
;   vga_font.asm     11h
;   vga_info.asm     12h, 1Ah, 1Bh
;   vbe.asm          4F00h-4F09h
;   vga_tables.asm   mode descriptors, the IBM video parameter table, palette data
;   font8x8/14/16.inc  generated at build time (font_tool.cpp, FONTS.md)

        cpu     8086
        bits    16
        org     0

%include "vga_defs.inc"

VIDEO_ROM_BYTES equ 32768

; ---------------------------------------------------------------------------------------------
; The option ROM header (fixed offsets: bios/README.md)
; ---------------------------------------------------------------------------------------------
video_rom_header:
        db      0x55, 0xAA                      ; 0000h: option ROM signature
        db      VIDEO_ROM_BYTES / 512           ; 0002h: size in 512-byte blocks
video_init_entry:
        jmp     near video_init                 ; 0003h: init, far-called by POST
video_int10_entry:
        jmp     near video_int10                ; 0006h: INT 10h
        db      "LVGA"                          ; 0009h: Lantern video module
        db      1                               ; 000Dh: header version
        dw      font_8x8                        ; 000Eh: the 8x8 font
        dw      font_8x16                       ; 0010h: the 8x16 font
        times 6 db 0                            ; 0012h: reserved
        dw      video_pcir                      ; 0018h: PCI data structure
        dw      0                               ; 001Ah: no PnP header
        ASSERT  video_init_entry - video_rom_header == 3 && video_int10_entry - video_rom_header == 6    ; the fixed entry points

; The PCI data structure (PCI Firmware Specification, "PCI Data Structure"): which device this
; ROM belongs to.
video_pcir:
        db      "PCIR"
        dw      0x1234                          ; vendor
        dw      0x1111                          ; device
        dw      0                               ; vital product data
        dw      0x18                            ; structure length
        db      0                               ; structure revision
        db      0x00, 0x00, 0x03                ; class code: display, VGA-compatible
        dw      VIDEO_ROM_BYTES / 512           ; image length
        dw      1                               ; revision of the code
        db      0                               ; code type: x86
        db      0x80                            ; last image
        dw      0

; ---------------------------------------------------------------------------------------------
; video_init: far-called by POST (bios/README.md lists what POST guarantees). Preserves DS, SS,
; SP, BP; returns with RETF.
; ---------------------------------------------------------------------------------------------
video_init:
        push    ds
        push    es
        push    bp
        mov     ax, BDA_SEG
        mov     ds, ax
        mov     dx, VGA_SUBSYS                  ; the adapter on the buses
        mov     al, 1
        out     dx, al

        ; The EGA/VGA configuration bytes (Ralf Brown's Interrupt List, MEMORY.LST).
        mov     byte [BDA_VID_CTL], 0x60        ; 256K, cursor emulation on
        mov     byte [BDA_VID_SWITCH], 0xF9     ; feature bits 1111b, switches 1001b (colour)
        mov     byte [BDA_VID_FLAGS], 0x51      ; VGA active, 400-line text, display switching
        mov     byte [BDA_VID_DCC], 0x08        ; VGA with a colour analogue display

        ; Vectors: INT 10h (POST set it already; again, harmlessly), INT 1Fh (the upper half of
        ; the 8x8 font, for the CGA graphics modes) and INT 43h (the graphics font).
        xor     ax, ax
        mov     es, ax
        mov     word [es:VEC_INT10], video_int10_entry
        mov     [es:VEC_INT10 + 2], cs
        mov     word [es:VEC_INT1F], font_8x8 + 128 * 8
        mov     [es:VEC_INT1F + 2], cs
        mov     word [es:VEC_INT43], font_8x8
        mov     [es:VEC_INT43 + 2], cs

        ; The video save pointer table (40:A8h) and the VGA's secondary table hold far pointers
        ; to this ROM, so they are built in RAM: the EBDA's video area.
        mov     ax, [BDA_EBDA_SEG]
        test    ax, ax
        jz      .no_ebda
        mov     es, ax
        mov     di, EV_SAVE_PTRS
        mov     word [es:di], vga_params        ; 00h: the video parameter table
        mov     [es:di + 2], cs
        xor     ax, ax
        mov     cx, 6 * 2                       ; 04h-1Bh: nothing, but for ...
        add     di, 4
        rep     stosw
        mov     word [es:EV_SAVE_PTRS + 0x10], EV_SECONDARY ; ... 10h: the secondary table
        mov     [es:EV_SAVE_PTRS + 0x12], es
        mov     di, EV_SECONDARY
        mov     word [es:di], 0x1A              ; its length
        mov     word [es:di + 2], vga_dcc_table
        mov     [es:di + 4], cs
        add     di, 6
        mov     cx, 10
        rep     stosw                           ; no font override, palette profile
        mov     word [BDA_VID_SAVEPTR], EV_SAVE_PTRS
        mov     [BDA_VID_SAVEPTR + 2], es
.no_ebda:

        mov     ax, 0x0003                      ; 80x25 colour text, screen cleared
        int     0x10

        pop     bp
        pop     es
        pop     ds
        retf

%include "vga_int10.asm"
%include "vga_mode.asm"
%include "vga_text.asm"
%include "vga_gfx.asm"
%include "vga_palette.asm"
%include "vga_font.asm"
%include "vga_info.asm"
%include "vbe.asm"
%include "vga_tables.asm"

; ---------------------------------------------------------------------------------------------
; The fonts: 256 characters of code page 437 each, generated at build time.
; ---------------------------------------------------------------------------------------------
font_8x8:
%include "font8x8.inc"
font_8x14:
%include "font8x14.inc"
font_8x16:
%include "font8x16.inc"
font_end:
        ASSERT  font_8x14 - font_8x8 == 256 * 8                    ; 256 glyphs per font
        ASSERT  font_8x16 - font_8x14 == 256 * 14
        ASSERT  font_end - font_8x16 == 256 * 16

video_rom_end:
        ASSERT  video_rom_end - video_rom_header <= VIDEO_ROM_BYTES                    ; the module fits in 32 KiB
