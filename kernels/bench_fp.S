// bench_fp: the floating-point loop `deja bench` measures (and QEMU runs for
// comparison). 23 instructions per iteration, 21 of them FP/SIMD data
// processing: scalar double and single FMADD/FMUL/FADD/FSUB/FDIV/FSQRT, a
// loop counter converted by SCVTF (so operands change every iteration),
// vector FMLA/FMUL/FADD/FDIV/FSQRT/FADDP on 4S and 2D, then a counter and a
// branch. Every recurrence is contracting or grows slowly, so the values stay
// normal numbers; most results are inexact. FPCR is left at its reset value
// (round to nearest, no FZ, no DN), as compiled code runs.
// 3,000,000 iterations (about 69 million instructions), then PSCI SYSTEM_OFF.
// Position-independent: runs at 0x10000 (vibe) and 0x40080000 (virt).
        .equ ITERATIONS, 3000000
        .global _start
_start:
        mov     x0, #(3 << 20)          // CPACR_EL1.FPEN = 0b11: no FP/SIMD trap
        msr     cpacr_el1, x0
        isb
        fmov    d1, #1.0
        fmov    d9, #3.0
        fdiv    d1, d1, d9              // 1/3: an inexact multiplier
        fmov    d0, #1.0
        fmov    d2, #0.375
        fmov    d8, xzr
        fmov    s28, #1.0
        fmov    s15, #3.0
        fmov    s30, #0.75
        fmov    s31, #0.5
        fdiv    s29, s30, s15           // 0.25
        fmov    v16.4s, #1.0
        fmov    v17.4s, #1.5
        fmov    v18.4s, #0.25
        fmov    v19.4s, #0.5
        fmov    v20.2d, #1.0
        fmov    v21.2d, #3.0
        fmov    v22.2d, #0.5
        fmov    v27.4s, #1.0
        movz    x2, #(ITERATIONS & 0xffff)
        movk    x2, #(ITERATIONS >> 16), lsl #16
loop:
        // scalar double
        scvtf   d10, x2                 // the counter as a double
        fmadd   d0, d0, d1, d2          // x = x/3 + 0.375 (to 0.5625)
        fmadd   d8, d10, d1, d8         // sum of i/3: grows to 1.5e12
        fmul    d3, d10, d0
        fdiv    d5, d8, d3
        fsqrt   d6, d10
        fsub    d4, d6, d5
        // scalar single
        fmadd   s28, s28, s29, s31      // y = y/4 + 0.5 (to 2/3)
        fmul    s12, s28, s30
        fadd    s13, s12, s15
        fdiv    s14, s31, s13
        // vector
        fmla    v16.4s, v17.4s, v18.4s  // v = v + 0.375 ...
        fmul    v16.4s, v16.4s, v19.4s  // ... halved (to 0.375)
        dup     v26.4s, w2
        scvtf   v26.4s, v26.4s
        fmla    v27.4s, v26.4s, v18.4s
        fdiv    v23.4s, v27.4s, v26.4s
        fadd    v20.2d, v20.2d, v21.2d  // w = (w + 3) / 2 (to 3)
        fmul    v20.2d, v20.2d, v22.2d
        fsqrt   v25.2d, v20.2d
        faddp   v24.4s, v23.4s, v16.4s
        subs    x2, x2, #1
        b.ne    loop
        ldr     x0, =0x84000008         // PSCI SYSTEM_OFF
        hvc     #0
        b       .
        .ltorg
