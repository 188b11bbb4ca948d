// device_ids: the identification registers and interrupts of the virt
// board's PrimeCells and GICv2, as a guest sees them (virt only: vibe has
// no PL031).
//
// Prints the PL011's and PL031's PeriphID/PCellID, the GICv2 distributor's
// and CPU interface's identification registers, some reset values, then
// drives two interrupts through the GIC with PSTATE.I masked (acknowledged
// through GICC_IAR, never taken):
// - PL011 transmit: UARTIMSC.TX enabled, one byte written; RIS/MIS, the GIC's
//   highest pending interrupt and GICC_IAR show INTID 33;
// - PL031 match: RTCLR = 1000 sets the counter, RTCMR = 1001 arms the match,
//   WFI until the GIC has INTID 34 pending, one (virtual) second later.
// The RTC's absolute time is printed once: QEMU must run with
// -rtc base=2026-01-01T00:00:00,clock=vm (Deja's default start, 1767225600 =
// 0x6955b900), and the whole run must stay within its first second.
    .include "defs.inc"
    .equ GICD_ISENABLER1, 0x104
    .equ GICC_HPPIR,      0x018
    .equ UART_IMSC,       0x038
    .equ UART_RIS,        0x03C
    .equ UART_MIS,        0x040
    .equ UART_ICR,        0x044
    .equ UART_INT_TX,     (1 << 5)
    .equ RTC_DR,          0x000
    .equ RTC_MR,          0x004
    .equ RTC_LR,          0x008
    .equ RTC_IMSC,        0x010
    .equ RTC_ICR,         0x01C

    .section .text.boot, "ax"
    .global _start
_start:
    bl   install_panic_vectors
    adr  x0, stack_top
    mov  sp, x0
    bl   uart_init
    print "device_ids\n"
    showwords "PL011 PeriphID0-3,PCellID0-3", UART_BASE + 0xFE0, 8
    show32 "UARTCR", UART_BASE + 0x030
    show32 "UARTIFLS", UART_BASE + 0x034
    show32 "UARTIMSC", UART_BASE + UART_IMSC
    show32 "UARTDMACR", UART_BASE + 0x048
    showwords "PL031 PeriphID0-3,PCellID0-3", RTC_BASE + 0xFE0, 8
    show32 "RTCDR", RTC_BASE + RTC_DR
    show32 "RTCCR", RTC_BASE + 0x00C
    show32 "RTCMR", RTC_BASE + RTC_MR
    show32 "RTCLR", RTC_BASE + RTC_LR
    show32 "RTCRIS", RTC_BASE + 0x014
    show32 "GICD_TYPER", GICD_BASE + 0x004
    show32 "GICD_IIDR", GICD_BASE + 0x008
    showwords "GICD_PIDR4-7,PIDR0-3,CIDR0-3", GICD_BASE + 0xFD0, 12
    show32 "GICC_IIDR", GICC_BASE + 0x0FC

    // The GIC: INTIDs 33 (PL011) and 34 (PL031) enabled at priority 0, mask open.
    movl32 x1, GICD_BASE
    mov  w2, #1
    str  w2, [x1, #GICD_CTLR]
    mov  w2, #((1 << (UART_INTID - 32)) | (1 << (RTC_INTID - 32)))
    str  w2, [x1, #GICD_ISENABLER1]
    movl32 x1, GICC_BASE
    mov  w2, #0xF0
    str  w2, [x1, #GICC_PMR]
    mov  w2, #1
    str  w2, [x1, #GICC_CTLR]

    // PL011 transmit interrupt.
    print "uart tx irq: "
    movl32 x1, UART_BASE
    mov  w2, #0x7FF
    str  w2, [x1, #UART_ICR]
    mov  w2, #UART_INT_TX
    str  w2, [x1, #UART_IMSC]
    mov  w2, #'*'
    str  w2, [x1, #UART_DR]
    ldr  w21, [x1, #UART_RIS]
    ldr  w22, [x1, #UART_MIS]
    movl32 x3, GICC_BASE
    ldr  w23, [x3, #GICC_HPPIR]
    ldr  w24, [x3, #GICC_IAR]
    str  wzr, [x1, #UART_IMSC]
    mov  w2, #UART_INT_TX
    str  w2, [x1, #UART_ICR]
    str  w24, [x3, #GICC_EOIR]
    ldr  w25, [x3, #GICC_HPPIR]
    mov  w0, #'\n'
    bl   uart_putc
    mov  x0, x21
    print_x0 "UARTRIS"
    mov  x0, x22
    print_x0 "UARTMIS"
    mov  x0, x23
    print_x0 "GICC_HPPIR"
    mov  x0, x24
    print_x0 "GICC_IAR"
    mov  x0, x25
    print_x0 "GICC_HPPIR after EOI"

    // PL031 match interrupt, one second of RTC time away.
    movl32 x1, RTC_BASE
    mov  w2, #1000
    str  w2, [x1, #RTC_LR]
    ldr  w21, [x1, #RTC_DR]
    mov  w2, #1001
    str  w2, [x1, #RTC_MR]
    mov  w2, #1
    str  w2, [x1, #RTC_IMSC]
    mov  x0, x21
    print_x0 "RTCDR after RTCLR=1000"
    movl32 x3, GICC_BASE
1:  wfi
    ldr  w2, [x3, #GICC_HPPIR]
    cmp  w2, #RTC_INTID
    b.ne 1b
    movl32 x1, RTC_BASE
    ldr  w21, [x1, #RTC_DR]
    ldr  w22, [x1, #0x014]
    ldr  w23, [x1, #0x018]
    ldr  w24, [x3, #GICC_IAR]
    mov  w2, #1
    str  w2, [x1, #RTC_ICR]
    ldr  w25, [x1, #0x014]
    str  w24, [x3, #GICC_EOIR]
    mov  x0, x21
    print_x0 "RTCDR at match"
    mov  x0, x22
    print_x0 "RTCRIS"
    mov  x0, x23
    print_x0 "RTCMIS"
    mov  x0, x24
    print_x0 "GICC_IAR"
    mov  x0, x25
    print_x0 "RTCRIS after RTCICR"
    print "device_ids: done\n"
    bl   psci_system_off

    .include "lib.inc"
    .include "words.inc"

    .bss
    .balign 16
    .space 4096
stack_top:
