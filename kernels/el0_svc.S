// el0_svc: a user program at EL0 asking the kernel at EL1 for services.
//
// EL1 installs a vector table, gives EL0 its own stack (SP_EL0) and drops to
// EL0 with ERET (SPSR_EL1 = EL0t). The EL0 code calls:
//   SVC #1  print the character in x0
//   SVC #2  x0 = x0 + x1
//   SVC #3  print x0 in decimal
//   SVC #0  power off
// The EL1 handler decodes ESR_EL1 (EC 0x15 = SVC from AArch64, ISS = imm16),
// serves the call and returns with ERET; ELR_EL1 already points after the SVC.
    .include "defs.inc"
    .equ EC_SVC64, 0x15
    .section .text.boot, "ax"
    .global _start
_start:
    adr  x0, stack_top
    mov  sp, x0
    adr  x0, vectors
    msr  vbar_el1, x0
    isb
    bl   uart_init
    print "el0_svc: entering EL0\n"
    adr  x0, user_stack_top
    msr  sp_el0, x0
    adr  x0, user_main
    msr  elr_el1, x0
    msr  spsr_el1, xzr          // EL0t, interrupts unmasked (none are enabled)
    eret

// ---- EL0 ------------------------------------------------------------------
user_main:
    adr  x19, user_message
1:  ldrb w0, [x19], #1
    cbz  w0, 2f
    svc  #1
    b    1b
2:  mov  x0, #40
    mov  x1, #2
    svc  #2                     // x0 = 42
    mov  x20, x0
    mov  x0, #40
    svc  #3
    adr  x19, user_plus
    bl   user_puts
    mov  x0, #2
    svc  #3
    adr  x19, user_equals
    bl   user_puts
    mov  x0, x20
    svc  #3
    mov  x0, #'\n'
    svc  #1
    adr  x19, user_bye
    bl   user_puts
    svc  #0
    b    .                      // not reached

// Prints the string at x19 one SVC per character.
user_puts:
1:  ldrb w0, [x19], #1
    cbz  w0, 2f
    svc  #1
    b    1b
2:  ret

user_message: .asciz "el0: hello from EL0 via svc #1\n"
user_plus:    .asciz " + "
user_equals:  .asciz " = "
user_bye:     .asciz "el0: asking EL1 to power off\n"
    .balign 4

// ---- EL1 ------------------------------------------------------------------
// Synchronous exception from EL0. Preserves every register but x0, which
// carries SVC #2's result back.
svc_handler:
    stp  x1, x2, [sp, #-80]!
    stp  x3, x4, [sp, #16]
    stp  x5, x6, [sp, #32]
    stp  x7, x8, [sp, #48]
    stp  x29, x30, [sp, #64]
    mrs  x2, esr_el1
    lsr  x3, x2, #26
    cmp  x3, #EC_SVC64
    b.ne unexpected_sync
    and  x2, x2, #0xFFFF        // imm16
    cmp  x2, #1
    b.eq svc_putc
    cmp  x2, #2
    b.eq svc_add
    cmp  x2, #3
    b.eq svc_putdec
    cbz  x2, svc_poweroff
    b    unexpected_sync

svc_putc:
    bl   uart_putc
    b    svc_return
svc_add:
    ldr  x1, [sp]               // the caller's x1
    add  x0, x0, x1
    b    svc_return
svc_putdec:
    str  x0, [sp, #-16]!
    bl   uart_putdec
    ldr  x0, [sp], #16
svc_return:
    ldp  x29, x30, [sp, #64]
    ldp  x7, x8, [sp, #48]
    ldp  x5, x6, [sp, #32]
    ldp  x3, x4, [sp, #16]
    ldp  x1, x2, [sp], #80
    eret

svc_poweroff:
    mrs  x0, spsr_el1
    and  x0, x0, #0xF           // M[3:0]: 0 = EL0t
    cbnz x0, unexpected_sync
    print "el0_svc: power off requested from EL0\n"
    bl   psci_system_off

// Not an SVC, or one we do not serve: report it like any other surprise.
unexpected_sync:
    mov  x0, #0x400
    b    panic

    .include "lib.inc"

    .balign 2048
vectors:
    .irp offset, 0x000, 0x080, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380
    panic_entry \offset
    .endr
    b    svc_handler            // lower EL, AArch64: synchronous
    .balign 128
    .irp offset, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
    panic_entry \offset
    .endr

    .bss
    .balign 16
    .space 4096
stack_top:
    .space 4096
user_stack_top:
