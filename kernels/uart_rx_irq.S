// uart_rx_irq: console input taken through the PL011 receive interrupt, the
// way Linux's amba-pl011 driver takes it.
//
// Enables the GICv2 and INTID 33 (the PL011, SPI 1), UARTIMSC.RX, unmasks
// IRQs and sleeps in WFI. Each IRQ acknowledges GICC_IAR, checks UARTMIS.RX,
// reads one byte from UARTDR (the FIFOs stay off, UARTLCR_H.FEN = 0, so the
// receive holding register holds one byte at a time), stores it and ends the
// interrupt with GICC_EOIR. At a newline it prints what came in and how many
// receive interrupts delivered it, and powers off.
//
// The input is "Deja\n". Deja's golden test sends it as console input at
// icount 0 (as deja record --input does); QEMU's types it into a pipe chardev
// (a FIFO) once the guest has printed its first line. Neither when the bytes
// arrive nor how long the guest sleeps shows in the output: with the FIFOs
// off the PL011 holds one byte, so each byte is one receive interrupt in both.
    .include "defs.inc"
    .equ UART_IMSC,   0x038
    .equ UART_MIS,    0x040
    .equ UART_INT_RX, (1 << 4)
    .equ GICD_ISENABLER1, 0x104
    .equ MAX_INPUT,   32

    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack_top
    mov  sp, x0
    adr  x0, vectors
    msr  vbar_el1, x0
    isb
    bl   uart_init
    print "uart_rx_irq: waiting for a line\n"
    adr  x19, received          // x19: next free byte of the buffer
    mov  x20, #0                // x20: receive interrupts taken
    mov  x21, #0                // x21: set by the handler at the newline

    movl32 x1, GICD_BASE
    mov  w2, #1
    str  w2, [x1, #GICD_CTLR]
    mov  w2, #(1 << (UART_INTID - 32))
    str  w2, [x1, #GICD_ISENABLER1]
    movl32 x1, GICC_BASE
    mov  w2, #0xF0
    str  w2, [x1, #GICC_PMR]
    mov  w2, #1
    str  w2, [x1, #GICC_CTLR]
    movl32 x1, UART_BASE
    mov  w2, #UART_INT_RX
    str  w2, [x1, #UART_IMSC]
    msr  daifclr, #2
1:  wfi
    cbz  x21, 1b
    msr  daifset, #2
    print "received: "
    adr  x0, received
    bl   uart_puts
    print "receive interrupts: "
    mov  x0, x20
    bl   uart_putdec
    print "\nuart_rx_irq: done\n"
    bl   psci_system_off

// IRQ at EL1 with SP_EL1. Uses x0-x3, x22 (the helpers are not called here).
irq_handler:
    movl32 x1, GICC_BASE
    ldr  w22, [x1, #GICC_IAR]
    and  w0, w22, #0x3FF
    cmp  w0, #UART_INTID
    b.ne 9f
    movl32 x2, UART_BASE
    ldr  w0, [x2, #UART_MIS]
    tbz  w0, #4, 8f             // not RX: nothing to read
    add  x20, x20, #1
    ldr  w0, [x2, #UART_DR]
    and  w0, w0, #0xFF
    adr  x3, received + MAX_INPUT - 1
    cmp  x19, x3
    b.hs 2f                     // buffer full: drop (the NUL stays)
    strb w0, [x19], #1
2:  cmp  w0, #'\n'
    b.ne 8f
    mov  x21, #1
8:  str  w22, [x1, #GICC_EOIR]
9:  eret

    .include "lib.inc"

    irq_vectors irq_handler

    .data
    .balign 8
received:
    .space MAX_INPUT            // zero-filled: the line stays NUL-terminated

    .bss
    .balign 16
    .space 4096
stack_top:
