; boot.asm - the boot sector: sector 0 of the diskette (cylinder 0, head 0, sector 1).
;
; How a PC boots from a diskette: at the end of POST the BIOS runs INT 19h, which reads this one
; 512-byte sector to 0000:7C00, checks that it ends in the bytes 55h AAh, and jumps to 0000:7C00
; with DL = the drive it came from (00h = A:). Nothing else is loaded: this code must fetch the
; rest of the program itself, with the BIOS's disk service INT 13h (IBM PC/AT Technical
; Reference, "BIOS listing: diskette"; Ralf Brown's Interrupt List, INT 13h AH=02h and AH=08h).
;
; The diskette has no file system: the payload simply follows this sector (sectors 2, 3, ... of
; track 0, then head 1, then cylinder 1). So there is no BPB here; a DOS would not recognise the
; disk, but the BIOS does not care.

boot_start:
        jmp     short boot_main
        nop

boot_main:
        ; The BIOS leaves the segment registers undefined. Interrupts stay off while SS:SP changes:
        ; an interrupt between the two moves would push onto a half-made stack. (The 8086 itself
        ; holds interrupts off for one instruction after MOV SS, but saying it is clearer.)
        cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7C00              ; the stack grows down, below this sector
        sti
        cld                             ; string instructions count upwards
        ; Some BIOSes jump to 07C0:0000 instead of 0000:7C00 - the same byte, another CS. A far
        ; jump makes CS = 0000h so the labels (assembled for offset 7C00h) are right either way.
        jmp     0x0000:boot_load
boot_load:
        mov     [boot_drive], dl

        mov     si, boot_msg_loading
        call    boot_print

        ; Ask the BIOS the drive's geometry: INT 13h AH=08h returns CL bits 5-0 = sectors per
        ; track and DH = the highest head number. (It also points ES:DI at the diskette parameter
        ; table, so ES is set back afterwards.) If it fails, assume a 1.44 MB diskette: 18 sectors
        ; per track, 2 heads.
        mov     ah, 0x08
        mov     dl, [boot_drive]
        int     0x13
        jc      .geometry_known
        and     cl, 0x3F
        jz      .geometry_known
        mov     [boot_sectors_per_track], cl
        inc     dh
        mov     [boot_heads], dh
.geometry_known:
        xor     ax, ax
        mov     es, ax

        ; Read the payload, as many sectors per INT 13h call as the rest of the current track
        ; holds: one call cannot go past the end of a track (the controller reads one head of one
        ; cylinder per command), and fewer, longer calls are how a real loader saves time.
.next_chunk:
        mov     ax, [boot_lba]
        cmp     ax, PAYLOAD_SECTORS + 1 ; LBA 0 is this sector; the payload is LBA 1..N
        jae     .loaded
        ; LBA -> CHS: sector = LBA mod spt + 1 (sectors count from 1), track = LBA / spt,
        ; head = track mod heads, cylinder = track / heads.
        xor     dx, dx
        mov     bl, [boot_sectors_per_track]
        xor     bh, bh
        div     bx                      ; AX = track, DX = sector index within the track
        mov     cl, dl
        inc     cl                      ; CL = first sector (1-based; cylinder < 256, so bits 7-6 = 0)
        mov     ch, bl
        sub     ch, dl                  ; sectors left on this track
        mov     [boot_count], ch
        xor     dx, dx
        mov     bl, [boot_heads]
        div     bx                      ; AX = cylinder, DX = head
        mov     ch, al                  ; CH = cylinder
        mov     dh, dl                  ; DH = head
        ; Do not read past the payload's end.
        mov     ax, PAYLOAD_SECTORS + 1
        sub     ax, [boot_lba]
        cmp     al, [boot_count]
        jae     .count_ok
        mov     [boot_count], al
.count_ok:
        mov     dl, [boot_drive]
        mov     bx, [boot_dest]         ; ES:BX = destination (ES = 0000h)
        mov     di, 3                   ; diskettes are slow to spin up: retry up to 3 times
.retry:
        mov     ah, 0x02                ; INT 13h AH=02h: read AL sectors from CH/DH/CL to ES:BX
        mov     al, [boot_count]
        int     0x13
        jnc     .chunk_read
        xor     ah, ah                  ; AH=00h: reset the controller and recalibrate, then retry
        int     0x13
        dec     di
        jnz     .retry
        mov     si, boot_msg_error
        call    boot_print
.dead:  hlt                             ; nothing more to do: wait forever (Ctrl+Alt+Del reboots)
        jmp     .dead

.chunk_read:
        mov     al, '.'                 ; one dot per track-sized read, so the student sees progress
        call    boot_putc
        mov     al, [boot_count]
        xor     ah, ah
        add     [boot_lba], ax
        mov     cl, 9
        shl     ax, cl                  ; sectors * 512 = bytes
        add     [boot_dest], ax
        jmp     .next_chunk

.loaded:
        mov     dl, [boot_drive]        ; the menu gets the boot drive, as this sector did
        jmp     0x0000:menu_entry

; boot_print - teletype the NUL-terminated string at DS:SI (INT 10h AH=0Eh, page 0)
boot_print:
        lodsb
        test    al, al
        jz      .done
        call    boot_putc
        jmp     boot_print
.done:  ret

; boot_putc - teletype the character in AL
boot_putc:
        push    bx
        mov     ah, 0x0E
        xor     bx, bx                  ; BH = page 0, BL = colour (graphics modes only)
        int     0x10
        pop     bx
        ret

boot_msg_loading: db "Lantern demo disk: loading", 0
boot_msg_error:   db 13, 10, "Disk read error. Stopped.", 0

boot_drive:             db 0
boot_sectors_per_track: db 18
boot_heads:             db 2
boot_count:             db 0
boot_lba:               dw 1
boot_dest:              dw PAYLOAD_ADDR

        times   510 - ($ - $$) db 0
        dw      0xAA55                  ; the boot signature INT 19h checks (bytes 55h, AAh)
