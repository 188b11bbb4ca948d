// bench_int: the integer loop `deja bench` measures (and QEMU runs for comparison).
// 18 instructions per iteration in the proportions of compiled integer code:
// ALU with shifted operands, a multiply-accumulate, a conditional select,
// register-offset and pair loads/stores, a flag-setting counter and a branch.
// 55,555,556 iterations (about 1.0e9 instructions), then PSCI SYSTEM_OFF.
// Position-independent: runs at 0x10000 (vibe) and 0x40080000 (virt).
// Built a second time with MMU=1 (bench_int_mmu): the same loop with the MMU
// on, through an identity map of the first 2 GiB in two 1 GiB Normal blocks.
        .equ ITERATIONS, 55555556
        .global _start
_start:
        .ifdef MMU
        adr     x0, l1_table
        mov     x1, #0x705              // block | AttrIndx 1 | Inner Shareable | AF
        str     x1, [x0]                // [0, 1G)
        orr     x1, x1, #(1 << 30)
        str     x1, [x0, #8]            // [1G, 2G)
        mov     x1, #0xFF00             // MAIR: attr0 Device-nGnRnE, attr1 Normal write-back
        msr     mair_el1, x1
        ldr     x1, =0x400803519        // T0SZ 25, WB, Inner Shareable, TG0 4K, EPD1, IPS 44 bits
        msr     tcr_el1, x1
        msr     ttbr0_el1, x0
        isb
        mrs     x1, sctlr_el1
        orr     x1, x1, #1              // M
        msr     sctlr_el1, x1
        isb
        .endif
        adr     x1, data
        movz    x2, #(ITERATIONS & 0xffff)
        movk    x2, #(ITERATIONS >> 16), lsl #16
        mov     x3, #1
        mov     x4, #3
        mov     x5, #0
        mov     x9, #0
        mov     x12, #0
loop:
        add     x3, x3, x4
        eor     x5, x5, x3, lsl #3
        and     x6, x5, #0xff0
        orr     x7, x6, x4
        add     x4, x4, #1
        ldr     x8, [x1, x6]
        add     x8, x8, x7
        str     x8, [x1, x6]
        madd    x9, x3, x4, x9
        lsr     x10, x9, #7
        cmp     x10, x8
        csel    x11, x10, x8, lo
        add     x12, x12, x11
        ldp     x13, x14, [x1, #16]
        add     x13, x13, #1
        stp     x13, x14, [x1, #16]
        subs    x2, x2, #1
        b.ne    loop
        ldr     x0, =0x84000008         // PSCI SYSTEM_OFF
        hvc     #0
        b       .
        .ltorg
        .balign 4096
data:
        .space  4096
        .ifdef MMU
l1_table:
        .space  4096
        .endif
