// mmu: the stage-1 MMU of the EL1&0 regime, checked against QEMU 7.2.
//
// Builds translation tables at run time (everything is addressed relative to
// the image, so the same binary runs at 0x10000 on vibe and 0x4008_0000 on
// virt), turns the MMU on and prints what each access did. An unexpected
// exception is not fatal: the synchronous handler prints ESR_EL1 and FAR_EL1
// ("  fault esr=... far=...") and resumes after the faulting instruction (an
// instruction abort resumes at x30, since the tests reach bad code with BLR).
// Physical addresses are printed relative to the image start.
//
// Tables (4K granule, T0SZ = T1SZ = 25: 39-bit VAs, walks start at level 1):
//   TTBR0 -> l1:  [0, 1G) -> l2_low (2 MiB blocks: Device for 0x0800_0000-
//                 0x0C00_0000, Normal elsewhere), [1G, 2G) a 1 GiB Normal block,
//                 [2G, 3G) -> l2_win -> l3_win: the test window W = 0x8000_0000.
//   TTBR1 -> l1_hi: its first entry is l2_win too, so 0xFFFF_FF80_0000_0000 + n
//                 aliases W + n.
//   l1_b: a second TTBR0 root (ASID 2) whose window differs in one page.
// The 64K-granule part uses its own tables (see test_granule_64k).
    .include "defs.inc"

    .equ W,            0x80000000        // the test window (VA)
    .equ W_HI,         0xFFFFFF8000000000 // the same window through TTBR1
    // Descriptor fields
    .equ D_TABLE,      0x3
    .equ D_BLOCK,      0x1
    .equ D_PAGE,       0x3
    .equ D_DEVICE,     (0 << 2) | (2 << 8) | (1 << 10) // AttrIndx 0, Outer Shareable, AF
    .equ D_NORMAL,     (1 << 2) | (3 << 8) | (1 << 10) // AttrIndx 1, Inner Shareable, AF
    .equ D_NORMAL_NOAF, (1 << 2) | (3 << 8)
    .equ AP_EL1_RW,    (0 << 6)
    .equ AP_EL0_RW,    (1 << 6)
    .equ AP_EL1_RO,    (2 << 6)
    .equ AP_RO,        (3 << 6)
    .equ D_NG,         (1 << 11)
    .equ D_PXN,        (1 << 53)
    .equ D_UXN,        (1 << 54)
    // MAIR: attr0 Device-nGnRnE, attr1 Normal write-back, attr2 Normal non-cacheable
    .equ MAIR_VALUE,   0x44FF00
    // TCR: T0SZ = T1SZ = 25, IRGN/ORGN write-back, inner shareable, TG0 4K, TG1 4K, IPS 44 bits
    .equ TCR_LO,       25 | (1 << 8) | (1 << 10) | (3 << 12) | (25 << 16) | (1 << 24) | (1 << 26) | (3 << 28) | (2 << 30)
    .equ TCR_IPS_44,   4                 // TCR bits 34:32
    .equ TCR_TBI0,     37

.macro tlb_flush_all
    dsb  ishst
    tlbi vmalle1
    dsb  ish
    isb
.endm

    .section .text.boot, "ax"
    .global _start
_start:
    la   x0, stack_top
    mov  sp, x0
    la   x0, vectors
    msr  vbar_el1, x0
    isb
    bl   uart_init
    print "mmu: stage-1 translation, 4K and 64K granules\n"
    bl   build_tables
    bl   mmu_on
    print "mmu on\n"
    bl   test_identity
    bl   test_levels
    bl   test_ttbr1
    bl   test_permissions_el1
    bl   test_alignment
    bl   test_dc_zva
    bl   test_at
    bl   test_tlbi
    bl   test_asid
    bl   test_tbi
    bl   test_smc_alias
    bl   test_execute_never
    bl   test_el0
    bl   test_granule_64k
    print "mmu: done\n"
    bl   psci_system_off

// ---- Building the tables ---------------------------------------------------------------------
// x19 = image base (physical); tables and data pages are in .bss.
build_tables:
    stp  x29, x30, [sp, #-16]!
    la   x19, _start
    // Zero every table and data page (the .bss is not zeroed for us).
    la   x0, tables_start
    la   x1, tables_end
1:  stp  xzr, xzr, [x0], #16
    cmp  x0, x1
    b.lo 1b
    // l1: [0,1G) -> l2_low, [1G,2G) block, [2G,3G) -> l2_win
    la   x0, l1
    la   x1, l2_low
    orr  x1, x1, #D_TABLE
    str  x1, [x0, #0]
    mov  x1, #(1 << 30)
    movl32 x2, D_NORMAL | D_BLOCK
    orr  x1, x1, x2
    str  x1, [x0, #8]
    la   x1, l2_win
    orr  x1, x1, #D_TABLE
    str  x1, [x0, #16]
    // l1_b: the same but [2G,3G) -> l2_win_b
    la   x0, l1_b
    la   x1, l2_low
    orr  x1, x1, #D_TABLE
    str  x1, [x0, #0]
    mov  x1, #(1 << 30)
    orr  x1, x1, x2
    str  x1, [x0, #8]
    la   x1, l2_win_b
    orr  x1, x1, #D_TABLE
    str  x1, [x0, #16]
    // l1_hi: entry 0 -> l2_win (TTBR1 alias of the window)
    la   x0, l1_hi
    la   x1, l2_win
    orr  x1, x1, #D_TABLE
    str  x1, [x0]
    // l2_low: 512 blocks of 2 MiB, Device in [0x0800_0000, 0x0C00_0000)
    la   x0, l2_low
    mov  x1, #0                 // physical address
    mov  x3, #0
2:  movl32 x2, D_NORMAL | D_BLOCK
    movl32 x4, 0x08000000
    cmp  x1, x4
    b.lo 3f
    movl32 x4, 0x0C000000
    cmp  x1, x4
    b.hs 3f
    movl32 x2, D_DEVICE | D_BLOCK
3:  orr  x2, x2, x1
    str  x2, [x0, x3, lsl #3]
    add  x1, x1, #0x200000
    add  x3, x3, #1
    cmp  x3, #512
    b.lo 2b
    // l2_win[0] -> l3_win, l2_win[1] invalid (level 2 faults); l2_win_b[0] -> l3_win_b
    la   x0, l2_win
    la   x1, l3_win
    orr  x1, x1, #D_TABLE
    str  x1, [x0]
    la   x0, l2_win_b
    la   x1, l3_win_b
    orr  x1, x1, #D_TABLE
    str  x1, [x0]
    // l3_win: the test pages
    la   x20, l3_win
    bl   fill_window
    la   x20, l3_win_b
    bl   fill_window
    // l3_win_b differs in page 0xB: it maps data page 6 instead of 7
    la   x1, page6
    movl32 x2, D_NORMAL | D_PAGE | D_NG
    orr  x1, x1, x2
    str  x1, [x20, #(0xB * 8)]
    ldp  x29, x30, [sp], #16
    ret

// Fills the level 3 table at x20 with the window's pages.
fill_window:
    stp  x29, x30, [sp, #-16]!
    .macro window_page index, sym, attrs
    la   x1, \sym
    ldr  x2, =\attrs
    orr  x1, x1, x2
    str  x1, [x20, #(\index * 8)]
    .endm
    window_page 0x0, page0, D_NORMAL | D_PAGE | AP_EL1_RW
    window_page 0x1, page0, D_NORMAL | D_PAGE | AP_EL1_RO
    window_page 0x2, page1, D_NORMAL | D_PAGE | AP_EL0_RW | D_PXN
    window_page 0x3, page2, D_NORMAL | D_PAGE | AP_RO
    // 0x4: invalid (level 3 translation fault)
    window_page 0x5, page3, D_NORMAL_NOAF | D_PAGE
    window_page 0x6, page3, D_DEVICE | D_PAGE | AP_EL1_RW
    window_page 0x7, code_page, D_NORMAL | D_PAGE | AP_EL1_RW | D_PXN
    window_page 0x8, code_page, D_NORMAL | D_PAGE | AP_EL1_RO | D_UXN
    window_page 0x9, code_page, D_NORMAL | D_PAGE | AP_EL1_RO | D_PXN
    window_page 0xA, user_code, D_NORMAL | D_PAGE | AP_EL0_RW | D_UXN
    window_page 0xB, page7, D_NORMAL | D_PAGE | D_NG
    window_page 0xD, user_code, D_NORMAL | D_PAGE | AP_RO
    window_page 0xE, page4, D_NORMAL | D_PAGE | AP_EL0_RW | D_UXN
    // 0xC: an output address beyond the 44-bit PA range (address size fault, level 3)
    mov  x1, #(1 << 44)
    movl32 x2, D_NORMAL | D_PAGE
    orr  x1, x1, x2
    str  x1, [x20, #(0xC * 8)]
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

mmu_on:
    ldr  x0, =MAIR_VALUE
    msr  mair_el1, x0
    ldr  x0, =TCR_LO
    mov  x1, #TCR_IPS_44
    orr  x0, x0, x1, lsl #32
    msr  tcr_el1, x0
    la   x0, l1
    orr  x0, x0, #(1 << 48)     // ASID 1
    msr  ttbr0_el1, x0
    la   x0, l1_hi
    msr  ttbr1_el1, x0
    isb
    tlb_flush_all
    mrs  x0, sctlr_el1
    orr  x0, x0, #1             // M
    msr  sctlr_el1, x0
    isb
    ret
    .ltorg

// ---- The tests ---------------------------------------------------------------------------------
test_identity:
    stp  x29, x30, [sp, #-16]!
    print "identity:\n"
    la   x19, value_a
    ldr  x0, =0x1122334455667788
    str  x0, [x19]
    ldr  x1, [x19]
    show "  read back", x1
    ldp  x29, x30, [sp], #16
    ret

// Faults at levels 1, 2 and 3, an access flag fault, an address size fault,
// and a level 0 fault for a VA beyond the 39-bit range; then the window's pages.
test_levels:
    stp  x29, x30, [sp, #-16]!
    print "levels:\n"
    ldr  x19, =W
    mov  x0, #0x5A
    str  x0, [x19]              // page0 through W+0
    ldr  x1, [x19, #0x1000]     // page0 again through the read-only alias
    show "  alias", x1
    ldr  x1, [x19, #0x4000]     // level 3 translation fault
    ldr  x20, =W + 0x200000
    ldr  x1, [x20]              // level 2 translation fault
    ldr  x20, =0xC0000000
    ldr  x1, [x20]              // level 1 translation fault
    ldr  x20, =0x8000000000
    ldr  x1, [x20]              // beyond T0SZ: level 0 translation fault
    ldr  x1, [x19, #0x5000]     // access flag fault, level 3
    add  x20, x19, #0xC000
    ldr  x1, [x20]              // address size fault, level 3
    str  x1, [x19, #0x4008]     // a store: WnR set
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

test_ttbr1:
    stp  x29, x30, [sp, #-16]!
    print "ttbr1:\n"
    ldr  x19, =W_HI
    ldr  x1, [x19]              // page0 through the upper half
    show "  upper alias", x1
    ldr  x20, =W_HI + 0x40000000
    ldr  x1, [x20]              // level 1 translation fault in the upper half
    ldr  x1, [x19, #0x4000]     // level 3 translation fault in the upper half
    ldr  x20, =0xFFFF7F8000000000
    ldr  x1, [x20]              // neither half: level 0 fault (TTBR1 region, bits 63:39 not all ones)
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

test_permissions_el1:
    stp  x29, x30, [sp, #-16]!
    print "el1 permissions:\n"
    ldr  x19, =W
    str  x1, [x19, #0x1000]     // read-only alias: permission fault
    str  x1, [x19, #0x3000]     // AP=11: permission fault
    ldr  x1, [x19, #0x3000]     // readable
    mov  x2, #7
    str  x2, [x19, #0x2000]     // EL0-writable page: EL1 may write it
    ldtr x1, [x19]              // LDTR of an EL1-only page: permission fault (EL0's view)
    add  x20, x19, #0x2000
    add  x21, x19, #0x3000
    ldtr x1, [x20]              // LDTR of an EL0 page
    show "  ldtr", x1
    sttr x2, [x21]              // STTR to an EL0 read-only page: permission fault
    mov  x2, #9
    sttr x2, [x20]
    ldr  x1, [x19, #0x2000]
    show "  sttr", x1
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

// Normal memory allows misaligned accesses (even across pages); SCTLR.A makes
// them fault; Device memory and exclusives never allow them.
test_alignment:
    stp  x29, x30, [sp, #-16]!
    print "alignment:\n"
    ldr  x19, =W + 0x100        // page0
    ldr  x0, =0x1122334455667788
    str  x0, [x19]
    ldr  x1, [x19, #1]
    show "  misaligned load", x1
    ldr  x2, =0xA1A2A3A4A5A6A7A8
    str  x2, [x19, #3]
    ldr  x1, [x19]
    show "  after misaligned store", x1
    ldr  x20, =W + 0x2000 + 0xFFC    // page1's last word, then page2
    ldr  x1, [x20]
    show "  across pages", x1
    ldr  x20, =W + 0x3000 + 0xFFC    // page2's last word, then the invalid page 4
    ldr  x1, [x20]
    ldxr x1, [x19, #0]
    add  x20, x19, #4
    ldxr x1, [x20]              // misaligned exclusive: alignment fault
    ldr  x20, =W + 0x6000
    ldr  x1, [x20, #2]          // misaligned on Device memory: alignment fault
    ldr  w1, [x20, #4]          // aligned on Device memory
    mrs  x21, sctlr_el1
    orr  x0, x21, #2            // SCTLR.A
    msr  sctlr_el1, x0
    isb
    ldr  x1, [x19, #1]          // now a fault
    msr  sctlr_el1, x21
    isb
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

test_dc_zva:
    stp  x29, x30, [sp, #-16]!
    print "dc zva:\n"
    la   x19, zva_block
    mov  x0, #-1
    mov  x1, #0
1:  str  x0, [x19, x1]
    add  x1, x1, #8
    cmp  x1, #128
    b.lo 1b
    add  x0, x19, #70
    dc   zva, x0                // zeroes bytes 64-127
    ldr  x1, [x19, #56]
    show "  before", x1
    ldr  x1, [x19, #64]
    show "  zeroed", x1
    ldr  x1, [x19, #120]
    show "  last", x1
    ldr  x0, =W + 0x6000
    dc   zva, x0                // Device memory: alignment fault
    ldr  x0, =W + 0x1000
    dc   zva, x0                // read-only: permission fault
    ldr  x0, =W + 0x4000
    dc   zva, x0                // invalid: translation fault
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

// PAR_EL1 after AT; the physical address is shown relative to the image.
.macro at_show op, addr
    ldr  x0, =\addr
    at   \op, x0
    isb
    mrs  x1, par_el1
    bl   show_par
.endm

show_par:
    stp  x29, x30, [sp, #-16]!
    mov  x22, x1
    tbnz x22, #0, 1f
    ldr  x0, =0xFF00000000000FFF
    and  x0, x22, x0
    show "  par attrs", x0
    and  x0, x22, #0xFFFFFFFFF000
    la   x1, _start
    sub  x0, x0, x1
    show "  par pa-image", x0
    ldp  x29, x30, [sp], #16
    ret
1:  show "  par fault", x22
    ldp  x29, x30, [sp], #16
    ret

test_at:
    stp  x29, x30, [sp, #-16]!
    print "at:\n"
    at_show s1e1r, W
    at_show s1e1w, W + 0x1000        // read-only: permission fault
    at_show s1e0r, W                 // EL1-only: permission fault
    at_show s1e0r, W + 0x2000
    at_show s1e0w, W + 0x3000        // EL0 read-only: permission fault
    at_show s1e1r, W + 0x4000        // translation fault, level 3
    at_show s1e1r, W + 0x6008        // Device
    at_show s1e1r, W + 0x5000        // access flag fault
    at_show s1e1r, 0xC0000000        // level 1
    at_show s1e1r, W_HI + 0x2000
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

// Remaps W+0 from page0 to page5 and back with each TLBI form, reading after each.
.macro remap_with op, target
    la   x1, \target
    movl32 x2, D_NORMAL | D_PAGE
    orr  x1, x1, x2
    str  x1, [x20]
    dsb  ishst
    .ifc \op,vmalle1
    tlbi vmalle1
    .else
    .ifc \op,vmalle1is
    tlbi vmalle1is
    .else
    .ifc \op,aside1
    tlbi aside1, x21
    .else
    .ifc \op,aside1is
    tlbi aside1is, x21
    .else
    tlbi \op, x22
    .endif
    .endif
    .endif
    .endif
    dsb  ish
    isb
    ldr  x1, [x19]
    show "  \op", x1
.endm

test_tlbi:
    stp  x29, x30, [sp, #-16]!
    print "tlbi:\n"
    ldr  x19, =W
    la   x20, l3_win            // entry 0 maps W
    la   x0, page5
    mov  x1, #0x55
    str  x1, [x0]
    ldr  x1, [x19]
    show "  before", x1
    lsr  x22, x19, #12
    orr  x22, x22, #(1 << 48)   // ASID 1 in bits 63:48
    mov  x21, #(1 << 48)
    remap_with vae1, page5
    remap_with vae1is, page0
    remap_with vaae1, page5
    remap_with vaae1is, page0
    remap_with vale1, page5
    remap_with vale1is, page0
    remap_with vaale1, page5
    remap_with vaale1is, page0
    remap_with aside1, page5
    remap_with aside1is, page0
    remap_with vmalle1, page5
    remap_with vmalle1is, page0
    // Break before make: invalid, TLBI, new mapping, TLBI.
    str  xzr, [x20]
    dsb  ishst
    tlbi vae1, x22
    dsb  ish
    isb
    ldr  x1, [x19]              // translation fault while broken
    la   x1, page0
    movl32 x2, D_NORMAL | D_PAGE
    orr  x1, x1, x2
    str  x1, [x20]
    dsb  ishst
    tlbi vae1, x22
    dsb  ish
    isb
    ldr  x1, [x19]
    show "  after make", x1
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

// Two roots with different ASIDs whose non-global page W+0xB000 differs:
// switching TTBR0 (and with it the ASID) without TLBI shows the other page.
test_asid:
    stp  x29, x30, [sp, #-16]!
    print "asid:\n"
    la   x0, page6
    mov  x1, #6
    str  x1, [x0]
    la   x0, page7
    mov  x1, #7
    str  x1, [x0]
    ldr  x19, =W + 0xB000
    ldr  x1, [x19]
    show "  asid 1", x1
    la   x0, l1_b
    orr  x0, x0, #(2 << 48)
    msr  ttbr0_el1, x0
    isb
    ldr  x1, [x19]
    show "  asid 2", x1
    la   x0, l1
    orr  x0, x0, #(1 << 48)
    msr  ttbr0_el1, x0
    isb
    ldr  x1, [x19]
    show "  asid 1 again", x1
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

test_tbi:
    stp  x29, x30, [sp, #-16]!
    print "tbi:\n"
    ldr  x19, =0x5A00000080000000   // W with a tag
    ldr  x1, [x19]                  // TBI0 = 0: level 0 translation fault
    mrs  x21, tcr_el1
    orr  x0, x21, #(1 << TCR_TBI0)
    msr  tcr_el1, x0
    isb
    ldr  x1, [x19]
    show "  tagged load", x1
    la   x0, 1f
    mov  x1, #0x7B
    orr  x0, x0, x1, lsl #56
    br   x0                         // a tagged branch target is untagged
1:  adr  x0, .
    la   x1, _start
    sub  x0, x0, x1
    show "  pc-image after tagged branch", x0
    msr  tcr_el1, x21
    isb
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

// Code written through a writable alias and run through a read-only executable one.
test_smc_alias:
    stp  x29, x30, [sp, #-16]!
    print "code through an alias:\n"
    ldr  x19, =W + 0x7000       // writable, not executable
    ldr  x20, =W + 0x8000       // executable, read-only
    ldr  w0, =0xD2800020        // movz x0, #1
    ldr  w1, =0xD65F03C0        // ret
    str  w0, [x19]
    str  w1, [x19, #4]
    dc   cvau, x19
    dsb  ish
    ic   ivau, x20
    dsb  ish
    isb
    blr  x20
    show "  first", x0
    ldr  w0, =0xD2800040        // movz x0, #2
    str  w0, [x19]
    dc   cvau, x19
    dsb  ish
    ic   ivau, x20
    dsb  ish
    isb
    blr  x20
    show "  rewritten", x0
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

test_execute_never:
    stp  x29, x30, [sp, #-16]!
    print "execute never:\n"
    ldr  x19, =W + 0x9000       // PXN
    blr  x19
    ldr  x19, =W + 0x7000       // writable with PXN
    blr  x19
    ldr  x19, =W + 0xE000       // EL0-writable: implicitly PXN
    blr  x19
    ldr  x19, =W + 0x4000       // invalid
    blr  x19
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

// EL0 runs user_code (mapped at W+0xD000, EL0 read-only and executable) with
// its stack in page1 (W+0x2000); it returns with SVC #0.
test_el0:
    stp  x29, x30, [sp, #-16]!
    print "el0:\n"
    la   x0, el1_resume_sp
    mov  x1, sp
    str  x1, [x0]
    ldr  x0, =W + 0x3000
    msr  sp_el0, x0
    la   x0, user_code
    la   x1, user_main
    sub  x1, x1, x0
    ldr  x0, =W + 0xD000
    add  x0, x0, x1
    msr  elr_el1, x0
    msr  spsr_el1, xzr          // EL0t
    eret
el0_returned:
    print "  back at el1\n"
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

// ---- 64K granule ------------------------------------------------------------------------
// TTBR0 with TG0 = 64K, T0SZ = 25: walks start at level 2 (512 MiB per entry).
//   l2_64[0] -> l3_64_low ([0, 512M) in 64 KiB pages, Device in the device range),
//   l2_64[2] a 512 MiB block at 1G, l2_64[4] -> l3_64_win (W in 64 KiB pages).
test_granule_64k:
    stp  x29, x30, [sp, #-16]!
    print "64k granule:\n"
    la   x0, l2_64
    la   x1, l3_64_low
    orr  x1, x1, #D_TABLE
    str  x1, [x0]
    mov  x1, #(1 << 30)
    movl32 x2, D_NORMAL | D_BLOCK
    orr  x1, x1, x2
    str  x1, [x0, #16]
    la   x1, l3_64_win
    orr  x1, x1, #D_TABLE
    str  x1, [x0, #32]
    la   x0, l3_64_low
    mov  x1, #0
    mov  x3, #0
1:  movl32 x2, D_NORMAL | D_PAGE
    movl32 x4, 0x08000000
    cmp  x1, x4
    b.lo 2f
    movl32 x4, 0x0C000000
    cmp  x1, x4
    b.hs 2f
    movl32 x2, D_DEVICE | D_PAGE
2:  orr  x2, x2, x1
    str  x2, [x0, x3, lsl #3]
    add  x1, x1, #0x10000
    add  x3, x3, #1
    cmp  x3, #8192
    b.lo 1b
    la   x0, l3_64_win
    la   x1, page64
    movl32 x2, D_NORMAL | D_PAGE
    orr  x1, x1, x2
    str  x1, [x0]               // W -> page64; W+64K invalid
    la   x0, page64
    ldr  x1, =0x64640000
    add  x0, x0, #0x8000
    str  x1, [x0, #8]
    // Switch with the MMU off (the code runs from the identity map either way):
    // TTBR0 -> l2_64, TG0 = 64K (TCR bits 15:14 = 01)
    mrs  x23, tcr_el1
    mrs  x24, ttbr0_el1
    bl   mmu_off
    bic  x0, x23, #(3 << 14)
    orr  x0, x0, #(1 << 14)
    la   x1, l2_64
    orr  x1, x1, #(3 << 48)     // ASID 3
    msr  ttbr0_el1, x1
    msr  tcr_el1, x0
    isb
    tlb_flush_all
    bl   mmu_enable
    ldr  x19, =W
    add  x20, x19, #0x8000
    ldr  x1, [x20, #8]
    show "  read", x1
    add  x20, x19, #0x10000
    ldr  x1, [x20]              // level 3 translation fault
    ldr  x20, =W + 0x20000000
    ldr  x1, [x20]              // level 2 translation fault
    ldr  x0, =W + 0x8000
    at   s1e1r, x0
    isb
    mrs  x1, par_el1
    bl   show_par
    bl   mmu_off
    msr  ttbr0_el1, x24
    msr  tcr_el1, x23
    isb
    tlb_flush_all
    bl   mmu_enable
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

mmu_off:
    mrs  x0, sctlr_el1
    bic  x0, x0, #1
    msr  sctlr_el1, x0
    isb
    ret

mmu_enable:
    mrs  x0, sctlr_el1
    orr  x0, x0, #1
    msr  sctlr_el1, x0
    isb
    ret

// ---- Exceptions -----------------------------------------------------------------------------
// Prints the syndrome and resumes: after the faulting instruction, or at x30
// for an instruction abort. An SVC from EL0 ends the EL0 test.
sync_handler:
    stp  x0, x1, [sp, #-176]!
    stp  x2, x3, [sp, #16]
    stp  x4, x5, [sp, #32]
    stp  x6, x7, [sp, #48]
    stp  x8, x9, [sp, #64]
    stp  x10, x11, [sp, #80]
    stp  x12, x13, [sp, #96]
    stp  x14, x15, [sp, #112]
    stp  x16, x17, [sp, #128]
    stp  x18, x19, [sp, #144]
    stp  x29, x30, [sp, #160]
    mrs  x19, esr_el1
    lsr  x0, x19, #26
    cmp  x0, #0x15              // SVC: the EL0 test is over
    b.eq el0_done
    print "  fault esr="
    mov  x0, x19
    bl   uart_puthex
    print " far="
    mrs  x0, far_el1
    bl   uart_puthex
    mov  w0, #'\n'
    bl   uart_putc
    lsr  x0, x19, #26
    cmp  x0, #0x20              // instruction abort from EL0: return to the user's x30
    b.eq 2f
    cmp  x0, #0x21
    b.eq 2f
    mrs  x0, elr_el1
    add  x0, x0, #4
    msr  elr_el1, x0
    b    3f
2:  ldr  x0, [sp, #168]         // the interrupted x30
    msr  elr_el1, x0
3:  ldp  x29, x30, [sp, #160]
    ldp  x18, x19, [sp, #144]
    ldp  x16, x17, [sp, #128]
    ldp  x14, x15, [sp, #112]
    ldp  x12, x13, [sp, #96]
    ldp  x10, x11, [sp, #80]
    ldp  x8, x9, [sp, #64]
    ldp  x6, x7, [sp, #48]
    ldp  x4, x5, [sp, #32]
    ldp  x2, x3, [sp, #16]
    ldp  x0, x1, [sp], #176
    eret

el0_done:
    la   x0, el1_resume_sp
    ldr  x0, [x0]
    mov  sp, x0
    b    el0_returned

    .include "lib.inc"

    .balign 2048
vectors:
    .irp offset, 0x000, 0x080, 0x100, 0x180
    panic_entry \offset
    .endr
    b    sync_handler           // current EL with SP_ELx: synchronous
    .balign 128
    .irp offset, 0x280, 0x300, 0x380
    panic_entry \offset
    .endr
    b    sync_handler           // lower EL, AArch64: synchronous
    .balign 128
    .irp offset, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
    panic_entry \offset
    .endr

// ---- EL0 code: one page, mapped at W+0xD000 -------------------------------------------------
// Everything EL0 does faults or is checked through the faults' syndromes.
    .balign 4096
user_code:
user_main:
    ldr  x19, =W
    ldr  x0, [x19]              // EL1-only page: permission fault from EL0
    ldr  x0, [x19, #0x3000]     // EL0 read-only: fine
    str  x0, [x19, #0x3000]     // permission fault
    mov  x0, #3
    str  x0, [x19, #0x2000]     // EL0 read-write: fine
    ldr  x20, =W + 0xA000       // EL0 RW with UXN: instruction abort from EL0
    blr  x20
    ldr  x20, =W + 0x4000       // invalid: translation fault from EL0
    ldr  x0, [x20]
    ldr  x0, [x19, #0x2000]
    add  x0, x0, #1
    str  x0, [x19, #0x2008]
    dc   zva, x19               // EL0 with SCTLR.DZE = 0: trapped (EC 0x18)
    svc  #0
    .ltorg
    .balign 4096

    .bss
    .balign 65536
tables_start:
l2_64:      .space 65536        // 8 KiB used; 64 KiB keeps what follows 64K-aligned
l3_64_low:  .space 65536
l3_64_win:  .space 65536
page64:     .space 65536
l1:         .space 4096
l1_b:       .space 4096
l1_hi:      .space 4096
l2_low:     .space 4096
l2_win:     .space 4096
l2_win_b:   .space 4096
l3_win:     .space 4096
l3_win_b:   .space 4096
page0:      .space 4096
page1:      .space 4096
page2:      .space 4096
page3:      .space 4096
page4:      .space 4096
page5:      .space 4096
page6:      .space 4096
page7:      .space 4096
code_page:  .space 4096
zva_block:  .space 128
value_a:    .space 64
el1_resume_sp: .space 16
tables_end:
    .balign 16
    .space 8192
stack_top:
