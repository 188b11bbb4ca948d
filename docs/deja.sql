-- Deja's standard library for DuckDB without Deja.
--
-- Generated from analysis/src/main/resources/io/deja/analysis/stdlib.sql (and the list of
-- exported tables) by io.deja.analysis.query.Stdlib.script; do not edit by hand. Regenerate:
--   mvn -q -pl analysis test -Dtest=TablesDocTest -Ddeja.updateDocs=true
--
-- Use it in the directory of a Parquet export (deja export DIR --parquet writes
-- DIR/arrow/TABLE.parquet):
--   cd DIR/arrow && duckdb -cmd ".read /path/to/deja/docs/deja.sql"
-- Tables and macros are documented in analysis/TABLES.md. DuckDB itself reads no hex
-- literals (0x10 parses as 0 named x10): write u64('0x40080000'), as deja query
-- would accept 0x40080000.

CREATE VIEW runs AS SELECT * FROM read_parquet('runs.parquet');
CREATE VIEW exits AS SELECT * FROM read_parquet('exits.parquet');
CREATE VIEW psci_calls AS SELECT * FROM read_parquet('psci_calls.parquet');
CREATE VIEW interrupts AS SELECT * FROM read_parquet('interrupts.parquet');
CREATE VIEW exceptions AS SELECT * FROM read_parquet('exceptions.parquet');
CREATE VIEW svc_calls AS SELECT * FROM read_parquet('svc_calls.parquet');
CREATE VIEW erets AS SELECT * FROM read_parquet('erets.parquet');
CREATE VIEW mmio AS SELECT * FROM read_parquet('mmio.parquet');
CREATE VIEW sysreg_writes AS SELECT * FROM read_parquet('sysreg_writes.parquet');
CREATE VIEW inputs AS SELECT * FROM read_parquet('inputs.parquet');
CREATE VIEW debug_writes AS SELECT * FROM read_parquet('debug_writes.parquet');
CREATE VIEW console AS SELECT * FROM read_parquet('console.parquet');
CREATE VIEW checkpoints AS SELECT * FROM read_parquet('checkpoints.parquet');
CREATE VIEW insns AS SELECT * FROM read_parquet('insns.parquet');
CREATE VIEW reg_writes AS SELECT * FROM read_parquet('reg_writes.parquet');
CREATE VIEW vreg_writes AS SELECT * FROM read_parquet('vreg_writes.parquet');
CREATE VIEW mem_writes AS SELECT * FROM read_parquet('mem_writes.parquet');
CREATE VIEW slices AS SELECT * FROM read_parquet('slices.parquet');

-- u64(v)
-- A register value or address as UBIGINT, from a number, a '0x...' string or a negative number
-- (two's complement): u64(-1) = 0xffffffffffffffff. `deja query` also reads hex literals
-- (0x40080000); DuckDB without Deja has none (`0x10` parses as 0 named x10), so there write
-- addresses as u64('0x40080000').
-- Example: SELECT * FROM insns WHERE pc = u64('0x10008') LIMIT 1
CREATE MACRO u64(p_v) AS coalesce(TRY_CAST(p_v AS UBIGINT),
    TRY_CAST(TRY_CAST(p_v AS HUGEINT) + 18446744073709551616 AS UBIGINT));

-- coverage
-- Which instructions each trace level covers, one row per level the recording holds: level
-- ('events', 'insns', 'full'), the tables that level fills, and from_icount and to_icount
-- (inclusive). 'events' covers the whole run; 'insns' and 'full' cover the whole run too, or only
-- the window of a re-traced recording (deja replay REC --trace full --from A --to B --out WIN):
-- outside it their tables have no rows, and an answer built from them is an answer about the
-- window. The macros below that need instructions or register writes keep to it (covered) or raise
-- an error when asked about icounts outside it.
-- Example: SELECT * FROM coverage
CREATE VIEW coverage AS
    SELECT level, tables, from_icount, to_icount FROM (
        SELECT 0 AS ord, 'events' AS level,
               ['runs', 'exits', 'psci_calls', 'interrupts', 'exceptions', 'svc_calls', 'erets', 'mmio', 'sysreg_writes',
                'inputs', 'debug_writes', 'console', 'checkpoints', 'slices'] AS tables,
               CAST(0 AS BIGINT) AS from_icount, instructions AS to_icount
        FROM runs
        UNION ALL
        SELECT 1, 'insns', ['insns'], coalesce(trace_from, 0), coalesce(trace_to, instructions)
        FROM runs WHERE trace_level IN ('insns', 'full')
        UNION ALL
        SELECT 2, 'full', ['reg_writes', 'vreg_writes', 'mem_writes'], coalesce(trace_from, 0), coalesce(trace_to, instructions)
        FROM runs WHERE trace_level = 'full')
    ORDER BY ord;

-- covered(level, icount)
-- Whether the recording holds the given trace level ('events', 'insns' or 'full') at instruction
-- icount (see coverage): false outside a re-traced window, and everywhere for a level richer than
-- the recording's.
-- Example: SELECT icount, intid FROM interrupts WHERE covered('insns', icount)
CREATE MACRO covered(p_level, p_icount) AS coalesce((SELECT true FROM coverage c
    WHERE c.level = p_level AND p_icount BETWEEN c.from_icount AND c.to_icount), false);

-- require_covered(level, icount, what)
-- p_icount if the recording holds level at it (covered), otherwise an error naming what cannot be
-- answered and the window the recording has: how the library says that it cannot answer instead of
-- answering from a part of the run.
-- Example: SELECT require_covered('events', 0, 'this example') AS icount
CREATE MACRO require_covered(p_level, p_icount, p_what) AS CASE WHEN covered(p_level, p_icount) THEN p_icount
    ELSE error(p_what || ': icount ' || CAST(p_icount AS VARCHAR) || ' is outside what this recording traced at level '
        || p_level || ' (' || coalesce((SELECT 'icount ' || from_icount || ' to ' || to_icount FROM coverage WHERE level = p_level), 'none')
        || '); re-trace a window around it: deja replay REC --trace ' || p_level || ' --from ICOUNT --to ICOUNT --out WINDOW') END;

-- reg_number(reg)
-- The reg_writes.reg number of a register name: 'X0'-'X30' (or 'W0'-'W30', same register), 'SP',
-- 'NZCV', 'FPCR', 'FPSR'; a number is returned as it is; NULL for anything else (V registers are
-- numbered in vreg_writes: see vreg_number).
-- Example: SELECT reg_number('w9') AS reg
CREATE MACRO reg_number(p_r) AS CASE
    WHEN TRY_CAST(p_r AS INTEGER) IS NOT NULL THEN TRY_CAST(p_r AS INTEGER)
    WHEN upper(CAST(p_r AS VARCHAR)) = 'SP' THEN 31
    WHEN upper(CAST(p_r AS VARCHAR)) = 'NZCV' THEN 32
    WHEN upper(CAST(p_r AS VARCHAR)) = 'FPCR' THEN 33
    WHEN upper(CAST(p_r AS VARCHAR)) = 'FPSR' THEN 34
    WHEN regexp_matches(upper(CAST(p_r AS VARCHAR)), '^[XW]([0-9]|[12][0-9]|30)$')
        THEN CAST(substr(CAST(p_r AS VARCHAR), 2) AS INTEGER)
    END;

-- vreg_number(reg)
-- The vreg_writes.reg number of a SIMD&FP register name: 'V0'-'V31', or a view of the same
-- register ('Q0'-'Q31' all 128 bits, 'D0'-'D31', 'S0'-'S31', 'H0'-'H31', 'B0'-'B31' its low 64,
-- 32, 16, 8 bits); NULL for anything else.
-- Example: SELECT vreg_number('d3') AS reg
CREATE MACRO vreg_number(p_r) AS CASE
    WHEN regexp_matches(upper(CAST(p_r AS VARCHAR)), '^[VQDSHB]([0-9]|[12][0-9]|3[01])$')
        THEN CAST(substr(CAST(p_r AS VARCHAR), 2) AS INTEGER)
    END;

-- vreg_bits(reg)
-- How many low bits of its V register a SIMD&FP register name stands for: 128 for 'V3' and 'Q3',
-- 64 for 'D3', 32 for 'S3', 16 for 'H3', 8 for 'B3'; NULL for other names.
-- Example: SELECT vreg_bits('s3') AS bits
CREATE MACRO vreg_bits(p_r) AS CASE WHEN vreg_number(p_r) IS NOT NULL THEN
    CASE upper(substr(CAST(p_r AS VARCHAR), 1, 1))
        WHEN 'V' THEN 128 WHEN 'Q' THEN 128 WHEN 'D' THEN 64 WHEN 'S' THEN 32 WHEN 'H' THEN 16 ELSE 8 END
    END;

-- v128(hi, lo)
-- A 128-bit register value as UHUGEINT from its halves (vreg_writes.new_hi and new_lo, or old_hi
-- and old_lo); NULL if either is NULL. The table format prints it in hex.
-- Example: SELECT icount, reg_name, v128(new_hi, new_lo) AS value FROM vreg_writes LIMIT 5
CREATE MACRO v128(p_hi, p_lo) AS CAST(p_hi AS UHUGEINT) * CAST(18446744073709551616 AS UHUGEINT) + CAST(p_lo AS UHUGEINT);

-- vreg_view(hi, lo, bits)
-- The low bits (vreg_bits: 128, 64, 32, 16 or 8) of a 128-bit value given as halves, as UHUGEINT:
-- what a Q, D, S, H or B register name reads.
-- Example: SELECT icount, vreg_view(new_hi, new_lo, 32) AS s FROM vreg_writes LIMIT 5
CREATE MACRO vreg_view(p_hi, p_lo, p_bits) AS CASE
    WHEN p_bits = 128 THEN v128(p_hi, p_lo)
    WHEN p_bits = 64 THEN CAST(p_lo AS UHUGEINT)
    ELSE CAST(CAST(p_lo AS UBIGINT) & CAST((CAST(1 AS BIGINT) << CAST(p_bits AS BIGINT)) - 1 AS UBIGINT) AS UHUGEINT) END;

-- u128(v)
-- A value to compare with the UHUGEINT values of reg_changes: a number or a '0x...' string of up
-- to 32 hex digits; a negative number is a 64-bit two's complement, as in u64.
-- Example: SELECT u128('0x10000000000000000') AS v
CREATE MACRO u128(p_v) AS coalesce(
    CASE WHEN regexp_matches(CAST(p_v AS VARCHAR), '^0[xX][0-9a-fA-F]{17,32}$') THEN
        v128(u64('0x' || substr(CAST(p_v AS VARCHAR), 3, length(CAST(p_v AS VARCHAR)) - 18)),
             u64('0x' || right(CAST(p_v AS VARCHAR), 16))) END,
    TRY_CAST(u64(p_v) AS UHUGEINT),
    TRY_CAST(p_v AS UHUGEINT));

-- vreg_changes(reg, cpu := NULL)
-- The writes to a V register or one of its views (any name vreg_number knows), oldest first:
-- icount, pc, reg_name, old and new as UHUGEINT, and the CPU; 'V3'/'Q3' give every write with all
-- 128 bits, 'D3', 'S3', 'H3', 'B3' the low bits, listing only the writes that changed them. The V
-- half of reg_changes. With several CPUs each has its registers: cpu := n keeps CPU n's writes
-- (icount is then CPU n's own count); without it every CPU's come.
-- Example: SELECT * FROM vreg_changes('S0', cpu := 0) LIMIT 10
CREATE MACRO vreg_changes(p_reg, cpu := NULL) AS TABLE
    SELECT w.icount, w.pc, w.name AS reg_name, w.old, w.new, w.on_cpu AS cpu
    FROM (SELECT v.icount, v.pc, v.cpu AS on_cpu,
                 CASE WHEN vreg_bits(p_reg) = 128 THEN v.reg_name ELSE upper(CAST(p_reg AS VARCHAR)) END AS name,
                 vreg_view(v.old_hi, v.old_lo, vreg_bits(p_reg)) AS old,
                 vreg_view(v.new_hi, v.new_lo, vreg_bits(p_reg)) AS new
          FROM (SELECT cpu AS wanted) p CROSS JOIN vreg_writes v
          WHERE v.reg = vreg_number(p_reg) AND (p.wanted IS NULL OR v.cpu = p.wanted)) w
    WHERE vreg_bits(p_reg) = 128 OR w.old IS DISTINCT FROM w.new;

-- reg_changes(reg, cpu := NULL)
-- Every write to one register, oldest first, without the instruction: icount, pc, reg_name, old
-- and new as UHUGEINT, and the CPU. reg names what reg_number knows (from reg_writes) or what
-- vreg_number knows (from vreg_writes, see vreg_changes). What reg_history is built on. With
-- several CPUs each has its registers: cpu := n keeps CPU n's writes (icount is then CPU n's own
-- count); without it every CPU's come.
-- Example: SELECT * FROM reg_changes('X19', cpu := 1) LIMIT 10
CREATE MACRO reg_changes(p_reg, cpu := NULL) AS TABLE
    SELECT r.icount, r.pc, r.reg_name, CAST(r.old AS UHUGEINT) AS old, CAST(r.new AS UHUGEINT) AS new, r.cpu AS cpu
    FROM (SELECT cpu AS wanted) p CROSS JOIN reg_writes r
    WHERE r.reg = reg_number(p_reg) AND (p.wanted IS NULL OR r.cpu = p.wanted)
    UNION ALL
    SELECT * FROM vreg_changes(p_reg, cpu := cpu);

-- reads_reg(disasm, reg)
-- Whether an instruction reads a general register (X or W form, or SP), judged from its
-- disassembly: every register operand except the destinations (the first operand, the first two of
-- a load pair; stores, compares, CBZ/TBZ, BR/BLR/RET and MSR have none, MOVK and the bitfield
-- inserts also read theirs; a store-exclusive's first operand is its status). A heuristic:
-- implicit reads (RET without operand, flags) are not seen.
-- Example: SELECT icount, disasm FROM insns WHERE reads_reg(disasm, 'X9') LIMIT 5
CREATE MACRO reads_reg(p_disasm, p_r) AS regexp_matches(
    CASE
        WHEN regexp_matches(p_disasm, '^st(l?xr[bh]?|l?xp)\s') THEN regexp_extract(p_disasm, '^\S+\s+[^,]*,(.*)$', 1)
        WHEN regexp_matches(p_disasm, '^(st[a-z0-9]*|cmp|cmn|tst|ccmp|ccmn|cbz|cbnz|tbz|tbnz|br|blr|ret|msr|prfm|prfum|movk|bfi|bfxil|bfm)(\s|$)')
            THEN regexp_extract(p_disasm, '^\S+\s*(.*)$', 1)
        WHEN regexp_matches(p_disasm, '^(ldp|ldnp|ldpsw|ldxp|ldaxp)\s') THEN regexp_extract(p_disasm, '^\S+\s+[^,]*,[^,]*,(.*)$', 1)
        ELSE regexp_extract(p_disasm, '^\S+\s+[^,]*,(.*)$', 1)
    END,
    CASE WHEN reg_number(p_r) = 31 THEN '\b(w?sp)\b'
         ELSE '\b[xw]' || CAST(reg_number(p_r) AS VARCHAR) || '\b' END);

-- reg_history(reg, cpu := NULL)
-- Every write to one register, oldest first: icount, pc and disassembly of the writing
-- instruction, the value before and after (UHUGEINT), and the CPU. reg: X0-X30 (W names the same),
-- SP, NZCV, FPCR, FPSR, V0-V31 (128 bits), or the Q, D, S, H, B views of a V register (its low
-- 128, 64, 32, 16, 8 bits: only the writes that changed those bits), see reg_changes. With several
-- CPUs each has its registers: cpu := n keeps CPU n's; without it every CPU's rows come, CPU by
-- CPU (order by global_icount(cpu, icount) to interleave them).
-- Example: SELECT * FROM reg_history('X9', cpu := 2) LIMIT 10
CREATE MACRO reg_history(p_reg, cpu := NULL) AS TABLE
    SELECT w.icount, w.pc, i.disasm, w.reg_name, w.old, w.new, w.cpu
    -- the parameter is read where no column is named cpu (DuckDB refuses the ambiguity)
    FROM (SELECT cpu AS wanted) p
    CROSS JOIN reg_changes(p_reg) w LEFT JOIN insns i ON i.icount = w.icount AND i.cpu = w.cpu
    WHERE p.wanted IS NULL OR w.cpu = p.wanted
    ORDER BY w.cpu, w.icount;

-- global_icount(cpu, icount)
-- Where the event at a CPU's own icount comes in the order of the whole machine: the instructions
-- all CPUs retired before it (the slice it belongs to, see slices, plus its place in the slice).
-- With one CPU (no slices) it is icount. An event that ended a CPU's slice with nothing retired
-- after it (a PSCI CPU_OFF, a CPU_SUSPEND that outlasted its slice) shares its icount with the
-- CPU's next slice and is placed there, later than it happened: psci_calls.total gives such a
-- call's place exactly.
-- Example: SELECT cpu, icount, global_icount(cpu, icount) AS g FROM mem_writes ORDER BY g LIMIT 10
CREATE MACRO global_icount(p_cpu, p_icount) AS
    coalesce((SELECT global_icount_slice.total + (p_icount - global_icount_slice.icount)
              FROM slices global_icount_slice
              WHERE global_icount_slice.cpu = p_cpu AND global_icount_slice.icount <= p_icount
              ORDER BY global_icount_slice.icount DESC LIMIT 1), p_icount);

-- first_write(reg, value, cpu := NULL)
-- The first instruction that wrote value into reg (any name reg_history takes; value: a number,
-- '0x...' of up to 32 hex digits, or negative, see u128): icount, pc, disassembly, old and new
-- value. No row if it never happened. On a re-traced window: the first write inside the window
-- (coverage). With several CPUs each has its registers and counts its own icount: cpu := n looks
-- at CPU n's writes; without it, the write with the lowest icount of any CPU (the lowest CPU
-- number on a tie).
-- Example: SELECT * FROM first_write('X9', 1)
CREATE MACRO first_write(p_reg, p_value, cpu := NULL) AS TABLE
    SELECT w.icount, w.pc, i.disasm, w.reg_name, w.old, w.new
    FROM (SELECT x.icount, x.pc, x.reg_name, CAST(x.old AS UHUGEINT) AS old, CAST(x.new AS UHUGEINT) AS new, x.cpu AS on_cpu
          FROM (SELECT r.* FROM (SELECT cpu AS wanted) p CROSS JOIN reg_writes r
                WHERE r.reg = reg_number(p_reg) AND r.new = u64(p_value) AND (p.wanted IS NULL OR r.cpu = p.wanted)
                ORDER BY r.icount, r.cpu LIMIT 1) x
          UNION ALL
          SELECT v.icount, v.pc, v.reg_name, v.old, v.new, v.cpu
          FROM (SELECT cpu AS wanted) p CROSS JOIN vreg_changes(p_reg) v
          WHERE v.new = u128(p_value) AND (p.wanted IS NULL OR v.cpu = p.wanted)
          ORDER BY 1, 6 LIMIT 1) w
    LEFT JOIN insns i ON i.icount = w.icount AND i.cpu = w.on_cpu;

-- reg_at(reg, icount, cpu := NULL)
-- The value of reg (any name reg_history takes) just before instruction icount executes: the last
-- write before it (or NULL columns if the trace has none), with the writing instruction. An error
-- when icount lies outside the recording's full-trace coverage (a re-traced window does not know
-- what happened before it). With several CPUs, icount is CPU n's own and the register CPU n's with
-- cpu := n; without it the last write of any CPU below that icount, which only one CPU's registers
-- make meaningful.
-- Example: SELECT * FROM reg_at('SP', 1000)
CREATE MACRO reg_at(p_reg, p_icount, cpu := NULL) AS TABLE
    SELECT w.icount, w.pc, i.disasm, w.reg_name, w.new AS value
    FROM (SELECT x.icount, x.pc, x.reg_name, CAST(x.new AS UHUGEINT) AS new, x.cpu AS on_cpu
          FROM (SELECT r.* FROM (SELECT cpu AS wanted) p CROSS JOIN reg_writes r
                WHERE r.reg = reg_number(p_reg) AND r.icount < require_covered('full', p_icount, 'reg_at')
                  AND (p.wanted IS NULL OR r.cpu = p.wanted)
                ORDER BY r.icount DESC, r.cpu DESC LIMIT 1) x
          UNION ALL
          SELECT v.icount, v.pc, v.reg_name, v.new, v.cpu
          FROM (SELECT cpu AS wanted) p CROSS JOIN vreg_changes(p_reg) v
          WHERE v.icount < require_covered('full', p_icount, 'reg_at') AND (p.wanted IS NULL OR v.cpu = p.wanted)
          ORDER BY 1 DESC, 5 DESC LIMIT 1) w
    LEFT JOIN insns i ON i.icount = w.icount AND i.cpu = w.on_cpu;

-- first_read_after(reg, icount, cpu := NULL)
-- The first instruction after icount that reads reg (see reads_reg): where a value written at
-- icount is used. With several CPUs, cpu := n: CPU n's instructions after its own icount (without
-- it, any CPU's).
-- Example: SELECT * FROM first_read_after('X9', 1000)
CREATE MACRO first_read_after(p_reg, p_icount, cpu := NULL) AS TABLE
    SELECT n.icount, n.pc, n.disasm
    FROM (SELECT cpu AS wanted) p CROSS JOIN insns n
    WHERE n.icount > p_icount AND reads_reg(n.disasm, p_reg) AND (p.wanted IS NULL OR n.cpu = p.wanted)
    ORDER BY n.icount, n.cpu LIMIT 1;

-- who_wrote(addr, cpu := NULL)
-- Every store that wrote the byte at addr (a number or '0x...'), oldest first: icount, pc and
-- disassembly of the store, its address, size and value, and the byte it left at addr. With
-- several CPUs, cpu := n keeps CPU n's stores; without it every CPU's come, CPU by CPU
-- (mem_writes.cpu says whose; order by global_icount(cpu, icount) to interleave them).
-- Example: SELECT * FROM who_wrote('0x40000')
CREATE MACRO who_wrote(p_addr, cpu := NULL) AS TABLE
    SELECT m.icount, m.pc, i.disasm, m.address, m.size, m.value,
           CAST((m.value >> CAST(8 * (u64(p_addr) - m.address) AS INTEGER)) & 255 AS UTINYINT) AS byte
    FROM (SELECT cpu AS wanted) p CROSS JOIN mem_writes m LEFT JOIN insns i ON i.icount = m.icount AND i.cpu = m.cpu
    WHERE m.address <= u64(p_addr) AND u64(p_addr) < m.address + m.size AND (p.wanted IS NULL OR m.cpu = p.wanted)
    ORDER BY m.cpu, m.icount;

-- culprit(reg, value)
-- Which exception or interrupt handler clobbered reg with value, in three rows: the first write of
-- value into reg whose value escaped its handler (read after the handler's ERET, before reg was
-- written again: role 'write'), the last interrupt taken before that write (role 'interrupt', pc =
-- the interrupted instruction, detail = what reg held then), and the instruction after the ERET
-- that read the bad value (role 'read', see reads_reg). Writes the handler itself consumed (every
-- harmless tick) are skipped; no row if value never escaped. first_write(reg, value) gives the
-- first write of all. On a re-traced window: the first escape inside it; what reg held is '?' when
-- the interrupt came before it. With several CPUs every row is about one CPU's register,
-- instructions and interrupts: cpu := n looks at CPU n only; without it, the escape with the
-- lowest icount of any CPU.
-- Example: SELECT * FROM culprit('X9', 1)
CREATE MACRO culprit(p_reg, p_value, cpu := NULL) AS TABLE
    WITH w AS (
        SELECT r.icount, r.pc, r.reg_name, r.old, r.new, r.cpu AS on_cpu,
               coalesce(lead(r.icount) OVER (PARTITION BY r.cpu ORDER BY r.icount), 9223372036854775807) AS next_write
        FROM (SELECT cpu AS wanted) p CROSS JOIN reg_writes r
        WHERE r.reg = reg_number(p_reg) AND (p.wanted IS NULL OR r.cpu = p.wanted)
    ),
    bad AS (
        SELECT w.*,
               (SELECT min(e.icount) FROM insns e
                WHERE e.disasm = 'eret' AND e.icount > w.icount AND e.icount < w.next_write AND e.cpu = w.on_cpu) AS eret_icount
        FROM w WHERE new = u64(p_value)
    ),
    escaped AS (
        SELECT b.*,
               (SELECT min(n.icount) FROM insns n
                WHERE n.icount > b.eret_icount AND n.icount <= b.next_write AND n.cpu = b.on_cpu
                  AND reads_reg(n.disasm, p_reg)) AS read_icount
        FROM bad b WHERE b.eret_icount IS NOT NULL
    ),
    hit AS (SELECT * FROM escaped WHERE read_icount IS NOT NULL ORDER BY icount, on_cpu LIMIT 1),
    irq AS (SELECT i.* FROM interrupts i, hit WHERE i.icount <= hit.icount AND i.cpu = hit.on_cpu ORDER BY i.icount DESC LIMIT 1)
    -- ordered outside the UNION: released DuckDB (1.5) cannot ORDER a UNION by an expression
    SELECT * FROM (
        SELECT 'interrupt' AS role, irq.icount, irq.pc,
               (SELECT disasm FROM insns WHERE pc = irq.pc LIMIT 1) AS disasm,
               'INTID ' || irq.intid || ' taken from EL' || irq.from_el || '; ' || hit.reg_name || ' was 0x'
                   -- what reg held when the interrupt was taken is known only where the full trace covers it
                   || coalesce(CASE WHEN covered('full', irq.icount) THEN
                                   (SELECT lower(hex(arg_min(r.old, r.icount))) FROM reg_writes r
                                    WHERE r.reg = reg_number(p_reg) AND r.icount >= irq.icount AND r.cpu = hit.on_cpu) END, '?') AS detail
        FROM irq, hit
        UNION ALL
        SELECT 'write', hit.icount, hit.pc, (SELECT x.disasm FROM insns x WHERE x.icount = hit.icount AND x.cpu = hit.on_cpu),
               hit.reg_name || ': 0x' || lower(hex(hit.old)) || ' -> 0x' || lower(hex(hit.new)) || ', then ERET at icount ' || hit.eret_icount
        FROM hit
        UNION ALL
        SELECT 'read', n.icount, n.pc, n.disasm, 'reads ' || hit.reg_name || ' = 0x' || lower(hex(hit.new)) || ' after the handler returned'
        FROM hit JOIN insns n ON n.icount = hit.read_icount AND n.cpu = hit.on_cpu
    )
    ORDER BY icount, CASE role WHEN 'interrupt' THEN 0 WHEN 'write' THEN 1 ELSE 2 END;

-- exit_stats
-- Exits by kind: how many, the first and last icount, the share of all exits, and instructions per
-- exit (runs.instructions / exits).
-- Example: SELECT * FROM exit_stats
CREATE VIEW exit_stats AS
    SELECT kind, kind_name, count(*) AS exits, min(icount) AS first_icount, max(icount) AS last_icount,
           round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS percent,
           round((SELECT instructions FROM runs) / count(*), 1) AS insns_per_exit
    FROM exits
    GROUP BY kind, kind_name
    ORDER BY exits DESC, kind;

-- irq_latency
-- One row per interrupt taken, with its handling measured in instructions: the CPU that took it,
-- icount when it was taken (that CPU's count: the handler's first instruction has this icount),
-- intid, the interrupted pc, the handler's first pc (from insns, NULL without them), ack_icount
-- (the same CPU's first later read of GICC_IAR, gic-cpu offset 0x0C, returning this intid),
-- eoi_icount (its first later end of interrupt for this intid: a GICC_EOIR write, gic-cpu offset
-- 0x10, or an ICC_EOIR0/1_EL1 write), ack_latency = ack_icount - icount and latency = eoi_icount -
-- icount. NULL where the handler never acknowledged or ended the interrupt, and ack_icount on a
-- GICv3 (an ICC_IAR1_EL1 read is an MRS, which the recording does not hold). With several CPUs
-- each CPU acknowledges its own timer PPIs and SGIs, so acknowledgements are matched on the CPU
-- that took the interrupt.
-- Example: SELECT intid, count(*) AS n, avg(latency) AS avg_latency, max(latency) AS worst FROM irq_latency GROUP BY intid
CREATE VIEW irq_latency AS
    WITH acks AS (
        SELECT cpu, icount, CAST(value & 1023 AS INTEGER) AS intid FROM mmio
        WHERE device_name = 'gic-cpu' AND dev_offset = 12 AND NOT write
    ), eois AS (
        SELECT cpu, icount, CAST(value & 1023 AS INTEGER) AS intid FROM mmio
        WHERE device_name = 'gic-cpu' AND dev_offset = 16 AND write
        UNION ALL
        -- by encoding: ICC_EOIR0_EL1 (S3_0_C12_C8_1) and ICC_EOIR1_EL1 (S3_0_C12_C12_1), whose
        -- name column has the generic form (the GICv3 CPU interface's registers have no name there)
        SELECT cpu, icount, CAST(new & 16777215 AS INTEGER) FROM sysreg_writes WHERE encoding IN (50753, 50785)
    )
    SELECT i.cpu, i.icount, i.intid, i.fiq, i.pc AS interrupted_pc, h.pc AS handler_pc,
           a.icount AS ack_icount, e.icount AS eoi_icount,
           a.icount - i.icount AS ack_latency, e.icount - i.icount AS latency
    FROM interrupts i
    ASOF LEFT JOIN acks a ON a.cpu = i.cpu AND a.intid = i.intid AND a.icount >= i.icount
    ASOF LEFT JOIN eois e ON e.cpu = i.cpu AND e.intid = i.intid AND e.icount >= i.icount
    LEFT JOIN insns h ON h.cpu = i.cpu AND h.icount = i.icount
    ORDER BY i.icount, i.cpu;

-- console(pattern)
-- The console lines matching a LIKE pattern ('%' for all), with their icount and the instructions
-- since the previous matching line (delta): boot stages and their cost. The console table itself
-- holds every line. With several CPUs icount is the writing CPU's own (console_lines says which)
-- and delta counts all CPUs' instructions (global_icount).
-- Example: SELECT * FROM console('%tick%')
CREATE MACRO console(p_pattern) AS TABLE
    SELECT line, icount, text, global - lag(global) OVER (ORDER BY line) AS delta
    FROM (SELECT c.line, c.icount, c.text, coalesce(s.total + (c.icount - s.icount), c.icount) AS global
          FROM console c ASOF LEFT JOIN slices s ON s.cpu = c.cpu AND c.icount >= s.icount
          WHERE c.text LIKE p_pattern)
    ORDER BY line;

-- insns_around(icount, n, cpu := NULL)
-- The n instructions before and after icount, with the registers each wrote (reg=new, ..., V
-- registers last with all 128 bits): what the machine was doing around an event. With several
-- CPUs, cpu := n: CPU n's instructions around its own icount (without it, each CPU's around that
-- icount of its own, CPU by CPU at each icount).
-- Example: SELECT * FROM insns_around(1000, 5)
CREATE MACRO insns_around(p_icount, p_n, cpu := NULL) AS TABLE
    SELECT i.icount, i.pc, i.disasm,
           (SELECT string_agg(x.name || '=0x' || x.value, ' ' ORDER BY x.ord)
            FROM (SELECT w.reg AS ord, w.reg_name AS name, lower(hex(w.new)) AS value
                  FROM reg_writes w WHERE w.icount = i.icount AND w.cpu = i.cpu
                  UNION ALL
                  SELECT 256 + v.reg, v.reg_name, lower(hex(v128(v.new_hi, v.new_lo)))
                  FROM vreg_writes v WHERE v.icount = i.icount AND v.cpu = i.cpu) x) AS writes
    FROM (SELECT cpu AS wanted) p CROSS JOIN insns i
    WHERE i.icount BETWEEN p_icount - p_n AND p_icount + p_n AND (p.wanted IS NULL OR i.cpu = p.wanted)
    ORDER BY i.icount, i.cpu;

-- ec_class(ec)
-- The short name of an exception class (ESR_ELx.EC), as Linux spells it in
-- arch/arm64/include/asm/esr.h: SVC64, DABT_LOW (from a lower EL), DABT_CUR (from the same EL),
-- IABT_LOW, IABT_CUR, SYS64, FP_ASIMD, UNKNOWN, BRK64, ...; EC_0x.. for a value without a name.
-- Example: SELECT ec_class(21) AS svc, ec_class(36) AS dabt_low
CREATE MACRO ec_class(p_ec) AS CASE CAST(p_ec AS INTEGER)
    WHEN 0 THEN 'UNKNOWN' WHEN 1 THEN 'WFx' WHEN 3 THEN 'CP15_32' WHEN 4 THEN 'CP15_64'
    WHEN 5 THEN 'CP14_MR' WHEN 6 THEN 'CP14_LS' WHEN 7 THEN 'FP_ASIMD' WHEN 8 THEN 'CP10_ID'
    WHEN 9 THEN 'PAC' WHEN 12 THEN 'CP14_64' WHEN 13 THEN 'BTI' WHEN 14 THEN 'ILL'
    WHEN 17 THEN 'SVC32' WHEN 18 THEN 'HVC32' WHEN 19 THEN 'SMC32' WHEN 21 THEN 'SVC64'
    WHEN 22 THEN 'HVC64' WHEN 23 THEN 'SMC64' WHEN 24 THEN 'SYS64' WHEN 25 THEN 'SVE'
    WHEN 26 THEN 'ERET' WHEN 28 THEN 'FPAC' WHEN 29 THEN 'SME' WHEN 31 THEN 'IMP_DEF'
    WHEN 32 THEN 'IABT_LOW' WHEN 33 THEN 'IABT_CUR' WHEN 34 THEN 'PC_ALIGN' WHEN 36 THEN 'DABT_LOW'
    WHEN 37 THEN 'DABT_CUR' WHEN 38 THEN 'SP_ALIGN' WHEN 39 THEN 'MOPS' WHEN 40 THEN 'FP_EXC32'
    WHEN 44 THEN 'FP_EXC64' WHEN 47 THEN 'SERROR' WHEN 48 THEN 'BREAKPT_LOW' WHEN 49 THEN 'BREAKPT_CUR'
    WHEN 50 THEN 'SOFTSTP_LOW' WHEN 51 THEN 'SOFTSTP_CUR' WHEN 52 THEN 'WATCHPT_LOW'
    WHEN 53 THEN 'WATCHPT_CUR' WHEN 56 THEN 'BKPT32' WHEN 58 THEN 'VECTOR32' WHEN 60 THEN 'BRK64'
    ELSE 'EC_0x' || lower(hex(CAST(p_ec AS INTEGER))) END;

-- exception_stats
-- Synchronous exceptions by class and exception level: ec (hex), class (ec_class), the from and to
-- ELs, how many, the first and last icount, and the share of all exceptions.
-- Example: SELECT * FROM exception_stats
CREATE VIEW exception_stats AS
    SELECT CAST(ec AS UTINYINT) AS ec, ec_class(ec) AS class, from_el, to_el, count(*) AS exceptions,
           min(icount) AS first_icount, max(icount) AS last_icount,
           round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS percent
    FROM exceptions
    GROUP BY ec, from_el, to_el
    ORDER BY exceptions DESC, ec, from_el;

-- counter_hz()
-- The frequency of the virtual counter (CNTFRQ_EL0, QEMU's 62.5 MHz): one cycle of virtual time is
-- one tick.
-- Example: SELECT counter_hz() AS hz
CREATE MACRO counter_hz() AS 62500000;

-- vclock
-- Each CPU's virtual clock, as anchors: wherever the recording knows a CPU's virtual time, its
-- icount (the CPU's own count), the CPU, and the cycles it spent idle so far (idle_cycles = cycles
-- - icount). A CPU's time advances one cycle per instruction it retires and jumps only while it is
-- idle: asleep in WFI (each WFI exit's arg0 is the time after the sleep), and with several CPUs
-- also waiting in WFE or asleep across slices, and before its CPU_ON (each slice states the CPU's
-- time at its start). So the CPU's last anchor at or before an icount gives its time exactly
-- (cycles_at, vtime); views that put a time on events join each on its own CPU's anchors. With one
-- CPU the checkpoints are anchors too; with several a checkpoint counts the machine's instructions
-- (all CPUs') and is no CPU's anchor. A PSCI call is one too (psci_calls.wake_cycles: after a
-- CPU_SUSPEND, when it woke; a suspend that outlasted its slice is anchored by the next slice).
-- Example: SELECT * FROM vclock WHERE cpu = 0 LIMIT 5
CREATE VIEW vclock AS
    SELECT icount, cpu, max(idle_cycles) AS idle_cycles FROM (
        SELECT icount, cpu, cycles - icount AS idle_cycles FROM checkpoints WHERE NOT EXISTS (SELECT 1 FROM slices)
        UNION ALL
        SELECT icount, cpu, cycles - icount FROM slices
        UNION ALL
        SELECT icount, cpu, CAST(arg0 AS BIGINT) - icount FROM exits WHERE kind = 1
        UNION ALL
        SELECT icount, cpu, wake_cycles - icount FROM psci_calls)
    GROUP BY icount, cpu;

-- cycles_at(icount, cpu := 0)
-- Virtual time in cycles on CPU cpu when its instruction icount was about to execute: icount plus
-- the cycles the CPU was idle before it (vclock); what its CNTVCT_EL0 reads there. icount is that
-- CPU's own count, as the icount of every event table holds it, except inputs, debug_writes and
-- (with several CPUs) checkpoints, which count the machine's instructions. With one CPU, cpu is 0;
-- with several pass the row's own (cpu := cpu): every CPU counts its icount from 0 and sleeps
-- apart.
-- Example: SELECT cpu, icount, cycles_at(icount, cpu := cpu) AS cycles FROM interrupts LIMIT 5
CREATE MACRO cycles_at(p_icount, cpu := 0) AS p_icount
    + coalesce((SELECT arg_max(k.idle_cycles, k.icount) FROM (SELECT cpu AS wanted) p, vclock k
                WHERE k.cpu = p.wanted AND k.icount <= p_icount), 0);

-- vtime(icount, cpu := 0)
-- Virtual time in seconds on CPU cpu at its instruction icount (its own count, as for cycles_at):
-- cycles_at(icount, cpu := cpu) / counter_hz(), what the CPU's counter (CNTVCT_EL0) reads there
-- over its frequency.
-- Example: SELECT line, cpu, vtime(icount, cpu := cpu) AS seconds, text FROM console LIMIT 5
CREATE MACRO vtime(p_icount, cpu := 0) AS cycles_at(p_icount, cpu := cpu) / CAST(counter_hz() AS DOUBLE);

-- irq_rate
-- Interrupts per virtual second by CPU and INTID: second (whole seconds of the CPU's vtime, from
-- 0), the CPU that took them, intid, fiq, and how many were taken in that second. A 250 Hz Linux
-- timer shows INTID 27 about 250 times a second on each CPU.
-- Example: SELECT * FROM irq_rate WHERE intid = 27
CREATE VIEW irq_rate AS
    SELECT CAST(floor((i.icount + coalesce(k.idle_cycles, 0)) / CAST(counter_hz() AS DOUBLE)) AS BIGINT) AS second,
           i.cpu, i.intid, i.fiq, count(*) AS interrupts
    FROM interrupts i ASOF LEFT JOIN vclock k ON k.cpu = i.cpu AND i.icount >= k.icount
    GROUP BY ALL
    ORDER BY second, cpu, intid, fiq;

-- mmio_registers
-- The registers of the devices Deja models, by device (the name in runs.devices, without a
-- virtio-mmio transport's @address): offset of the first, how many (an array such as
-- GICD_ISENABLER<n>), the stride between them, and the name (from the PL011, PL031, GIC-400 and
-- GICv3 technical reference manuals and the virtio 1.2 MMIO transport).
-- Example: SELECT * FROM mmio_registers WHERE device = 'pl011'
CREATE VIEW mmio_registers AS
    SELECT * FROM (VALUES
        ('pl011', 0, 1, 4, 'UARTDR'), ('pl011', 4, 1, 4, 'UARTRSR'), ('pl011', 24, 1, 4, 'UARTFR'),
        ('pl011', 32, 1, 4, 'UARTILPR'), ('pl011', 36, 1, 4, 'UARTIBRD'), ('pl011', 40, 1, 4, 'UARTFBRD'),
        ('pl011', 44, 1, 4, 'UARTLCR_H'), ('pl011', 48, 1, 4, 'UARTCR'), ('pl011', 52, 1, 4, 'UARTIFLS'),
        ('pl011', 56, 1, 4, 'UARTIMSC'), ('pl011', 60, 1, 4, 'UARTRIS'), ('pl011', 64, 1, 4, 'UARTMIS'),
        ('pl011', 68, 1, 4, 'UARTICR'), ('pl011', 72, 1, 4, 'UARTDMACR'),
        ('pl011', 4064, 4, 4, 'UARTPeriphID'), ('pl011', 4080, 4, 4, 'UARTPCellID'),
        ('pl031', 0, 1, 4, 'RTCDR'), ('pl031', 4, 1, 4, 'RTCMR'), ('pl031', 8, 1, 4, 'RTCLR'),
        ('pl031', 12, 1, 4, 'RTCCR'), ('pl031', 16, 1, 4, 'RTCIMSC'), ('pl031', 20, 1, 4, 'RTCRIS'),
        ('pl031', 24, 1, 4, 'RTCMIS'), ('pl031', 28, 1, 4, 'RTCICR'),
        ('pl031', 4064, 4, 4, 'RTCPeriphID'), ('pl031', 4080, 4, 4, 'RTCPCellID'),
        ('gic-dist', 0, 1, 4, 'GICD_CTLR'), ('gic-dist', 4, 1, 4, 'GICD_TYPER'), ('gic-dist', 8, 1, 4, 'GICD_IIDR'),
        ('gic-dist', 16, 1, 4, 'GICD_STATUSR'),
        ('gic-dist', 128, 32, 4, 'GICD_IGROUPR'), ('gic-dist', 256, 32, 4, 'GICD_ISENABLER'),
        ('gic-dist', 384, 32, 4, 'GICD_ICENABLER'), ('gic-dist', 512, 32, 4, 'GICD_ISPENDR'),
        ('gic-dist', 640, 32, 4, 'GICD_ICPENDR'), ('gic-dist', 768, 32, 4, 'GICD_ISACTIVER'),
        ('gic-dist', 896, 32, 4, 'GICD_ICACTIVER'), ('gic-dist', 1024, 255, 4, 'GICD_IPRIORITYR'),
        ('gic-dist', 2048, 255, 4, 'GICD_ITARGETSR'), ('gic-dist', 3072, 64, 4, 'GICD_ICFGR'),
        ('gic-dist', 3328, 32, 4, 'GICD_IGRPMODR'), ('gic-dist', 3584, 64, 4, 'GICD_NSACR'),
        ('gic-dist', 3840, 1, 4, 'GICD_SGIR'), ('gic-dist', 3856, 4, 4, 'GICD_CPENDSGIR'),
        ('gic-dist', 3872, 4, 4, 'GICD_SPENDSGIR'), ('gic-dist', 4072, 1, 4, 'GICD_ICPIDR2'),
        ('gic-dist', 24576, 988, 8, 'GICD_IROUTER'), ('gic-dist', 65512, 1, 4, 'GICD_PIDR2'),
        ('gic-cpu', 0, 1, 4, 'GICC_CTLR'), ('gic-cpu', 4, 1, 4, 'GICC_PMR'), ('gic-cpu', 8, 1, 4, 'GICC_BPR'),
        ('gic-cpu', 12, 1, 4, 'GICC_IAR'), ('gic-cpu', 16, 1, 4, 'GICC_EOIR'), ('gic-cpu', 20, 1, 4, 'GICC_RPR'),
        ('gic-cpu', 24, 1, 4, 'GICC_HPPIR'), ('gic-cpu', 28, 1, 4, 'GICC_ABPR'), ('gic-cpu', 32, 1, 4, 'GICC_AIAR'),
        ('gic-cpu', 36, 1, 4, 'GICC_AEOIR'), ('gic-cpu', 40, 1, 4, 'GICC_AHPPIR'), ('gic-cpu', 208, 4, 4, 'GICC_APR'),
        ('gic-cpu', 224, 4, 4, 'GICC_NSAPR'), ('gic-cpu', 252, 1, 4, 'GICC_IIDR'), ('gic-cpu', 4096, 1, 4, 'GICC_DIR'),
        ('gic-redist', 0, 1, 4, 'GICR_CTLR'), ('gic-redist', 4, 1, 4, 'GICR_IIDR'), ('gic-redist', 8, 1, 8, 'GICR_TYPER'),
        ('gic-redist', 16, 1, 4, 'GICR_STATUSR'), ('gic-redist', 20, 1, 4, 'GICR_WAKER'),
        ('gic-redist', 112, 1, 8, 'GICR_PROPBASER'), ('gic-redist', 120, 1, 8, 'GICR_PENDBASER'),
        ('gic-redist', 65512, 1, 4, 'GICR_PIDR2'),
        ('gic-redist', 65664, 1, 4, 'GICR_IGROUPR0'), ('gic-redist', 65792, 1, 4, 'GICR_ISENABLER0'),
        ('gic-redist', 65920, 1, 4, 'GICR_ICENABLER0'), ('gic-redist', 66048, 1, 4, 'GICR_ISPENDR0'),
        ('gic-redist', 66176, 1, 4, 'GICR_ICPENDR0'), ('gic-redist', 66304, 1, 4, 'GICR_ISACTIVER0'),
        ('gic-redist', 66432, 1, 4, 'GICR_ICACTIVER0'), ('gic-redist', 66560, 8, 4, 'GICR_IPRIORITYR'),
        ('gic-redist', 68608, 2, 4, 'GICR_ICFGR'), ('gic-redist', 68864, 1, 4, 'GICR_IGRPMODR0'),
        ('gic-redist', 69120, 1, 4, 'GICR_NSACR'),
        ('virtio-mmio', 0, 1, 4, 'MagicValue'), ('virtio-mmio', 4, 1, 4, 'Version'),
        ('virtio-mmio', 8, 1, 4, 'DeviceID'), ('virtio-mmio', 12, 1, 4, 'VendorID'),
        ('virtio-mmio', 16, 1, 4, 'DeviceFeatures'), ('virtio-mmio', 20, 1, 4, 'DeviceFeaturesSel'),
        ('virtio-mmio', 32, 1, 4, 'DriverFeatures'), ('virtio-mmio', 36, 1, 4, 'DriverFeaturesSel'),
        ('virtio-mmio', 40, 1, 4, 'GuestPageSize'), ('virtio-mmio', 48, 1, 4, 'QueueSel'),
        ('virtio-mmio', 52, 1, 4, 'QueueNumMax'), ('virtio-mmio', 56, 1, 4, 'QueueNum'),
        ('virtio-mmio', 60, 1, 4, 'QueueAlign'), ('virtio-mmio', 64, 1, 4, 'QueuePFN'),
        ('virtio-mmio', 68, 1, 4, 'QueueReady'), ('virtio-mmio', 80, 1, 4, 'QueueNotify'),
        ('virtio-mmio', 96, 1, 4, 'InterruptStatus'), ('virtio-mmio', 100, 1, 4, 'InterruptACK'),
        ('virtio-mmio', 112, 1, 4, 'Status'), ('virtio-mmio', 128, 1, 4, 'QueueDescLow'),
        ('virtio-mmio', 132, 1, 4, 'QueueDescHigh'), ('virtio-mmio', 144, 1, 4, 'QueueDriverLow'),
        ('virtio-mmio', 148, 1, 4, 'QueueDriverHigh'), ('virtio-mmio', 160, 1, 4, 'QueueDeviceLow'),
        ('virtio-mmio', 164, 1, 4, 'QueueDeviceHigh'), ('virtio-mmio', 252, 1, 4, 'ConfigGeneration'),
        ('virtio-mmio', 256, 64, 4, 'Config')
    ) t(device, first_offset, count, stride, name);

-- mmio_register(device, offset)
-- The name of the register at offset in a device (mmio.device_name and mmio.dev_offset): 'UARTFR',
-- 'GICC_IAR', 'GICD_ISENABLER1' (an array's element number after its name), or NULL where
-- mmio_registers has none.
-- Example: SELECT mmio_register('gic-dist', 260) AS reg
CREATE MACRO mmio_register(p_device, p_offset) AS (
    SELECT CASE WHEN r.count = 1 THEN r.name
                ELSE r.name || CAST((CAST(p_offset AS BIGINT) - r.first_offset) // r.stride AS VARCHAR) END
    FROM mmio_registers r
    WHERE r.device = regexp_replace(CAST(p_device AS VARCHAR), '@.*$', '')
      AND CAST(p_offset AS BIGINT) >= r.first_offset
      AND CAST(p_offset AS BIGINT) < r.first_offset + r.count * r.stride
    LIMIT 1);

-- mmio_stats
-- Device register accesses by device and offset: the register's name (mmio_register), reads,
-- writes, all accesses, and the first and last icount; most accessed first.
-- Example: SELECT * FROM mmio_stats LIMIT 10
CREATE VIEW mmio_stats AS
    SELECT device_name AS device, dev_offset, mmio_register(device_name, dev_offset) AS register,
           reads, writes, accesses, first_icount, last_icount
    FROM (SELECT device_name, dev_offset,
                 count(*) FILTER (WHERE NOT write) AS reads, count(*) FILTER (WHERE write) AS writes,
                 count(*) AS accesses, min(icount) AS first_icount, max(icount) AS last_icount
          FROM mmio GROUP BY device_name, dev_offset)
    ORDER BY accesses DESC, device, dev_offset;

-- console_lines
-- Every console line with its icount and the CPU that wrote it (icount is that CPU's own count),
-- its virtual time in seconds since the machine started on that CPU's clock (vtime; a Linux printk
-- timestamp counts from the kernel's sched_clock start instead, so the two differ by an offset),
-- the instructions since the previous line (delta: all CPUs', counted with global_icount, so with
-- one CPU the difference of the icounts) and its text.
-- Example: SELECT * FROM console_lines WHERE text LIKE '%Run /init%'
CREATE VIEW console_lines AS
    SELECT line, icount, cpu, seconds, global - lag(global) OVER (ORDER BY line) AS delta, text
    FROM (SELECT c.line, c.icount, c.cpu, round((c.icount + coalesce(k.idle_cycles, 0)) / CAST(counter_hz() AS DOUBLE), 6) AS seconds,
                 -- global_icount as one join, not a subquery per line (a Linux boot prints thousands)
                 coalesce(s.total + (c.icount - s.icount), c.icount) AS global, c.text
          FROM console c ASOF LEFT JOIN vclock k ON k.cpu = c.cpu AND c.icount >= k.icount
          ASOF LEFT JOIN slices s ON s.cpu = c.cpu AND c.icount >= s.icount)
    ORDER BY line;

-- linux_syscalls
-- Linux system call numbers on arm64 (the asm-generic table of include/uapi/asm-generic/ unistd.h
-- that arm64 uses, as of Linux 6.1): nr and name. The number is X8 at the SVC.
-- Example: SELECT * FROM linux_syscalls WHERE name IN ('read', 'write', 'execve')
CREATE VIEW linux_syscalls AS
    SELECT * FROM (VALUES
        (0, 'io_setup'), (1, 'io_destroy'), (2, 'io_submit'), (3, 'io_cancel'), (4, 'io_getevents'),
        (5, 'setxattr'), (6, 'lsetxattr'), (7, 'fsetxattr'), (8, 'getxattr'), (9, 'lgetxattr'),
        (10, 'fgetxattr'), (11, 'listxattr'), (12, 'llistxattr'), (13, 'flistxattr'),
        (14, 'removexattr'), (15, 'lremovexattr'), (16, 'fremovexattr'), (17, 'getcwd'),
        (18, 'lookup_dcookie'), (19, 'eventfd2'), (20, 'epoll_create1'), (21, 'epoll_ctl'),
        (22, 'epoll_pwait'), (23, 'dup'), (24, 'dup3'), (25, 'fcntl'), (26, 'inotify_init1'),
        (27, 'inotify_add_watch'), (28, 'inotify_rm_watch'), (29, 'ioctl'), (30, 'ioprio_set'),
        (31, 'ioprio_get'), (32, 'flock'), (33, 'mknodat'), (34, 'mkdirat'), (35, 'unlinkat'),
        (36, 'symlinkat'), (37, 'linkat'), (38, 'renameat'), (39, 'umount2'), (40, 'mount'),
        (41, 'pivot_root'), (42, 'nfsservctl'), (43, 'statfs'), (44, 'fstatfs'), (45, 'truncate'),
        (46, 'ftruncate'), (47, 'fallocate'), (48, 'faccessat'), (49, 'chdir'), (50, 'fchdir'),
        (51, 'chroot'), (52, 'fchmod'), (53, 'fchmodat'), (54, 'fchownat'), (55, 'fchown'),
        (56, 'openat'), (57, 'close'), (58, 'vhangup'), (59, 'pipe2'), (60, 'quotactl'),
        (61, 'getdents64'), (62, 'lseek'), (63, 'read'), (64, 'write'), (65, 'readv'), (66, 'writev'),
        (67, 'pread64'), (68, 'pwrite64'), (69, 'preadv'), (70, 'pwritev'), (71, 'sendfile'),
        (72, 'pselect6'), (73, 'ppoll'), (74, 'signalfd4'), (75, 'vmsplice'), (76, 'splice'),
        (77, 'tee'), (78, 'readlinkat'), (79, 'newfstatat'), (80, 'fstat'), (81, 'sync'),
        (82, 'fsync'), (83, 'fdatasync'), (84, 'sync_file_range'), (85, 'timerfd_create'),
        (86, 'timerfd_settime'), (87, 'timerfd_gettime'), (88, 'utimensat'), (89, 'acct'),
        (90, 'capget'), (91, 'capset'), (92, 'personality'), (93, 'exit'), (94, 'exit_group'),
        (95, 'waitid'), (96, 'set_tid_address'), (97, 'unshare'), (98, 'futex'),
        (99, 'set_robust_list'), (100, 'get_robust_list'), (101, 'nanosleep'), (102, 'getitimer'),
        (103, 'setitimer'), (104, 'kexec_load'), (105, 'init_module'), (106, 'delete_module'),
        (107, 'timer_create'), (108, 'timer_gettime'), (109, 'timer_getoverrun'),
        (110, 'timer_settime'), (111, 'timer_delete'), (112, 'clock_settime'), (113, 'clock_gettime'),
        (114, 'clock_getres'), (115, 'clock_nanosleep'), (116, 'syslog'), (117, 'ptrace'),
        (118, 'sched_setparam'), (119, 'sched_setscheduler'), (120, 'sched_getscheduler'),
        (121, 'sched_getparam'), (122, 'sched_setaffinity'), (123, 'sched_getaffinity'),
        (124, 'sched_yield'), (125, 'sched_get_priority_max'), (126, 'sched_get_priority_min'),
        (127, 'sched_rr_get_interval'), (128, 'restart_syscall'), (129, 'kill'), (130, 'tkill'),
        (131, 'tgkill'), (132, 'sigaltstack'), (133, 'rt_sigsuspend'), (134, 'rt_sigaction'),
        (135, 'rt_sigprocmask'), (136, 'rt_sigpending'), (137, 'rt_sigtimedwait'),
        (138, 'rt_sigqueueinfo'), (139, 'rt_sigreturn'), (140, 'setpriority'), (141, 'getpriority'),
        (142, 'reboot'), (143, 'setregid'), (144, 'setgid'), (145, 'setreuid'), (146, 'setuid'),
        (147, 'setresuid'), (148, 'getresuid'), (149, 'setresgid'), (150, 'getresgid'),
        (151, 'setfsuid'), (152, 'setfsgid'), (153, 'times'), (154, 'setpgid'), (155, 'getpgid'),
        (156, 'getsid'), (157, 'setsid'), (158, 'getgroups'), (159, 'setgroups'), (160, 'uname'),
        (161, 'sethostname'), (162, 'setdomainname'), (163, 'getrlimit'), (164, 'setrlimit'),
        (165, 'getrusage'), (166, 'umask'), (167, 'prctl'), (168, 'getcpu'), (169, 'gettimeofday'),
        (170, 'settimeofday'), (171, 'adjtimex'), (172, 'getpid'), (173, 'getppid'), (174, 'getuid'),
        (175, 'geteuid'), (176, 'getgid'), (177, 'getegid'), (178, 'gettid'), (179, 'sysinfo'),
        (180, 'mq_open'), (181, 'mq_unlink'), (182, 'mq_timedsend'), (183, 'mq_timedreceive'),
        (184, 'mq_notify'), (185, 'mq_getsetattr'), (186, 'msgget'), (187, 'msgctl'), (188, 'msgrcv'),
        (189, 'msgsnd'), (190, 'semget'), (191, 'semctl'), (192, 'semtimedop'), (193, 'semop'),
        (194, 'shmget'), (195, 'shmctl'), (196, 'shmat'), (197, 'shmdt'), (198, 'socket'),
        (199, 'socketpair'), (200, 'bind'), (201, 'listen'), (202, 'accept'), (203, 'connect'),
        (204, 'getsockname'), (205, 'getpeername'), (206, 'sendto'), (207, 'recvfrom'),
        (208, 'setsockopt'), (209, 'getsockopt'), (210, 'shutdown'), (211, 'sendmsg'),
        (212, 'recvmsg'), (213, 'readahead'), (214, 'brk'), (215, 'munmap'), (216, 'mremap'),
        (217, 'add_key'), (218, 'request_key'), (219, 'keyctl'), (220, 'clone'), (221, 'execve'),
        (222, 'mmap'), (223, 'fadvise64'), (224, 'swapon'), (225, 'swapoff'), (226, 'mprotect'),
        (227, 'msync'), (228, 'mlock'), (229, 'munlock'), (230, 'mlockall'), (231, 'munlockall'),
        (232, 'mincore'), (233, 'madvise'), (234, 'remap_file_pages'), (235, 'mbind'),
        (236, 'get_mempolicy'), (237, 'set_mempolicy'), (238, 'migrate_pages'), (239, 'move_pages'),
        (240, 'rt_tgsigqueueinfo'), (241, 'perf_event_open'), (242, 'accept4'), (243, 'recvmmsg'),
        (260, 'wait4'), (261, 'prlimit64'), (262, 'fanotify_init'), (263, 'fanotify_mark'),
        (264, 'name_to_handle_at'), (265, 'open_by_handle_at'), (266, 'clock_adjtime'),
        (267, 'syncfs'), (268, 'setns'), (269, 'sendmmsg'), (270, 'process_vm_readv'),
        (271, 'process_vm_writev'), (272, 'kcmp'), (273, 'finit_module'), (274, 'sched_setattr'),
        (275, 'sched_getattr'), (276, 'renameat2'), (277, 'seccomp'), (278, 'getrandom'),
        (279, 'memfd_create'), (280, 'bpf'), (281, 'execveat'), (282, 'userfaultfd'),
        (283, 'membarrier'), (284, 'mlock2'), (285, 'copy_file_range'), (286, 'preadv2'),
        (287, 'pwritev2'), (288, 'pkey_mprotect'), (289, 'pkey_alloc'), (290, 'pkey_free'),
        (291, 'statx'), (292, 'io_pgetevents'), (293, 'rseq'), (294, 'kexec_file_load'),
        (424, 'pidfd_send_signal'), (425, 'io_uring_setup'), (426, 'io_uring_enter'),
        (427, 'io_uring_register'), (428, 'open_tree'), (429, 'move_mount'), (430, 'fsopen'),
        (431, 'fsconfig'), (432, 'fsmount'), (433, 'fspick'), (434, 'pidfd_open'), (435, 'clone3'),
        (436, 'close_range'), (437, 'openat2'), (438, 'pidfd_getfd'), (439, 'faccessat2'),
        (440, 'process_madvise'), (441, 'epoll_pwait2'), (442, 'mount_setattr'), (443, 'quotactl_fd'),
        (444, 'landlock_create_ruleset'), (445, 'landlock_add_rule'), (446, 'landlock_restrict_self'),
        (447, 'memfd_secret'), (448, 'process_mrelease'), (449, 'futex_waitv'),
        (450, 'set_mempolicy_home_node')
    ) t(nr, name);

-- syscalls
-- System calls from EL0 (svc_calls rows whose caller was at EL0), one row per call, in order:
-- icount and the CPU (icount is that CPU's own count, and the time below is on its clock, see
-- vtime; with several CPUs the rows come in the machine's order, global_icount), the SVC's pc, nr
-- (X8), its Linux name (linux_syscalls; 'syscall_<nr>' for a number it lacks), the arguments X0-X5
-- and the virtual time in seconds.
-- Example: SELECT nr, name, x0, x2 FROM syscalls WHERE name = 'write' LIMIT 5
CREATE VIEW syscalls AS
    SELECT s.icount, s.cpu, s.pc, s.x8 AS nr, coalesce(n.name, 'syscall_' || s.x8) AS name,
           s.x0, s.x1, s.x2, s.x3, s.x4, s.x5,
           round((s.icount + coalesce(k.idle_cycles, 0)) / CAST(counter_hz() AS DOUBLE), 6) AS seconds
    FROM svc_calls s
    LEFT JOIN linux_syscalls n ON n.nr = s.x8
    ASOF LEFT JOIN vclock k ON k.cpu = s.cpu AND s.icount >= k.icount
    ASOF LEFT JOIN slices g ON g.cpu = s.cpu AND s.icount >= g.icount
    WHERE s.from_el = 0
    ORDER BY coalesce(g.total + (s.icount - g.icount), s.icount), s.cpu;

-- syscall_stats
-- System calls from EL0 by number: nr, name, how many calls, the first and last icount, and the
-- share of all calls; most frequent first.
-- Example: SELECT * FROM syscall_stats LIMIT 10
CREATE VIEW syscall_stats AS
    SELECT nr, name, count(*) AS calls, min(icount) AS first_icount, max(icount) AS last_icount,
           round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS percent
    FROM syscalls
    GROUP BY nr, name
    ORDER BY calls DESC, nr;

-- fault_status(fsc)
-- The fault status code of an abort (ESR_ELx.ISS bits 5:0, DFSC or IFSC) as text: 'translation
-- L3', 'access flag L2', 'permission L3', 'address size L0', 'alignment', 'external abort', 'TLB
-- conflict', or 'FSC 0x..' for the rest.
-- Example: SELECT fault_status(7) AS fsc
CREATE MACRO fault_status(p_fsc) AS CASE
    WHEN CAST(p_fsc AS INTEGER) < 4 THEN 'address size L' || CAST(p_fsc AS INTEGER)
    WHEN CAST(p_fsc AS INTEGER) < 8 THEN 'translation L' || (CAST(p_fsc AS INTEGER) - 4)
    WHEN CAST(p_fsc AS INTEGER) < 12 THEN 'access flag L' || (CAST(p_fsc AS INTEGER) - 8)
    WHEN CAST(p_fsc AS INTEGER) < 16 THEN 'permission L' || (CAST(p_fsc AS INTEGER) - 12)
    WHEN CAST(p_fsc AS INTEGER) = 16 THEN 'external abort'
    WHEN CAST(p_fsc AS INTEGER) BETWEEN 20 AND 23 THEN 'external abort on walk L' || (CAST(p_fsc AS INTEGER) - 20)
    WHEN CAST(p_fsc AS INTEGER) = 33 THEN 'alignment'
    WHEN CAST(p_fsc AS INTEGER) = 48 THEN 'TLB conflict'
    WHEN CAST(p_fsc AS INTEGER) = 49 THEN 'unsupported atomic'
    ELSE 'FSC 0x' || lower(hex(CAST(p_fsc AS INTEGER))) END;

-- linux_va_region(addr)
-- Which part of a Linux arm64 address space (48-bit VAs, 4K pages, Linux 5.4 and later, as
-- Debian's 6.1 kernel) a virtual address lies in: 'user' (TTBR0, below 2^48), 'linear map'
-- (0xffff000000000000, all of RAM), 'modules' (0xffff800000000000, 128 MiB), 'vmalloc' (from
-- 0xffff800008000000: vmalloc, vmap'd stacks and, with KASLR, the kernel image), 'fixmap/PCI I/O'
-- (0xfffffbfff0000000), 'vmemmap' (0xfffffc0000000000, the struct page array), 'unused' above it,
-- 'non-canonical' between the halves.
-- Example: SELECT linux_va_region(u64('0xffff000040001000')) AS region
CREATE MACRO linux_va_region(p_a) AS CASE
    WHEN u64(p_a) < u64('0x1000000000000') THEN 'user'
    WHEN u64(p_a) < u64('0xffff000000000000') THEN 'non-canonical'
    WHEN u64(p_a) < u64('0xffff800000000000') THEN 'linear map'
    WHEN u64(p_a) < u64('0xffff800008000000') THEN 'modules'
    WHEN u64(p_a) < u64('0xfffffbfff0000000') THEN 'vmalloc'
    WHEN u64(p_a) < u64('0xfffffc0000000000') THEN 'fixmap/PCI I/O'
    WHEN u64(p_a) < u64('0xfffffe0000000000') THEN 'vmemmap'
    ELSE 'unused' END;

-- page_faults
-- Data and instruction aborts (EC 0x20, 0x21, 0x24, 0x25), one row per fault: icount, pc (the
-- faulting instruction), from_el, class (ec_class), kind ('data' or 'instruction'), access ('read'
-- or 'write' from ESR.WnR, 'fetch' for instruction aborts), fault (fault_status), far (NULL when
-- ESR.FnV says FAR is not valid), page (far rounded down to 4 KiB), region (linux_va_region) and
-- esr. Alignment faults are aborts too: fault tells them apart.
-- Example: SELECT * FROM page_faults LIMIT 10
CREATE VIEW page_faults AS
    SELECT icount, pc, from_el, ec_class(ec) AS class,
           CASE WHEN ec IN (36, 37) THEN 'data' ELSE 'instruction' END AS kind,
           CASE WHEN ec IN (32, 33) THEN 'fetch' WHEN (esr >> 6) & 1 = 1 THEN 'write' ELSE 'read' END AS access,
           fault_status(esr & 63) AS fault,
           CASE WHEN (esr >> 10) & 1 = 1 THEN NULL ELSE far END AS far,
           CASE WHEN (esr >> 10) & 1 = 1 THEN NULL ELSE far - far % 4096 END AS page,
           CASE WHEN (esr >> 10) & 1 = 1 THEN NULL ELSE linux_va_region(far) END AS region,
           esr
    FROM exceptions
    WHERE ec IN (32, 33, 36, 37)
    ORDER BY icount;

-- page_fault_stats
-- Aborts grouped by address region (linux_va_region), the EL they came from, kind, access and
-- fault: how many, how many distinct pages, the lowest and highest faulting address, and the first
-- and last icount.
-- Example: SELECT * FROM page_fault_stats
CREATE VIEW page_fault_stats AS
    SELECT region, from_el, kind, access, fault, count(*) AS faults, count(DISTINCT page) AS pages,
           min(far) AS lowest, max(far) AS highest, min(icount) AS first_icount, max(icount) AS last_icount
    FROM page_faults
    GROUP BY ALL
    ORDER BY faults DESC, region, from_el, kind, access, fault;
