-- Which update did smp_race lose, and how? On a full-trace recording of a failing run:
--   ./deja hunt --board virt --binary kernels/build/smp_race.virt.bin --smp 4 \
--        --seeds 1..1000 --until-console "LOST UPDATE" --trace full --out DIR
--   ./deja query DIR --file docs/queries/smp_race.sql
-- (`deja demo --race` does both and explains the answer.)
--
-- Every CPU updates the counter with `ldr x5, [x4]` ... `str x5, [x4]` inside
-- a lock it sets with `str w2, [x1]` once its `ldaxr w2, [x1]` saw it free.
-- Put the counter's stores of all four CPUs in the order they happened
-- (global_icount: each CPU counts its own instructions, the slices table says
-- how the CPUs' slices follow one another). A correct update stores the
-- previous store's value + 1; a store that does not is a lost update.
--
-- Each lost update is told in five rows, in global order: the stale CPU sets
-- the lock and reads the counter; another CPU, whose ldaxr saw the lock free,
-- sets it too (the plain str cannot fail as a store-exclusive would: this is
-- the bug); the last store of the other CPUs' increments; the stale CPU's
-- store, which overwrites it. icount is the CPU's own instruction count,
-- global the machine's.
WITH counter_stores AS (
    SELECT m.cpu, m.icount, CAST(m.value AS BIGINT) AS value, global_icount(m.cpu, m.icount) AS g
    FROM mem_writes m JOIN insns i ON i.cpu = m.cpu AND i.icount = m.icount
    WHERE i.disasm = 'str x5, [x4]'
),
ordered AS (
    SELECT *,
           lag(value)  OVER by_time AS prev_value,
           lag(cpu)    OVER by_time AS prev_cpu,
           lag(icount) OVER by_time AS prev_icount
    FROM counter_stores
    WINDOW by_time AS (ORDER BY g)
),
lost AS (
    SELECT row_number() OVER (ORDER BY g) AS n, o.*,
           (SELECT max(r.icount) FROM insns r
            WHERE r.cpu = o.cpu AND r.icount < o.icount AND r.disasm = 'ldr x5, [x4]') AS read_icount
    FROM ordered o
    WHERE o.prev_value IS NOT NULL AND o.value <> o.prev_value + 1
),
with_take AS (
    SELECT l.*,
           (SELECT max(t.icount) FROM insns t
            WHERE t.cpu = l.cpu AND t.icount < l.read_icount AND t.disasm = 'str w2, [x1]') AS take_icount
    FROM lost l
),
-- The first lock set by another CPU while the stale CPU held the lock.
with_intruder AS (
    SELECT w.*, s.cpu AS intruder_cpu, s.icount AS intruder_take
    FROM with_take w,
         LATERAL (SELECT t.cpu, t.icount FROM insns t
                  WHERE t.disasm = 'str w2, [x1]' AND t.cpu <> w.cpu
                    AND global_icount(t.cpu, t.icount) > global_icount(w.cpu, w.take_icount)
                    AND global_icount(t.cpu, t.icount) < w.g
                  ORDER BY global_icount(t.cpu, t.icount) LIMIT 1) s
),
with_look AS (
    SELECT w.*,
           (SELECT max(a.icount) FROM insns a
            WHERE a.cpu = w.intruder_cpu AND a.icount < w.intruder_take AND a.disasm = 'ldaxr w2, [x1]') AS intruder_look
    FROM with_intruder w
),
steps AS (
    SELECT n, cpu, take_icount AS icount, 1 AS value,
           format('CPU {} sets the lock', cpu) AS what FROM with_look
    UNION ALL
    SELECT n, cpu, read_icount, value - 1,
           format('CPU {} reads the counter', cpu) FROM with_look
    UNION ALL
    -- cbnz w2 let it through, so the ldaxr read 0.
    SELECT n, intruder_cpu, intruder_look, 0,
           format('CPU {} sees the lock free', intruder_cpu) FROM with_look
    UNION ALL
    SELECT n, intruder_cpu, intruder_take, 1,
           format('CPU {} sets the lock CPU {} holds', intruder_cpu, cpu) FROM with_look
    UNION ALL
    SELECT n, prev_cpu, prev_icount, prev_value,
           format('CPU {} stores the last of {} increments', prev_cpu, prev_value + 1 - value) FROM with_look
    UNION ALL
    SELECT n, cpu, icount, value,
           format('CPU {} stores its stale count: {} increments lost', cpu, prev_value + 1 - value) FROM with_look
)
SELECT s.n AS lost, s.cpu, s.icount, global_icount(s.cpu, s.icount) AS global, i.pc, i.disasm AS insn, s.value, s.what
FROM steps s JOIN insns i ON i.cpu = s.cpu AND i.icount = s.icount
ORDER BY lost, global;
