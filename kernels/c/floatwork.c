// floatwork: a freestanding C program doing float work, compiled by gcc -O3
// (kernels/Makefile), whose console output must be the same in Deja and QEMU.
// Sections: printf-style formatting of doubles, matrix multiplies in float
// and double, vectorised memcpy/memset/strlen checked against byte loops,
// maths without libm (FSQRT, Newton iterations, dot products, series), and
// 1/3 under each FPCR rounding mode.
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include "fmt.h"

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memset(void *dst, int c, size_t n);
size_t strlen(const char *s);

#define UART_DR ((volatile uint32_t *)0x09000000)
#define UART_FR ((volatile uint32_t *)0x09000018)
#define UART_FR_TXFF (1u << 5)

static void putc_uart(char c) {
    while (*UART_FR & UART_FR_TXFF) { }
    *UART_DR = (uint32_t)(unsigned char)c;
}

__attribute__((format(printf, 1, 2)))
static void kprintf(const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (const char *p = buf; *p; p++) putc_uart(*p);
}

static uint64_t bits(double x) {
    union { double d; uint64_t u; } v = { .d = x };
    return v.u;
}

static uint32_t fbits(float x) {
    union { float f; uint32_t u; } v = { .f = x };
    return v.u;
}

// Infinities, NaNs and subnormals by their bit patterns: C has no portable
// literal for most of them.
static double from_bits(uint64_t u) {
    union { uint64_t u; double d; } v = { .u = u };
    return v.d;
}

// A value gcc cannot see through: without it -O3 evaluates the short loops
// below at compile time (exactly, with MPFR) and the guest computes nothing.
static double opaque(double x) {
    __asm__("" : "+w"(x));
    return x;
}

// ---- formatting ----------------------------------------------------------

static void formatting(void) {
    static const uint64_t special[] = {
        0x0000000000000000ull, 0x8000000000000000ull,  // +0, -0
        0x7FF0000000000000ull, 0xFFF0000000000000ull,  // +inf, -inf
        0x7FF8000000000000ull, 0xFFF8000000000000ull,  // nan, -nan
        0x7FEFFFFFFFFFFFFFull, 0x0010000000000000ull,  // largest, smallest normal
        0x0000000000000001ull, 0x000FFFFFFFFFFFFFull,  // smallest, largest subnormal
    };
    double v[] = {
        1.0 / 3.0, -2.0 / 3.0, 3.141592653589793, -123456.789, 0.125, 0.375, 2.5, 9.96, 0.05,
        1e-5, 6.02214076e23, 1.602176634e-19, -1e300, 1e-300, 65536.0, 0.999999, 1234.5,
    };
    // Arrays of characters, not of pointers: a pointer table would hold
    // absolute addresses and tie the image to one load address.
    static const char fmts[][10] = {
        "%f", "%.0f", "%.2f", "%.10f", "%e", "%.0e", "%.3e", "%.15e",
        "%g", "%.1g", "%.3g", "%.15g", "%#g", "%+12.4e", "%-10.2f|", "%a",
    };
    kprintf("== formatting\n");
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
        for (unsigned j = 0; j < sizeof fmts / sizeof fmts[0]; j++) {
            // %f of a number of 300 digits would print zeros where glibc prints digits.
            const char *conv = fmts[j] + 1;
            while (*conv < 'a') conv++;
            if (*conv == 'f' && (v[i] > 1e17 || v[i] < -1e17)) continue;
            char buf[400];
            fmt_snprintf(buf, sizeof buf, fmts[j], v[i]);
            kprintf("%-9s %s\n", fmts[j], buf);
        }
    }
    for (unsigned i = 0; i < sizeof special / sizeof special[0]; i++) {
        double x = from_bits(special[i]);
        int finite_huge = (special[i] & 0x7FF0000000000000ull) != 0x7FF0000000000000ull && (x > 1e17 || x < -1e17);
        kprintf("%016llx  %e  %.3g  %a  %F\n", (unsigned long long)special[i], x, x, x, finite_huge ? 0.0 : x);
    }
    kprintf("%d %5d|%-5d|%05d %x %#X %o %u %ld %c %s %.3s %%\n", -42, 7, 7, -7, 0xBEEFu, 0xCAFEu, 8u, 4000000000u,
            -1234567890123L, 'Z', "text", "truncated");
}

// ---- matrix multiply -----------------------------------------------------

#define N 12

static float fa[N][N], fb[N][N], fc[N][N];
static double da[N][N], db[N][N], dc[N][N];

static void matmul_f(void) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            float s = 0;
            for (int k = 0; k < N; k++) s += fa[i][k] * fb[k][j];
            fc[i][j] = s;
        }
}

// The i-k-j order, which gcc vectorises along j (FMLA on 2 doubles).
static void matmul_d(void) {
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) dc[i][j] = 0;
        for (int k = 0; k < N; k++) {
            double a = da[i][k];
            for (int j = 0; j < N; j++) dc[i][j] += a * db[k][j];
        }
    }
}

static void matrices(void) {
    kprintf("== matrix multiply %dx%d\n", N, N);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            fa[i][j] = (float)(i + 1) / (float)(j + 2) - 0.25f * (float)j;
            fb[i][j] = (float)((i * 7 + j * 3) % 11) * 0.1f - 0.5f;
            da[i][j] = (double)(i + 1) / (double)(j + 2) - 0.25 * j;
            db[i][j] = ((i * 7 + j * 3) % 11) * 0.1 - 0.5;
        }
    matmul_f();
    matmul_d();
    float ftrace = 0;
    double dtrace = 0, dsum = 0;
    uint32_t fhash = 2166136261u;
    uint64_t dhash = 14695981039346656037ull;
    for (int i = 0; i < N; i++) {
        ftrace += fc[i][i];
        dtrace += dc[i][i];
        for (int j = 0; j < N; j++) {
            dsum += dc[i][j];
            fhash = (fhash ^ fbits(fc[i][j])) * 16777619u;
            dhash = (dhash ^ bits(dc[i][j])) * 1099511628211ull;
        }
    }
    kprintf("float  trace %.9g  c[0][0] %.9g  c[%d][%d] %.9e  bits-hash %08x\n", (double)ftrace, (double)fc[0][0],
            N - 1, N - 1, (double)fc[N - 1][N - 1], fhash);
    kprintf("double trace %.17g  sum %.15e  c[3][5] %a  bits-hash %016llx\n", dtrace, dsum, dc[3][5],
            (unsigned long long)dhash);
    for (int i = 0; i < 3; i++)
        kprintf("row %d: %10.6f %10.6f %10.6f %10.6f\n", i, dc[i][0], dc[i][1], dc[i][2], dc[i][3]);
}

// ---- strings -------------------------------------------------------------

static unsigned char src[256] __attribute__((aligned(16)));
static unsigned char dst[256] __attribute__((aligned(16)));

static void strings(void) {
    kprintf("== memcpy, memset, strlen\n");
    unsigned copies = 0, bad = 0;
    uint32_t hash = 2166136261u;
    for (unsigned i = 0; i < sizeof src; i++) src[i] = (unsigned char)(i * 37 + 11);
    for (unsigned so = 0; so < 16; so++)
        for (unsigned d = 0; d < 16; d++)
            for (unsigned n = 0; n <= 100; n += (n < 40 ? 1 : 13)) {
                for (unsigned i = 0; i < sizeof dst; i++) dst[i] = 0xEE;
                memcpy(dst + d, src + so, n);
                copies++;
                for (unsigned i = 0; i < sizeof dst; i++) {
                    unsigned char want = (i >= d && i < d + n) ? src[so + i - d] : 0xEE;
                    if (dst[i] != want) bad++;
                    hash = (hash ^ dst[i]) * 16777619u;
                }
            }
    kprintf("memcpy: %u copies (every source and target alignment mod 16, lengths 0-100), %u wrong bytes, hash %08x\n",
            copies, bad, hash);
    bad = 0;
    for (unsigned d = 0; d < 16; d++)
        for (unsigned n = 0; n <= 120; n += 7) {
            for (unsigned i = 0; i < sizeof dst; i++) dst[i] = 0x11;
            memset(dst + d, (int)(0xA0 + n), n);
            for (unsigned i = 0; i < sizeof dst; i++)
                if (dst[i] != ((i >= d && i < d + n) ? (unsigned char)(0xA0 + n) : 0x11)) bad++;
        }
    kprintf("memset: %u wrong bytes\n", bad);
    bad = 0;
    unsigned long total = 0;
    for (unsigned so = 0; so < 16; so++)
        for (unsigned n = 0; n < 70; n++) {
            for (unsigned i = 0; i < sizeof dst; i++) dst[i] = (unsigned char)('a' + i % 26);
            dst[so + n] = 0;
            size_t got = strlen((const char *)dst + so);
            total += got;
            if (got != n) bad++;
        }
    kprintf("strlen: 1120 strings, %u wrong, total length %lu; strlen(\"%s\") = %u\n", bad, total,
            "Deja", (unsigned)strlen("Deja"));
}

// ---- maths ---------------------------------------------------------------

static double fsqrt(double x) { return __builtin_sqrt(x); }  // FSQRT (-fno-math-errno)

static void maths(void) {
    kprintf("== maths\n");
    static const uint64_t inputs[] = {
        0x4000000000000000ull,  // 2
        0x4024000000000000ull,  // 10
        0x01A56E1FC2F8F359ull,  // 1e-300
        0x0000000000000003ull,  // a subnormal
        0xBFF0000000000000ull,  // -1
        0x7FF0000000000000ull,  // inf
    };
    for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        double x = from_bits(inputs[i]);
        double r = fsqrt(x);
        float rf = __builtin_sqrtf((float)x);
        kprintf("sqrt(%g) = %.17g [%016llx]  sqrtf = %.9g\n", x, r, (unsigned long long)bits(r), (double)rf);
    }
    // Newton's iteration for sqrt(2), each step printed: quadratic convergence.
    double two = opaque(2.0), y = opaque(1.0);
    for (int i = 1; i <= 6; i++) {
        y = 0.5 * (y + two / y);
        kprintf("newton sqrt(2) step %d: %.17g  error %.3e\n", i, y, y - fsqrt(two));
    }
    // Newton for 1/7 without division: y = y * (2 - 7y).
    double seven = opaque(7.0), q = opaque(0.1);
    for (int i = 0; i < 6; i++) q = q * (2.0 - seven * q);
    kprintf("newton 1/7 = %.17g  (1.0/7 = %.17g)\n", q, 1.0 / seven);
    // Cube root of 10 by Newton.
    double ten = opaque(10.0), c = two;
    for (int i = 0; i < 8; i++) c = c - (c * c * c - ten) / (3.0 * c * c);
    kprintf("cbrt(10) = %.15f  cube %.15f\n", c, c * c * c);

    // Dot products: float reduction vectorised by an OpenMP SIMD reduction
    // (FMLA on 4 lanes, then FADDP), double in order.
    static float xf[1000], yf[1000];
    static double xd[1000], yd[1000];
    for (int i = 0; i < 1000; i++) {
        xf[i] = (float)(i % 17) * 0.125f - 1.0f;
        yf[i] = 1.0f / (float)(i + 1);
        xd[i] = (i % 17) * 0.125 - 1.0;
        yd[i] = 1.0 / (i + 1);
    }
    float sf = 0;
#pragma omp simd reduction(+ : sf)
    for (int i = 0; i < 1000; i++) sf += xf[i] * yf[i];
    double sd = 0;
    for (int i = 0; i < 1000; i++) sd += xd[i] * yd[i];
    kprintf("dot float %.9g [%08x]  double %.17g\n", (double)sf, fbits(sf), sd);

    // pi by Machin's formula, atan by its series; e by its series.
    double pi = 0;
    for (int pass = 0; pass < 2; pass++) {
        double x = 1.0 / opaque(pass ? 239 : 5), term = x, sum = 0;
        for (int k = 0; k < 30; k++) {
            sum += (k & 1 ? -term : term) / (2 * k + 1);
            term *= x * x;
        }
        pi += pass ? -4 * sum : 16 * sum;
    }
    double e = opaque(1.0), t = e;
    for (int k = 1; k < 25; k++) { t /= k; e += t; }
    kprintf("pi %.17g  e %.17g\n", pi, e);

    // Conversions between integers and floating point, saturating at the ends.
    double conv[] = { 2.5, -2.5, 3.7, -3.7, 1e19, -1e19, 4294967296.5 };
    for (unsigned i = 0; i < sizeof conv / sizeof conv[0]; i++) {
        double x = opaque(conv[i]);
        kprintf("(long)%g = %ld  (unsigned)%g = %u  (float)%g = %a\n", x, (long)x, x, (unsigned)(x < 0 ? 0 : x > 4e9 ? 4e9 : x), x,
                (double)(float)x);
    }
}

// ---- rounding modes -------------------------------------------------------

// a / b with FPCR.RMode = rmode; *flags gets the FPSR flags it raised.
static double divide_under(unsigned long rmode, double a, double b, unsigned long *flags) {
    unsigned long saved, fpsr;
    double r;
    __asm__ volatile("mrs %0, fpcr" : "=r"(saved));
    __asm__ volatile("msr fpsr, xzr\n\tmsr fpcr, %0" : : "r"((saved & ~(3ul << 22)) | (rmode << 22)));
    __asm__ volatile("fdiv %d0, %d1, %d2" : "=w"(r) : "w"(a), "w"(b));
    __asm__ volatile("mrs %0, fpsr\n\tmsr fpcr, %1" : "=&r"(fpsr) : "r"(saved));
    *flags = fpsr & 0x9F;
    return r;
}

static void rounding(void) {
    static const char names[][3] = { "RN", "RP", "RM", "RZ" };
    kprintf("== rounding modes\n");
    for (unsigned long m = 0; m < 4; m++) {
        unsigned long f1, f2, f3;
        double third = divide_under(m, 1.0, 3.0, &f1);
        double mthird = divide_under(m, -1.0, 3.0, &f2);
        double big = divide_under(m, 1e308, 1e-10, &f3);
        kprintf("%s: 1/3 %a [fpsr %02lx]  -1/3 %a [%02lx]  1e308/1e-10 %g [%02lx]\n", names[m], third, f1, mthird, f2,
                big, f3);
    }
}

int main(void) {
    kprintf("floatwork: gcc -O3, freestanding\n");
    formatting();
    matrices();
    strings();
    maths();
    rounding();
    kprintf("floatwork: done\n");
    return 0;
}
