// heisenbug: an interrupt handler that clobbers X9, visible only when the
// interrupt lands in a three-instruction window. The seed's real bug: an
// ARM64 JIT kept a live value in X9 and found it replaced by 1.
//
// The main loop counts iterations in X19 and keeps a live value derived from
// the counter in X9 (X9 = counter * 16) for a few instructions, then checks
// the invariant X9 == X19 * 16. The virtual timer ticks through the GICv2
// (INTID 27, CNTV with CVAL advanced by a fixed period per tick), and its
// handler uses X9 as scratch without saving it: X9 is a temporary in the
// AAPCS64 calling convention, which is right for a function and wrong for an
// interrupt handler, which must preserve every register. The handler leaves
// X9 = 1 (the "tick pending" flag it stores).
//
// So the bug shows only when an interrupt is taken inside the window between
// the write of X9 and the check that reads it: 3 of the loop's 512
// instruction boundaries. With deterministic delivery (Deja without chaos)
// every tick lands at the same place in the loop, outside the window, and the
// kernel prints "heisenbug: ok" after 20 ticks; Deja's --chaos-seed delays
// each delivery by a seeded 0..1023 instructions, which puts a tick in the
// window for some seeds: the kernel prints "X9 CORRUPT" and powers off.
// QEMU takes interrupts only between translation blocks, and the window lies
// inside one, so QEMU prints "heisenbug: ok" too.
    .include "defs.inc"

    .equ TICKS,       20
    .equ PERIOD,      5000          // timer period in counter ticks (= instructions in Deja)
    .equ DELAY,       251           // delay loop trips: the main loop is 10 + 2 * DELAY = 512 instructions

    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack_top
    mov  sp, x0
    adr  x0, vectors
    msr  vbar_el1, x0
    isb
    bl   uart_init
    print "heisenbug: X9 must survive 20 timer interrupts\n"
    adr  x20, ticks
    str  wzr, [x20]
    adr  x0, tick_pending
    str  wzr, [x0]

    gic_enable_vtimer

    // First deadline one period from now; the handler adds a period per tick.
    mrs  x0, cntvct_el0
    movl32 x1, PERIOD
    add  x0, x0, x1
    msr  cntv_cval_el0, x0
    mov  x0, #CNT_CTL_ENABLE
    msr  cntv_ctl_el0, x0
    isb

    mov  x19, #0x100            // the counter never makes X9 = 1
    msr  daifclr, #2            // unmask IRQs

main_loop:
    add  x19, x19, #1
    lsl  x9, x19, #4            // X9 is live from here...
    add  x10, x9, #8            //   (work that uses it)
    eor  x11, x10, x19
    cmp  x9, x19, lsl #4        // ...to here: the invariant
    b.ne x9_corrupt
    mov  x12, #DELAY            // the rest of the iteration, X9 dead
1:  subs x12, x12, #1
    b.ne 1b
    ldr  w13, [x20]
    cmp  w13, #TICKS
    b.lo main_loop

    msr  daifset, #2
    msr  cntv_ctl_el0, xzr
    isb
    print "heisenbug: ok\n"
    bl   psci_system_off

x9_corrupt:
    msr  daifset, #2
    mov  x21, x9
    print "X9 CORRUPT: x9="
    mov  x0, x21
    bl   uart_puthex
    print ", expected "
    lsl  x0, x19, #4
    bl   uart_puthex
    print " at iteration "
    mov  x0, x19
    bl   uart_puthex
    mov  w0, #'\n'
    bl   uart_putc
    bl   psci_system_off

// IRQ at EL1 with SP_EL1. Saves x0 and x1, and not X9: the bug.
irq_handler:
    stp  x0, x1, [sp, #-16]!
    movl32 x0, GICC_BASE
    ldr  w1, [x0, #GICC_IAR]
    and  w9, w1, #0x3FF
    cmp  w9, #VTIMER_INTID
    b.ne 9f                     // spurious (1023): no EOI
    mrs  x9, cntv_cval_el0      // next deadline: one period after this one
    add  x9, x9, #(PERIOD & 0xFFF)
    add  x9, x9, #(PERIOD & 0xFFF000)
    msr  cntv_cval_el0, x9
    adr  x9, ticks
    ldr  w0, [x9]
    add  w0, w0, #1
    str  w0, [x9]
    adr  x0, tick_pending
    mov  w9, #1                 // the bad value: X9 = 1 when we return
    str  w9, [x0]
    movl32 x0, GICC_BASE
    str  w1, [x0, #GICC_EOIR]
9:  ldp  x0, x1, [sp], #16
    eret

    .include "lib.inc"

    irq_vectors irq_handler

    .data
    .balign 4
ticks:
    .word 0
tick_pending:
    .word 0

    .bss
    .balign 16
    .space 4096
stack_top:
