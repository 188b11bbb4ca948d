-- Device register accesses by device and register, reads and writes apart.
SELECT device, dev_offset, register, reads, writes, first_icount
FROM mmio_stats
LIMIT 12;
