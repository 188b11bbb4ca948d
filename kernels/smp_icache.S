// smp_icache: code that one CPU writes runs on another (QEMU -smp 4, Deja
// --smp 4), after the maintenance the Arm architecture asks for.
//
// `patch` is a two-instruction function alone in its 64-byte line,
// `movz x0, #1; ret`. CPU 0 starts CPUs 1 and 2 (CPU 3 stays off). CPU 2
// calls `patch` CALLS times and keeps the sum of what it returned, so the old
// code has been fetched, decoded and (in Deja, with a low translation
// threshold) translated on CPU 2 before anyone writes it; then it publishes
// step 1 and waits. Two rounds follow. CPU 1 waits for CPU 2's step,
// overwrites patch's first instruction with `movz x0, #n`, and makes the new
// instruction visible to every CPU's instruction fetches as a writer must:
//   round 1: DC CVAU; DSB ISH; IC IVAU (that line); DSB ISH
//   round 2: DC CVAU; DSB ISH; IC IALLUIS;          DSB ISH
// then publishes the round (STLR). CPU 2 sees it (LDAR), runs ISB (the
// executing CPU's part: no instruction fetched before it may be used after
// it) and calls patch once: it must return n (2, then 3). CPU 0 waits until
// CPUs 1 and 2 are off, prints the results and powers off.
    .include "defs.inc"

.equ CALLS,            1000
.equ PSCI_CPU_OFF,     0x84000002
.equ PSCI_CPU_ON,      0xC4000003
.equ PSCI_AFFINITY,    0xC4000004

// x0 = PSCI function, x1-x3 arguments; result in x0.
.macro psci fn, a1, a2, a3
    movl32 x0, \fn
    mov  x1, \a1
    mov  x2, \a2
    mov  x3, \a3
    hvc  #0
.endm

// Waits until the word at \addr (a register) reads \n (LDAR). Clobbers w3.
.macro await addr, n
8:  ldar w3, [\addr]
    cmp  w3, #\n
    b.ne 8b
.endm

    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack0_top
    mov  sp, x0
    bl   install_panic_vectors
    bl   uart_init
    print "smp_icache: cpu 1 writes code that cpu 2 runs\n"
    adr  x21, secondary
    psci PSCI_CPU_ON, #1, x21, #1
    show "cpu_on 1", x0
    psci PSCI_CPU_ON, #2, x21, #2
    show "cpu_on 2", x0
    adr  x4, step
    await x4, 3
    // Wait until CPUs 1 and 2 are off.
    mov  x20, #1
1:  psci PSCI_AFFINITY, x20, #0, #0
    cmp  x0, #1
    b.ne 1b
    add  x20, x20, #1
    cmp  x20, #3
    b.ne 1b
    adr  x1, results
    ldr  x0, [x1]
    show "cpu 2, sum of the old code's results", x0
    adr  x1, results
    ldr  x0, [x1, #8]
    show "cpu 2 after dc cvau, ic ivau", x0
    adr  x1, results
    ldr  x0, [x1, #16]
    show "cpu 2 after dc cvau, ic ialluis", x0
    print "smp_icache: done\n"
    b    psci_system_off

// x0 = context = this CPU's number (1 or 2).
secondary:
    mov  x19, x0
    bl   install_panic_vectors
    adr  x4, step
    adr  x5, round
    adr  x6, patch
    adr  x7, results
    cmp  x19, #1
    b.eq writer

// CPU 2: runs the old code, then each round's new code.
    mov  x20, #CALLS
    mov  x21, #0
1:  bl   patch
    add  x21, x21, x0
    subs x20, x20, #1
    b.ne 1b
    str  x21, [x7]
    mov  w3, #1
    stlr w3, [x4]
    await x5, 1
    isb
    bl   patch
    str  x0, [x7, #8]
    mov  w3, #2
    stlr w3, [x4]
    await x5, 2
    isb
    bl   patch
    str  x0, [x7, #16]
    mov  w3, #3
    stlr w3, [x4]
    b    off

// CPU 1: writes each round's instruction over patch's first.
writer:
    adr  x8, new_code
    await x4, 1
    ldr  w2, [x8]
    str  w2, [x6]
    dc   cvau, x6
    dsb  ish
    ic   ivau, x6
    dsb  ish
    mov  w3, #1
    stlr w3, [x5]
    await x4, 2
    ldr  w2, [x8, #4]
    str  w2, [x6]
    dc   cvau, x6
    dsb  ish
    ic   ialluis
    dsb  ish
    mov  w3, #2
    stlr w3, [x5]

off:
    movl32 x0, PSCI_CPU_OFF
    hvc  #0
    print "cpu_off returned\n"
    b    psci_system_off

// Alone in its cache line: IC IVAU of it touches no other code.
    .balign 64
patch:
    movz x0, #1
    ret
    .balign 64
// The instructions CPU 1 writes (never executed here).
new_code:
    movz x0, #2
    movz x0, #3

    .include "lib.inc"

    .data
    .balign 8
step:           .word 0                 // CPU 2: 1 after the old code, 2 and 3 after each round
round:          .word 0                 // CPU 1: the round whose instruction is written
results:        .quad 0, 0, 0

    .pushsection .bss
    .balign 16
    .space 4096
stack0_top:
    .popsection
