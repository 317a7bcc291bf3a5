; paging.asm - paging: page tables, accessed and dirty bits, page faults, the TLB.
;
; With CR0.PG set, every linear address (segment base + offset) is translated once more: its top
; ten bits pick an entry in the page directory (at CR3), the next ten an entry in that page table,
; and the low twelve are the offset in a 4 KiB page. Each entry has a present bit (P), a
; writable bit (R/W), a user bit (U/S), and bits the CPU sets itself: accessed (A) on any use,
; dirty (D) on a write. A translation that fails is a page fault (#PF, vector 14): CR2 holds the
; linear address, and the error code says why - bit 0 the page was present (a protection fault),
; bit 1 it was a write, bit 2 it came from ring 3.
;
; The CPU caches translations in its TLB, so after changing an entry software must tell it:
; INVLPG (486+) for one page, or a CR3 load for all but global pages. The Pentium added 4 MiB
; pages (CR4.PSE, the PS bit in a directory entry); the P6 added global pages (CR4.PGE, the G
; bit), which survive CR3 loads - for kernel mappings shared by every address space.

%define TEST_NAME "paging"
%include "pm.inc"

PAGE_DIR        equ     0x10000
PAGE_TABLE0     equ     0x11000         ; linear 0-4 MiB, identity mapped
PAGE_TABLE1     equ     0x12000         ; linear 4-8 MiB, for remapped pages
PTE0            equ     PAGE_TABLE0     ; PTE0 + (address >> 12) * 4: the entry of an identity page

PG_P            equ     0x001           ; present
PG_RW           equ     0x002           ; writable
PG_US           equ     0x004           ; user (ring 3) allowed
PG_A            equ     0x020           ; accessed
PG_D            equ     0x040           ; dirty
PG_PS           equ     0x080           ; 4 MiB page (in a directory entry, with CR4.PSE)
PG_G            equ     0x100           ; global (with CR4.PGE)

CR0_WP          equ     1 << 16
CR0_PG          equ     1 << 31
CR4_PSE         equ     1 << 4
CR4_PGE         equ     1 << 7

; Physical pages the tests use (all identity-mapped below 4 MiB too).
MARKER1         equ     0x30000
AD_PAGE         equ     0x31000
ABSENT_PAGE     equ     0x32000
MARKER2         equ     0x33000
RO_PAGE         equ     0x34000
SUPER_PAGE      equ     0x35000
DEMAND_PAGE     equ     0x36000
DEMAND_PAGE2    equ     0x38000         ; for the REP MOVSB test (0x37000 is FAKE_TABLE)
REMAPPED        equ     0x400000        ; linear: PAGE_TABLE1[0]
GLOBAL_TEST     equ     0x4F8000        ; linear: PAGE_TABLE1[F8h]
LOCAL_TEST      equ     0x4F9000        ; linear: PAGE_TABLE1[F9h]
BIG_PAGE        equ     0x800000        ; linear: directory entry 2, a 4 MiB page

FAKE_TABLE      equ     0x37000         ; an empty page, used as a page table by mistake
SEL_FLATCODE    equ     0x40            ; 32-bit code, base 0, 4 GiB

PAGE_DIR2       equ     0x13000         ; task B's address space: like ours, except that
PAGE_TABLE2     equ     0x14000         ; 400000h maps MARKER2
TSS_B           equ     0x2200
SEL_TSS_B       equ     0x48
TB_SAW          equ     0x9E20
TB_CR3          equ     0x9E24

R3_DONE         equ     0x9E00
SCRATCH_ESP     equ     0x9E10
PF_COUNT        equ     0x9E04
PF_CR2          equ     0x9E08
PF_ERR          equ     0x9E0C

test_main:
        call    rm_install_vectors
        call    detect_features
        call    pm_build_tables
        ENTER_PM32
        call    pm_load_tr
        call    build_tables
        call    enable_paging
        call    remapping
        call    accessed_dirty
        call    not_present
        call    write_protect
        call    user_supervisor
        call    demand_paging
        call    tlb_invalidation
        call    big_pages
        call    global_pages
        call    task_cr3
        call    disable_paging
        LEAVE_PM32
        ret

        bits    32

; Build the tables with paging still off (linear = physical). Everything below 4 MiB is
; identity-mapped, present, writable and user-accessible, except the test pages below.
build_tables:
        PGROUP  "building page tables"
        mov     edi, PAGE_DIR
        xor     eax, eax
        mov     ecx, 3 * 1024           ; clear the directory and both tables
        rep     stosd
        mov     dword [PAGE_DIR + 0], PAGE_TABLE0 | PG_P | PG_RW | PG_US
        mov     dword [PAGE_DIR + 4], PAGE_TABLE1 | PG_P | PG_RW | PG_US
        mov     edi, PAGE_TABLE0
        mov     eax, PG_P | PG_RW | PG_US
        mov     ecx, 1024
.identity:
        stosd
        add     eax, 0x1000
        loop    .identity
        mov     dword [PTE0 + (ABSENT_PAGE >> 12) * 4], ABSENT_PAGE          ; P=0
        mov     dword [PTE0 + (RO_PAGE >> 12) * 4], RO_PAGE | PG_P | PG_US   ; R/W=0
        mov     dword [PTE0 + (SUPER_PAGE >> 12) * 4], SUPER_PAGE | PG_P | PG_RW ; U/S=0
        mov     dword [PTE0 + (DEMAND_PAGE >> 12) * 4], DEMAND_PAGE | PG_RW | PG_US ; P=0
        mov     dword [PAGE_TABLE1 + 0], MARKER1 | PG_P | PG_RW | PG_US     ; 400000h -> 30000h
        mov     dword [MARKER1], 0x4D4B5231     ; "1RKM"
        mov     dword [MARKER2], 0x4D4B5232
        mov     dword [RO_PAGE], 0x0000520F
        mov     dword [SUPER_PAGE], 0x50505050
        mov     dword [DEMAND_PAGE], 0xDE3A4D00
        ret

enable_paging:
        PGROUP  "enabling paging"
        mov     eax, PAGE_DIR
        mov     cr3, eax                ; the page directory's physical address
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax                ; the next fetch is already translated: identity here
        jmp     .flush                  ; (a jump after setting PG, as the 386 manual asks)
.flush:
        mov     eax, cr0
        and     eax, CR0_PG | 1
        PCHECK  eax, CR0_PG | 1, "CR0.PG and CR0.PE set"
        mov     eax, cr3
        PCHECK  eax, PAGE_DIR, "CR3 reads back"
        PCHECK  [MARKER1], 0x4D4B5231, "identity-mapped memory still reads the same"
        ret

; A page table entry can put any physical page behind any linear page.
remapping:
        PGROUP  "a remapped page"
        PCHECK  [REMAPPED], 0x4D4B5231, "linear 400000h reads physical 30000h"
        mov     dword [REMAPPED + 4], 0x600DF00D
        PCHECK  [MARKER1 + 4], 0x600DF00D, "a write through 400000h lands at 30000h"
        ret

; The CPU sets A in both the directory and the table entry on any access, D in the table entry
; on a write. It never clears them: the OS does, then flushes the TLB so the CPU notices.
accessed_dirty:
        PGROUP  "accessed and dirty bits"
        and     dword [PAGE_DIR + 0], ~PG_A
        and     dword [PTE0 + (AD_PAGE >> 12) * 4], ~(PG_A | PG_D)
        mov     eax, cr3
        mov     cr3, eax                ; flush the TLB
        mov     eax, [PTE0 + (AD_PAGE >> 12) * 4]
        and     eax, PG_A | PG_D
        PCHECK  eax, 0, "A and D clear before any access"
        mov     eax, [AD_PAGE + 0x10]   ; a read
        mov     eax, [PTE0 + (AD_PAGE >> 12) * 4]
        and     eax, PG_A | PG_D
        PCHECK  eax, PG_A, "a read sets A, not D"
        mov     eax, [PAGE_DIR + 0]
        and     eax, PG_A
        PCHECK  eax, PG_A, "the directory entry's A is set too"
        mov     dword [AD_PAGE + 0x10], 1       ; a write
        mov     eax, [PTE0 + (AD_PAGE >> 12) * 4]
        and     eax, PG_A | PG_D
        PCHECK  eax, PG_A | PG_D, "a write sets D"
        ret

; A not-present page: #PF, CR2 = the address, error code bit 0 clear. The faulting instruction is
; restartable: EIP points at it.
not_present:
        PGROUP  "#PF on a not-present page"
        TRY     .c1
.f1:    mov     eax, [ABSENT_PAGE + 0x123]
        ENDTRY
.c1:    CHECK_FAULT 14, 0, .f1, "read of a not-present page: error 0"
        mov     eax, cr2
        PCHECK  eax, ABSENT_PAGE + 0x123, "CR2 = the faulting linear address"
        TRY     .c2
.f2:    mov     dword [ABSENT_PAGE + 8], 1
        ENDTRY
.c2:    CHECK_FAULT 14, 2, .f2, "write to a not-present page: error 2 (W)"
        ; An access that straddles two pages faults on the first byte it cannot reach, and
        ; writes nothing.
        mov     dword [ABSENT_PAGE - 4], 0x11111111
        TRY     .c3
.f3:    mov     dword [ABSENT_PAGE - 2], 0x22222222
        ENDTRY
.c3:    CHECK_FAULT 14, 2, .f3, "write straddling into a not-present page"
        mov     eax, cr2
        PCHECK  eax, ABSENT_PAGE, "CR2 = the first byte of the absent page"
        PCHECK  [ABSENT_PAGE - 4], 0x11111111, "the straddling write changed nothing"
        ; A faulting instruction is undone before the handler runs - the stack pointer too. POP
        ; to memory moves ESP before it writes; PUSHAD pushes eight registers; when the write
        ; faults, ESP is back where it was (the handler's frame, 12 bytes below it on the same
        ; stack, shows where).
        TRY     .c5
.f5:    pop     dword [ABSENT_PAGE]
        ENDTRY
.c5:    CHECK_FAULT 14, 2, .f5, "pop to a not-present page"
        mov     ecx, [RESUME_ESP]
        sub     ecx, 12
        PCHECK  [FAULT_FRAME], ecx, "pop to a not-present page leaves ESP"
        mov     [SCRATCH_ESP], esp
        mov     esp, ABSENT_PAGE + 0x101C       ; seven dwords above the absent page: room
        TRY     .c6                             ; for the #PF frame and our handler's pushes
.f6:    pushad                          ; the eighth push lands in the absent page
        ENDTRY
.c6:    mov     esp, [SCRATCH_ESP]
        CHECK_FAULT 14, 2, .f6, "pushad into a not-present page"
        PCHECK  [FAULT_FRAME], ABSENT_PAGE + 0x101C - 12, "pushad's fault leaves ESP"
        mov     eax, cr2
        PCHECK  eax, ABSENT_PAGE + 0xFFC, "pushad: CR2"
        mov     dword [MARKER2], 0x4D4B5232     ; (the pushes that did happen wrote over it)

        ; A jump into a not-present page faults on the fetch of the first instruction there:
        ; the pushed CS:EIP is the jump's target.
        SET_DESC SEL_FLATCODE, 0, 0xFFFFF, 0xC09A
        TRY     .c4
.f4:    jmp     SEL_FLATCODE:ABSENT_PAGE
        ENDTRY
.c4:    CHECK_FAULT 14, 0, ABSENT_PAGE, "fetch from a not-present page"
        PCHECK  [FAULT_CS], SEL_FLATCODE, "the fetch fault's CS"
        mov     eax, cr2
        PCHECK  eax, ABSENT_PAGE, "CR2 of a fetch fault"
        ret

; A read-only page (R/W = 0). Ring 3 can never write it. Ring 0 can on the 386; from the 486 on
; CR0.WP decides.
write_protect:
        PGROUP  "read-only pages and CR0.WP"
        mov     dword [RO_PAGE + 4], 0x5A5A5A5A         ; WP=0: a supervisor write succeeds
        PCHECK  [RO_PAGE + 4], 0x5A5A5A5A, "ring 0 writes a read-only page with WP=0"
        mov     eax, cr0
        or      eax, CR0_WP
        mov     cr0, eax
        cmp     byte [CPU_FAMILY], 4
        jae     .has_wp
        mov     eax, cr0
        and     eax, CR0_WP
        PCHECK  eax, 0, "386: CR0.WP does not exist"
        mov     dword [RO_PAGE + 4], 0x3863863
        PCHECK  [RO_PAGE + 4], 0x3863863, "386: ring 0 writes read-only pages"
        jmp     .ring3
.has_wp:
        mov     eax, cr0
        and     eax, CR0_WP
        PCHECK  eax, CR0_WP, "CR0.WP set"
        TRY     .c1
.f1:    mov     dword [RO_PAGE + 4], 0
        ENDTRY
.c1:    CHECK_FAULT 14, 3, .f1, "ring 0 writes a read-only page with WP=1: error 3"
        mov     eax, cr2
        PCHECK  eax, RO_PAGE + 4, "CR2 of the WP fault"
        mov     eax, cr0
        and     eax, ~CR0_WP
        mov     cr0, eax
.ring3:
        TRY     .c2
        IRET_TO_RING3 .r3, 0x0002
.r3:
        mov     eax, [ss:RO_PAGE]       ; reading is fine
.f2:    mov     [ss:RO_PAGE], eax
        hlt
.c2:    CHECK_FAULT 14, 7, .f2, "ring 3 writes a read-only page: error 7 (P, W, U)"
        ret

; A supervisor page (U/S = 0): ring 3 gets #PF with error bits P and U.
user_supervisor:
        PGROUP  "supervisor pages"
        PCHECK  [SUPER_PAGE], 0x50505050, "ring 0 reads a supervisor page"
        TRY     .c1
        IRET_TO_RING3 .r3a, 0x0002
.r3a:
.f1:    mov     eax, [ss:SUPER_PAGE]
        hlt
.c1:    CHECK_FAULT 14, 5, .f1, "ring 3 reads a supervisor page: error 5 (P, U)"
        TRY     .c2
        IRET_TO_RING3 .r3b, 0x0002
.r3b:
.f2:    mov     eax, [ss:ABSENT_PAGE]
        hlt
.c2:    CHECK_FAULT 14, 4, .f2, "ring 3 reads a not-present page: error 4 (U)"
        ; U/S must be set at both levels: a user PTE under a supervisor PDE is still off limits.
        and     dword [PAGE_DIR + 4], ~PG_US
        mov     eax, cr3
        mov     cr3, eax
        TRY     .c3
        IRET_TO_RING3 .r3c, 0x0002
.r3c:
.f3:    mov     eax, [ss:REMAPPED]
        hlt
.c3:    CHECK_FAULT 14, 5, .f3, "user PTE under a supervisor PDE: error 5"
        or      dword [PAGE_DIR + 4], PG_US
        mov     eax, cr3
        mov     cr3, eax
        ret

; Demand paging: the #PF handler makes the page present and IRETs; the CPU then restarts the
; faulting instruction, which now succeeds. (The error code must be popped before IRETD.)
demand_paging:
        PGROUP  "a #PF handler that maps the page and retries"
        mov     dword [PF_COUNT], 0
        SET_IDT_GATE 14, pf_map_handler, 0x8E00
        mov     dword [DEMAND_PAGE + 4], 0xD0D0     ; a write: faults, then is retried
        PCHECK  [DEMAND_PAGE + 4], 0xD0D0, "the retried write happened"
        mov     esi, [DEMAND_PAGE]      ; already present now: no second fault
        SET_IDT_GATE 14, pm_stub_14, 0x8E00
        PCHECK  esi, 0xDE3A4D00, "the page's data"
        PCHECK  [PF_COUNT], 1, "one page fault"
        PCHECK  [PF_CR2], DEMAND_PAGE + 4, "the handler saw CR2"
        PCHECK  [PF_ERR], 2, "the handler saw error 2 (a write, not present)"

        ; A REP MOVSB that runs into an absent page faults with ECX, ESI and EDI saying how far
        ; it got; after the handler maps the page, IRET restarts it and it finishes the copy.
        and     dword [PTE0 + (DEMAND_PAGE2 >> 12) * 4], ~PG_P
        mov     eax, cr3
        mov     cr3, eax
        mov     dword [PF_COUNT], 0
        SET_IDT_GATE 14, pf_map_handler, 0x8E00
        mov     esi, string_16
        mov     edi, DEMAND_PAGE2 - 8   ; 8 bytes before the absent page, 8 into it
        mov     ecx, 16
        cs rep movsb                    ; (the source is in the ROM: CS-relative)
        mov     esi, ecx
        mov     ebp, edi
        SET_IDT_GATE 14, pm_stub_14, 0x8E00
        PCHECK  [PF_COUNT], 1, "rep movsb: one page fault"
        PCHECK  [PF_CR2], DEMAND_PAGE2, "rep movsb: CR2 = the first byte of the absent page"
        PCHECK  esi, 0, "rep movsb: ECX = 0 at the end"
        PCHECK  ebp, DEMAND_PAGE2 + 8, "rep movsb: EDI at the end"
        PCHECK  [DEMAND_PAGE2 - 8], '0123', "rep movsb: bytes 0-3"
        PCHECK  [DEMAND_PAGE2 - 4], '4567', "rep movsb: bytes 4-7 (before the page)"
        PCHECK  [DEMAND_PAGE2], '89AB', "rep movsb: bytes 8-11 (after the fault)"
        PCHECK  [DEMAND_PAGE2 + 4], 'CDEF', "rep movsb: bytes 12-15"
        ret

string_16:
        db      "0123456789ABCDEF"

pf_map_handler:
        push    eax
        inc     dword [PF_COUNT]
        mov     eax, [esp + 4]          ; the error code
        mov     [PF_ERR], eax
        mov     eax, cr2
        mov     [PF_CR2], eax
        shr     eax, 12
        or      dword [PTE0 + eax * 4], PG_P    ; map it (it was not present: no TLB entry)
        pop     eax
        add     esp, 4                  ; drop the error code
        iretd

; After changing a present entry the TLB may still hold the old translation. INVLPG drops one
; page's, a CR3 load all non-global ones; after either the CPU must see the new entry.
tlb_invalidation:
        PGROUP  "INVLPG and CR3 reloads"
        mov     dword [PAGE_TABLE1 + 0], MARKER1 | PG_P | PG_RW | PG_US
        mov     eax, cr3
        mov     cr3, eax
        PCHECK  [REMAPPED], 0x4D4B5231, "400000h -> page 30000h"
        mov     dword [PAGE_TABLE1 + 0], MARKER2 | PG_P | PG_RW | PG_US
        mov     eax, cr3
        mov     cr3, eax
        PCHECK  [REMAPPED], 0x4D4B5232, "after a CR3 load: page 33000h"
        cmp     byte [CPU_FAMILY], 4
        jae     .has_invlpg
        TRY     .c1
.f1:    invlpg  [REMAPPED]
        ENDTRY
.c1:    CHECK_FAULT 6, NO_ERROR_CODE, .f1, "invlpg on a 386: #UD"
        ret
.has_invlpg:
        mov     dword [PAGE_TABLE1 + 0], MARKER1 | PG_P | PG_RW | PG_US
        invlpg  [REMAPPED]
        PCHECK  [REMAPPED], 0x4D4B5231, "after invlpg: page 30000h again"
        TRY     .c2
        IRET_TO_RING3 .r3, 0x0002
.r3:
.f2:    invlpg  [ss:REMAPPED]
        hlt
.c2:    CHECK_FAULT 13, 0, .f2, "invlpg at CPL 3: #GP(0)"
        ret

; 4 MiB pages: a directory entry with PS=1 (and CR4.PSE) maps 4 MiB directly, no page table.
big_pages:
        test    dword [CPU_FEATURES], FEAT_PSE
        jnz     .has_pse
        PGROUP  "4 MiB pages absent"
        cmp     byte [CPU_FAMILY], 4
        jae     .no_cr4_test
        TRY     .c0
.f0:    mov     eax, cr4
        ENDTRY
.c0:    CHECK_FAULT 6, NO_ERROR_CODE, .f0, "386: mov eax, cr4 is #UD"
.no_cr4_test:
        ret
.has_pse:
        PGROUP  "4 MiB pages (PSE)"
        mov     dword [PAGE_DIR + 8], 0 | PG_PS | PG_P | PG_RW | PG_US    ; 800000h -> 0
        mov     eax, cr4
        or      eax, CR4_PSE
        mov     cr4, eax
        PCHECK  [BIG_PAGE + MARKER1], 0x4D4B5231, "a 4 MiB page: 830000h reads 30000h"
        mov     eax, [PAGE_DIR + 8]
        and     eax, PG_A | PG_D
        PCHECK  eax, PG_A, "the 4 MiB entry's A bit"
        mov     dword [BIG_PAGE + MARKER1 + 8], 0xB16B16
        PCHECK  [MARKER1 + 8], 0xB16B16, "a write through the 4 MiB page"
        mov     eax, [PAGE_DIR + 8]
        and     eax, PG_A | PG_D
        PCHECK  eax, PG_A | PG_D, "the 4 MiB entry's D bit"
        ; Without CR4.PSE the PS bit is ignored and the entry points at a page table. Point it at an
        ; empty page: every entry of that "table" says not present.
        mov     eax, cr4
        and     eax, ~CR4_PSE
        mov     cr4, eax
        mov     dword [PAGE_DIR + 8], FAKE_TABLE | PG_PS | PG_P | PG_RW | PG_US
        mov     eax, cr3
        mov     cr3, eax
        TRY     .c1
.f1:    mov     eax, [BIG_PAGE + MARKER1]
        ENDTRY
.c1:    CHECK_FAULT 14, 0, .f1, "PS ignored without CR4.PSE: the table says not present"
        mov     dword [PAGE_DIR + 8], 0
        mov     eax, cr3
        mov     cr3, eax
        ret

; Global pages (P6): with CR4.PGE, a translation whose entry has G=1 stays in the TLB across CR3
; loads (the SDM allows it to stay until INVLPG; Lantern, like a P6 that has not evicted it,
; keeps it). A non-global one is reloaded from the tables.
global_pages:
        test    dword [CPU_FEATURES], FEAT_PGE
        jnz     .has_pge
        PGROUP  "global pages absent"
        test    dword [CPU_FEATURES], FEAT_PSE   ; a Pentium: CR4 exists, PGE is reserved
        jz      .done
        mov     eax, cr4
        or      eax, CR4_PGE
        TRY     .c0
.f0:    mov     cr4, eax
        ENDTRY
.c0:    CHECK_FAULT 13, 0, .f0, "CR4.PGE without PGE: #GP(0)"
.done:
        ret
.has_pge:
        PGROUP  "global pages (PGE)"
        mov     eax, cr4
        or      eax, CR4_PGE
        mov     cr4, eax
        mov     dword [PAGE_TABLE1 + 0xF8 * 4], MARKER1 | PG_G | PG_P | PG_RW | PG_US
        mov     dword [PAGE_TABLE1 + 0xF9 * 4], MARKER1 | PG_P | PG_RW | PG_US
        PCHECK  [GLOBAL_TEST], 0x4D4B5231, "global page -> 30000h"
        PCHECK  [LOCAL_TEST], 0x4D4B5231, "non-global page -> 30000h"
        mov     dword [PAGE_TABLE1 + 0xF8 * 4], MARKER2 | PG_G | PG_P | PG_RW | PG_US
        mov     dword [PAGE_TABLE1 + 0xF9 * 4], MARKER2 | PG_P | PG_RW | PG_US
        mov     eax, cr3
        mov     cr3, eax
        PCHECK  [LOCAL_TEST], 0x4D4B5232, "after a CR3 load the non-global page is re-read"
        PCHECK  [GLOBAL_TEST], 0x4D4B5231, "after a CR3 load the global page is still cached"
        invlpg  [GLOBAL_TEST]
        PCHECK  [GLOBAL_TEST], 0x4D4B5232, "after invlpg the global page is re-read"
        ; Clearing CR4.PGE flushes every TLB entry, global ones included.
        mov     dword [PAGE_TABLE1 + 0xF8 * 4], MARKER1 | PG_G | PG_P | PG_RW | PG_US
        mov     eax, cr4
        and     eax, ~CR4_PGE
        mov     cr4, eax
        PCHECK  [GLOBAL_TEST], 0x4D4B5231, "clearing CR4.PGE flushes global entries"
        ret

; Each task can have its own address space: a task switch loads CR3 from the new TSS (and so
; flushes the TLB). The processor does not save CR3 into the old TSS; the OS keeps it there.
task_cr3:
        PGROUP  "a task switch loads CR3"
        mov     esi, PAGE_DIR
        mov     edi, PAGE_DIR2
        mov     ecx, 1024
        rep     movsd
        mov     dword [PAGE_DIR2 + 4], PAGE_TABLE2 | PG_P | PG_RW | PG_US
        mov     edi, PAGE_TABLE2
        xor     eax, eax
        mov     ecx, 1024
        rep     stosd
        mov     dword [PAGE_TABLE2], MARKER2 | PG_P | PG_RW | PG_US
        mov     dword [PAGE_TABLE1 + 0], MARKER1 | PG_P | PG_RW | PG_US
        mov     eax, cr3
        mov     cr3, eax
        PCHECK  [REMAPPED], 0x4D4B5231, "task A: 400000h is MARKER1 (now in the TLB)"
        mov     dword [TSS_BASE + 0x1C], PAGE_DIR       ; task A's CR3, for the way back
        mov     edi, TSS_B
        xor     eax, eax
        mov     ecx, 0x68 / 4
        rep     stosd
        mov     dword [TSS_B + 0x1C], PAGE_DIR2         ; CR3
        mov     dword [TSS_B + 0x20], task_b_entry      ; EIP
        mov     dword [TSS_B + 0x24], 0x0002
        mov     dword [TSS_B + 0x38], 0x9800            ; ESP
        mov     dword [TSS_B + 0x48], SEL_DATA32
        mov     dword [TSS_B + 0x4C], SEL_CODE32
        mov     dword [TSS_B + 0x50], SEL_DATA32
        mov     dword [TSS_B + 0x54], SEL_DATA32
        mov     word [TSS_B + 0x66], 0x68
        SET_DESC SEL_TSS_B, TSS_B, 0x67, 0x0089
        jmp     SEL_TSS_B:0
        PCHECK  [TB_CR3], PAGE_DIR2, "task B: CR3 from its TSS"
        PCHECK  [TB_SAW], 0x4D4B5232, "task B: 400000h is MARKER2"
        mov     eax, cr3
        PCHECK  eax, PAGE_DIR, "back in task A: CR3 from A's TSS"
        PCHECK  [REMAPPED], 0x4D4B5231, "back in task A: 400000h is MARKER1 again"
        clts
        ret

task_b_entry:
        mov     eax, cr3
        mov     [TB_CR3], eax
        mov     eax, [REMAPPED]
        mov     [TB_SAW], eax
        jmp     SEL_TSS:0

disable_paging:
        PGROUP  "disabling paging"
        mov     eax, cr0
        and     eax, ~CR0_PG
        mov     cr0, eax
        jmp     .flush
.flush:
        PCHECK  [MARKER1], 0x4D4B5231, "without paging 30000h is itself again"
        ret

        bits    16
        ROM_END
