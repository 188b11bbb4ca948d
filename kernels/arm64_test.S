// arm64_test: a little arithmetic, five trips through WFI, then power-off.
//
// Computes 42 + 10 = 52, 52 * 2 = 104 in x0 and keeps the result in x19
// (x0 is needed for the PSCI call). Then sleeps in WFI five times, counting
// the trips in x20, and powers off with x19 = 104 and x20 = 5.
//
// WFI only completes when an interrupt is pending at the CPU (or spuriously),
// so each trip is woken by the virtual timer (INTID 27, 10 ms) through the GIC
// with PSTATE.I still masked: the interrupt wakes the core but is never
// taken; the loop acknowledges it at the GIC CPU interface by polling, the
// way a tickless idle loop would.
    .include "defs.inc"
    .section .text.boot, "ax"
    .global _start
_start:
    bl   install_panic_vectors
    adr  x0, stack_top
    mov  sp, x0
    bl   uart_init

    mov  x0, #42
    add  x0, x0, #10
    mov  x1, #2
    mul  x0, x0, x1
    mov  x19, x0                // x19 = 104, the arithmetic golden

    print "arm64_test: 42 + 10 = 52, 52 * 2 = "
    mov  x0, x19
    bl   uart_putdec
    mov  w0, #'\n'
    bl   uart_putc

    bl   gic_timer_init
    mov  x20, #0                // WFI trips completed
1:  wfi
    mrs  x0, cntv_ctl_el0
    tbz  x0, #2, 1b             // not the timer (CNT_CTL_ISTATUS): sleep again
    movl32 x1, GICC_BASE
    ldr  w2, [x1, #GICC_IAR]    // acknowledge INTID 27
    mrs  x0, cntfrq_el0         // re-arm 10 ms ahead, which drops the timer output
    mov  x3, #100
    udiv x0, x0, x3
    msr  cntv_tval_el0, x0
    and  w3, w2, #0x3FF
    cmp  w3, #GIC_SPURIOUS
    b.eq 2f
    str  w2, [x1, #GICC_EOIR]
2:  add  x20, x20, #1
    print "arm64_test: wfi wakeup "
    mov  x0, x20
    bl   uart_putdec
    mov  w0, #'\n'
    bl   uart_putc
    cmp  x20, #5
    b.ne 1b

    msr  cntv_ctl_el0, xzr      // timer off
    print "arm64_test: done x19="
    mov  x0, x19
    bl   uart_putdec
    print " x20="
    mov  x0, x20
    bl   uart_putdec
    mov  w0, #'\n'
    bl   uart_putc
    bl   psci_system_off        // x19 = 104, x20 = 5 here

// Routes the virtual timer (INTID 27) to the CPU interface and starts it with
// a 10 ms period (CNTFRQ_EL0 / 100). PSTATE.I stays masked.
gic_timer_init:
    gic_enable_vtimer           // priority mask 0xF0: 0x00-0xEF get through
    mrs  x0, cntfrq_el0
    mov  x3, #100
    udiv x0, x0, x3
    msr  cntv_tval_el0, x0
    mov  x0, #CNT_CTL_ENABLE
    msr  cntv_ctl_el0, x0
    isb
    ret

    .include "lib.inc"

    .bss
    .balign 16
    .space 4096
stack_top:
