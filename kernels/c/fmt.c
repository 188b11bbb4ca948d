// printf conversions: d i u x X o c s p % with flags - + space 0 #, width,
// precision and the length modifiers hh h l ll z; and for doubles f F e E g G a A.
//
// Doubles are converted with double arithmetic, the way small libcs do it
// (scaling by powers of ten, then rounding an integer of at most 17 digits
// half to even): digits agree with glibc's exact conversion as long as the
// scaling is exact or its error stays below the rounding point, which holds
// for the precisions this program prints (up to 15 significant digits).
// Beyond 17 significant digits it prints zeros where glibc prints the exact
// binary value's digits. %a is exact.
#include "fmt.h"
#include <stdint.h>

struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put(struct out *o, char c) {
    if (o->len + 1 < o->size) o->buf[o->len] = c;
    o->len++;
}

static void puts_n(struct out *o, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) put(o, s[i]);
}

static void pad(struct out *o, char c, int n) {
    for (; n > 0; n--) put(o, c);
}

static size_t cstrlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

static uint64_t bits_of(double x) {
    union { double d; uint64_t u; } v = { .d = x };
    return v.u;
}

// 10^n for 0 <= n <= 22 is exact in double.
static const double exact_pow10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

// x * 10^n by exact powers: dividing by an exact power rounds once, where
// multiplying by an inexact 10^-n would round twice. The last step's rounding
// error goes to *lo (exact, by a fused multiply-add), so that hi + lo is x*10^n
// exactly when |n| <= 22 and nearly so beyond.
static double scale10(double x, int n, double *lo) {
    while (n > 22) { x *= 1e22; n -= 22; }
    while (n < -22) { x /= 1e22; n += 22; }
    double p = exact_pow10[n < 0 ? -n : n], hi;
    if (n >= 0) {
        hi = x * p;
        *lo = __builtin_fma(x, p, -hi);
    } else {
        hi = x / p;
        *lo = -__builtin_fma(hi, p, -x) / p;
    }
    return hi;
}

// Rounds hi + lo (non-negative, below 2^63) to an integer, half to even.
static uint64_t round_half_even(double hi, double lo) {
    uint64_t r = (uint64_t)hi;
    double frac = (hi - (double)r) + lo;
    if (frac < 0) { r--; frac += 1; }
    if (frac > 0.5 || (frac == 0.5 && (r & 1))) r++;
    return r;
}

static const uint64_t ipow10[20] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
    100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
    10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
    100000000000000000ull, 1000000000000000000ull, 10000000000000000000ull,
};

// The first n (1..17) significant digits of x > 0 (finite), rounded half to
// even, and the decimal exponent of the first one. A tiny x is scaled up in
// two steps, as 10^(n-1-e) alone would overflow.
static void significant_digits(double x, int n, char *digits, int *exp10) {
    int e2 = (int)((bits_of(x) >> 52) & 0x7FF) - 1023;
    if (e2 == -1023) e2 = -1074 + 63 - __builtin_clzll(bits_of(x) & ((1ull << 52) - 1));
    // floor(log10(2^e2)), possibly one too low: corrected below.
    int e = (e2 * 78913) >> 18;
    uint64_t r;
    for (;;) {
        int k = n - 1 - e;
        double lo, y = k > 300 ? scale10(scale10(x, 300, &lo), k - 300, &lo) : scale10(x, k, &lo);
        r = round_half_even(y, lo);
        if (r >= ipow10[n]) { e++; continue; }
        if (r < ipow10[n - 1]) { e--; continue; }
        break;
    }
    for (int i = n - 1; i >= 0; i--) { digits[i] = (char)('0' + r % 10); r /= 10; }
    *exp10 = e;
}

struct spec {
    int left, plus, space, zero, alt;
    int width, prec;
    char conv;
};

// Emits sign/prefix, body and padding as width and flags say.
static void emit(struct out *o, const struct spec *sp, const char *prefix, const char *body, size_t blen, int zero_ok) {
    size_t plen = cstrlen(prefix);
    int padn = sp->width - (int)(plen + blen);
    if (!sp->left && !(sp->zero && zero_ok)) pad(o, ' ', padn);
    puts_n(o, prefix, plen);
    if (!sp->left && sp->zero && zero_ok) pad(o, '0', padn);
    puts_n(o, body, blen);
    if (sp->left) pad(o, ' ', padn);
}

#define MAXDIG 17
#define BODY 400

// %e body for x >= 0 with prec digits after the point (exponent already known
// from the digits).
static size_t body_e(char *b, const char *dig, int nd, int e, int prec, int alt, int upper) {
    size_t n = 0;
    b[n++] = dig[0];
    if (prec > 0 || alt) b[n++] = '.';
    for (int i = 1; i <= prec; i++) b[n++] = i < nd ? dig[i] : '0';
    b[n++] = upper ? 'E' : 'e';
    b[n++] = e < 0 ? '-' : '+';
    int ae = e < 0 ? -e : e;
    if (ae >= 100) b[n++] = (char)('0' + ae / 100);
    b[n++] = (char)('0' + ae / 10 % 10);
    b[n++] = (char)('0' + ae % 10);
    return n;
}

// %f body for x >= 0: digits dig[0..nd) with the first at 10^e, already
// rounded at 10^-prec (nd may be 0: the value rounded to zero).
static size_t body_f(char *b, const char *dig, int nd, int e, int prec, int alt) {
    size_t n = 0;
    if (e < 0) b[n++] = '0';
    for (int p = e; p >= 0; p--) {
        int i = e - p;
        b[n++] = i < nd ? dig[i] : '0';
    }
    if (prec > 0 || alt) b[n++] = '.';
    for (int p = -1; p >= -prec; p--) {
        int i = e - p;
        b[n++] = (i >= 0 && i < nd) ? dig[i] : '0';
    }
    return n;
}

// The digits of x >= 0 rounded at 10^-prec, for %f: returns their count
// (at most MAXDIG; positions beyond are zeros) and sets *e, the position of
// the first.
static int fixed_digits(double x, int prec, char *dig, int *e) {
    if (x == 0) { *e = 0; return 0; }
    int guess;
    significant_digits(x, 1, dig, &guess);  // x's exponent or one more
    for (;;) {
        int nd = guess + 1 + prec;
        if (nd < 1) {
            // Every digit lies below 10^-prec: the value rounds to 0 or to 10^-prec.
            if (nd == 0) {
                // x's first digit is at 10^(-prec-1) at most: it rounds up
                // above 5000... (a tie goes to even: 0).
                int first;
                significant_digits(x, MAXDIG, dig, &first);
                int above = first == -prec;  // 17-digit rounding carried: x is all but 10^-prec
                if (first == -prec - 1 && dig[0] >= '5') {
                    above = dig[0] > '5';
                    for (int i = 1; i < MAXDIG; i++) if (dig[i] != '0') above = 1;
                }
                if (above) { dig[0] = '1'; *e = -prec; return 1; }
            }
            *e = 0;
            return 0;
        }
        if (nd > MAXDIG) nd = MAXDIG;
        int got;
        significant_digits(x, nd, dig, &got);
        if (got == guess || nd == MAXDIG) { *e = got; return nd; }
        if (got == guess + 1) {
            // Rounding at 10^-prec carried into a new leading digit: the value is 10^got.
            dig[0] = '1';
            *e = got;
            return 1;
        }
        guess = got;
    }
}

static void fmt_double(struct out *o, struct spec *sp, double x) {
    uint64_t bits = bits_of(x);
    int neg = (int)(bits >> 63);
    int upper = sp->conv >= 'A' && sp->conv <= 'Z';
    char lower = (char)(sp->conv | 0x20);
    const char *sign = neg ? "-" : sp->plus ? "+" : sp->space ? " " : "";
    char b[BODY];
    size_t n;
    if (((bits >> 52) & 0x7FF) == 0x7FF) {
        const char *s = (bits & ((1ull << 52) - 1)) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        emit(o, sp, sign, s, 3, 0);
        return;
    }
    double ax = neg ? -x : x;
    char dig[MAXDIG + 1];
    int e, prec = sp->prec;
    if (lower == 'a') {
        uint64_t m = bits & ((1ull << 52) - 1);
        int ex = (int)((bits >> 52) & 0x7FF);
        int lead = ex != 0;
        int e2 = ax == 0 ? 0 : ex ? ex - 1023 : -1022;
        if (prec >= 0 && prec < 13) {
            // Round the 52 fraction bits to 4*prec, half to even.
            int drop = 52 - 4 * prec;
            uint64_t whole = ((uint64_t)lead << 52) | m;
            uint64_t keep = whole >> drop, rest = whole & ((1ull << drop) - 1), halfb = 1ull << (drop - 1);
            if (rest > halfb || (rest == halfb && (keep & 1))) keep++;
            lead = (int)(keep >> (4 * prec));
            m = (keep & ((1ull << (4 * prec)) - 1)) << drop;
        }
        int nd = 13;
        if (prec < 0) while (nd > 0 && ((m >> (52 - 4 * nd)) & 0xF) == 0) nd--;
        else nd = prec;
        n = 0;
        b[n++] = (char)('0' + lead);
        if (nd > 0 || sp->alt) b[n++] = '.';
        for (int i = 1; i <= nd; i++) {
            int d = i <= 13 ? (int)((m >> (52 - 4 * i)) & 0xF) : 0;
            b[n++] = (char)(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
        }
        b[n++] = upper ? 'P' : 'p';
        b[n++] = e2 < 0 ? '-' : '+';
        int ae = e2 < 0 ? -e2 : e2;
        char t[8]; int tn = 0;
        do { t[tn++] = (char)('0' + ae % 10); ae /= 10; } while (ae);
        while (tn) b[n++] = t[--tn];
        char prefix[4] = { 0 };
        size_t pl = cstrlen(sign);
        for (size_t i = 0; i < pl; i++) prefix[i] = sign[i];
        prefix[pl] = '0'; prefix[pl + 1] = upper ? 'X' : 'x';
        emit(o, sp, prefix, b, n, 1);
        return;
    }
    if (prec < 0) prec = 6;
    if (lower == 'e') {
        int nd = prec + 1 > MAXDIG ? MAXDIG : prec + 1;
        if (ax == 0) { for (int i = 0; i < nd; i++) dig[i] = '0'; e = 0; }
        else significant_digits(ax, nd, dig, &e);
        n = body_e(b, dig, nd, e, prec, sp->alt, upper);
    } else if (lower == 'f') {
        int nd = fixed_digits(ax, prec, dig, &e);
        n = body_f(b, dig, nd, e, prec, sp->alt);
    } else {  // g
        int p = prec == 0 ? 1 : prec;
        int nd = p > MAXDIG ? MAXDIG : p;
        if (ax == 0) { for (int i = 0; i < nd; i++) dig[i] = '0'; e = 0; }
        else significant_digits(ax, nd, dig, &e);
        if (e < -4 || e >= p) {
            n = body_e(b, dig, nd, e, p - 1, sp->alt, upper);
            if (!sp->alt) {
                // Trailing zeros of the fraction go (and the point with them).
                size_t epos = 0;
                while (b[epos] != 'e' && b[epos] != 'E') epos++;
                size_t end = epos;
                while (end > 1 && b[end - 1] == '0') end--;
                if (b[end - 1] == '.') end--;
                for (size_t i = epos; i < n; i++) b[end + i - epos] = b[i];
                n = end + (n - epos);
            }
        } else {
            n = body_f(b, dig, nd, e, p - 1 - e, sp->alt);
            if (!sp->alt) {
                size_t pt = 0;
                while (pt < n && b[pt] != '.') pt++;
                if (pt < n) {
                    while (n > pt && b[n - 1] == '0') n--;
                    if (b[n - 1] == '.') n--;
                }
            }
        }
    }
    emit(o, sp, sign, b, n, 1);
}

static void fmt_int(struct out *o, struct spec *sp, uint64_t v, int neg) {
    char b[32];
    size_t n = 0;
    unsigned base = sp->conv == 'o' ? 8 : (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p') ? 16 : 10;
    const char *digs = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char t[32];
    size_t tn = 0;
    while (v) { t[tn++] = digs[v % base]; v /= base; }
    int prec = sp->prec < 0 ? 1 : sp->prec;
    if (sp->conv == 'o' && sp->alt && (int)tn >= prec) prec = (int)tn + 1;
    for (int i = (int)tn; i < prec; i++) b[n++] = '0';
    while (tn) b[n++] = t[--tn];
    const char *prefix = neg ? "-" : (sp->conv == 'd' || sp->conv == 'i') ? (sp->plus ? "+" : sp->space ? " " : "") : "";
    if (sp->conv == 'p' || (sp->alt && n && !(n == 1 && b[0] == '0') && sp->conv == 'x')) prefix = "0x";
    if (sp->alt && sp->conv == 'X' && !(n == 1 && b[0] == '0') && n) prefix = "0X";
    emit(o, sp, prefix, b, n, sp->prec < 0);
}

int fmt_vsnprintf(char *buf, size_t size, const char *f, va_list ap) {
    struct out o = { buf, size, 0 };
    while (*f) {
        if (*f != '%') { put(&o, *f++); continue; }
        f++;
        struct spec sp = { 0, 0, 0, 0, 0, 0, -1, 0 };
        for (;; f++) {
            if (*f == '-') sp.left = 1;
            else if (*f == '+') sp.plus = 1;
            else if (*f == ' ') sp.space = 1;
            else if (*f == '0') sp.zero = 1;
            else if (*f == '#') sp.alt = 1;
            else break;
        }
        if (*f == '*') { sp.width = va_arg(ap, int); if (sp.width < 0) { sp.left = 1; sp.width = -sp.width; } f++; }
        else while (*f >= '0' && *f <= '9') sp.width = sp.width * 10 + (*f++ - '0');
        if (*f == '.') {
            f++;
            sp.prec = 0;
            if (*f == '*') { sp.prec = va_arg(ap, int); f++; }
            else while (*f >= '0' && *f <= '9') sp.prec = sp.prec * 10 + (*f++ - '0');
        }
        int lng = 0;  // 0 int, 1 long, -1 short, -2 char
        for (;; f++) {
            if (*f == 'l' || *f == 'z') lng = 1;
            else if (*f == 'h') lng = lng < 0 ? -2 : -1;
            else break;
        }
        sp.conv = *f ? *f++ : 0;
        switch (sp.conv) {
        case 'd': case 'i': {
            int64_t v = lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
            if (lng == -1) v = (short)v;
            if (lng == -2) v = (signed char)v;
            fmt_int(&o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
            break;
        }
        case 'u': case 'x': case 'X': case 'o': {
            uint64_t v = lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            if (lng == -1) v = (unsigned short)v;
            if (lng == -2) v = (unsigned char)v;
            fmt_int(&o, &sp, v, 0);
            break;
        }
        case 'p':
            sp.alt = 1;
            fmt_int(&o, &sp, (uint64_t)(uintptr_t)va_arg(ap, void *), 0);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            emit(&o, &sp, "", &c, 1, 0);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            size_t n = 0;
            while (s[n] && (sp.prec < 0 || n < (size_t)sp.prec)) n++;
            emit(&o, &sp, "", s, n, 0);
            break;
        }
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
            fmt_double(&o, &sp, va_arg(ap, double));
            break;
        case '%':
            put(&o, '%');
            break;
        default:
            put(&o, '%');
            if (sp.conv) put(&o, sp.conv);
        }
    }
    if (size) buf[o.len < size ? o.len : size - 1] = 0;
    return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
