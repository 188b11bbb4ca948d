-- Who corrupted X9? On a full-trace recording of a failing heisenbug run:
--   ./deja query DIR --file docs/queries/heisenbug.sql
--
-- An interrupt handler destroys a live value when it returns a register
-- changed and the interrupted code then READS that register before writing
-- it. For every interrupt taken: the handler runs from the interrupt to the
-- first ERET after it; take its last write to X9, and the first instruction
-- after the ERET that reads X9 (reads_reg, from the disassembly). Keep the
-- interrupts where that read comes before any new write to X9 and the value
-- differs from what X9 held when the interrupt was taken. On a failing
-- heisenbug run this is exactly one row: the tick that landed inside the
-- window, the handler's `movz w9, #0x1`, and the main loop's `cmp` that read
-- the 1. (culprit('X9', 1) from the standard library would name the first
-- tick instead: every tick writes 1, but only this one's was read.)
--
-- On a re-traced window (deja replay REC --trace full --from A --to B --out WIN)
-- only the interrupts taken inside the window are judged: `interrupts` lists
-- the whole run, but instructions and register writes exist only in the
-- window (see `coverage`), and a handler's ERET or write found there belongs
-- to the interrupt taken there, not to one before it.
WITH handler AS (
    SELECT i.icount AS irq_icount, i.pc AS interrupted_pc, i.intid,
           (SELECT min(e.icount) FROM insns e WHERE e.disasm = 'eret' AND e.icount >= i.icount) AS eret_icount
    FROM interrupts i
    WHERE covered('insns', i.icount) AND covered('full', i.icount)
),
x9 AS (
    SELECT icount, pc, new FROM reg_writes WHERE reg = reg_number('X9')
),
clobber AS (
    -- the handler's last write to X9: what the interrupted code gets back
    SELECT h.*, w.icount AS write_icount, w.pc AS write_pc, w.new AS x9_after,
           -- the value before the handler's first write (a window opens with a checkpoint's registers)
           (SELECT arg_min(b.old, b.icount) FROM reg_writes b
            WHERE b.reg = reg_number('X9') AND b.icount >= h.irq_icount) AS x9_before
    FROM handler h JOIN x9 w ON w.icount BETWEEN h.irq_icount AND h.eret_icount
    QUALIFY row_number() OVER (PARTITION BY h.irq_icount ORDER BY w.icount DESC) = 1
),
uses AS (
    -- the first read of X9 after the ERET, and the first write
    SELECT c.*,
           (SELECT min(n.icount) FROM insns n WHERE n.icount > c.eret_icount AND reads_reg(n.disasm, 'X9')) AS read_icount,
           (SELECT min(w.icount) FROM x9 w WHERE w.icount > c.eret_icount) AS next_write_icount
    FROM clobber c
)
SELECT u.intid,
       u.irq_icount                       AS interrupt_icount,
       u.interrupted_pc,
       u.x9_before                        AS x9_when_interrupted,
       u.write_icount                     AS handler_icount,
       u.write_pc                         AS handler_pc,
       hw.disasm                          AS handler_insn,
       u.x9_after                         AS x9_after_eret,
       u.read_icount,
       r.pc                               AS read_pc,
       r.disasm                           AS read_insn
FROM uses u
JOIN insns hw ON hw.icount = u.write_icount
JOIN insns r ON r.icount = u.read_icount
WHERE u.read_icount <= coalesce(u.next_write_icount, u.read_icount)
  AND u.x9_before IS DISTINCT FROM u.x9_after
ORDER BY u.irq_icount;
