// timer_irq: interrupt-driven ticks from the EL1 virtual timer through the GICv2.
//
// Installs a vector table, enables the GIC distributor and CPU interface and
// the virtual timer's INTID 27, programs CNTV_TVAL_EL0 for 100 Hz from
// CNTFRQ_EL0, unmasks IRQs and sleeps in WFI. Each IRQ acknowledges (GICC_IAR), re-arms the timer, prints
// "tick N" and signals end of interrupt (GICC_EOIR). After five ticks the
// handler stops the timer; the main loop prints "done" and powers off.
//
// TICKS (default 5) sets how many ticks the run takes: the Makefile also
// builds timer_irq_long with 100,000 of them, an interrupt-heavy run long
// enough for deja bench --recording to time.
//
// GIC3 (defined: the Makefile's timer_irq_gic3) drives a GICv3 instead: the
// distributor with affinity routing, the redistributor woken up (GICR_WAKER)
// and holding the timer's PPI in Group 1, and the ICC_* system registers
// (ICC_PMR_EL1, ICC_IGRPEN1_EL1, ICC_IAR1_EL1, ICC_EOIR1_EL1) in place of
// the GICv2 CPU interface. Run it with QEMU's -M virt,gic-version=3 and Deja's
// --gic 3; the output is timer_irq's but for the first line.
    .include "defs.inc"
    .ifndef TICKS
    .equ TICKS, 5
    .endif

// Compares reg with TICKS (scratch holds TICKS when it does not fit an immediate).
.macro cmp_ticks reg, scratch
    .if TICKS < 4096
    cmp  \reg, #TICKS
    .else
    movl32 \scratch, TICKS
    cmp  \reg, \scratch
    .endif
.endm
    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack_top
    mov  sp, x0
    adr  x0, vectors
    msr  vbar_el1, x0
    isb
    bl   uart_init
    .ifdef GIC3
    print "timer_irq: 100 Hz virtual timer, 5 ticks, GICv3\n"
    .elseif TICKS == 5
    print "timer_irq: 100 Hz virtual timer, 5 ticks\n"
    .else
    print "timer_irq: 100 Hz virtual timer, many ticks\n"
    .endif
    adr  x19, ticks
    str  wzr, [x19]

    .ifdef GIC3
    gic3_enable_vtimer
    .else
    gic_enable_vtimer
    .endif

    bl   timer_rearm
    mov  x0, #CNT_CTL_ENABLE
    msr  cntv_ctl_el0, x0
    msr  daifclr, #2            // unmask IRQs
1:  wfi
    ldr  w0, [x19]
    cmp_ticks w0, w1
    b.lo 1b
    msr  daifset, #2
    print "done\n"
    bl   psci_system_off

// Sets the virtual timer to fire 10 ms from now. Clobbers x0, x3.
timer_rearm:
    mrs  x0, cntfrq_el0
    mov  x3, #100
    udiv x0, x0, x3
    msr  cntv_tval_el0, x0
    isb
    ret

// IRQ at EL1 with SP_EL1: saves the registers the C-like helpers clobber.
irq_handler:
    stp  x0, x1, [sp, #-96]!
    stp  x2, x3, [sp, #16]
    stp  x4, x5, [sp, #32]
    stp  x6, x7, [sp, #48]
    stp  x8, x19, [sp, #64]
    stp  x29, x30, [sp, #80]
    .ifdef GIC3
    mrs  x19, icc_iar1_el1
    .else
    movl32 x1, GICC_BASE
    ldr  w19, [x1, #GICC_IAR]
    .endif
    and  w0, w19, #0x3FF
    cmp  w0, #GIC_SPURIOUS
    b.eq 9f
    cmp  w0, #VTIMER_INTID
    b.ne 8f
    adr  x1, ticks
    ldr  w0, [x1]
    add  w0, w0, #1
    str  w0, [x1]
    cmp_ticks w0, w2
    b.hs 2f
    bl   timer_rearm
    b    3f
2:  msr  cntv_ctl_el0, xzr      // last tick: stop the timer
    isb
3:  print "tick "
    adr  x1, ticks
    ldr  w0, [x1]
    bl   uart_putdec
    mov  w0, #'\n'
    bl   uart_putc
8:
    .ifdef GIC3
    msr  icc_eoir1_el1, x19
    .else
    movl32 x1, GICC_BASE
    str  w19, [x1, #GICC_EOIR]
    .endif
9:  ldp  x29, x30, [sp, #80]
    ldp  x8, x19, [sp, #64]
    ldp  x6, x7, [sp, #48]
    ldp  x4, x5, [sp, #32]
    ldp  x2, x3, [sp, #16]
    ldp  x0, x1, [sp], #96
    eret

    .include "lib.inc"

    irq_vectors irq_handler

    .data
    .balign 4
ticks:
    .word 0

    .bss
    .balign 16
    .space 4096
stack_top:
