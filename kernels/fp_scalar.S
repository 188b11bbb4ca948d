// fp_scalar: scalar floating-point instructions under several FPCR settings.
// Each line: the case, then the D view of V3 (the result register, preset to
// a marker in both halves so that the scalar write's zeroing shows), the high
// half of V3, X3 (integer results; preset to the marker), FPSR (cleared
// before each case) and NZCV. The golden is QEMU 7.2's output.
    .include "defs.inc"
    .section .text.boot, "ax"
    .global _start

.equ RN, 0
.equ RP, 0x400000
.equ RM, 0x800000
.equ RZ, 0xC00000
.equ FZ, 0x1000000
.equ DN, 0x2000000
.equ AHP, 0x4000000

.equ D_ONE,    0x3FF0000000000000
.equ D_TWO,    0x4000000000000000
.equ D_THREE,  0x4008000000000000
.equ D_MONE,   0xBFF0000000000000
.equ D_TINYUP, 0x3CA0000000000001   // 2^-53 * (1 + 2^-52): just above half an ulp of 1
.equ D_MAX,    0x7FEFFFFFFFFFFFFF
.equ D_DENORM, 0x000FFFFFFFFFFFFF   // the largest denormal
.equ D_ONEUP,  0x3FF0000000000001
.equ D_QNAN,   0x7FF80000000000AA
.equ D_SNAN,   0xFFF00000000000BB
.equ D_INF,    0x7FF0000000000000
.equ D_NZERO,  0x8000000000000000
.equ D_2P5,    0x4004000000000000
.equ D_M2P5,   0xC004000000000000
.equ D_M0P3,   0xBFD3333333333333
.equ D_1E10,   0x4202A05F20000000
.equ D_M1E20,  0xC415AF1D78B58C40
.equ S_ONE,    0x3F800000
.equ S_THREE,  0x40400000
.equ S_TINY,   0x1A000000           // 2^-75: its square is below the smallest denormal
.equ S_DENORM, 0x00000001
.equ S_QNAN,   0x7FC000AA
.equ S_SNAN,   0x7F8000BB
.equ MARK,     0x5A5A5A5A5A5A5A5A

// fpcase label, fpcr, nzcv (4 bits), d0, d1, d2, instruction
.macro fpcase label, fpcr, nzcv, a, b, c, insn:vararg
    adr  x9, 8f
    ldp  x10, x11, [x9]
    ldp  x12, x3, [x9, #16]
    b    9f
    .balign 8
8:  .quad \a, \b, \c, MARK
9:  fmov d0, x10
    fmov d1, x11
    fmov d2, x12
    movl32 x13, \fpcr
    msr  fpcr, x13
    msr  fpsr, xzr
    movl32 x14, (\nzcv << 28)
    msr  nzcv, x14
    fmov d3, x3
    fmov v3.d[1], x3
    \insn
    fmov x20, d3
    fmov x21, v3.d[1]
    mov  x22, x3
    mrs  x23, fpsr
    mrs  x24, nzcv
    print "\label"
    bl   fp_report
.endm

_start:
    bl   install_panic_vectors
    adr  x0, stack_top
    mov  sp, x0
    bl   uart_init
    mov  x0, #(3 << 20)         // CPACR_EL1.FPEN = 0b11: FP/SIMD at EL0 and EL1
    msr  cpacr_el1, x0
    isb

    // addition, subtraction: the four rounding modes, exact zero sign
    fpcase "fadd rn",      RN, 0, D_ONE, D_TINYUP, 0, fadd d3, d0, d1
    fpcase "fadd rp",      RP, 0, D_ONE, D_TINYUP, 0, fadd d3, d0, d1
    fpcase "fadd rm",      RM, 0, D_ONE, D_TINYUP, 0, fadd d3, d0, d1
    fpcase "fadd rz",      RZ, 0, D_ONE, D_TINYUP, 0, fadd d3, d0, d1
    fpcase "fsub rn",      RN, 0, D_ONE, D_TINYUP, 0, fsub d3, d0, d1
    fpcase "fsub rm",      RM, 0, D_ONE, D_TINYUP, 0, fsub d3, d0, d1
    fpcase "fsub x-x rn",  RN, 0, D_THREE, D_THREE, 0, fsub d3, d0, d1
    fpcase "fsub x-x rm",  RM, 0, D_THREE, D_THREE, 0, fsub d3, d0, d1
    fpcase "fadd inf-inf", RN, 0, D_INF, D_INF, 0, fsub d3, d0, d1
    fpcase "fadd s",       RN, 0, S_ONE, S_THREE, 0, fadd s3, s0, s1
    // multiplication and division: overflow, underflow, division by zero
    fpcase "fdiv rn",      RN, 0, D_ONE, D_THREE, 0, fdiv d3, d0, d1
    fpcase "fdiv rp",      RP, 0, D_ONE, D_THREE, 0, fdiv d3, d0, d1
    fpcase "fdiv rm neg",  RM, 0, D_MONE, D_THREE, 0, fdiv d3, d0, d1
    fpcase "fdiv rz neg",  RZ, 0, D_MONE, D_THREE, 0, fdiv d3, d0, d1
    fpcase "fdiv s rp",    RP, 0, S_ONE, S_THREE, 0, fdiv s3, s0, s1
    fpcase "fdiv by 0",    RN, 0, D_MONE, 0, 0, fdiv d3, d0, d1
    fpcase "fdiv 0/0",     RN, 0, 0, 0, 0, fdiv d3, d0, d1
    fpcase "fmul ovf rn",  RN, 0, D_MAX, D_TWO, 0, fmul d3, d0, d1
    fpcase "fmul ovf rz",  RZ, 0, D_MAX, D_TWO, 0, fmul d3, d0, d1
    fpcase "fmul ovf rm",  RM, 0, D_MAX, D_TWO, 0, fmul d3, d0, d1
    fpcase "fmul unf",     RN, 0, D_DENORM, D_ONEUP, 0, fmul d3, d0, d1
    fpcase "fmul unf fz",  FZ, 0, D_DENORM, D_ONEUP, 0, fmul d3, d0, d1
    fpcase "fmul s tiny",  RN, 0, S_TINY, S_TINY, 0, fmul s3, s0, s1
    fpcase "fmul s tinyp", RP, 0, S_TINY, S_TINY, 0, fmul s3, s0, s1
    fpcase "fmul inf*0",   RN, 0, D_INF, D_NZERO, 0, fmul d3, d0, d1
    fpcase "fnmul",        RN, 0, D_THREE, D_TWO, 0, fnmul d3, d0, d1
    fpcase "fnmul nan",    RN, 0, D_QNAN, D_TWO, 0, fnmul d3, d0, d1
    // flush to zero and default NaN
    fpcase "fadd fz in",   FZ, 0, S_DENORM, S_ONE, 0, fadd s3, s0, s1
    fpcase "fadd dn",      DN, 0, D_QNAN, D_ONE, 0, fadd d3, d0, d1
    fpcase "fadd nans",    RN, 0, D_QNAN, D_SNAN, 0, fadd d3, d0, d1
    fpcase "fadd s nans",  RN, 0, S_QNAN, S_SNAN, 0, fadd s3, s0, s1
    // fused multiply-add
    fpcase "fmadd",        RN, 0, D_ONEUP, D_ONEUP, D_MONE, fmadd d3, d0, d1, d2
    fpcase "fmsub",        RN, 0, D_ONEUP, D_ONEUP, D_ONE, fmsub d3, d0, d1, d2
    fpcase "fnmadd",       RP, 0, D_ONEUP, D_THREE, D_ONE, fnmadd d3, d0, d1, d2
    fpcase "fnmsub",       RM, 0, D_ONEUP, D_THREE, D_ONE, fnmsub d3, d0, d1, d2
    fpcase "fnmadd nan",   RN, 0, D_ONE, D_ONE, D_QNAN, fnmadd d3, d0, d1, d2
    fpcase "fmadd qnan*",  RN, 0, D_INF, 0, D_QNAN, fmadd d3, d0, d1, d2
    fpcase "fmadd s",      RZ, 0, S_THREE, S_THREE, S_ONE, fmadd s3, s0, s1, s2
    // square root, max, min
    fpcase "fsqrt rn",     RN, 0, D_TWO, 0, 0, fsqrt d3, d0
    fpcase "fsqrt rp",     RP, 0, D_TWO, 0, 0, fsqrt d3, d0
    fpcase "fsqrt neg",    RN, 0, D_MONE, 0, 0, fsqrt d3, d0
    fpcase "fsqrt s",      RN, 0, S_THREE, 0, 0, fsqrt s3, s0
    fpcase "fmax zeros",   RN, 0, D_NZERO, 0, 0, fmax d3, d0, d1
    fpcase "fmin zeros",   RN, 0, D_NZERO, 0, 0, fmin d3, d0, d1
    fpcase "fmax qnan",    RN, 0, D_ONE, D_QNAN, 0, fmax d3, d0, d1
    fpcase "fmaxnm qnan",  RN, 0, D_ONE, D_QNAN, 0, fmaxnm d3, d0, d1
    fpcase "fminnm qnan",  RN, 0, D_QNAN, D_MONE, 0, fminnm d3, d0, d1
    fpcase "fminnm snan",  RN, 0, D_ONE, D_SNAN, 0, fminnm d3, d0, d1
    fpcase "fmaxnm s",     RN, 0, S_QNAN, S_THREE, 0, fmaxnm s3, s0, s1
    // sign manipulation and moves
    fpcase "fabs nan",     RN, 0, D_SNAN, 0, 0, fabs d3, d0
    fpcase "fneg s",       RN, 0, S_QNAN, 0, 0, fneg s3, s0
    fpcase "fmov reg s",   RN, 0, D_M0P3, 0, 0, fmov s3, s0
    fpcase "fmov imm d",   RN, 0, 0, 0, 0, fmov d3, #-1.25
    fpcase "fmov imm s",   RN, 0, 0, 0, 0, fmov s3, #31.0
    fpcase "fmov to x",    RN, 0, D_M0P3, 0, 0, fmov x3, d0
    fpcase "fmov to w",    RN, 0, D_M0P3, 0, 0, fmov w3, s0
    fpcase "fmov from x",  RN, 0, 0, 0, 0, fmov d3, x10
    fpcase "fmov from w",  RN, 0, D_M0P3, 0, 0, fmov s3, w10
    fpcase "fmov top",     RN, 0, D_M0P3, 0, 0, fmov v3.d[1], x10
    fpcase "fmov top x",   RN, 0, 0, 0, 0, fmov x3, v3.d[1]
    // compares, conditional compares and select
    fpcase "fcmp lt",      RN, 0, D_ONE, D_TWO, 0, fcmp d0, d1
    fpcase "fcmp eq",      RN, 0, D_NZERO, 0, 0, fcmp d0, #0.0
    fpcase "fcmp gt s",    RN, 0, S_THREE, S_ONE, 0, fcmp s0, s1
    fpcase "fcmp qnan",    RN, 0, D_QNAN, D_ONE, 0, fcmp d0, d1
    fpcase "fcmpe qnan",   RN, 0, D_QNAN, D_ONE, 0, fcmpe d0, d1
    fpcase "fcmp snan",    RN, 0, D_ONE, D_SNAN, 0, fcmp d0, d1
    fpcase "fcmpe zero",   RN, 0, D_MONE, 0, 0, fcmpe d0, #0.0
    fpcase "fccmp taken",  RN, 4, D_ONE, D_TWO, 0, fccmp d0, d1, #0b0101, eq
    fpcase "fccmp not",    RN, 0, D_ONE, D_TWO, 0, fccmp d0, d1, #0b0101, eq
    fpcase "fccmpe nan",   RN, 0, D_QNAN, D_TWO, 0, fccmpe d0, d1, #0b0101, ne
    fpcase "fcsel eq",     RN, 4, D_ONE, D_TWO, 0, fcsel d3, d0, d1, eq
    fpcase "fcsel ne s",   RN, 4, S_ONE, S_THREE, 0, fcsel s3, s0, s1, ne
    // round to integral
    fpcase "frintn",       RN, 0, D_2P5, 0, 0, frintn d3, d0
    fpcase "frinta",       RN, 0, D_M2P5, 0, 0, frinta d3, d0
    fpcase "frintp neg",   RN, 0, D_M0P3, 0, 0, frintp d3, d0
    fpcase "frintm",       RN, 0, D_M0P3, 0, 0, frintm d3, d0
    fpcase "frintz",       RN, 0, D_M2P5, 0, 0, frintz d3, d0
    fpcase "frinti rp",    RP, 0, D_2P5, 0, 0, frinti d3, d0
    fpcase "frintx rn",    RN, 0, D_2P5, 0, 0, frintx d3, d0
    fpcase "frintx snan",  RN, 0, D_SNAN, 0, 0, frintx d3, d0
    fpcase "frintn s",     RN, 0, S_THREE, 0, 0, frintn s3, s0
    // precision conversions
    fpcase "fcvt d->s",    RN, 0, D_M0P3, 0, 0, fcvt s3, d0
    fpcase "fcvt d->s rp", RP, 0, D_M0P3, 0, 0, fcvt s3, d0
    fpcase "fcvt d->s ovf",RN, 0, D_MAX, 0, 0, fcvt s3, d0
    fpcase "fcvt d->s unf",RN, 0, 0x3690000000000001, 0, 0, fcvt s3, d0
    fpcase "fcvt s->d nan",RN, 0, S_SNAN, 0, 0, fcvt d3, s0
    fpcase "fcvt d->s nan",RN, 0, D_SNAN, 0, 0, fcvt s3, d0
    fpcase "fcvt s->d fz", FZ, 0, S_DENORM, 0, 0, fcvt d3, s0
    // half precision conversions (IEEE and, with AHP, the alternative format)
    fpcase "fcvt d->h",    RN, 0, D_M0P3, 0, 0, fcvt h3, d0
    fpcase "fcvt d->h rp", RP, 0, D_M0P3, 0, 0, fcvt h3, d0
    fpcase "fcvt d->h ovf",RN, 0, D_1E10, 0, 0, fcvt h3, d0
    fpcase "fcvt d->h ahp",AHP, 0, D_1E10, 0, 0, fcvt h3, d0
    fpcase "fcvt d->h rz", RZ, 0, D_1E10, 0, 0, fcvt h3, d0
    fpcase "fcvt d->h unf",RN, 0, 0x3E50000000000001, 0, 0, fcvt h3, d0
    fpcase "fcvt d->h unf fz",FZ, 0, 0x3E50000000000001, 0, 0, fcvt h3, d0
    fpcase "fcvt s->h nan",RN, 0, S_SNAN, 0, 0, fcvt h3, s0
    fpcase "fcvt s->h qnan",RN, 0, 0xFFC12345, 0, 0, fcvt h3, s0
    fpcase "fcvt s->h ahp nan",AHP, 0, S_QNAN, 0, 0, fcvt h3, s0
    fpcase "fcvt s->h ahp inf",AHP, 0, 0xFF800000, 0, 0, fcvt h3, s0
    fpcase "fcvt s->h dn", DN, 0, S_QNAN, 0, 0, fcvt h3, s0
    fpcase "fcvt s->h fz", FZ, 0, S_DENORM, 0, 0, fcvt h3, s0
    fpcase "fcvt h->s nan",RN, 0, 0xFD01, 0, 0, fcvt s3, h0
    fpcase "fcvt h->d nan",RN, 0, 0x7F3F, 0, 0, fcvt d3, h0
    fpcase "fcvt h->s ahp",AHP, 0, 0xFD01, 0, 0, fcvt s3, h0
    fpcase "fcvt h->d den fz",FZ, 0, 0x0001, 0, 0, fcvt d3, h0
    fpcase "fcvt h->d inf",RN, 0, 0x7C00, 0, 0, fcvt d3, h0
    // to integers
    fpcase "fcvtns",       RN, 0, D_2P5, 0, 0, fcvtns x3, d0
    fpcase "fcvtnu",       RN, 0, D_M2P5, 0, 0, fcvtnu x3, d0
    fpcase "fcvtas",       RN, 0, D_M2P5, 0, 0, fcvtas x3, d0
    fpcase "fcvtau w",     RN, 0, D_2P5, 0, 0, fcvtau w3, d0
    fpcase "fcvtps",       RN, 0, D_M0P3, 0, 0, fcvtps w3, d0
    fpcase "fcvtpu",       RN, 0, D_2P5, 0, 0, fcvtpu x3, d0
    fpcase "fcvtms",       RN, 0, D_M0P3, 0, 0, fcvtms x3, d0
    fpcase "fcvtmu",       RN, 0, D_2P5, 0, 0, fcvtmu w3, d0
    fpcase "fcvtzs w ovf", RN, 0, D_1E10, 0, 0, fcvtzs w3, d0
    fpcase "fcvtzs x",     RN, 0, D_1E10, 0, 0, fcvtzs x3, d0
    fpcase "fcvtzs x ovf", RN, 0, D_M1E20, 0, 0, fcvtzs x3, d0
    fpcase "fcvtzu neg",   RN, 0, D_M2P5, 0, 0, fcvtzu x3, d0
    fpcase "fcvtzu nan",   RN, 0, D_QNAN, 0, 0, fcvtzu w3, d0
    fpcase "fcvtzs s",     RN, 0, S_THREE, 0, 0, fcvtzs w3, s0
    fpcase "fcvtzs fix",   RN, 0, D_M0P3, 0, 0, fcvtzs w3, d0, #8
    fpcase "fcvtzu fix x", RN, 0, D_2P5, 0, 0, fcvtzu x3, d0, #62
    // from integers
    fpcase "scvtf w",      RN, 0, 0xFFFFFFFF, 0, 0, scvtf d3, w10
    fpcase "ucvtf w",      RN, 0, 0xFFFFFFFF, 0, 0, ucvtf d3, w10
    fpcase "scvtf x s rn", RN, 0, 0x1000001, 0, 0, scvtf s3, x10
    fpcase "scvtf x s rp", RP, 0, 0x1000001, 0, 0, scvtf s3, x10
    fpcase "ucvtf x max",  RZ, 0, 0xFFFFFFFFFFFFFFFF, 0, 0, ucvtf d3, x10
    fpcase "scvtf fix",    RN, 0, 40, 0, 0, scvtf s3, x10, #4
    fpcase "ucvtf fix w",  RM, 0, 0xFFFFFFFF, 0, 0, ucvtf d3, w10, #32

    print "fp_scalar: done\n"
    bl   psci_system_off

// Prints " d=<V3.D[0]> hi=<V3.D[1]> x=<X3> fpsr=<FPSR> nzcv=<NZCV>" from x20-x24.
fp_report:
    stp  x29, x30, [sp, #-16]!
    print " d="
    mov  x0, x20
    bl   uart_puthex
    print " hi="
    mov  x0, x21
    bl   uart_puthex
    print " x="
    mov  x0, x22
    bl   uart_puthex
    print " fpsr="
    mov  x0, x23
    bl   uart_puthex
    print " nzcv="
    lsr  x0, x24, #28
    bl   uart_puthex
    mov  w0, #'\n'
    bl   uart_putc
    ldp  x29, x30, [sp], #16
    ret

    .include "lib.inc"

    .bss
    .balign 16
    .space 4096
stack_top:
