// stages: a miniature boot with milestones, for deja stages and deja diff.
//
// Prints one line per milestone, in this order:
//   "stages: boot"           first console output
//   "stages: work done"      after a busy loop of WORK iterations
//   "stages: timer ticked"   after the EL1 virtual timer (1 ms, INTID 27 through
//                            the GICv2) woke the CPU from WFI and was taken as an IRQ
//   "stages: user returned"  after a trip to EL0 whose SVC #0 (EC 0x15 from EL0)
//                            brings the CPU back to EL1
//   "stages: done"           then PSCI SYSTEM_OFF
// The Makefile builds two variants that a stage diff tells apart:
//   stages_slow  (SLOW)  the busy loop runs twice as many iterations
//   stages_swap  (SWAP)  the EL0 trip comes before the timer
    .include "defs.inc"
    .equ EC_SVC64, 0x15
    .ifdef SLOW
    .equ WORK, 20000
    .else
    .equ WORK, 10000
    .endif
    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack_top
    mov  sp, x0
    adr  x0, vectors
    msr  vbar_el1, x0
    isb
    bl   uart_init
    print "stages: boot\n"
    bl   phase_work
    .ifdef SWAP
    bl   phase_user
    bl   phase_timer
    .else
    bl   phase_timer
    bl   phase_user
    .endif
    print "stages: done\n"
    bl   psci_system_off

// Two instructions per iteration.
phase_work:
    movl32 x0, WORK
1:  subs x0, x0, #1
    b.ne 1b
    mov  x27, x30
    print "stages: work done\n"
    mov  x30, x27
    ret

// Arms the virtual timer 1 ms ahead and sleeps until its IRQ handler has run once.
phase_timer:
    mov  x27, x30
    gic_enable_vtimer
    adr  x19, ticked
    str  wzr, [x19]
    mrs  x0, cntfrq_el0
    mov  x3, #1000
    udiv x0, x0, x3
    msr  cntv_tval_el0, x0
    mov  x0, #CNT_CTL_ENABLE
    msr  cntv_ctl_el0, x0
    isb
    msr  daifclr, #2            // unmask IRQs
1:  wfi
    ldr  w0, [x19]
    cbz  w0, 1b
    msr  daifset, #2
    print "stages: timer ticked\n"
    mov  x30, x27
    ret

// Drops to EL0 (interrupts masked), where user_main asks for SVC #0; the
// handler returns to EL1 at user_returned.
phase_user:
    mov  x28, x30
    adr  x0, user_stack_top
    msr  sp_el0, x0
    adr  x0, user_main
    msr  elr_el1, x0
    mov  x0, #0x3c0             // EL0t, DAIF masked
    msr  spsr_el1, x0
    eret
user_returned:
    print "stages: user returned\n"
    mov  x30, x28
    ret

user_main:
    svc  #0
    b    .                      // not reached

// Synchronous exception from EL0: an SVC goes back to EL1h (DAIF masked) at user_returned.
svc_handler:
    mrs  x0, esr_el1
    lsr  x0, x0, #26
    cmp  x0, #EC_SVC64
    b.ne 1f
    adr  x0, user_returned
    msr  elr_el1, x0
    mov  x0, #0x3c5             // EL1h, DAIF masked
    msr  spsr_el1, x0
    eret
1:  mov  x0, #0x400
    b    panic

// IRQ at EL1 with SP_EL1: the timer's one tick. Stops the (level) timer before the EOI.
irq_handler:
    stp  x0, x1, [sp, #-32]!
    str  x2, [sp, #16]
    movl32 x1, GICC_BASE
    ldr  w2, [x1, #GICC_IAR]
    msr  cntv_ctl_el0, xzr
    isb
    adr  x0, ticked
    mov  w1, #1
    str  w1, [x0]
    movl32 x1, GICC_BASE
    str  w2, [x1, #GICC_EOIR]
    ldr  x2, [sp, #16]
    ldp  x0, x1, [sp], #32
    eret

    .include "lib.inc"

    .balign 2048
vectors:
    .irp offset, 0x000, 0x080, 0x100, 0x180, 0x200
    panic_entry \offset
    .endr
    b    irq_handler            // current EL with SP_ELx: IRQ
    .balign 128
    .irp offset, 0x300, 0x380
    panic_entry \offset
    .endr
    b    svc_handler            // lower EL, AArch64: synchronous
    .balign 128
    .irp offset, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
    panic_entry \offset
    .endr

    .data
    .balign 4
ticked:
    .word 0

    .bss
    .balign 16
    .space 4096
stack_top:
    .space 4096
user_stack_top:
