// gic3_regs: the GICv3's identification and reset state, as a guest sees them.
//
// Run with a GICv3 (QEMU: -M virt,gic-version=3,its=off; Deja: --gic 3).
// Prints the GIC field of ID_AA64PFR0_EL1 and ID_PFR1_EL1, the distributor's
// and the redistributor's control, type and ID registers, the ICC_* system
// registers at reset, which priority bits are implemented (0xFF written to
// ICC_PMR_EL1 and to a distributor and a redistributor priority byte),
// GICR_WAKER before and after the wake-up handshake Linux does, an SGI sent
// to itself with ICC_SGI1R_EL1 taken through ICC_IAR1_EL1 and ended with
// ICC_EOIR1_EL1, and powers off.
//
// The LPI fields are masked before printing: QEMU 7.2 advertises LPIs
// (GICD_TYPER.LPIS, GICR_TYPER.PLPIS and CommonLPIAff, GICR_CTLR.CES) even
// with its=off; Deja implements no LPIs and reports them absent.
    .include "defs.inc"
    .section .text.boot, "ax"
    .global _start
_start:
    bl   install_panic_vectors
    adr  x0, stack_top
    mov  sp, x0
    bl   uart_init
    print "gic3_regs\n"
    mrs  x0, id_aa64pfr0_el1
    ubfx x0, x0, #24, #4
    print_x0 "ID_AA64PFR0_EL1.GIC"
    mrs  x0, id_pfr1_el1
    ubfx x0, x0, #28, #4
    print_x0 "ID_PFR1_EL1.GIC"

    show32 "GICD_CTLR", GICD_BASE
    show32_clear "GICD_TYPER (LPIS masked)", GICD_BASE + 0x4, (1 << 17)
    show32 "GICD_IIDR", GICD_BASE + 0x8
    showwords "GICD_PIDR4-7,PIDR0-3,CIDR0-3", GICD_BASE + GIC_PIDR4, 12
    show32 "GICD_IROUTER32", GICD_BASE + GICD_IROUTER + 32 * 8
    show32 "GICD_ICFGR2", GICD_BASE + 0xC08

    show32_clear "GICR_CTLR (CES masked)", GICR_BASE + GICR_CTLR, (1 << 1)
    show32 "GICR_IIDR", GICR_BASE + GICR_IIDR
    show32_clear "GICR_TYPER.lo (PLPIS, CommonLPIAff masked)", GICR_BASE + GICR_TYPER, 0x03000001
    show32 "GICR_TYPER.hi", GICR_BASE + GICR_TYPER + 4
    show32 "GICR_WAKER", GICR_BASE + GICR_WAKER
    showwords "GICR_PIDR4-7,PIDR0-3,CIDR0-3", GICR_BASE + GIC_PIDR4, 12
    show32 "GICR_IGROUPR0", GICR_SGI_BASE + GICR_IGROUPR0
    show32 "GICR_ISENABLER0", GICR_SGI_BASE + GICR_ISENABLER0
    show32 "GICR_ICFGR0", GICR_SGI_BASE + GICR_ICFGR0
    show32 "GICR_ICFGR1", GICR_SGI_BASE + GICR_ICFGR1

    showsys "ICC_SRE_EL1", icc_sre_el1
    showsys "ICC_CTLR_EL1", icc_ctlr_el1
    showsys "ICC_PMR_EL1", icc_pmr_el1
    showsys "ICC_BPR0_EL1", icc_bpr0_el1
    showsys "ICC_BPR1_EL1", icc_bpr1_el1
    showsys "ICC_RPR_EL1", icc_rpr_el1
    showsys "ICC_IGRPEN1_EL1", icc_igrpen1_el1
    showsys "ICC_HPPIR1_EL1", icc_hppir1_el1

    // Implemented priority bits: write all ones and read back.
    mov  x0, #0xFF
    msr  icc_pmr_el1, x0
    showsys "ICC_PMR_EL1 after 0xff", icc_pmr_el1
    movl32 x1, GICD_BASE + 0x420          // GICD_IPRIORITYR8: INTIDs 32-35
    mov  w2, #0xFF
    str  w2, [x1]
    show32 "GICD_IPRIORITYR8 after 0xff", GICD_BASE + 0x420
    movl32 x1, GICR_SGI_BASE + 0x400      // GICR_IPRIORITYR0: SGIs 0-3
    mov  w2, #0xFF
    str  w2, [x1]
    show32 "GICR_IPRIORITYR0 after 0xff", GICR_SGI_BASE + 0x400
    mov  x0, #0
    msr  icc_bpr1_el1, x0
    showsys "ICC_BPR1_EL1 after 0", icc_bpr1_el1
    mov  x0, #0
    msr  icc_bpr0_el1, x0
    showsys "ICC_BPR0_EL1 after 0", icc_bpr0_el1
    mov  x0, #0xFF
    msr  icc_ctlr_el1, x0
    showsys "ICC_CTLR_EL1 after 0xff", icc_ctlr_el1
    msr  icc_ctlr_el1, xzr

    // Linux's wake-up handshake: clear ProcessorSleep, wait for ChildrenAsleep to clear.
    movl32 x1, GICR_BASE + GICR_WAKER
    ldr  w2, [x1]
    bic  w2, w2, #2
    str  w2, [x1]
1:  ldr  w2, [x1]
    tbnz w2, #2, 1b
    show32 "GICR_WAKER awake", GICR_BASE + GICR_WAKER

    // SGI 5 to this CPU (Aff3.Aff2.Aff1 = 0, TargetList bit 0), Group 1, priority 0x80.
    movl32 x1, GICD_BASE
    mov  w2, #0x12                // ARE | EnableGrp1 (ARE is RAO/WI)
    str  w2, [x1]
    movl32 x1, GICR_SGI_BASE
    mov  w2, #0xFFFFFFFF
    str  w2, [x1, #GICR_IGROUPR0]
    movl32 w2, 0x00008000         // GICR_IPRIORITYR1 byte 1: SGI 5 at priority 0x80
    str  w2, [x1, #0x404]
    mov  w2, #(1 << 5)
    str  w2, [x1, #GICR_ISENABLER0]
    mov  x0, #0xF0
    msr  icc_pmr_el1, x0
    mov  x0, #1
    msr  icc_igrpen1_el1, x0
    isb
    mov  x0, #(5 << 24)
    orr  x0, x0, #1
    msr  icc_sgi1r_el1, x0
    isb
    showsys "ICC_HPPIR1_EL1 after SGI 5", icc_hppir1_el1
    show32 "GICR_ISPENDR0", GICR_SGI_BASE + 0x200
    mrs  x21, icc_iar1_el1
    mov  x0, x21
    print_x0 "ICC_IAR1_EL1"
    showsys "ICC_RPR_EL1 while active", icc_rpr_el1
    showsys "ICC_AP1R0_EL1 while active", icc_ap1r0_el1
    show32 "GICR_ISACTIVER0", GICR_SGI_BASE + 0x300
    showsys "ICC_IAR1_EL1 again", icc_iar1_el1
    msr  icc_eoir1_el1, x21
    isb
    showsys "ICC_RPR_EL1 after EOI", icc_rpr_el1
    show32 "GICR_ISACTIVER0 after EOI", GICR_SGI_BASE + 0x300
    print "gic3_regs: done\n"
    bl   psci_system_off

    .include "lib.inc"
    .include "words.inc"

    .bss
    .balign 16
    .space 4096
stack_top:
