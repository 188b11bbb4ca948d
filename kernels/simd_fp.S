// simd_fp: Advanced SIMD floating point, vector and scalar, under several
// FPCR settings. Each line: the case, then V3 (the result register, preset
// to a marker so that what a 64-bit or scalar write clears shows) as its low
// and high halves, and FPSR (cleared before each case). The last lines come
// from a loop hot enough for the translation tier. The golden is QEMU 7.2's.
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

// pairs of singles (element 0 in the low word) and doubles
.equ S_1_2,     0x400000003F800000
.equ S_3_4,     0x4080000040400000
.equ S_10_20,   0x41A0000041200000
.equ S_30_40,   0x4220000041F00000
.equ S_0_INF,   0x7F80000000000000
.equ S_NINF_0,  0x00000000FF800000
.equ S_QNAN_1,  0x3F8000007FC000AA
.equ S_M5_SNAN, 0x7F8000BBC0A00000
.equ S_DEN_MDEN,0x8000000100000001
.equ S_2P5_M2P5,0xC020000040200000
.equ S_THIRD_7, 0x40E000003EAAAAAB
.equ S_INF_NAN, 0x7FC000017F800000
.equ S_TINY_BIG,0x7E80000000000001
.equ D_ONE,     0x3FF0000000000000
.equ D_ONEUP,   0x3FF0000000000001
.equ D_ONEHALF, 0x3FF0000010000001
.equ D_MTHIRD,  0xBFD5555555555555
.equ D_INF,     0x7FF0000000000000
.equ D_BIG,     0x47F0000000000000
.equ D_SNAN,    0xFFF00000000000BB
.equ D_DENORM,  0x000FFFFFFFFFFFFF
.equ D_1E10,    0x4202A05F20000000
.equ U_EST,     0x80000000FFFFFFFF
.equ U_EST2,    0x3FFFFFFF40000000
.equ MARK,      0x5A5A5A5A5A5A5A5A

// vcase label, fpcr, V0 low, V0 high, V1 low, V1 high, instruction
.macro vcase label, fpcr, a, b, c, d, insn:vararg
    adr  x9, 8f
    ldp  x10, x11, [x9]
    ldp  x12, x13, [x9, #16]
    b    9f
    .balign 8
8:  .quad \a, \b, \c, \d
9:  fmov d0, x10
    fmov v0.d[1], x11
    fmov d1, x12
    fmov v1.d[1], x13
    movl32 x14, MARK
    orr  x14, x14, x14, lsl #32
    fmov d3, x14
    fmov v3.d[1], x14
    movl32 x14, \fpcr
    msr  fpcr, x14
    msr  fpsr, xzr
    \insn
    fmov x20, d3
    fmov x21, v3.d[1]
    mrs  x22, fpsr
    print "\label"
    bl   v_report
.endm

_start:
    bl   install_panic_vectors
    adr  x0, stack_top
    mov  sp, x0
    bl   uart_init
    mov  x0, #(3 << 20)         // CPACR_EL1.FPEN = 0b11: FP/SIMD at EL0 and EL1
    msr  cpacr_el1, x0
    isb

    // three same: arithmetic, rounding modes, fused forms, special products
    vcase "fadd 4s",        RN, S_1_2, S_3_4, S_10_20, S_THIRD_7, fadd v3.4s, v0.4s, v1.4s
    vcase "fadd 4s rp",     RP, S_THIRD_7, S_3_4, S_THIRD_7, S_THIRD_7, fadd v3.4s, v0.4s, v1.4s
    vcase "fsub 2s rm",     RM, S_THIRD_7, 0, S_10_20, 0, fsub v3.2s, v0.2s, v1.2s
    vcase "fmul 2d rz",     RZ, D_ONEUP, D_MTHIRD, D_ONEUP, D_1E10, fmul v3.2d, v0.2d, v1.2d
    vcase "fdiv 4s",        RN, S_1_2, S_3_4, S_3_4, S_0_INF, fdiv v3.4s, v0.4s, v1.4s
    vcase "fmla 4s",        RN, S_THIRD_7, S_1_2, S_THIRD_7, S_10_20, fmla v3.4s, v0.4s, v1.4s
    vcase "fmls 2d",        RN, D_ONEUP, D_INF, D_ONEUP, D_ONE, fmls v3.2d, v0.2d, v1.2d
    vcase "fmulx 0*inf",    RN, S_0_INF, S_NINF_0, S_NINF_0, S_0_INF, fmulx v3.4s, v0.4s, v1.4s
    vcase "frecps inf*0",   RN, S_0_INF, S_3_4, S_NINF_0, S_1_2, frecps v3.4s, v0.4s, v1.4s
    vcase "frsqrts",        RN, S_0_INF, S_3_4, S_NINF_0, S_1_2, frsqrts v3.4s, v0.4s, v1.4s
    vcase "frecps nan",     RN, S_QNAN_1, S_M5_SNAN, S_1_2, S_1_2, frecps v3.4s, v0.4s, v1.4s
    vcase "fabd nan",       RN, S_QNAN_1, S_M5_SNAN, S_1_2, S_1_2, fabd v3.4s, v1.4s, v0.4s
    vcase "fmax nans",      RN, S_QNAN_1, S_M5_SNAN, S_M5_SNAN, S_QNAN_1, fmax v3.4s, v0.4s, v1.4s
    vcase "fmaxnm nans",    RN, S_QNAN_1, S_M5_SNAN, S_1_2, S_QNAN_1, fmaxnm v3.4s, v0.4s, v1.4s
    vcase "fminnm dn",      DN, S_QNAN_1, S_M5_SNAN, S_1_2, S_QNAN_1, fminnm v3.4s, v0.4s, v1.4s
    vcase "fadd fz",        FZ, S_DEN_MDEN, S_DEN_MDEN, 0, S_1_2, fadd v3.4s, v0.4s, v1.4s
    vcase "fmul fz out",    FZ, S_TINY_BIG, 0, S_TINY_BIG, 0, fmul v3.2s, v0.2s, v1.2s
    // compares
    vcase "fcmeq",          RN, S_QNAN_1, S_3_4, S_1_2, S_3_4, fcmeq v3.4s, v0.4s, v1.4s
    vcase "fcmge",          RN, S_QNAN_1, S_3_4, S_1_2, S_10_20, fcmge v3.4s, v0.4s, v1.4s
    vcase "facgt",          RN, S_2P5_M2P5, S_3_4, S_1_2, S_30_40, facgt v3.4s, v0.4s, v1.4s
    vcase "fcmlt #0",       RN, S_2P5_M2P5, S_DEN_MDEN, 0, 0, fcmlt v3.4s, v0.4s, #0.0
    vcase "fcmle #0 fz",    FZ, S_2P5_M2P5, S_DEN_MDEN, 0, 0, fcmle v3.4s, v0.4s, #0.0
    vcase "fcmgt d",        RN, D_ONEUP, 0, D_ONE, 0, fcmgt d3, d0, d1
    vcase "facge s",        RN, S_2P5_M2P5, 0, S_2P5_M2P5, 0, facge s3, s1, s0
    // pairwise and across lanes
    vcase "faddp 4s",       RN, S_1_2, S_3_4, S_10_20, S_30_40, faddp v3.4s, v0.4s, v1.4s
    vcase "fmaxp nans",     RN, S_QNAN_1, S_M5_SNAN, S_INF_NAN, S_1_2, fmaxp v3.4s, v0.4s, v1.4s
    vcase "fminnmp 2d",     RN, D_SNAN, D_ONE, D_MTHIRD, D_INF, fminnmp v3.2d, v0.2d, v1.2d
    vcase "faddp d",        RP, D_ONEUP, D_MTHIRD, 0, 0, faddp d3, v0.2d
    vcase "fmaxnmp s",      RN, S_QNAN_1, 0, 0, 0, fmaxnmp s3, v0.2s
    vcase "fmaxnmv",        RN, S_QNAN_1, S_M5_SNAN, 0, 0, fmaxnmv s3, v0.4s
    vcase "fminnmv",        RN, S_QNAN_1, S_2P5_M2P5, 0, 0, fminnmv s3, v0.4s
    vcase "fmaxv",          RN, S_1_2, S_INF_NAN, 0, 0, fmaxv s3, v0.4s
    vcase "fminv",          RN, S_THIRD_7, S_2P5_M2P5, 0, 0, fminv s3, v0.4s
    // by element
    vcase "fmul elem",      RN, S_1_2, S_3_4, S_10_20, S_THIRD_7, fmul v3.4s, v0.4s, v1.s[3]
    vcase "fmla elem",      RN, S_1_2, S_3_4, S_10_20, S_THIRD_7, fmla v3.2s, v0.2s, v1.s[1]
    vcase "fmls elem d",    RN, D_ONEUP, D_MTHIRD, D_ONE, D_ONEUP, fmls v3.2d, v0.2d, v1.d[1]
    vcase "fmulx elem s",   RN, S_0_INF, 0, S_NINF_0, 0, fmulx s3, s0, v1.s[0]
    // two-register miscellaneous
    vcase "fabs fneg",      RN, S_M5_SNAN, S_QNAN_1, 0, 0, fabs v3.4s, v0.4s
    vcase "fneg 2d",        RN, D_SNAN, D_ONE, 0, 0, fneg v3.2d, v0.2d
    vcase "fsqrt 4s",       RN, S_1_2, S_2P5_M2P5, 0, 0, fsqrt v3.4s, v0.4s
    vcase "frinta 4s",      RN, S_2P5_M2P5, S_THIRD_7, 0, 0, frinta v3.4s, v0.4s
    vcase "frintx 4s rp",   RP, S_2P5_M2P5, S_THIRD_7, 0, 0, frintx v3.4s, v0.4s
    vcase "frinti 2d rm",   RM, D_MTHIRD, D_ONEUP, 0, 0, frinti v3.2d, v0.2d
    vcase "frintn 2s",      RN, S_2P5_M2P5, 0, 0, 0, frintn v3.2s, v0.2s
    vcase "fcvtns 4s",      RN, S_2P5_M2P5, S_0_INF, 0, 0, fcvtns v3.4s, v0.4s
    vcase "fcvtau 4s",      RN, S_2P5_M2P5, S_THIRD_7, 0, 0, fcvtau v3.4s, v0.4s
    vcase "fcvtzs 2d",      RN, D_MTHIRD, D_BIG, 0, 0, fcvtzs v3.2d, v0.2d
    vcase "fcvtms d",       RN, D_MTHIRD, 0, 0, 0, fcvtms d3, d0
    vcase "fcvtpu s",       RN, S_THIRD_7, 0, 0, 0, fcvtpu s3, s0
    vcase "scvtf 4s",       RN, U_EST, U_EST2, 0, 0, scvtf v3.4s, v0.4s
    vcase "ucvtf 4s rz",    RZ, U_EST, U_EST2, 0, 0, ucvtf v3.4s, v0.4s
    vcase "ucvtf d",        RN, -1, 0, 0, 0, ucvtf d3, d0
    vcase "fcmeq #0 d",     RN, D_DENORM, 0, 0, 0, fcmeq d3, d0, #0.0
    // estimates
    vcase "frecpe 4s",      RN, S_1_2, S_TINY_BIG, 0, 0, frecpe v3.4s, v0.4s
    vcase "frecpe 4s rz",   RZ, S_DEN_MDEN, S_0_INF, 0, 0, frecpe v3.4s, v0.4s
    vcase "frecpe fz",      FZ, S_TINY_BIG, S_THIRD_7, 0, 0, frecpe v3.4s, v0.4s
    vcase "frecpe 2d",      RN, D_MTHIRD, D_DENORM, 0, 0, frecpe v3.2d, v0.2d
    vcase "frsqrte 4s",     RN, S_1_2, S_TINY_BIG, 0, 0, frsqrte v3.4s, v0.4s
    vcase "frsqrte 2d",     RN, D_MTHIRD, D_DENORM, 0, 0, frsqrte v3.2d, v0.2d
    vcase "frsqrte s",      RN, S_THIRD_7, 0, 0, 0, frsqrte s3, s0
    vcase "frecpx d",       RN, D_DENORM, 0, 0, 0, frecpx d3, d0
    vcase "frecpx s nan",   RN, S_M5_SNAN, 0, 0, 0, frecpx s3, s0
    vcase "urecpe",         RN, U_EST, U_EST2, 0, 0, urecpe v3.4s, v0.4s
    vcase "ursqrte",        RN, U_EST, U_EST2, 0, 0, ursqrte v3.4s, v0.4s
    // precision conversions
    vcase "fcvtn 4h",       RN, S_THIRD_7, S_INF_NAN, 0, 0, fcvtn v3.4h, v0.4s
    vcase "fcvtn 4h ahp",   AHP, S_THIRD_7, S_INF_NAN, 0, 0, fcvtn v3.4h, v0.4s
    vcase "fcvtn2 2d",      RN, D_ONEHALF, D_BIG, 0, 0, fcvtn2 v3.4s, v0.2d
    vcase "fcvtxn 2d",      RN, D_ONEHALF, D_BIG, 0, 0, fcvtxn v3.2s, v0.2d
    vcase "fcvtxn2 2d",     RN, D_SNAN, D_DENORM, 0, 0, fcvtxn2 v3.4s, v0.2d
    vcase "fcvtxn d",       RN, D_ONEHALF, 0, 0, 0, fcvtxn s3, d0
    vcase "fcvtl 4h",       RN, 0x7C01FC003C00BC00, 0, 0, 0, fcvtl v3.4s, v0.4h
    vcase "fcvtl 4h ahp",   AHP, 0x7C01FC003C00BC00, 0, 0, 0, fcvtl v3.4s, v0.4h
    vcase "fcvtl2 2s",      RN, 0, S_INF_NAN, 0, 0, fcvtl2 v3.2d, v0.4s
    // fixed point
    vcase "fcvtzs #4",      RN, S_2P5_M2P5, S_THIRD_7, 0, 0, fcvtzs v3.4s, v0.4s, #4
    vcase "fcvtzu #32 2d",  RN, D_ONEUP, D_MTHIRD, 0, 0, fcvtzu v3.2d, v0.2d, #32
    vcase "scvtf #1 2d",    RN, -3, 3, 0, 0, scvtf v3.2d, v0.2d, #1
    vcase "ucvtf #32 s",    RN, 0x80000001, 0, 0, 0, ucvtf s3, s0, #32
    vcase "fcvtzs #64 d",   RN, D_MTHIRD, 0, 0, 0, fcvtzs d3, d0, #64

    // a loop hot enough for the translation tier: Newton steps for 1/x
    movl32 x14, RN
    msr  fpcr, x14
    msr  fpsr, xzr
    adr  x9, loop_data          // SIMD&FP loads are not this kernel's subject: through X registers
    ldp  x10, x11, [x9]
    fmov d0, x10
    fmov v0.d[1], x11
    ldp  x10, x11, [x9, #16]
    fmov d1, x10
    fmov v1.d[1], x11
    ldp  x10, x11, [x9, #32]
    fmov d2, x10
    fmov v2.d[1], x11
    mov  x5, #3000
    mov  x9, #0
1:  fmla v0.4s, v1.4s, v2.4s
    frecpe v4.4s, v0.4s
    frecps v5.4s, v0.4s, v4.4s
    fmul v4.4s, v4.4s, v5.4s
    frecps v5.4s, v0.4s, v4.4s
    fmul v4.4s, v4.4s, v5.4s
    fcvtzs v7.4s, v4.4s, #30
    fmaxnmv s6, v7.4s
    fmov x8, d7
    eor  x9, x8, x9, ror #7
    fmov w8, s6
    add  x9, x9, x8
    subs x5, x5, #1
    b.ne 1b
    fmov x20, d4
    fmov x21, v4.d[1]
    mov  x22, x9
    print "loop v4 x9"
    bl   v_report
    fmov x20, d0
    fmov x21, v0.d[1]
    mrs  x22, fpsr
    print "loop v0"
    bl   v_report

    print "simd_fp: done\n"
    bl   psci_system_off

// Prints " lo=<x20> hi=<x21> fpsr=<x22>".
v_report:
    stp  x29, x30, [sp, #-16]!
    print " lo="
    mov  x0, x20
    bl   uart_puthex
    print " hi="
    mov  x0, x21
    bl   uart_puthex
    print " fpsr="
    mov  x0, x22
    bl   uart_puthex
    mov  w0, #'\n'
    bl   uart_putc
    ldp  x29, x30, [sp], #16
    ret

    .balign 16
loop_data:
    .float 1.0, 2.0, 3.0, 0.75
    .float 0.125, 0.25, 0.0625, 1.5
    .float 0.5, 0.5, 0.25, 0.125

    .include "lib.inc"

    .bss
    .balign 16
    .space 4096
stack_top:
