-- Boot milestones from the console: each line's icount, virtual time and the instructions
-- since the previous milestone.
SELECT line, icount, seconds, icount - lag(icount) OVER (ORDER BY line) AS since_previous, text
FROM console_lines
WHERE text LIKE '%Booting Linux%' OR text LIKE '%GIC%' OR text LIKE '%arch_timer%'
   OR text LIKE '%clocksource%' OR text LIKE '%Freeing unused kernel memory%'
   OR text LIKE '%Run /init%' OR text LIKE '%Kernel panic%' OR text LIKE 'DEJA-INIT%'
ORDER BY line;
