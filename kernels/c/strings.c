// memcpy, memset and strlen as the compiler sees them. The compiler itself
// emits calls to memcpy and memset (struct copies, zeroed arrays), so these
// carry the standard names. memcpy and memset are plain loops that -O3
// vectorises (LDR/STR Q, DUP); -fno-tree-loop-distribute-patterns keeps gcc
// from turning them back into calls to themselves. strlen scans 16 bytes at a
// time with Advanced SIMD, as glibc's does: from the aligned block holding
// the first byte (an aligned 16-byte load never crosses a page), bytes before
// the string masked off.
#include <stddef.h>
#include <stdint.h>
#include <arm_neon.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (size_t i = 0; i < n; i++) d[i] = s[i];
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    for (size_t i = 0; i < n; i++) d[i] = (unsigned char)c;
    return dst;
}

size_t strlen(const char *s) {
    static const uint8_t index[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    uintptr_t block = (uintptr_t)s & ~(uintptr_t)15;
    uint8x16_t before = vcltq_u8(vld1q_u8(index), vdupq_n_u8((uint8_t)((uintptr_t)s & 15)));
    uint8x16_t zeros = vbicq_u8(vceqzq_u8(vld1q_u8((const uint8_t *)block)), before);
    while (vmaxvq_u8(zeros) == 0) {
        block += 16;
        zeros = vceqzq_u8(vld1q_u8((const uint8_t *)block));
    }
    // One nibble per byte (SHRN by 4 of the 16-bit lanes): the first zero byte
    // is the lowest set nibble.
    uint64_t mask = vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(zeros), 4)), 0);
    return block + (__builtin_ctzll(mask) >> 2) - (uintptr_t)s;
}
