// smp_race: four CPUs increment a shared counter under a lock that is not
// quite a lock, the race `deja hunt --smp 4` finds and docs/queries/smp_race.sql
// explains.
//
// The lock is taken with a load-exclusive but released into with a plain
// store where a store-exclusive belongs:
//
//     take:  ldaxr w2, [lock]      // free?
//            cbnz  w2, take
//            mov   w2, #1
//            str   w2, [lock]      // BUG: stxr w3, w2, [lock]; cbnz w3, take
//
// A CPU that is stopped between its LDAXR and its STR (its slice ends there)
// still "owns" the free lock it saw when it comes back, even if another CPU
// took the lock meanwhile: two CPUs are then inside the critical section
//
//            ldr   x5, [counter]
//            ... (the update takes a few instructions)
//            str   x5, [counter]
//
// and when the second one's slice ended between its LDR and its STR, its STR
// later writes back a stale value over the other CPU's increments: a lost
// update. Most schedules never stop a CPU inside both windows; some do.
//
// CPU 0 starts CPUs 1-3 with PSCI CPU_ON; each CPU adds ITERATIONS, then
// counts itself done (with a correct LDAXR/STLXR increment). CPU 0 waits for
// all four and prints the counter and "LOST UPDATE" or "no update lost".
    .include "defs.inc"

.equ CPUS,             4
.equ ITERATIONS,       1000
.equ PSCI_CPU_ON,      0xC4000003

    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack0_top
    mov  sp, x0
    bl   install_panic_vectors
    bl   uart_init
    print "smp_race: 4 CPUs, 1000 increments each\n"
    mov  x20, #1
    adr  x21, secondary
1:  movl32 x0, PSCI_CPU_ON
    mov  x1, x20
    mov  x2, x21
    mov  x3, x20
    hvc  #0
    add  x20, x20, #1
    cmp  x20, #CPUS
    b.ne 1b
    mov  x19, #0
    b    work

secondary:
    mov  x19, x0
    adr  x1, stacks
    add  x1, x1, x19, lsl #12
    mov  sp, x1
    bl   install_panic_vectors

work:
    adr  x1, lock
    adr  x4, counter
    mov  x20, #ITERATIONS
take:
    ldaxr w2, [x1]
    cbnz w2, take
    mov  w2, #1
    str  w2, [x1]                       // the bug: not a store-exclusive
    ldr  x5, [x4]
    add  x5, x5, #1
    eor  x7, x5, x19                    // bookkeeping done under the lock
    add  x8, x8, x7
    str  x5, [x4]
    stlr wzr, [x1]
    mov  x6, #10                        // work outside the lock
2:  subs x6, x6, #1
    b.ne 2b
    subs x20, x20, #1
    b.ne take

    adr  x1, done
3:  ldaxr x2, [x1]
    add  x2, x2, #1
    stlxr w3, x2, [x1]
    cbnz w3, 3b
    cbnz x19, parked
4:  ldar x2, [x1]
    cmp  x2, #CPUS
    b.ne 4b
    adr  x4, counter
    ldr  x22, [x4]
    show "counter", x22
    mov  x1, #(CPUS * ITERATIONS)
    cmp  x22, x1
    b.eq 5f
    print "LOST UPDATE\n"
    b    psci_system_off
5:  print "no update lost\n"
    b    psci_system_off

parked:
    wfi
    b    parked

    .include "lib.inc"

    .data
    .balign 8
counter:        .quad 0
done:           .quad 0
lock:           .word 0

    .pushsection .bss
    .balign 16
    .space 4096
stack0_top:
    .space 4096
stacks:
    .space 3 * 4096
    .popsection
