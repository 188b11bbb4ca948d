// smp_psci: a secondary CPU powered on, off, on again, suspended and woken,
// then suspended for good (QEMU -smp 2 or more, Deja --smp 2): what the
// timeline of a run of several CPUs draws as "off", "suspended" and power
// instants, and what the psci_calls table holds.
//
// CPU 0 starts CPU 1 with PSCI CPU_ON (context 1). CPU 1 prints, says so and
// calls CPU_OFF. CPU 0 waits until AFFINITY_INFO says CPU 1 is off and starts
// it again (context 2). CPU 1 prints, says so and calls CPU_SUSPEND (standby,
// power_state 0) with its IRQs masked; CPU 0 spins long enough for CPU 1 to
// be asleep (Deja: more than a quantum), then sends it SGI 5. CPU 1 wakes (a
// pending interrupt ends the standby even while PSTATE.I masks it),
// acknowledges the SGI, prints what CPU_SUSPEND returned and the IAR, says so
// and calls CPU_SUSPEND again, which nothing ever ends. CPU 0 spins again,
// checks that AFFINITY_INFO says the suspended CPU 1 is on and powers the
// machine off with CPU 1 asleep.
//
// Only one CPU prints at a time (each waits for the other's flag), so the
// console does not depend on how the CPUs interleave; nor does anything
// printed depend on whether the SGI arrives before CPU 1 is asleep (then the
// suspend returns at once).
    .include "defs.inc"

.equ SPIN,             40000
.equ SGI_WAKE,         5
.equ GICD_SGIR,        0xF00
.equ PSCI_CPU_SUSPEND, 0xC4000001
.equ PSCI_CPU_OFF,     0x84000002
.equ PSCI_CPU_ON,      0xC4000003
.equ PSCI_AFFINITY,    0xC4000004

// x0 = PSCI function, x1-x3 arguments; result in x0.
.macro psci fn, a1, a2, a3
    movl32 x0, \fn
    mov  x1, \a1
    mov  x2, \a2
    mov  x3, \a3
    hvc  #0
.endm

// Waits until the phase word is at least n. Clobbers x1, w2.
.macro wait_phase n
    adr  x1, phase
9996: ldar w2, [x1]
    cmp  w2, #\n
    b.lo 9996b
.endm

// Sets the phase word to n. Clobbers x1, w2.
.macro set_phase n
    adr  x1, phase
    mov  w2, #\n
    stlr w2, [x1]
.endm

// A busy loop of SPIN iterations. Clobbers x2.
.macro spin
    movl32 x2, SPIN
9995: subs x2, x2, #1
    b.ne 9995b
.endm

    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack0_top
    mov  sp, x0
    bl   install_panic_vectors
    bl   uart_init
    print "smp_psci: cpu 0 boot\n"
    movl32 x1, GICD_BASE
    mov  w2, #1
    str  w2, [x1, #GICD_CTLR]
    adr  x21, secondary
    psci PSCI_CPU_ON, #1, x21, #1
    cbnz x0, failed
    wait_phase 1
    // AFFINITY_INFO is 1 once CPU 1 is off (QEMU powers it off asynchronously).
1:  psci PSCI_AFFINITY, #1, #0, #0
    cmp  x0, #1
    b.ne 1b
    print "smp_psci: cpu 1 off\n"
    psci PSCI_CPU_ON, #1, x21, #2
    cbnz x0, failed
    wait_phase 2
    spin
    // SGI 5 to CPU 1 only (target list bit 1).
    movl32 x1, GICD_BASE
    movl32 w2, ((1 << 1) << 16) | SGI_WAKE
    str  w2, [x1, #GICD_SGIR]
    wait_phase 3
    spin
    psci PSCI_AFFINITY, #1, #0, #0
    show "smp_psci: affinity_info of the suspended cpu 1", x0
    print "smp_psci: done\n"
    b    psci_system_off

failed:
    show "smp_psci: cpu_on failed", x0
    b    psci_system_off

// x0 = context: 1 the first time, 2 the second.
secondary:
    mov  x19, x0
    adr  x1, stack1_top
    mov  sp, x1
    bl   install_panic_vectors
    // The banked GIC CPU interface: priority mask open, Group 0 on.
    movl32 x1, GICC_BASE
    mov  w2, #0xF0
    str  w2, [x1, #GICC_PMR]
    mov  w2, #1
    str  w2, [x1, #GICC_CTLR]
    show "smp_psci: cpu 1 up, context", x19
    cmp  x19, #1
    b.ne 2f
    set_phase 1
    movl32 x0, PSCI_CPU_OFF
    hvc  #0
    print "smp_psci: cpu_off returned\n"
    b    psci_system_off

2:  set_phase 2
    psci PSCI_CPU_SUSPEND, #0, #0, #0
    mov  x20, x0
    movl32 x1, GICC_BASE
3:  ldr  w21, [x1, #GICC_IAR]
    and  w4, w21, #0x3FF
    cmp  w4, #GIC_SPURIOUS
    b.eq 3b
    str  w21, [x1, #GICC_EOIR]
    show "smp_psci: cpu 1 woke, cpu_suspend returned", x20
    show "smp_psci: cpu 1 acknowledged iar", x21
    set_phase 3
    psci PSCI_CPU_SUSPEND, #0, #0, #0
    print "smp_psci: cpu 1 woke again\n"
    b    psci_system_off

    .include "lib.inc"

    .data
    .balign 4
phase:          .word 0

    .pushsection .bss
    .balign 16
    .space 4096
stack0_top:
    .space 4096
stack1_top:
    .popsection
