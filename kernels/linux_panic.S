// linux_panic: a guest that panics the way a Linux kernel does, for the
// panic stop (PanicWatch) under deja run --gdb without booting Linux.
//
// It counts X19 up to 1000 in a loop, then calls bad_thing, which prints
// Linux's panic lines ("Kernel panic - not syncing: REASON", a line of
// context, "---[ end Kernel panic - not syncing: REASON ]---") and spins
// as panic() does with panic=0. PanicWatch stops the run once the end line
// is complete: the run's last instruction is the store of that line's '\n'.
    .include "defs.inc"

    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack_top
    mov  sp, x0
    bl   uart_init
    print "linux_panic: counting to 1000\n"
    mov  x19, #0
count:
    add  x19, x19, #1
    cmp  x19, #1000
    b.ne count
    bl   bad_thing
    bl   psci_system_off

bad_thing:
    print "Kernel panic - not syncing: deja test: x19 reached 1000\n"
    print "CPU: 0 PID: 1 Comm: linux_panic\n"
    print "---[ end Kernel panic - not syncing: deja test: x19 reached 1000 ]---\n"
spin:
    b    spin

    .include "lib.inc"

    .bss
    .balign 16
    .space 4096
stack_top:
