-- The first system calls one by one: number, name and the argument registers.
SELECT icount, pc, nr, name, x0, x1, x2, seconds FROM syscalls LIMIT 8;
