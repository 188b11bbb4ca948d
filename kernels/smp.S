// smp: four CPUs (QEMU -smp 4, Deja --smp 4), results that do not depend on
// the order in which the CPUs run.
//
// CPU 0 asks PSCI for its version and the affinity state of CPUs 0-3 (on,
// off, off, off), makes CPU_ON fail three ways (a CPU that does not exist,
// itself, a misaligned entry point), then starts CPUs 1-3 at `secondary` with
// their number as context. Every CPU then, between barriers (an atomic
// counter incremented with LDAXR/STLXR):
//   1. records its MPIDR_EL1 (after this barrier CPU 0 checks that CPU_ON of
//      a CPU that is on gives ALREADY_ON);
//   2. sends SGI <its number> to each other CPU (GICD_SGIR target list) and
//      acknowledges the three it receives by polling GICC_IAR with IRQs
//      masked: the matrix of IAR values shows SGI routing between every pair,
//      with the source CPU in bits 12:10;
//   3. arms its own virtual timer and polls GICC_IAR until its PPI 27 comes;
//   4. adds 1000 to a shared counter with LDAXR/ADD/STLXR and 1000 to another
//      under a spinlock (LDAXR/STXR to take it, plain LDR/ADD/STR inside, STLR
//      to release): both must end at 4000;
//   5. CPUs 0 and 1 test the global monitor: CPU 0 loads a word exclusively,
//      CPU 1 stores a different value to it, CPU 0's STXR must fail (1).
// Then CPUs 1-3 call CPU_OFF; CPU 0 waits until AFFINITY_INFO says each is
// off, prints everything in a fixed order and powers off.
    .include "defs.inc"

.equ CPUS,             4
.equ ITERATIONS,       1000
.equ GICD_SGIR,        0xF00
.equ PSCI_VERSION,     0x84000000
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

    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack0_top
    mov  sp, x0
    bl   install_panic_vectors
    bl   uart_init
    print "smp: 4 CPUs\n"
    movl32 x0, PSCI_VERSION
    hvc  #0
    show "psci_version", x0
    mov  x20, #0
1:  psci PSCI_AFFINITY, x20, #0, #0
    show "affinity_info before", x0
    add  x20, x20, #1
    cmp  x20, #CPUS
    b.ne 1b
    adr  x21, secondary
    psci PSCI_CPU_ON, #9, x21, #0
    show "cpu_on cpu 9", x0
    psci PSCI_CPU_ON, #0, x21, #0
    show "cpu_on cpu 0", x0
    add  x22, x21, #2
    psci PSCI_CPU_ON, #1, x22, #1
    show "cpu_on misaligned", x0
    movl32 x1, GICD_BASE
    mov  w2, #1
    str  w2, [x1, #GICD_CTLR]
    mov  x20, #1
2:  psci PSCI_CPU_ON, x20, x21, x20
    show "cpu_on", x0
    add  x20, x20, #1
    cmp  x20, #CPUS
    b.ne 2b
    mov  x19, #0
    b    common

// x0 = context = this CPU's number.
secondary:
    mov  x19, x0
    adr  x1, stacks
    add  x1, x1, x19, lsl #12
    mov  sp, x1
    bl   install_panic_vectors

// Every CPU, x19 = its number.
common:
    // GIC CPU interface (banked): priority mask open, Group 0 on; the timer's PPI enabled.
    movl32 x1, GICC_BASE
    mov  w2, #0xF0
    str  w2, [x1, #GICC_PMR]
    mov  w2, #1
    str  w2, [x1, #GICC_CTLR]
    movl32 x1, GICD_BASE
    mov  w2, #(1 << VTIMER_INTID)
    str  w2, [x1, #GICD_ISENABLER0]
    mrs  x0, mpidr_el1
    adr  x1, mpidrs
    str  x0, [x1, x19, lsl #3]
    mov  x0, #1
    bl   barrier
    // Every CPU has arrived, so is on (QEMU powers a CPU on asynchronously: asked earlier, the answer would depend on timing).
    cbnz x19, 1f
    adr  x21, secondary
    psci PSCI_CPU_ON, #1, x21, #1
    show "cpu_on again", x0
1:

    // 2. SGIs: SGI <me> to every other CPU, then acknowledge three.
    movl32 x1, GICD_BASE
    mov  x20, #0
3:  cmp  x20, x19
    b.eq 4f
    mov  w2, #1
    lsl  w2, w2, w20
    lsl  w2, w2, #16
    orr  w2, w2, w19
    str  w2, [x1, #GICD_SGIR]
4:  add  x20, x20, #1
    cmp  x20, #CPUS
    b.ne 3b
    mov  x20, #0
    movl32 x1, GICC_BASE
    adr  x3, sgis
    add  x3, x3, x19, lsl #4            // this CPU's row: 4 words
5:  ldr  w2, [x1, #GICC_IAR]
    and  w4, w2, #0x3FF
    cmp  w4, #GIC_SPURIOUS
    b.eq 5b
    ubfx w5, w2, #10, #3                // source CPU
    str  w2, [x3, x5, lsl #2]
    str  w2, [x1, #GICC_EOIR]
    add  x20, x20, #1
    cmp  x20, #(CPUS - 1)
    b.ne 5b
    mov  x0, #2
    bl   barrier

    // 3. This CPU's virtual timer, through its own PPI 27.
    mov  x2, #1000
    add  x2, x2, x19, lsl #9
    msr  cntv_tval_el0, x2
    mov  x2, #CNT_CTL_ENABLE
    msr  cntv_ctl_el0, x2
    isb
    movl32 x1, GICC_BASE
6:  ldr  w2, [x1, #GICC_IAR]
    and  w4, w2, #0x3FF
    cmp  w4, #GIC_SPURIOUS
    b.eq 6b
    msr  cntv_ctl_el0, xzr
    isb
    adr  x3, timers
    str  w2, [x3, x19, lsl #2]
    str  w2, [x1, #GICC_EOIR]
    mov  x0, #3
    bl   barrier

    // 4. An atomic counter and a counter under a spinlock.
    adr  x1, atomic_counter
    mov  x20, #ITERATIONS
7:  ldaxr x2, [x1]
    add  x2, x2, #1
    stlxr w3, x2, [x1]
    cbnz w3, 7b
    subs x20, x20, #1
    b.ne 7b
    adr  x1, lock
    adr  x4, locked_counter
    mov  x20, #ITERATIONS
8:  ldaxr w2, [x1]
    cbnz w2, 8b
    mov  w2, #1
    stxr w3, w2, [x1]
    cbnz w3, 8b
    ldr  x5, [x4]
    add  x5, x5, #1
    str  x5, [x4]
    stlr wzr, [x1]
    subs x20, x20, #1
    b.ne 8b
    mov  x0, #4
    bl   barrier

    // 5. The global monitor: CPU 0 reserves, CPU 1 stores, CPU 0's STXR fails.
    adr  x1, monitor_word
    adr  x4, monitor_go
    adr  x5, monitor_stored
    cmp  x19, #1
    b.eq 10f
    cbnz x19, 12f
    ldxr x2, [x1]
    mov  w3, #1
    stlr w3, [x4]
9:  ldar w3, [x5]
    cbz  w3, 9b
    add  x2, x2, #1
    stxr w3, x2, [x1]
    adr  x6, monitor_result
    str  w3, [x6]
    b    12f
10: ldar w3, [x4]
    cbz  w3, 10b
    mov  x2, #0x55
    str  x2, [x1]
    mov  w3, #1
    stlr w3, [x5]
12: mov  x0, #5
    bl   barrier
    cbz  x19, report
    movl32 x0, PSCI_CPU_OFF
    hvc  #0
    print "cpu_off returned\n"
    b    psci_system_off

// x0 = phase n: waits until every CPU has arrived n times.
barrier:
    adr  x1, arrived
1:  ldaxr x2, [x1]
    add  x2, x2, #1
    stlxr w3, x2, [x1]
    cbnz w3, 1b
    mov  x3, #CPUS
    mul  x3, x3, x0
2:  ldar x2, [x1]
    cmp  x2, x3
    b.lo 2b
    ret

report:
    // Wait until CPUs 1-3 are off.
    mov  x20, #1
1:  psci PSCI_AFFINITY, x20, #0, #0
    cmp  x0, #1
    b.ne 1b
    add  x20, x20, #1
    cmp  x20, #CPUS
    b.ne 1b
    print "cpus 1-3 off\n"
    mov  x20, #0
2:  print "cpu "
    mov  x0, x20
    bl   uart_putdec
    adr  x1, mpidrs
    ldr  x0, [x1, x20, lsl #3]
    show " mpidr", x0
    adr  x1, timers
    ldr  w0, [x1, x20, lsl #2]
    show "  timer iar", x0
    mov  x21, #0
3:  cmp  x21, x20
    b.eq 4f
    print "  sgi from cpu "
    mov  x0, x21
    bl   uart_putdec
    adr  x1, sgis
    add  x1, x1, x20, lsl #4
    ldr  w0, [x1, x21, lsl #2]
    show " iar", x0
4:  add  x21, x21, #1
    cmp  x21, #CPUS
    b.ne 3b
    add  x20, x20, #1
    cmp  x20, #CPUS
    b.ne 2b
    adr  x1, atomic_counter
    ldr  x0, [x1]
    show "atomic counter", x0
    adr  x1, locked_counter
    ldr  x0, [x1]
    show "locked counter", x0
    adr  x1, monitor_result
    ldr  w0, [x1]
    show "stxr after another cpu's store", x0
    print "smp: done\n"
    b    psci_system_off

    .include "lib.inc"

    .data
    .balign 8
arrived:        .quad 0
atomic_counter: .quad 0
locked_counter: .quad 0
monitor_word:   .quad 0
lock:           .word 0
monitor_go:     .word 0
monitor_stored: .word 0
monitor_result: .word 0xFF
mpidrs:         .quad 0, 0, 0, 0
timers:         .word 0, 0, 0, 0
sgis:           .word 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

    .pushsection .bss
    .balign 16
    .space 4096
stack0_top:
    .space 4096
stacks:                                 // CPU n's stack ends at stacks + n * 4096 (n = 1..3)
    .space 3 * 4096
    .popsection
