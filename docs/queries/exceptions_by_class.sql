-- Synchronous exceptions by class (Linux's ESR_ELx_EC_* names) and exception level.
SELECT * FROM exception_stats;
