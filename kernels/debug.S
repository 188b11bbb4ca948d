// debug: the self-hosted debug architecture, checked against QEMU 7.2.
//
// The OS lock, hardware breakpoints, watchpoints (load, store, BAS bytes,
// MASK ranges, EL0 privilege), and software step at EL1 (with KDE) and at
// EL0 (the ptrace way), with the MMU off. Every debug exception is printed
// as "  <what> ec=.. iss=.. elr=+.. far=+.." (addresses relative to the
// image) and handled by the action the test selected in `mode`.
    .include "defs.inc"

    .equ MODE_DISARM, 0       // disable breakpoint 0 and the watchpoints, retry the instruction
    .equ MODE_STEP,   1       // keep stepping while `steps` > 0, then stop stepping
    .equ MDSCR_SS,    1
    .equ MDSCR_KDE,   (1 << 13)
    .equ MDSCR_MDE,   (1 << 15)

.macro set_mode value
    la   x0, mode
    mov  x1, #\value
    str  x1, [x0]
.endm

    .section .text.boot, "ax"
    .global _start
_start:
    la   x0, stack_top
    mov  sp, x0
    la   x0, vectors
    msr  vbar_el1, x0
    isb
    bl   uart_init
    print "debug: breakpoints, watchpoints, software step\n"
    mrs  x0, id_aa64dfr0_el1
    show "  ID_AA64DFR0_EL1", x0
    // The OS lock is set at reset: debug exceptions are disabled until it is cleared.
    mrs  x0, oslsr_el1
    show "  OSLSR_EL1 at reset", x0
    ldr  x0, =MDSCR_MDE | MDSCR_KDE
    msr  mdscr_el1, x0
    msr  daifclr, #8            // PSTATE.D = 0
    isb
    set_mode MODE_DISARM
    la   x0, bp_target
    msr  dbgbvr0_el1, x0
    mov  x0, #0x1E7             // E, PMC = EL0 and EL1, BAS = 1111
    msr  dbgbcr0_el1, x0
    isb
    print "breakpoint with the OS lock set:\n"
    bl   bp_target              // nothing: the OS lock disables debug exceptions
    msr  oslar_el1, xzr
    isb
    mrs  x0, oslsr_el1
    show "  OSLSR_EL1 unlocked", x0
    print "breakpoint:\n"
    mov  x0, #0x1E7
    msr  dbgbcr0_el1, x0
    isb
    bl   bp_target
    bl   bp_target              // disarmed by the handler: no exception
    bl   test_bp_el0_only
    bl   test_watchpoints
    bl   test_step_el1
    bl   test_step_el0
    bl   test_kde_off
    print "debug: done\n"
    bl   psci_system_off
    .ltorg

bp_target:
    mov  x0, #1
    ret

// PMC = EL0 only: an EL1 call does not stop.
test_bp_el0_only:
    stp  x29, x30, [sp, #-16]!
    print "breakpoint for EL0 only, called at EL1:\n"
    la   x0, bp_target
    msr  dbgbvr0_el1, x0
    mov  x0, #0x1E5             // E, PMC = EL0
    msr  dbgbcr0_el1, x0
    isb
    bl   bp_target
    msr  dbgbcr0_el1, xzr
    isb
    ldp  x29, x30, [sp], #16
    ret

test_watchpoints:
    stp  x29, x30, [sp, #-16]!
    la   x19, watched
    print "watchpoint on stores, BAS = all 8 bytes:\n"
    msr  dbgwvr0_el1, x19
    ldr  x0, =((0xFF << 5) | (2 << 3) | (3 << 1) | 1)   // BAS, LSC = store, PAC = EL0+EL1, E
    msr  dbgwcr0_el1, x0
    isb
    ldr  x1, [x19]              // a load: no exception
    mov  x1, #5
    str  x1, [x19, #8]          // the next doubleword: no exception
    str  w1, [x19, #4]          // hits (FAR = the store's address)
    ldr  x1, [x19]
    show "  value after the retried store", x1
    print "watchpoint on loads of byte 3 only:\n"
    ldr  x0, =((0x08 << 5) | (1 << 3) | (3 << 1) | 1)   // BAS = byte 3, LSC = load
    msr  dbgwcr0_el1, x0
    isb
    ldrb w1, [x19, #2]          // byte 2: no exception
    str  x1, [x19]              // a store: no exception
    ldrh w1, [x19, #2]          // bytes 2-3: hits, FAR = byte 3
    print "watchpoint with MASK = 12 (a 4 KiB range), loads and stores:\n"
    and  x0, x19, #~0xFFF
    add  x0, x0, #0x800         // any address in the range: the low 12 bits are ignored
    msr  dbgwvr1_el1, x0
    ldr  x0, =((12 << 24) | (0xFF << 5) | (3 << 3) | (3 << 1) | 1)
    msr  dbgwcr1_el1, x0
    isb
    and  x20, x19, #~0xFFF
    ldr  x1, [x20, #0x7F8]      // hits
    add  x20, x20, #0x1000
    ldr  x1, [x20]              // the next range: no exception
    print "watchpoint for EL0 only, at EL1:\n"
    msr  dbgwvr0_el1, x19
    ldr  x0, =((0xFF << 5) | (3 << 3) | (2 << 1) | 1)   // PAC = EL0
    msr  dbgwcr0_el1, x0
    isb
    ldr  x1, [x19]              // EL1: no exception
    ldtr x1, [x19]              // an unprivileged load counts as EL0: hits
    msr  dbgwcr0_el1, xzr
    msr  dbgwcr1_el1, xzr
    isb
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

// Software step at EL1: KDE set, D clear; ERET into `stepped` with SPSR.SS = 1.
test_step_el1:
    stp  x29, x30, [sp, #-16]!
    print "software step at EL1:\n"
    set_mode MODE_STEP
    la   x0, steps
    mov  x1, #5
    str  x1, [x0]
    la   x0, resume_sp
    mov  x1, sp
    str  x1, [x0]
    msr  daifset, #8            // D set: nothing here is stepped; the ERET clears it
    mrs  x0, mdscr_el1
    orr  x0, x0, #MDSCR_SS
    msr  mdscr_el1, x0
    la   x0, stepped
    msr  elr_el1, x0
    ldr  x0, =((1 << 21) | 0x5) // SS, EL1h, DAIF clear
    msr  spsr_el1, x0
    isb
    eret
stepped:
    mov  x1, #1
    la   x2, watched
    ldxr x3, [x2]               // a load-exclusive: EX = 1 in its step's syndrome
    clrex
    add  x1, x1, #1
    svc  #7                     // an SVC completes its step: the step exception follows the return
    nop
    nop
    b    step_el1_done
step_el1_done:
    la   x0, resume_sp
    ldr  x0, [x0]
    mov  sp, x0
    set_mode MODE_DISARM
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

// Software step of EL0 code, KDE clear (debug exceptions only from EL0).
test_step_el0:
    stp  x29, x30, [sp, #-16]!
    print "software step at EL0:\n"
    la   x0, resume_sp
    mov  x1, sp
    str  x1, [x0]
    set_mode MODE_STEP
    la   x0, steps
    mov  x1, #3
    str  x1, [x0]
    ldr  x0, =MDSCR_MDE | MDSCR_SS
    msr  mdscr_el1, x0
    la   x0, user_stack_top
    msr  sp_el0, x0
    la   x0, user_code
    msr  elr_el1, x0
    mov  x0, #(1 << 21)         // SS, EL0t
    msr  spsr_el1, x0
    isb
    eret
el0_returned:
    la   x0, resume_sp
    ldr  x0, [x0]
    mov  sp, x0
    msr  mdscr_el1, xzr
    isb
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

user_code:
    mov  x0, #1
    add  x0, x0, #2
    add  x0, x0, #3
    add  x0, x0, #4
    svc  #0                     // back to EL1 for good

// With KDE clear, an EL1 breakpoint does nothing; with D set neither does KDE.
test_kde_off:
    stp  x29, x30, [sp, #-16]!
    print "breakpoint at EL1 with KDE clear, then with D set:\n"
    set_mode MODE_DISARM
    ldr  x0, =MDSCR_MDE
    msr  mdscr_el1, x0
    la   x0, bp_target
    msr  dbgbvr0_el1, x0
    mov  x0, #0x1E7
    msr  dbgbcr0_el1, x0
    isb
    bl   bp_target
    ldr  x0, =MDSCR_MDE | MDSCR_KDE
    msr  mdscr_el1, x0
    msr  daifset, #8
    isb
    bl   bp_target
    msr  daifclr, #8
    isb
    bl   bp_target              // now it hits
    msr  mdscr_el1, xzr
    isb
    ldp  x29, x30, [sp], #16
    ret
    .ltorg

// ---- Exceptions ------------------------------------------------------------------------------
sync_handler:
    stp  x0, x1, [sp, #-64]!
    stp  x2, x3, [sp, #16]
    stp  x29, x30, [sp, #32]
    stp  x19, x20, [sp, #48]
    mrs  x19, esr_el1
    lsr  x20, x19, #26
    cmp  x20, #0x15
    b.eq svc_handler
    print "  ec="
    mov  x0, x20
    bl   uart_puthex
    print " iss="
    and  x0, x19, #0x1FFFFFF
    bl   uart_puthex
    print " elr=+"
    mrs  x0, elr_el1
    la   x1, _start
    sub  x0, x0, x1
    bl   uart_puthex
    cmp  x20, #0x34
    b.lo 1f
    print " far=+"
    mrs  x0, far_el1
    la   x1, _start
    sub  x0, x0, x1
    bl   uart_puthex
1:  mov  w0, #'\n'
    bl   uart_putc
    la   x0, mode
    ldr  x0, [x0]
    cmp  x0, #MODE_STEP
    b.eq 2f
    msr  dbgbcr0_el1, xzr       // MODE_DISARM: retry the instruction without the breakpoint or watchpoints
    msr  dbgwcr0_el1, xzr
    msr  dbgwcr1_el1, xzr
    b    9f
2:  la   x0, steps              // MODE_STEP: step the next instruction too, or stop stepping
    ldr  x1, [x0]
    sub  x1, x1, #1
    str  x1, [x0]
    mrs  x2, spsr_el1
    orr  x2, x2, #(1 << 21)
    msr  spsr_el1, x2
    cbnz x1, 9f
    mrs  x2, mdscr_el1
    bic  x2, x2, #MDSCR_SS
    msr  mdscr_el1, x2
9:  isb
    ldp  x19, x20, [sp, #48]
    ldp  x29, x30, [sp, #32]
    ldp  x2, x3, [sp, #16]
    ldp  x0, x1, [sp], #64
    eret

svc_handler:
    and  x20, x19, #0xFFFF
    show "  svc", x20
    cbz  x20, 1f                // SVC #0 from EL0: the EL0 test is over
    ldp  x19, x20, [sp, #48]
    ldp  x29, x30, [sp, #32]
    ldp  x2, x3, [sp, #16]
    ldp  x0, x1, [sp], #64
    eret
1:  b    el0_returned

    .include "lib.inc"

    .balign 2048
vectors:
    .irp offset, 0x000, 0x080, 0x100, 0x180
    panic_entry \offset
    .endr
    b    sync_handler           // current EL with SP_ELx: synchronous
    .balign 128
    .irp offset, 0x280, 0x300, 0x380
    panic_entry \offset
    .endr
    b    sync_handler           // lower EL, AArch64: synchronous
    .balign 128
    .irp offset, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
    panic_entry \offset
    .endr

    .data
    .balign 4096
watched:    .quad 0x1111111111111111, 0x2222222222222222
    .balign 4096
    .quad 0

    .bss
    .balign 16
mode:       .space 8
steps:      .space 8
resume_sp:  .space 8
    .balign 16
    .space 1024
user_stack_top:
    .space 4096
stack_top:
