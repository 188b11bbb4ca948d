// arm64_hello: a heartbeat in memory, for watching a guest from the outside.
//
// The data block sits at load address + 0x1000 (0x11000 on vibe,
// 0x4008_1000 on virt):
//   +0x00  u32  status:  0xDEADBEEF once initialised, then 0xCAFEBABE in the main loop
//   +0x04  u32  marker:  0xF00DF00D once the first message is due
//   +0x08  u64  iteration counter
//   +0x10  u64  message count (one per 10,000,000 iterations)
//
// Runs forever. The loop is four instructions per iteration and the message
// block six, so the counter after any instruction budget can be computed
// exactly (kernels/README.md gives the formula). No stack, no devices: the
// kernel only needs RAM and the core.
    .section .text.boot, "ax"
    .global _start
_start:
    adr  x20, data
    movz w1, #0xBEEF
    movk w1, #0xDEAD, lsl #16
    str  w1, [x20]              // status: initialised
    str  wzr, [x20, #4]
    str  xzr, [x20, #8]
    str  xzr, [x20, #16]
    mov  x1, #0                 // iteration counter
    mov  x23, #0                // message count
    movz w3, #0xF00D
    movk w3, #0xF00D, lsl #16
    movz x22, #(10000000 & 0xFFFF)
    movk x22, #(10000000 >> 16), lsl #16
    mov  x21, x22               // iterations until the next message
    movz w2, #0xBABE
    movk w2, #0xCAFE, lsl #16
    str  w2, [x20]              // status: in the main loop
loop:
    add  x1, x1, #1
    str  x1, [x20, #8]
    subs x21, x21, #1
    b.ne loop
    add  x23, x23, #1
    str  x23, [x20, #16]
    str  w3, [x20, #4]
    wfi
    mov  x21, x22
    b    loop

    .org 0x1000
    .balign 8
data:
    .word 0, 0
    .quad 0, 0
