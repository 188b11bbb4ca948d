-- Interrupts per virtual second by INTID, side by side (27: the virtual timer, 33: the PL011).
SELECT second,
       coalesce(sum(interrupts) FILTER (WHERE intid = 27), 0) AS timer,
       coalesce(sum(interrupts) FILTER (WHERE intid = 33), 0) AS uart,
       coalesce(sum(interrupts) FILTER (WHERE intid NOT IN (27, 33)), 0) AS other
FROM irq_rate
GROUP BY second
ORDER BY second;
