-- Data and instruction aborts grouped by address region, EL, access and fault.
SELECT * FROM page_fault_stats;
