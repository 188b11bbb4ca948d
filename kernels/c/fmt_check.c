// Host-side check of fmt.c against glibc's printf (make -C kernels check-fmt):
// every value and format floatwork prints, and more, each formatted by both;
// prints the cases where they differ. Not part of any guest image.
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "fmt.h"

int main(void) {
    static const double vals[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 0.125, 0.375, 2.5, 9.6, 9.96, 99.5, 0.1, 0.3, 1.0 / 3, -2.0 / 3,
        3.141592653589793, 123456.789, -123456.789, -98765.4321, 1e-5, 1.5e-5, 0.00096, 0.0004, 0.0006, 0.05,
        1e15, 1e16, 123456789012345.0, 1e22, 1e23, 6.02214076e23, 1.602176634e-19, 1.7976931348623157e308,
        2.2250738585072014e-308, 4.9406564584124654e-324, 2.2250738585072009e-308, 1e-300, -1e300, 1e100,
        INFINITY, -INFINITY, NAN, -NAN, 65536.0, 0.999999, 0.9999999, 1234.5, 0.25, 1e-10, 7.0e-7, 100.0, 1e6, 1e7,
    };
    static const char fmts[][10] = {
        "%f", "%.0f", "%.1f", "%.2f", "%.3f", "%.10f", "%e", "%.0e", "%.1e", "%.3e", "%.10e", "%.15e", "%E",
        "%g", "%.0g", "%.1g", "%.2g", "%.3g", "%.10g", "%.15g", "%G", "%#g", "%#.0f", "%#.0e", "%+f", "% e",
        "%12.3f", "%-12.3e|", "%012.4g", "%+12.4e", "%-10.2f|", "%a", "%.3a", "%.0a", "%A", "%+.1a", "%.13a", "%F",
    };
    int bad = 0, total = 0;
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++)
        for (unsigned j = 0; j < sizeof fmts / sizeof fmts[0]; j++) {
            if (strpbrk(fmts[j], "fF") && fabs(vals[i]) > 1e17 && !isinf(vals[i])) continue;  // see fmt.c
            char mine[512], glibc[512];
            fmt_snprintf(mine, sizeof mine, fmts[j], vals[i]);
            snprintf(glibc, sizeof glibc, fmts[j], vals[i]);
            total++;
            if (strcmp(mine, glibc)) {
                bad++;
                printf("differs: %-9s %-24.17g fmt.c [%s]  glibc [%s]\n", fmts[j], vals[i], mine, glibc);
            }
        }
    printf("%d of %d differ\n", bad, total);
    return 0;
}
