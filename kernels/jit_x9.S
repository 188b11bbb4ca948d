// jit_x9: a tiny ARM64 JIT with a literal pool, and a bug that loads 1 into X9.
//
// In the spirit of the seed's Inferno JIT: the guest generates a function
// into a RAM buffer at run time, with its 64-bit constants in a literal pool
// after the code, reached by PC-relative LDR (literal) instructions that the
// JIT encodes itself:
//
//   buffer+0x00  ldr  x9, pool+0     the runtime's table pointer, 0x12345678
//   buffer+0x04  ldr  x10, pool+8    a flag, emitted as 0 and patched to 1 later
//   buffer+0x08  add  x0, x9, x10
//   buffer+0x0c  ret
//   buffer+0x10  pool: two 64-bit literals
//
// After emitting, the JIT patches the flag literal with patch_literal. The
// bug: it numbers pool slots from 1 when patching but from 0 when emitting,
// so the patch (a store of 1) lands on slot 0, X9's literal. The JIT then
// makes the code visible to instruction fetch (DC CVAU, DSB ISH, IC IVAU,
// DSB ISH, ISB: Arm ARM B2.4.4), calls it, and prints X9 and X0 as the
// generated code left them: x9 = 0x1 instead of 0x12345678.
//
// A full trace of this run names both culprits: the generated LDR that
// loaded X9 (its pc is in the buffer) and the store that last wrote its
// literal (docs/queries/jit_x9.sql).
    .include "defs.inc"

    .equ TABLE_POINTER, 0x12345678
    .equ LDR_LIT_X,     0x58000000  // LDR (literal), 64-bit: imm19 in bits 23:5, Rt in bits 4:0
    .equ ADD_X0_X9_X10, 0x8b0a0120  // add x0, x9, x10
    .equ RET,           0xd65f03c0
    .equ POOL_OFFSET,   16          // the pool follows four instruction words

    .section .text.boot, "ax"
    .global _start
_start:
    bl   install_panic_vectors
    adr  x0, stack_top
    mov  sp, x0
    bl   uart_init
    print "jit_x9: generating code with a literal pool\n"

    adr  x19, jit_buffer        // x19: where the next instruction goes
    add  x20, x19, #POOL_OFFSET // x20: the literal pool
    mov  x21, #0                // x21: literals emitted

    mov  x0, #9                 // ldr x9, =TABLE_POINTER
    movl32 x1, TABLE_POINTER
    bl   emit_load_literal
    mov  x0, #10                // ldr x10, =0 (the flag, patched below)
    mov  x1, #0
    bl   emit_load_literal
    movl32 w0, ADD_X0_X9_X10
    str  w0, [x19], #4
    movl32 w0, RET
    str  w0, [x19], #4

    // Turn the flag on. Slot numbers in the pool start at 0, but this call
    // counts from 1: it means the flag (slot 1) and patches slot 0.
    mov  x0, #0                 // BUG: should be 1
    mov  x1, #1
    bl   patch_literal

    bl   sync_code
    adr  x0, jit_buffer
    mov  x9, #0
    mov  x10, #0
    blr  x0                     // run the generated function
    mov  x22, x9                // what the generated code left in X9
    mov  x23, x0

    print "jit_x9: x9 = "
    mov  x0, x22
    bl   uart_puthex
    print " (expected 0x12345678)\njit_x9: x0 = "
    mov  x0, x23
    bl   uart_puthex
    print " (expected 0x12345679)\njit_x9: done\n"
    bl   psci_system_off

// Emits "ldr x<x0>, <literal>" at x19 with the 64-bit value x1 in the next
// pool slot. Advances x19 and x21. Clobbers x2, x3.
emit_load_literal:
    str  x1, [x20, x21, lsl #3] // the literal, in slot x21
    add  x2, x20, x21, lsl #3
    add  x21, x21, #1
    sub  x2, x2, x19            // PC-relative offset of the literal
    lsr  x2, x2, #2             // imm19 (the pool is always ahead: positive)
    movl32 w3, LDR_LIT_X
    orr  w3, w3, w2, lsl #5
    orr  w3, w3, w0
    str  w3, [x19], #4
    ret

// Stores the 64-bit value x1 into pool slot x0.
patch_literal:
    str  x1, [x20, x0, lsl #3]
    ret

// Cleans the generated code and pool to the point of unification and drops
// stale instructions, in 16-byte steps (the smallest cache line CTR_EL0 can
// report), then synchronises the instruction stream.
sync_code:
    adr  x0, jit_buffer
    add  x1, x0, #(POOL_OFFSET + 16)
1:  dc   cvau, x0
    add  x0, x0, #16
    cmp  x0, x1
    b.lo 1b
    dsb  ish
    adr  x0, jit_buffer
2:  ic   ivau, x0
    add  x0, x0, #16
    cmp  x0, x1
    b.lo 2b
    dsb  ish
    isb
    ret

    .include "lib.inc"

    .bss
    .balign 64                  // one Cortex-A57 cache line
jit_buffer:
    .space 64
    .balign 16
    .space 4096
stack_top:
