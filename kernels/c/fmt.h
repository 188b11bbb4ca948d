// A freestanding printf subset for the C kernels, written to print what
// glibc's printf prints (kernels/README.md lists the limits).
#ifndef FMT_H
#define FMT_H
#include <stdarg.h>
#include <stddef.h>

// Formats into buf (always NUL-terminated when size > 0); returns the length
// the whole output would have.
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
