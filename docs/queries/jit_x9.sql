-- Where did X9's wrong value come from? On a full-trace recording of jit_x9:
--   ./deja query DIR --file docs/queries/jit_x9.sql
--
-- Every LDR (literal) that loaded X9, with the literal's address decoded from
-- the instruction word (pc + 4 * imm19, imm19 = bits 23:5, signed), the value
-- it loaded, and the last store to that address before the load (with the
-- store before it: what the literal held until then). On jit_x9 the load runs
-- in the JIT's buffer, and the last store is patch_literal's
-- `str x1, [x20, x0, lsl #3]`, which wrote 1 over the 0x12345678 that
-- emit_load_literal had put there. For a fixed address, who_wrote('0x...')
-- from the standard library lists every store to it.
--
-- On a re-traced window only the loads inside it are seen, and a store before
-- the window is unknown: a load whose literal was not stored inside the window
-- is left out unless the full trace starts at icount 0 (see `coverage`).
WITH load AS (
    SELECT i.icount, i.pc, i.disasm, w.new AS loaded,
           CAST(CAST(i.pc AS HUGEINT) + 4 * (CAST((i.opcode >> 5) % 524288 AS HUGEINT)   -- 2^19
                 - CASE WHEN (i.opcode >> 23) % 2 = 1 THEN 524288 ELSE 0 END) AS UBIGINT) AS literal
    FROM insns i JOIN reg_writes w ON w.icount = i.icount AND w.reg = reg_number('X9')
    WHERE i.opcode >> 24 = 88                    -- 0x58: LDR Xt, <label> (64-bit literal load)
),
stores AS (
    -- stores that covered the literal's first byte before the load, latest first
    SELECT l.icount AS load_icount, m.icount, m.pc, m.value,
           row_number() OVER (PARTITION BY l.icount ORDER BY m.icount DESC) AS nth
    FROM load l JOIN mem_writes m
      ON m.icount < l.icount AND m.address <= l.literal AND l.literal < m.address + m.size
)
SELECT l.icount        AS load_icount,
       l.pc            AS load_pc,
       l.disasm        AS load_insn,
       l.literal       AS literal_address,
       l.loaded        AS x9_loaded,
       s.icount        AS store_icount,
       s.pc            AS store_pc,
       si.disasm       AS store_insn,
       s.value         AS stored,
       p.value         AS overwritten,
       p.pc            AS overwritten_by_pc
FROM load l
LEFT JOIN stores s ON s.load_icount = l.icount AND s.nth = 1
LEFT JOIN insns si ON si.icount = s.icount
LEFT JOIN stores p ON p.load_icount = l.icount AND p.nth = 2
WHERE s.icount IS NOT NULL OR (SELECT from_icount FROM coverage WHERE level = 'full') = 0
ORDER BY l.icount;
