// crypto: the crypto extension and the SIMD&FP loads and stores, the way
// real code uses them. Prints SHA-256("abc"), SHA-1("abc") (FIPS 180-4
// examples), the FIPS-197 C.1 AES-128 ciphertext and its decryption, then
// what a few structure loads and stores leave in memory and registers
// (LD4/ST4 transposes, lane loads, LD1R-LD4R, post-index writeback). The
// golden is QEMU 7.2's output. Vector additions, copies and EOR are done
// through general registers so that nothing outside this group runs.
    .include "defs.inc"
    .arch armv8-a+crypto
    .section .text.boot, "ax"
    .global _start

// Vd = Vs (x9, x10)
.macro vmov d, s
    fmov x9, d\s
    fmov x10, v\s\().d[1]
    fmov d\d, x9
    fmov v\d\().d[1], x10
.endm

// Vd = Va EOR Vb (x9-x12)
.macro veor d, a, b
    fmov x9, d\a
    fmov x10, v\a\().d[1]
    fmov x11, d\b
    fmov x12, v\b\().d[1]
    eor  x9, x9, x11
    eor  x10, x10, x12
    fmov d\d, x9
    fmov v\d\().d[1], x10
.endm

// x<lo> = two 32-bit lane sums of x<lo> and x<b> (x13-x15)
.macro add2s lo, b
    add  w13, w\lo, w\b
    lsr  x14, x\lo, #32
    lsr  x15, x\b, #32
    add  w14, w14, w15
    orr  x\lo, x13, x14, lsl #32
.endm

// Vd.4S = Va.4S + Vb.4S (x9-x15)
.macro vadd d, a, b
    fmov x9, d\a
    fmov x10, v\a\().d[1]
    fmov x11, d\b
    fmov x12, v\b\().d[1]
    add2s 9, 11
    add2s 10, 12
    fmov d\d, x9
    fmov v\d\().d[1], x10
.endm

// Prints label and count words from the symbol sym.
.macro dump label, sym, count
    print "\label:"
    adr  x19, \sym
    mov  w20, #\count
    bl   print_words
.endm

// SHA-256: one quad of rounds with W in v<w> and K in v<k>, then the schedule step.
.macro sha256_quad w, k, w1, w2, w3, update
    vadd 3, \w, \k
    vmov 2, 0
    sha256h  q0, q1, v3.4s
    sha256h2 q1, q2, v3.4s
    .if \update
    sha256su0 v\w\().4s, v\w1\().4s
    sha256su1 v\w\().4s, v\w2\().4s, v\w3\().4s
    .endif
.endm

// SHA-1: one quad of rounds (op c, p or m), e in s<e>, next e into s<en>.
.macro sha1_quad op, w, k, e, en, w1, w2, w3, update
    vadd 3, \w, \k
    sha1h s\en, s0
    sha1\op q0, s\e, v3.4s
    .if \update
    sha1su0 v\w\().4s, v\w1\().4s, v\w2\().4s
    sha1su1 v\w\().4s, v\w3\().4s
    .endif
.endm

_start:
    bl   install_panic_vectors
    adr  x0, stack_top
    mov  sp, x0
    bl   uart_init
    mov  x0, #(3 << 20)         // CPACR_EL1.FPEN = 0b11
    msr  cpacr_el1, x0
    isb

    // ---- SHA-256("abc") ----
    adr  x1, k256
    ld1  {v16.4s-v19.4s}, [x1], #64
    ld1  {v20.4s-v23.4s}, [x1], #64
    ld1  {v24.4s-v27.4s}, [x1], #64
    ld1  {v28.4s-v31.4s}, [x1]
    adr  x2, abc_block
    ld1  {v4.4s, v5.4s, v6.4s, v7.4s}, [x2]
    adr  x2, h256
    ldp  q0, q1, [x2]
    vmov 8, 0
    vmov 9, 1
    sha256_quad 4, 16, 5, 6, 7, 1
    sha256_quad 5, 17, 6, 7, 4, 1
    sha256_quad 6, 18, 7, 4, 5, 1
    sha256_quad 7, 19, 4, 5, 6, 1
    sha256_quad 4, 20, 5, 6, 7, 1
    sha256_quad 5, 21, 6, 7, 4, 1
    sha256_quad 6, 22, 7, 4, 5, 1
    sha256_quad 7, 23, 4, 5, 6, 1
    sha256_quad 4, 24, 5, 6, 7, 1
    sha256_quad 5, 25, 6, 7, 4, 1
    sha256_quad 6, 26, 7, 4, 5, 1
    sha256_quad 7, 27, 4, 5, 6, 1
    sha256_quad 4, 28, 5, 6, 7, 0
    sha256_quad 5, 29, 6, 7, 4, 0
    sha256_quad 6, 30, 7, 4, 5, 0
    sha256_quad 7, 31, 4, 5, 6, 0
    vadd 0, 0, 8
    vadd 1, 1, 9
    adr  x3, out
    stp  q0, q1, [x3]
    dump "sha256", out, 8

    // ---- SHA-1("abc") ----
    adr  x1, k1
    ld1r {v16.4s}, [x1], #4
    ld1r {v17.4s}, [x1], #4
    ld1r {v18.4s}, [x1], #4
    ld1r {v19.4s}, [x1]
    adr  x2, abc_block
    ld1  {v4.4s-v7.4s}, [x2]
    adr  x2, h1
    ldr  q0, [x2], #16
    ldr  s1, [x2]
    vmov 8, 0
    vmov 9, 1
    sha1_quad c, 4, 16, 1, 2, 5, 6, 7, 1
    sha1_quad c, 5, 16, 2, 1, 6, 7, 4, 1
    sha1_quad c, 6, 16, 1, 2, 7, 4, 5, 1
    sha1_quad c, 7, 16, 2, 1, 4, 5, 6, 1
    sha1_quad c, 4, 16, 1, 2, 5, 6, 7, 1
    sha1_quad p, 5, 17, 2, 1, 6, 7, 4, 1
    sha1_quad p, 6, 17, 1, 2, 7, 4, 5, 1
    sha1_quad p, 7, 17, 2, 1, 4, 5, 6, 1
    sha1_quad p, 4, 17, 1, 2, 5, 6, 7, 1
    sha1_quad p, 5, 17, 2, 1, 6, 7, 4, 1
    sha1_quad m, 6, 18, 1, 2, 7, 4, 5, 1
    sha1_quad m, 7, 18, 2, 1, 4, 5, 6, 1
    sha1_quad m, 4, 18, 1, 2, 5, 6, 7, 1
    sha1_quad m, 5, 18, 2, 1, 6, 7, 4, 1
    sha1_quad m, 6, 18, 1, 2, 7, 4, 5, 1
    sha1_quad p, 7, 19, 2, 1, 4, 5, 6, 1
    sha1_quad p, 4, 19, 1, 2, 5, 6, 7, 0
    sha1_quad p, 5, 19, 2, 1, 6, 7, 4, 0
    sha1_quad p, 6, 19, 1, 2, 7, 4, 5, 0
    sha1_quad p, 7, 19, 2, 1, 4, 5, 6, 0
    vadd 0, 0, 8
    vadd 1, 1, 9
    adr  x3, out
    str  q0, [x3]
    str  s1, [x3, #16]
    dump "sha1", out, 5

    // ---- AES-128, FIPS-197 C.1 ----
    adr  x1, aes_keys
    ld1  {v20.16b-v23.16b}, [x1], #64
    ld1  {v24.16b-v27.16b}, [x1], #64
    ld1  {v28.16b-v30.16b}, [x1]
    adr  x2, aes_plain
    ldr  q0, [x2]
    aese v0.16b, v20.16b
    aesmc v0.16b, v0.16b
    aese v0.16b, v21.16b
    aesmc v0.16b, v0.16b
    aese v0.16b, v22.16b
    aesmc v0.16b, v0.16b
    aese v0.16b, v23.16b
    aesmc v0.16b, v0.16b
    aese v0.16b, v24.16b
    aesmc v0.16b, v0.16b
    aese v0.16b, v25.16b
    aesmc v0.16b, v0.16b
    aese v0.16b, v26.16b
    aesmc v0.16b, v0.16b
    aese v0.16b, v27.16b
    aesmc v0.16b, v0.16b
    aese v0.16b, v28.16b
    aesmc v0.16b, v0.16b
    aese v0.16b, v29.16b
    veor 0, 0, 30
    adr  x3, out
    str  q0, [x3]
    dump "aes enc", out, 4
    // The equivalent inverse cipher: InvMixColumns of the middle round keys.
    aesd v0.16b, v30.16b
    .irp r, 29, 28, 27, 26, 25, 24, 23, 22, 21
    aesimc v0.16b, v0.16b
    aesimc v1.16b, v\r\().16b
    aesd v0.16b, v1.16b
    .endr
    veor 0, 0, 20
    adr  x3, out
    str  q0, [x3]
    dump "aes dec", out, 4

    // ---- Structures ----
    adr  x1, counting
    ld4  {v0.4s-v3.4s}, [x1]            // a 4x4 transpose
    adr  x3, out
    st1  {v0.4s-v3.4s}, [x3]
    dump "ld4 st1", out, 16

    adr  x1, counting
    ld3  {v4.8b, v5.8b, v6.8b}, [x1], #24
    adr  x3, out
    st3  {v4.b, v5.b, v6.b}[7], [x3], #3
    st2  {v30.16b, v31.16b}, [x3], #32  // AES round key 10 and SHA-256 K[60..63]
    adr  x4, out
    sub  x21, x3, x4
    adr  x4, counting
    sub  x22, x1, x4
    show "st post", x21
    show "ld post", x22
    dump "st3 st2", out, 9

    adr  x1, counting + 24
    ld1r {v7.8h}, [x1]
    mov  x0, #6
    ld2r {v8.2s, v9.2s}, [x1], x0
    ld4  {v29.b, v30.b, v31.b, v0.b}[13], [x1]
    adr  x1, counting + 32
    ld3r {v14.2d, v15.2d, v16.2d}, [x1], #24
    adr  x4, counting
    sub  x21, x1, x4
    show "ld post", x21
    adr  x3, out
    stp  q7, q8, [x3]
    stp  d9, d30, [x3, #32]!
    str  q0, [x3, #16]
    str  q31, [x3, #32]
    dump "lanes", out, 20
    adr  x3, out
    st1  {v14.1d, v15.1d, v16.1d}, [x3]
    dump "ld3r", out, 6

    adr  x3, out
    mov  x5, #-8
    st1  {v29.16b}, [x3], x5
    adr  x4, out
    sub  x21, x3, x4
    show "st1 post reg", x21
    adr  x1, counting + 16
    ldr  b10, [x1, #3]
    ldr  h11, [x1, #-2]!
    ldur d12, [x1, #2]
    adr  x4, out
    mov  x6, #2
    ldr  q13, [x4, x6, lsl #4]
    str  h11, [x4, #2]!
    adr  x3, out
    stp  s10, s12, [x3, #8]
    stnp d12, d13, [x3, #16]
    dump "single", out, 12

    print "crypto: done\n"
    bl   psci_system_off

    .include "lib.inc"
    .include "words.inc"

    .balign 16
k256:
    .word 0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
    .word 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
    .word 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
    .word 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
    .word 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
    .word 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
    .word 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
    .word 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    .balign 16
h256:
    .word 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
// "abc" padded to one block, as the big-endian message words W0-W15.
    .balign 16
abc_block:
    .word 0x61626380, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x18
    .balign 16
h1:
    .word 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0, 0, 0, 0
    .balign 16
k1:
    .word 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6
// FIPS-197 C.1: key 000102..0f expanded (5.2), plaintext 00112233..ff.
    .balign 16
aes_keys:
    .quad 0x0706050403020100, 0x0f0e0d0c0b0a0908
    .quad 0xfa72afd2fd74aad6, 0xfe76abd6f178a6da
    .quad 0xf1bd3d640bcf92b6, 0xfeb3306800c59bbe
    .quad 0xbfc9c2d24e74ffb6, 0x41bf6904bf0c596c
    .quad 0x033e3595bcf7f747, 0xfd8d05fdbc326cf9
    .quad 0xeb9d9fa9e8a3aa3c, 0xaa22f6ad57aff350
    .quad 0x9692a6f77d0f395e, 0x6b1fa30ac13d55a7
    .quad 0x8ce25fe31a70f914, 0x26c0a94e4ddf0a44
    .quad 0xb9651ca435874347, 0xd27abfaef4ba16e0
    .quad 0x685785f0d1329954, 0x4e972cbe9ced9310
    .quad 0x174a94e37f1d1113, 0xc5302b4d8ba707f3
    .balign 16
aes_plain:
    .byte 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
    .balign 16
counting:
    .word 0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c, 0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c
    .word 0x23222120, 0x27262524, 0x2b2a2928, 0x2f2e2d2c, 0x33323130, 0x37363534, 0x3b3a3938, 0x3f3e3d3c
    .word 0x43424140, 0x47464544, 0x4b4a4948, 0x4f4e4d4c, 0x53525150, 0x57565554, 0x5b5a5958, 0x5f5e5d5c

    .bss
    .balign 16
out:
    .space 128
    .space 4096
stack_top:
