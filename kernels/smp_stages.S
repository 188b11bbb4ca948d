// smp_stages: two CPUs (QEMU -smp 2, Deja --smp 2) that print stage lines in
// a fixed order, for deja stages, deja diff and the timeline of a run of
// several CPUs (smp_stages.stages names the lines).
//
// CPU 0 prints, starts CPU 1 with PSCI CPU_ON and waits in WFE until CPU 1
// says it is finished. CPU 1 prints, runs a busy loop of WORK iterations,
// prints again, sets the flag and calls CPU_OFF. CPU 0 waits until
// AFFINITY_INFO says CPU 1 is off, prints twice more and powers off.
//
// CPU 0 retires few instructions while it waits, CPU 1 many: CPU 0's own
// instruction count at its later lines is below CPU 1's at CPU 1's lines,
// and CPU 1's count at its first line is below CPU 0's at its first. Only the
// machine's count (instructions retired by both) orders them as printed.
    .include "defs.inc"

.equ WORK,             20000
.equ PSCI_CPU_OFF,     0x84000002
.equ PSCI_CPU_ON,      0xC4000003
.equ PSCI_AFFINITY,    0xC4000004

    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack0_top
    mov  sp, x0
    bl   install_panic_vectors
    bl   uart_init
    print "smp_stages: cpu 0 boot\n"
    movl32 x0, PSCI_CPU_ON
    mov  x1, #1
    adr  x2, secondary
    mov  x3, #1
    hvc  #0
    cbnz x0, failed
    adr  x19, cpu1_done
1:  wfe
    ldar w2, [x19]
    cbz  w2, 1b
    print "smp_stages: cpu 0 saw cpu 1 finish\n"
    // AFFINITY_INFO is 1 once CPU 1 is off (QEMU powers it off asynchronously).
2:  movl32 x0, PSCI_AFFINITY
    mov  x1, #1
    mov  x2, #0
    hvc  #0
    cmp  x0, #1
    b.ne 2b
    print "smp_stages: cpu 1 off\n"
    print "smp_stages: done\n"
    b    psci_system_off

failed:
    print "smp_stages: cpu_on failed\n"
    b    psci_system_off

secondary:
    adr  x1, stack1_top
    mov  sp, x1
    bl   install_panic_vectors
    print "smp_stages: cpu 1 up\n"
    movl32 x0, WORK
1:  subs x0, x0, #1
    b.ne 1b
    print "smp_stages: cpu 1 work done\n"
    adr  x1, cpu1_done
    mov  w2, #1
    stlr w2, [x1]
    sev
    movl32 x0, PSCI_CPU_OFF
    hvc  #0
    print "smp_stages: cpu_off returned\n"
    b    psci_system_off

    .include "lib.inc"

    .data
    .balign 4
cpu1_done:      .word 0

    .pushsection .bss
    .balign 16
    .space 4096
stack0_top:
    .space 4096
stack1_top:
    .popsection
