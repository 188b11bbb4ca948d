// uart_hello: prints a greeting on the PL011 and powers off with PSCI.
    .include "defs.inc"
    .section .text.boot, "ax"
    .global _start
_start:
    bl   install_panic_vectors
    adr  x0, stack_top
    mov  sp, x0
    bl   uart_init
    print "Hello from Deja!\n"
    print "uart_hello: done\n"
    bl   psci_system_off

    .include "lib.inc"

    .bss
    .balign 16
    .space 4096
stack_top:
