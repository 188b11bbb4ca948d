// arm64_simple: the smallest kernel there is. Sleeps forever; exactly 8 bytes.
    .section .text.boot, "ax"
    .global _start
_start:
    wfi
    b    .-4
