// smc_code: self-modifying (JIT-style) code.
//
// Writes instruction words into a RAM buffer at run time, makes them visible
// to instruction fetch the architectural way (DC CVAU, DSB ISH, IC IVAU,
// DSB ISH, ISB: Arm ARM B2.4.4 "Concurrent modification and execution of
// instructions"), calls the buffer and prints what it returned. Then it
// rewrites the buffer three ways and calls it again each time; every result
// must differ from the one before, which proves that an emulator's cache of
// decoded instructions was invalidated:
//   1. copy "movz x0, #0x1234; ret" word by word           -> 0x1234
//   2. patch only the first word to "movz x0, #0x5678"      -> 0x5678
//   3. write "movz x0, #0x9abc; ret" as one 64-bit store    -> 0x9abc
//   4. patch the first word to "add x0, x0, x1", call with x0 = 0x1000, x1 = 0x234
//                                                           -> 0x1234
    .include "defs.inc"
    .section .text.boot, "ax"
    .global _start
_start:
    bl   install_panic_vectors
    adr  x0, stack_top
    mov  sp, x0
    bl   uart_init
    print "smc_code: jit buffer tests\n"
    adr  x19, jit_buffer

    // 1. Two words from the template.
    adr  x0, template_1234
    ldr  w1, [x0]
    str  w1, [x19]
    ldr  w1, [x0, #4]
    str  w1, [x19, #4]
    bl   sync_and_call
    mov  x20, x0
    mov  x1, #1
    bl   report

    // 2. Only the immediate-carrying word changes.
    adr  x0, template_5678
    ldr  w1, [x0]
    str  w1, [x19]
    bl   sync_and_call
    mov  x1, #2
    bl   report

    // 3. Both words in one doubleword store.
    adr  x0, template_9abc
    ldr  x1, [x0]
    str  x1, [x19]
    bl   sync_and_call
    mov  x1, #3
    bl   report

    // 4. An instruction that uses its inputs.
    adr  x0, template_add
    ldr  w1, [x0]
    str  w1, [x19]
    mov  x0, #0x1000
    mov  x1, #0x234
    bl   sync_and_call_with_args
    mov  x1, #4
    bl   report

    print "smc_code: done\n"
    bl   psci_system_off

// Makes the two words at x19 visible to instruction fetch and calls them with
// x0 = x1 = 0 (sync_and_call) or with the caller's x0 and x1. Returns their x0.
sync_and_call:
    mov  x0, #0
    mov  x1, #0
sync_and_call_with_args:
    stp  x29, x30, [sp, #-16]!
    dc   cvau, x19              // clean the new words to the point of unification
    dsb  ish
    ic   ivau, x19              // drop stale instructions for that line
    dsb  ish
    isb
    blr  x19
    ldp  x29, x30, [sp], #16
    ret

// Prints "call N: 0x<x0>" for call number x1. Preserves x19, x20.
report:
    stp  x29, x30, [sp, #-32]!
    stp  x0, x1, [sp, #16]
    print "call "
    ldr  x0, [sp, #24]
    bl   uart_putdec
    print ": "
    ldr  x0, [sp, #16]
    bl   uart_puthex
    mov  w0, #'\n'
    bl   uart_putc
    ldp  x29, x30, [sp], #32
    ret

// Code templates: assembled here, copied into the buffer as data, never run in place.
    .balign 8
template_1234:
    movz x0, #0x1234
    ret
template_5678:
    movz x0, #0x5678
    .balign 8                   // loaded with one LDR X: Device memory needs alignment
template_9abc:
    movz x0, #0x9abc
    ret
template_add:
    add  x0, x0, x1

    .include "lib.inc"

    .bss
    .balign 64                  // one cache line (CTR_EL0 minimum line is 16 bytes; Cortex-A57 lines are 64)
jit_buffer:
    .space 64
    .balign 16
    .space 4096
stack_top:
