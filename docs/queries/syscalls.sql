-- System calls from EL0 by number, with their Linux arm64 names (X8 at the SVC).
SELECT * FROM syscall_stats;
