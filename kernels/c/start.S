// Start-up for the C kernels (kernels/c/*.c): what a C runtime needs before
// main, on both layouts (position-independent, like every seed kernel).
//
// The MMU is turned on with an identity map before any C runs: with it off
// every access is to Device memory, which must be naturally aligned (Arm ARM
// D8.2.11), and compiled code makes unaligned accesses freely (a vectorised
// memcpy at an odd offset loads Q registers from any address). The map, 4 KiB
// granule, 39-bit VAs, one level 1 table:
//   [0, 1 GiB)   a level 2 table: [0, 128 MiB) Normal (vibe's RAM) in 2 MiB
//                blocks, the rest Device-nGnRnE (the GIC, PL011, PL031, ...)
//   [1, 2 GiB)   one Normal block (virt's RAM)
    .include "defs.inc"
    .section .text.boot, "ax"
    .global _start

.equ BLOCK_DEVICE, 0x401            // block | AttrIndx 0 | AF
.equ BLOCK_NORMAL, 0x705            // block | AttrIndx 1 | Inner Shareable | AF
.equ TABLE,        0x3
.equ NORMAL_2M_BLOCKS, 64           // 128 MiB

_start:
    bl   install_panic_vectors
    // .bss first: the translation tables and the stack live there.
    adrp x0, __bss_start
    add  x0, x0, :lo12:__bss_start
    adrp x1, __bss_end
    add  x1, x1, :lo12:__bss_end
1:  cmp  x0, x1
    b.hs 2f
    stp  xzr, xzr, [x0], #16
    b    1b
2:  adrp x0, stack_top
    add  x0, x0, :lo12:stack_top
    mov  sp, x0

    adrp x2, l2_table
    add  x2, x2, :lo12:l2_table
    mov  x3, #0                     // entry index
3:  lsl  x4, x3, #21
    cmp  x3, #NORMAL_2M_BLOCKS
    mov  x5, #BLOCK_NORMAL
    mov  x6, #BLOCK_DEVICE
    csel x5, x5, x6, lo
    orr  x4, x4, x5
    str  x4, [x2, x3, lsl #3]
    add  x3, x3, #1
    cmp  x3, #512
    b.ne 3b
    adrp x0, l1_table
    add  x0, x0, :lo12:l1_table
    orr  x4, x2, #TABLE
    str  x4, [x0]
    movl32 x4, (0x40000000 | BLOCK_NORMAL)
    str  x4, [x0, #8]
    mov  x1, #0xFF00                // MAIR: attr0 Device-nGnRnE, attr1 Normal write-back
    msr  mair_el1, x1
    ldr  x1, =0x400803519           // T0SZ 25, WB, Inner Shareable, TG0 4K, EPD1, IPS 44 bits
    msr  tcr_el1, x1
    msr  ttbr0_el1, x0
    dsb  ish
    tlbi vmalle1
    dsb  ish
    isb
    mrs  x1, sctlr_el1
    movl32 x2, ((1 << 12) | (1 << 2) | 1)   // I, C, M
    orr  x1, x1, x2
    msr  sctlr_el1, x1
    isb

    // Compiled code uses the FP/SIMD registers anywhere: CPACR_EL1.FPEN = 0b11.
    mrs  x1, cpacr_el1
    orr  x1, x1, #(3 << 20)
    msr  cpacr_el1, x1
    isb

    bl   uart_init
    bl   main
    b    psci_system_off
    .ltorg

    .include "lib.inc"

    .pushsection .bss
    .balign 4096
l1_table:
    .space 4096
l2_table:
    .space 4096
    .balign 16
    .space 65536
stack_top:
    .popsection
