-- Which update did smp_race lose, and how? On a full-trace recording of a failing run:
--   ./deja hunt --board virt --binary kernels/build/smp_race.virt.bin --smp 4 \
--        --seeds 1..1000 --until-console "LOST UPDATE" --trace full --out DIR
--   ./deja query DIR --file docs/queries/smp_race.sql
--
-- Every CPU updates the counter with `ldr x5, [x4]` ... `str x5, [x4]`. Put the
-- counter's stores of all four CPUs in the order they happened (global_icount:
-- each CPU counts its own instructions, the slices table says how the CPUs'
-- slices follow one another). A correct update stores the previous store's
-- value + 1; a store that does not is a lost update: its CPU read the counter
-- (its last `ldr` before the store), was stopped, and meanwhile another CPU
-- stored newer values that this store overwrites. One row per lost update:
-- the stale CPU, its read (icount on that CPU, global order, value read), its
-- store, and the overwritten store (CPU, icount, value) with how many
-- increments vanished.
WITH counter_stores AS (
    SELECT m.cpu, m.icount, m.pc, m.address, m.value, global_icount(m.cpu, m.icount) AS g
    FROM mem_writes m JOIN insns i ON i.cpu = m.cpu AND i.icount = m.icount
    WHERE i.disasm = 'str x5, [x4]'
),
ordered AS (
    SELECT *,
           lag(value)  OVER (ORDER BY g) AS prev_value,
           lag(cpu)    OVER (ORDER BY g) AS prev_cpu,
           lag(icount) OVER (ORDER BY g) AS prev_icount,
           lag(pc)     OVER (ORDER BY g) AS prev_pc
    FROM counter_stores
),
lost AS (
    SELECT o.*,
           (SELECT max(r.icount) FROM insns r
            WHERE r.cpu = o.cpu AND r.icount < o.icount AND r.disasm = 'ldr x5, [x4]') AS read_icount
    FROM ordered o
    WHERE o.prev_value IS NOT NULL AND o.value <> o.prev_value + 1
)
SELECT l.cpu                                   AS stale_cpu,
       l.read_icount                           AS read_icount,
       global_icount(l.cpu, l.read_icount)     AS read_global,
       r.pc                                    AS read_pc,
       l.value - 1                             AS value_read,
       l.icount                                AS store_icount,
       l.g                                     AS store_global,
       l.pc                                    AS store_pc,
       l.value                                 AS value_stored,
       l.prev_cpu                              AS overwritten_cpu,
       l.prev_icount                           AS overwritten_icount,
       l.prev_pc                               AS overwritten_pc,
       l.prev_value                            AS overwritten_value,
       l.prev_value + 1 - l.value              AS increments_lost
FROM lost l JOIN insns r ON r.cpu = l.cpu AND r.icount = l.read_icount
ORDER BY l.g;
