// smp_timer: every CPU takes its own timer interrupts (QEMU -smp 2 or -smp 4,
// Deja --smp 2 or --smp 4; GIC3 defined, the Makefile's smp_timer_gic3: a
// GICv3, QEMU -M virt,gic-version=3,its=off, Deja --gic 3), printing only
// counts, so that nothing depends on the order in which the CPUs run.
//
// CPU 0 enables the distributor and starts CPUs 1, 2, ... with PSCI CPU_ON
// (their number as context) until CPU_ON says the CPU does not exist: the
// machine's CPU count. Every CPU then, on its own:
//   1. installs the vector table and enables, at its own GIC CPU interface,
//      the EL1 virtual timer's PPI (INTID 27): GICv2 through the banked
//      GICD_ISENABLER0/GICD_IPRIORITYR6 and GICC_PMR/GICC_CTLR; GICv3 through
//      its own redistributor (found as Linux finds it: the frame whose
//      GICR_TYPER affinity is its MPIDR_EL1's), woken with GICR_WAKER, and
//      the ICC_* registers;
//   2. takes TICKS interrupts, sleeping in WFI between them (IRQs masked
//      while it checks its count, unmasked after each WFI): CPU n's timer
//      has a period P of n + 1 ms (CNTFRQ_EL0 / 1000 * (n + 1)) and absolute
//      deadlines (CNTV_CVAL_EL0) at 1 s - (TICKS / 2) P + P / 2 + k P, so the
//      first TICKS / 2 fall before virtual second 1 (the last of them half a
//      period before it) and the rest after it. Each interrupt is
//      acknowledged (GICC_IAR / ICC_IAR1_EL1),
//      counted with whether the timer condition (CNTV_CTL_EL0.ISTATUS) was met,
//      the next deadline set (the last tick stops the timer) and ended
//      (GICC_EOIR / ICC_EOIR1_EL1);
//   3. adds itself to a counter of CPUs done (LDAXR/STLXR) and sends an event;
//      CPUs other than 0 then call CPU_OFF.
// CPU 0 waits (WFE) until every CPU is done and AFFINITY_INFO says CPUs 1, ...
// are off, prints one line per CPU (its MPIDR_EL1, ticks, how many met the
// timer condition, other interrupts) and powers off.
    .include "defs.inc"

.equ MAX_CPUS,         8
.equ TICKS,            10
.equ PSCI_CPU_OFF,     0x84000002
.equ PSCI_CPU_ON,      0xC4000003
.equ PSCI_AFFINITY,    0xC4000004
.equ GICR_FRAME,       0x20000
.equ GICR_SGI,         0x10000      // SGI_base above RD_base

// x0 = PSCI function, x1-x3 arguments; result in x0.
.macro psci fn, a1, a2, a3
    movl32 x0, \fn
    mov  x1, \a1
    mov  x2, \a2
    mov  x3, \a3
    hvc  #0
.endm

// Prints "<label>" then x0 in decimal. Clobbers x0-x8 and x30.
.macro print_dec label
    str  x0, [sp, #-16]!
    print "\label"
    ldr  x0, [sp], #16
    bl   uart_putdec
.endm

    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack0_top
    mov  sp, x0
    bl   install_panic_vectors
    bl   uart_init
    movl32 x1, GICD_BASE
    .ifdef GIC3
    mov  w2, #0x12                      // ARE | EnableGrp1
    .else
    mov  w2, #1
    .endif
    str  w2, [x1, #GICD_CTLR]
    adr  x21, secondary
    mov  x20, #1
1:  psci PSCI_CPU_ON, x20, x21, x20
    cbnz x0, 2f                         // INVALID_PARAMETERS: no CPU x20
    add  x20, x20, #1
    cmp  x20, #MAX_CPUS
    b.ne 1b
2:  adr  x1, cpus
    str  x20, [x1]
    mov  x0, x20
    print_dec "smp_timer: "
    .ifdef GIC3
    print " CPUs, GICv3, virtual timer PPI 27, 10 ticks each\n"
    .else
    print " CPUs, GICv2, virtual timer PPI 27, 10 ticks each\n"
    .endif
    mov  x19, #0
    b    common

// x0 = context = this CPU's number.
secondary:
    mov  x19, x0
    adr  x1, stacks
    add  x1, x1, x19, lsl #12
    mov  sp, x1

// Every CPU, x19 = its number.
common:
    adr  x0, vectors
    msr  vbar_el1, x0
    msr  tpidr_el1, x19                 // the handler's CPU number
    isb
    mrs  x0, mpidr_el1
    adr  x1, mpidrs
    str  x0, [x1, x19, lsl #3]
    .ifdef GIC3
    bl   gic3_this_cpu
    .else
    gic_enable_vtimer                   // the SGI/PPI registers and the CPU interface are banked: this CPU's
    .endif

    // Period (n + 1) ms; first deadline second 1 - (TICKS / 2) periods + half a period.
    mrs  x0, cntfrq_el0
    mov  x1, #1000
    udiv x2, x0, x1
    add  x3, x19, #1
    mul  x2, x2, x3
    adr  x1, periods
    str  x2, [x1, x19, lsl #3]
    mov  x3, #(TICKS / 2)
    msub x4, x2, x3, x0
    add  x4, x4, x2, lsr #1
    msr  cntv_cval_el0, x4
    mov  x0, #CNT_CTL_ENABLE
    msr  cntv_ctl_el0, x0
    isb
    // The count is read with IRQs masked, so that the last tick cannot land between the
    // read and the WFI (which would then sleep for ever); a pending IRQ still ends the WFI.
    adr  x20, ticks
3:  ldr  w0, [x20, x19, lsl #2]
    cmp  w0, #TICKS
    b.hs 4f
    wfi
    msr  daifclr, #2                    // the interrupt is taken here
    msr  daifset, #2
    b    3b
4:

    adr  x1, done
5:  ldaxr x2, [x1]
    add  x2, x2, #1
    stlxr w3, x2, [x1]
    cbnz w3, 5b
    sev
    cbz  x19, report
    movl32 x0, PSCI_CPU_OFF
    hvc  #0
    print "cpu_off returned\n"
    b    psci_system_off

report:
    adr  x1, done
    adr  x4, cpus
    ldr  x4, [x4]
5:  ldar x2, [x1]
    cmp  x2, x4
    b.hs 6f
    wfe
    b    5b
6:  mov  x20, #1                        // wait until CPUs 1, ... are off
7:  cmp  x20, x4
    b.hs 8f
    psci PSCI_AFFINITY, x20, #0, #0
    cmp  x0, #1
    b.ne 7b
    add  x20, x20, #1
    b    7b
8:  mov  x20, #0
9:  mov  x0, x20
    print_dec "cpu "
    print " mpidr="
    adr  x1, mpidrs
    ldr  x0, [x1, x20, lsl #3]
    bl   uart_puthex
    adr  x1, ticks
    ldr  w0, [x1, x20, lsl #2]
    print_dec " ticks="
    adr  x1, met
    ldr  w0, [x1, x20, lsl #2]
    print_dec " condition_met="
    adr  x1, others
    ldr  w0, [x1, x20, lsl #2]
    print_dec " other_irqs="
    mov  w0, #'\n'
    bl   uart_putc
    add  x20, x20, #1
    adr  x4, cpus
    ldr  x4, [x4]
    cmp  x20, x4
    b.lo 9b
    print "smp_timer: done\n"
    b    psci_system_off

    .ifdef GIC3
// This CPU's redistributor (the frame whose GICR_TYPER affinity, bits 63:32,
// is MPIDR's Aff3.Aff2.Aff1.Aff0), woken; INTID 27 in Group 1 at priority
// 0x80 and enabled there; ICC_PMR_EL1 open and Group 1 enabled. Clobbers x0-x6.
gic3_this_cpu:
    mrs  x0, mpidr_el1
    and  x4, x0, #0xFFFFFF
    lsr  x5, x0, #32
    and  x5, x5, #0xFF
    orr  x4, x4, x5, lsl #24            // the affinity as GICR_TYPER packs it
    movl32 x6, GICR_BASE
1:  ldr  x3, [x6, #GICR_TYPER]
    cmp  x4, x3, lsr #32
    b.eq 3f
    tbnz x3, #4, 2f                     // Last, and not found
    add  x6, x6, #GICR_FRAME
    b    1b
2:  print "no redistributor for this cpu\n"
    b    psci_system_off
3:  ldr  w2, [x6, #GICR_WAKER]
    bic  w2, w2, #2                     // ProcessorSleep = 0
    str  w2, [x6, #GICR_WAKER]
4:  ldr  w2, [x6, #GICR_WAKER]
    tbnz w2, #2, 4b                     // until ChildrenAsleep = 0
    add  x6, x6, #GICR_SGI
    movl32 w2, (1 << VTIMER_INTID)
    str  w2, [x6, #GICR_IGROUPR0]
    movl32 w2, 0x80000000               // INTID 27 is the top byte of IPRIORITYR6: priority 0x80
    str  w2, [x6, #GICR_IPRIORITYR6]
    movl32 w2, (1 << VTIMER_INTID)
    str  w2, [x6, #GICR_ISENABLER0]
    mov  x2, #0xF0
    msr  icc_pmr_el1, x2
    mov  x2, #1
    msr  icc_igrpen1_el1, x2
    isb
    ret
    .endif

// IRQ at EL1 with SP_EL1 (each CPU's own stack): counts the tick in this CPU's
// row, sets the next deadline one period after the last one, ends the interrupt.
irq_handler:
    stp  x0, x1, [sp, #-48]!
    stp  x2, x3, [sp, #16]
    stp  x4, x19, [sp, #32]
    mrs  x4, tpidr_el1
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
    b.eq 1f
    adr  x1, others
    ldr  w2, [x1, x4, lsl #2]
    add  w2, w2, #1
    str  w2, [x1, x4, lsl #2]
    b    8f
1:  mrs  x0, cntv_ctl_el0
    adr  x1, met
    ldr  w2, [x1, x4, lsl #2]
    ubfx x0, x0, #2, #1                 // ISTATUS
    add  w2, w2, w0
    str  w2, [x1, x4, lsl #2]
    adr  x1, ticks
    ldr  w2, [x1, x4, lsl #2]
    add  w2, w2, #1
    str  w2, [x1, x4, lsl #2]
    cmp  w2, #TICKS
    b.hs 2f
    adr  x1, periods
    ldr  x2, [x1, x4, lsl #3]
    mrs  x0, cntv_cval_el0
    add  x0, x0, x2
    msr  cntv_cval_el0, x0
    isb
    b    8f
2:  msr  cntv_ctl_el0, xzr              // the last tick: stop the timer
    isb
8:
    .ifdef GIC3
    msr  icc_eoir1_el1, x19
    .else
    movl32 x1, GICC_BASE
    str  w19, [x1, #GICC_EOIR]
    .endif
9:  ldp  x4, x19, [sp, #32]
    ldp  x2, x3, [sp, #16]
    ldp  x0, x1, [sp], #48
    eret

    .include "lib.inc"

    irq_vectors irq_handler

    .data
    .balign 8
done:           .quad 0
cpus:           .quad 0
mpidrs:         .quad 0, 0, 0, 0, 0, 0, 0, 0
periods:        .quad 0, 0, 0, 0, 0, 0, 0, 0
ticks:          .word 0, 0, 0, 0, 0, 0, 0, 0
met:            .word 0, 0, 0, 0, 0, 0, 0, 0
others:         .word 0, 0, 0, 0, 0, 0, 0, 0

    .pushsection .bss
    .balign 16
    .space 4096
stack0_top:
    .space 4096
stacks:                                 // CPU n's stack ends at stacks + n * 4096 (n = 1..7)
    .space 7 * 4096
    .popsection
