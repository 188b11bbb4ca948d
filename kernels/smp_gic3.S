// smp_gic3: four CPUs on a GICv3 (QEMU -M virt,gic-version=3,its=off -smp 4;
// Deja --gic 3 --smp 4), results that do not depend on the order in which the
// CPUs run.
//
// CPU 0 enables Group 1 in the distributor and starts CPUs 1-3 with PSCI
// CPU_ON (their number as context). Every CPU then, between barriers (an
// atomic counter incremented with LDAXR/STLXR):
//   1. finds its redistributor as Linux does (walks the frame pairs from
//      GICR_BASE comparing GICR_TYPER's affinity with its MPIDR_EL1 until the
//      frame marked Last), wakes it (GICR_WAKER), puts its SGIs and PPIs in
//      Group 1 but SGI 14 (Group 0), enables them, opens ICC_PMR_EL1 and
//      enables both groups in its CPU interface;
//   2. sends SGI <its number> to each other CPU through ICC_SGI1R_EL1's target
//      list and acknowledges the three it receives by polling ICC_IAR1_EL1
//      with IRQs masked: the matrix shows SGI routing between every pair;
//   3. sends SGI 8 + <its number> to every other CPU with ICC_SGI1R_EL1.IRM
//      and acknowledges three again;
//   4. sends SGI 14 to the next CPU through ICC_SGI1R_EL1 (14 is Group 0 there:
//      nothing pends), then through ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 (both make
//      Group 0 SGIs with one security state), acknowledging each with ICC_IAR0_EL1;
//   5. arms its own virtual timer and polls ICC_IAR1_EL1 until its PPI 27
//      comes through its own redistributor;
//   6. routes SPI 64 + <its number> to the next CPU (GICD_IROUTER, affinity
//      0.0.0.n) and pends it (GICD_ISPENDR); CPU 0 also routes SPI 72 to an
//      affinity no CPU has and SPI 73 to CPU 2 with IRM set; then each CPU
//      acknowledges what reaches it (CPU 2: two SPIs), and CPU 0 reads which
//      of SPIs 64-95 are still pending.
// Then CPUs 1-3 call CPU_OFF; CPU 0 waits until AFFINITY_INFO says each is
// off, prints everything in a fixed order and powers off.
    .include "defs.inc"

.equ CPUS,             4
.equ PSCI_CPU_OFF,     0x84000002
.equ PSCI_CPU_ON,      0xC4000003
.equ PSCI_AFFINITY,    0xC4000004
.equ GICR_FRAME,       0x20000
.equ GICR_SGI,         0x10000      // SGI_base above RD_base
.equ GICR_ISPENDR0,    0x0200
.equ GICD_IGROUPR2,    0x0088       // INTIDs 64-95
.equ GICD_ISENABLER2,  0x0108
.equ GICD_ISPENDR2,    0x0208
.equ GICD_IPRIORITYR16, 0x0440      // INTIDs 64-67
.equ SGI_GROUP0,       14
.equ FIRST_SPI,        64

// x0 = PSCI function, x1-x3 arguments; result in x0.
.macro psci fn, a1, a2, a3
    movl32 x0, \fn
    mov  x1, \a1
    mov  x2, \a2
    mov  x3, \a3
    hvc  #0
.endm

// Prints "  from cpu <x21><label>=<table[x20][x21]>" (4 words a row).
.macro from_cpu label, table
    print "  from cpu "
    mov  x0, x21
    bl   uart_putdec
    adr  x1, \table
    add  x1, x1, x20, lsl #4
    ldr  w0, [x1, x21, lsl #2]
    show "\label", x0
.endm

// Polls ICC_IAR<grp>_EL1 until it names an interrupt; the INTID in w2.
.macro ack grp
9996: mrs x2, icc_iar\grp\()_el1
    cmp  w2, #GIC_SPURIOUS
    b.eq 9996b
.endm

    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack0_top
    mov  sp, x0
    bl   install_panic_vectors
    bl   uart_init
    print "smp_gic3: 4 CPUs, GICv3\n"
    movl32 x1, GICD_BASE
    mov  w2, #0x13                      // ARE | EnableGrp1 | EnableGrp0
    str  w2, [x1, #GICD_CTLR]
    ldr  w0, [x1, #GICD_CTLR]
    show "gicd_ctlr", x0
    movl32 x1, GICD_BASE
    mov  w2, #-1
    str  w2, [x1, #GICD_IGROUPR2]       // SPIs 64-95 in Group 1 (one writer: the register is not per CPU)
    adr  x21, secondary
    mov  x20, #1
1:  psci PSCI_CPU_ON, x20, x21, x20
    show "cpu_on", x0
    add  x20, x20, #1
    cmp  x20, #CPUS
    b.ne 1b
    mov  x19, #0
    b    common

// x0 = context = this CPU's number.
secondary:
    mov  x19, x0
    adr  x1, stacks
    add  x1, x1, x19, lsl #12
    mov  sp, x1
    bl   install_panic_vectors

// Every CPU, x19 = its number; x22 = its RD_base, x23 = its SGI_base.
common:
    // 1. Its redistributor: the frame whose GICR_TYPER affinity (bits 63:32) is MPIDR's Aff3.Aff2.Aff1.Aff0.
    mrs  x0, mpidr_el1
    adr  x1, mpidrs
    str  x0, [x1, x19, lsl #3]
    and  x4, x0, #0xFFFFFF
    lsr  x5, x0, #32
    and  x5, x5, #0xFF
    orr  x4, x4, x5, lsl #24            // the affinity as GICR_TYPER packs it
    movl32 x22, GICR_BASE
    mov  x6, #0                         // frame index
2:  ldr  x3, [x22, #GICR_TYPER]
    cmp  x4, x3, lsr #32
    b.eq 3f
    tbnz x3, #4, 9f                     // Last, and not found
    add  x22, x22, #GICR_FRAME
    add  x6, x6, #1
    b    2b
9:  print "no redistributor for this cpu\n"
    b    psci_system_off
3:  adr  x1, frames
    str  x6, [x1, x19, lsl #3]
    movl32 x5, 0x00FFFF10               // Processor_Number and Last (the LPI fields differ from QEMU's on purpose)
    orr  x5, x5, #0xFFFFFFFF00000000
    and  x3, x3, x5
    adr  x1, typers
    str  x3, [x1, x19, lsl #3]
    ldr  w2, [x22, #GICR_WAKER]
    bic  w2, w2, #2                     // ProcessorSleep = 0
    str  w2, [x22, #GICR_WAKER]
4:  ldr  w2, [x22, #GICR_WAKER]
    tbnz w2, #2, 4b                     // until ChildrenAsleep = 0
    add  x23, x22, #GICR_SGI
    movl32 w2, ~(1 << SGI_GROUP0)
    str  w2, [x23, #GICR_IGROUPR0]
    movl32 w2, (0xFFFF | (1 << VTIMER_INTID))
    str  w2, [x23, #GICR_ISENABLER0]
    mov  x2, #0xF0
    msr  icc_pmr_el1, x2
    mov  x2, #1
    msr  icc_igrpen0_el1, x2
    msr  icc_igrpen1_el1, x2
    isb
    mov  x0, #1
    bl   barrier

    // 2. SGI <me> to every other CPU through the target list (Aff3.Aff2.Aff1 = 0, RS = 0), then acknowledge three.
    mov  x20, #0
5:  cmp  x20, x19
    b.eq 6f
    mov  x2, #1
    lsl  x2, x2, x20
    orr  x2, x2, x19, lsl #24
    msr  icc_sgi1r_el1, x2
6:  add  x20, x20, #1
    cmp  x20, #CPUS
    b.ne 5b
    isb
    adr  x3, sgis
    add  x3, x3, x19, lsl #4            // this CPU's row: 4 words, indexed by the sender (= the SGI number)
    mov  x20, #0
7:  ack 1
    and  w5, w2, #3
    str  w2, [x3, x5, lsl #2]
    msr  icc_eoir1_el1, x2
    add  x20, x20, #1
    cmp  x20, #(CPUS - 1)
    b.ne 7b
    mov  x0, #2
    bl   barrier

    // 3. SGI 8 + <me> to every other CPU at once (IRM = 1), then acknowledge three.
    mov  x2, #8
    add  x2, x2, x19
    lsl  x2, x2, #24
    orr  x2, x2, #(1 << 40)
    msr  icc_sgi1r_el1, x2
    isb
    adr  x3, broadcasts
    add  x3, x3, x19, lsl #4
    mov  x20, #0
8:  ack 1
    and  w5, w2, #3
    str  w2, [x3, x5, lsl #2]
    msr  icc_eoir1_el1, x2
    add  x20, x20, #1
    cmp  x20, #(CPUS - 1)
    b.ne 8b
    mov  x0, #3
    bl   barrier

    // 4. SGI 14 (Group 0 on every CPU) to the next CPU: SGI1R makes a Group 1 SGI, which it refuses.
    add  x24, x19, #1
    and  x24, x24, #(CPUS - 1)
    mov  x2, #1
    lsl  x25, x2, x24                   // the next CPU in a target list
    orr  x2, x25, #(SGI_GROUP0 << 24)
    msr  icc_sgi1r_el1, x2
    isb
    mov  x0, #4
    bl   barrier
    ldr  w2, [x23, #GICR_ISPENDR0]
    adr  x1, group1_pending
    str  w2, [x1, x19, lsl #2]
    mov  x0, #5
    bl   barrier
    orr  x2, x25, #(SGI_GROUP0 << 24)
    msr  icc_sgi0r_el1, x2
    isb
    ack 0
    adr  x1, sgi0
    str  w2, [x1, x19, lsl #2]
    msr  icc_eoir0_el1, x2
    mov  x0, #6
    bl   barrier
    orr  x2, x25, #(SGI_GROUP0 << 24)
    msr  icc_asgi1r_el1, x2
    isb
    ack 0
    adr  x1, asgi1
    str  w2, [x1, x19, lsl #2]
    msr  icc_eoir0_el1, x2
    mov  x0, #7
    bl   barrier

    // 5. This CPU's virtual timer, through its own redistributor's PPI 27.
    mov  x2, #1000
    add  x2, x2, x19, lsl #9
    msr  cntv_tval_el0, x2
    mov  x2, #CNT_CTL_ENABLE
    msr  cntv_ctl_el0, x2
    isb
    ack 1
    msr  cntv_ctl_el0, xzr
    isb
    adr  x3, timers
    str  w2, [x3, x19, lsl #2]
    msr  icc_eoir1_el1, x2
    mov  x0, #8
    bl   barrier

    // 6. SPI 64 + <me>, Group 1 at priority 0 (reset), routed to the next CPU and pended by software.
    movl32 x1, GICD_BASE
    add  x4, x19, #FIRST_SPI
    add  x5, x1, #GICD_IROUTER
    str  x24, [x5, x4, lsl #3]          // Aff0 = next CPU
    mov  w2, #1
    lsl  w2, w2, w19                    // bit <me> of INTIDs 64-95 (set-enable and set-pending are write-1-to-set)
    str  w2, [x1, #GICD_ISENABLER2]
    str  w2, [x1, #GICD_ISPENDR2]
    cbnz x19, 10f
    mov  x2, #9
    str  x2, [x5, #(FIRST_SPI + 8) * 8] // SPI 72: affinity 0.0.0.9, no such CPU
    movl32 x2, 0x80000002
    str  x2, [x5, #(FIRST_SPI + 9) * 8] // SPI 73: IRM set, affinity 0.0.0.2
    mov  w2, #(3 << 8)
    str  w2, [x1, #GICD_ISENABLER2]
    str  w2, [x1, #GICD_ISPENDR2]
10: mov  x0, #9
    bl   barrier
    adr  x3, spis
    add  x3, x3, x19, lsl #3
    ack 1
    str  w2, [x3]
    msr  icc_eoir1_el1, x2
    cmp  x19, #2
    b.ne 11f
    ack 1
    str  w2, [x3, #4]
    msr  icc_eoir1_el1, x2
11: mov  x0, #10
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
    movl32 x1, GICD_BASE
    ldr  w0, [x1, #GICD_ISPENDR2]
    show "spis 64-95 still pending", x0
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
    adr  x1, frames
    ldr  x0, [x1, x20, lsl #3]
    show "  redistributor frame", x0
    adr  x1, typers
    ldr  x0, [x1, x20, lsl #3]
    show "  gicr_typer", x0
    mov  x21, #0
3:  cmp  x21, x20
    b.eq 4f
    from_cpu " sgi1r list iar1", sgis
    from_cpu " sgi1r irm iar1", broadcasts
4:  add  x21, x21, #1
    cmp  x21, #CPUS
    b.ne 3b
    adr  x1, group1_pending
    ldr  w0, [x1, x20, lsl #2]
    show "  gicr_ispendr0 after sgi1r of group 0 sgi 14", x0
    adr  x1, sgi0
    ldr  w0, [x1, x20, lsl #2]
    show "  sgi0r iar0", x0
    adr  x1, asgi1
    ldr  w0, [x1, x20, lsl #2]
    show "  asgi1r iar0", x0
    adr  x1, timers
    ldr  w0, [x1, x20, lsl #2]
    show "  timer iar1", x0
    adr  x1, spis
    add  x1, x1, x20, lsl #3
    ldr  w0, [x1]
    show "  spi iar1", x0
    cmp  x20, #2
    b.ne 5f
    adr  x1, spis
    add  x1, x1, x20, lsl #3
    ldr  w0, [x1, #4]
    show "  second spi iar1", x0
5:  add  x20, x20, #1
    cmp  x20, #CPUS
    b.ne 2b
    print "smp_gic3: done\n"
    b    psci_system_off

    .include "lib.inc"

    .data
    .balign 8
arrived:        .quad 0
mpidrs:         .quad 0, 0, 0, 0
frames:         .quad 0, 0, 0, 0
typers:         .quad 0, 0, 0, 0
spis:           .word 0, 0, 0, 0, 0, 0, 0, 0
timers:         .word 0, 0, 0, 0
group1_pending: .word 0, 0, 0, 0
sgi0:           .word 0, 0, 0, 0
asgi1:          .word 0, 0, 0, 0
sgis:           .word 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
broadcasts:     .word 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

    .pushsection .bss
    .balign 16
    .space 4096
stack0_top:
    .space 4096
stacks:                                 // CPU n's stack ends at stacks + n * 4096 (n = 1..3)
    .space 3 * 4096
    .popsection
