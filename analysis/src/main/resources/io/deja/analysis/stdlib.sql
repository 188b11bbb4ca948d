-- The standard library of `deja query`: views and macros over the exported
-- tables. Each entry is a comment block (@name, @doc, @example) followed by
-- one statement ending in ';' at the end of a line; TablesDoc turns the
-- blocks into the "Standard library" part of analysis/TABLES.md.
--
-- Macro parameters are named p_*: DuckDB substitutes a parameter wherever its
-- name appears, so a parameter called `reg` would replace the reg column.

-- @name u64(v)
-- @doc A register value or address as UBIGINT, from a number, a '0x...' string or a negative
-- @doc number (two's complement): u64(-1) = 0xffffffffffffffff. DuckDB has no hex literals
-- @doc (`0x10` parses as 0 named x10), so write addresses as u64('0x40080000').
-- @example SELECT * FROM insns WHERE pc = u64('0x10008') LIMIT 1
CREATE MACRO u64(p_v) AS coalesce(TRY_CAST(p_v AS UBIGINT),
    TRY_CAST(TRY_CAST(p_v AS HUGEINT) + 18446744073709551616 AS UBIGINT));

-- @name reg_number(reg)
-- @doc The reg_writes.reg number of a register name: 'X0'-'X30' (or 'W0'-'W30', same register),
-- @doc 'SP', 'NZCV', 'FPCR', 'FPSR'; a number is returned as it is; NULL for anything else (V
-- @doc registers are numbered in vreg_writes: see vreg_number).
-- @example SELECT reg_number('w9') AS reg
CREATE MACRO reg_number(p_r) AS CASE
    WHEN TRY_CAST(p_r AS INTEGER) IS NOT NULL THEN TRY_CAST(p_r AS INTEGER)
    WHEN upper(CAST(p_r AS VARCHAR)) = 'SP' THEN 31
    WHEN upper(CAST(p_r AS VARCHAR)) = 'NZCV' THEN 32
    WHEN upper(CAST(p_r AS VARCHAR)) = 'FPCR' THEN 33
    WHEN upper(CAST(p_r AS VARCHAR)) = 'FPSR' THEN 34
    WHEN regexp_matches(upper(CAST(p_r AS VARCHAR)), '^[XW]([0-9]|[12][0-9]|30)$')
        THEN CAST(substr(CAST(p_r AS VARCHAR), 2) AS INTEGER)
    END;

-- @name vreg_number(reg)
-- @doc The vreg_writes.reg number of a SIMD&FP register name: 'V0'-'V31', or a view of the
-- @doc same register ('Q0'-'Q31' all 128 bits, 'D0'-'D31', 'S0'-'S31', 'H0'-'H31', 'B0'-'B31'
-- @doc its low 64, 32, 16, 8 bits); NULL for anything else.
-- @example SELECT vreg_number('d3') AS reg
CREATE MACRO vreg_number(p_r) AS CASE
    WHEN regexp_matches(upper(CAST(p_r AS VARCHAR)), '^[VQDSHB]([0-9]|[12][0-9]|3[01])$')
        THEN CAST(substr(CAST(p_r AS VARCHAR), 2) AS INTEGER)
    END;

-- @name vreg_bits(reg)
-- @doc How many low bits of its V register a SIMD&FP register name stands for: 128 for 'V3' and
-- @doc 'Q3', 64 for 'D3', 32 for 'S3', 16 for 'H3', 8 for 'B3'; NULL for other names.
-- @example SELECT vreg_bits('s3') AS bits
CREATE MACRO vreg_bits(p_r) AS CASE WHEN vreg_number(p_r) IS NOT NULL THEN
    CASE upper(substr(CAST(p_r AS VARCHAR), 1, 1))
        WHEN 'V' THEN 128 WHEN 'Q' THEN 128 WHEN 'D' THEN 64 WHEN 'S' THEN 32 WHEN 'H' THEN 16 ELSE 8 END
    END;

-- @name v128(hi, lo)
-- @doc A 128-bit register value as UHUGEINT from its halves (vreg_writes.new_hi and new_lo, or
-- @doc old_hi and old_lo); NULL if either is NULL. The table format prints it in hex.
-- @example SELECT icount, reg_name, v128(new_hi, new_lo) AS value FROM vreg_writes LIMIT 5
CREATE MACRO v128(p_hi, p_lo) AS CAST(p_hi AS UHUGEINT) * CAST(18446744073709551616 AS UHUGEINT) + CAST(p_lo AS UHUGEINT);

-- @name vreg_view(hi, lo, bits)
-- @doc The low bits (vreg_bits: 128, 64, 32, 16 or 8) of a 128-bit value given as halves, as
-- @doc UHUGEINT: what a Q, D, S, H or B register name reads.
-- @example SELECT icount, vreg_view(new_hi, new_lo, 32) AS s FROM vreg_writes LIMIT 5
CREATE MACRO vreg_view(p_hi, p_lo, p_bits) AS CASE
    WHEN p_bits = 128 THEN v128(p_hi, p_lo)
    WHEN p_bits = 64 THEN CAST(p_lo AS UHUGEINT)
    ELSE CAST(CAST(p_lo AS UBIGINT) & CAST((CAST(1 AS BIGINT) << CAST(p_bits AS BIGINT)) - 1 AS UBIGINT) AS UHUGEINT) END;

-- @name u128(v)
-- @doc A value to compare with the UHUGEINT values of reg_changes: a number or a '0x...' string of
-- @doc up to 32 hex digits; a negative number is a 64-bit two's complement, as in u64.
-- @example SELECT u128('0x10000000000000000') AS v
CREATE MACRO u128(p_v) AS coalesce(
    CASE WHEN regexp_matches(CAST(p_v AS VARCHAR), '^0[xX][0-9a-fA-F]{17,32}$') THEN
        v128(u64('0x' || substr(CAST(p_v AS VARCHAR), 3, length(CAST(p_v AS VARCHAR)) - 18)),
             u64('0x' || right(CAST(p_v AS VARCHAR), 16))) END,
    TRY_CAST(u64(p_v) AS UHUGEINT),
    TRY_CAST(p_v AS UHUGEINT));

-- @name vreg_changes(reg)
-- @doc The writes to a V register or one of its views (any name vreg_number knows), oldest first:
-- @doc icount, pc, reg_name, old and new as UHUGEINT; 'V3'/'Q3' give every write with all 128
-- @doc bits, 'D3', 'S3', 'H3', 'B3' the low bits, listing only the writes that changed them.
-- @doc The V half of reg_changes.
-- @example SELECT * FROM vreg_changes('S0') LIMIT 10
CREATE MACRO vreg_changes(p_reg) AS TABLE
    SELECT icount, pc, name AS reg_name, old, new
    FROM (SELECT icount, pc,
                 CASE WHEN vreg_bits(p_reg) = 128 THEN reg_name ELSE upper(CAST(p_reg AS VARCHAR)) END AS name,
                 vreg_view(old_hi, old_lo, vreg_bits(p_reg)) AS old,
                 vreg_view(new_hi, new_lo, vreg_bits(p_reg)) AS new
          FROM vreg_writes WHERE reg = vreg_number(p_reg))
    WHERE vreg_bits(p_reg) = 128 OR old IS DISTINCT FROM new;

-- @name reg_changes(reg)
-- @doc Every write to one register, oldest first, without the instruction: icount, pc, reg_name,
-- @doc old and new as UHUGEINT. reg names what reg_number knows (from reg_writes) or what
-- @doc vreg_number knows (from vreg_writes, see vreg_changes). What reg_history is built on.
-- @example SELECT * FROM reg_changes('D0') LIMIT 10
CREATE MACRO reg_changes(p_reg) AS TABLE
    SELECT icount, pc, reg_name, CAST(old AS UHUGEINT) AS old, CAST(new AS UHUGEINT) AS new
    FROM reg_writes WHERE reg = reg_number(p_reg)
    UNION ALL
    SELECT * FROM vreg_changes(p_reg);

-- @name reads_reg(disasm, reg)
-- @doc Whether an instruction reads a general register (X or W form, or SP), judged from its
-- @doc disassembly: every register operand except the destinations (the first operand, the
-- @doc first two of a load pair; stores, compares, CBZ/TBZ, BR/BLR/RET and MSR have none,
-- @doc MOVK and the bitfield inserts also read theirs; a store-exclusive's first operand is
-- @doc its status). A heuristic: implicit reads (RET without operand, flags) are not seen.
-- @example SELECT icount, disasm FROM insns WHERE reads_reg(disasm, 'X9') LIMIT 5
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

-- @name reg_history(reg)
-- @doc Every write to one register, oldest first: icount, pc and disassembly of the writing
-- @doc instruction, the value before and after (UHUGEINT). reg: X0-X30 (W names the same), SP,
-- @doc NZCV, FPCR, FPSR, V0-V31 (128 bits), or the Q, D, S, H, B views of a V register (its low
-- @doc 128, 64, 32, 16, 8 bits: only the writes that changed those bits), see reg_changes.
-- @example SELECT * FROM reg_history('X9') LIMIT 10
CREATE MACRO reg_history(p_reg) AS TABLE
    SELECT w.icount, w.pc, i.disasm, w.reg_name, w.old, w.new
    FROM reg_changes(p_reg) w LEFT JOIN insns i ON i.icount = w.icount
    ORDER BY w.icount;

-- @name first_write(reg, value)
-- @doc The first instruction that wrote value into reg (any name reg_history takes; value: a
-- @doc number, '0x...' of up to 32 hex digits, or negative, see u128): icount, pc, disassembly,
-- @doc old and new value. No row if it never happened.
-- @example SELECT * FROM first_write('X9', 1)
-- reg_writes is filtered on its own columns before the cast to UHUGEINT: the scan of millions
-- of X writes stays as fast as it was before V registers (the cast first made it twice as slow).
CREATE MACRO first_write(p_reg, p_value) AS TABLE
    SELECT w.icount, w.pc, i.disasm, w.reg_name, w.old, w.new
    FROM (SELECT icount, pc, reg_name, CAST(old AS UHUGEINT) AS old, CAST(new AS UHUGEINT) AS new
          FROM (SELECT * FROM reg_writes
                WHERE reg = reg_number(p_reg) AND new = u64(p_value)
                ORDER BY icount LIMIT 1)
          UNION ALL
          SELECT * FROM vreg_changes(p_reg) WHERE new = u128(p_value)
          ORDER BY icount LIMIT 1) w
    LEFT JOIN insns i ON i.icount = w.icount;

-- @name reg_at(reg, icount)
-- @doc The value of reg (any name reg_history takes) just before instruction icount executes:
-- @doc the last write before it (or NULL columns if the trace has none), with the writing
-- @doc instruction.
-- @example SELECT * FROM reg_at('SP', 1000)
CREATE MACRO reg_at(p_reg, p_icount) AS TABLE
    SELECT w.icount, w.pc, i.disasm, w.reg_name, w.new AS value
    FROM (SELECT icount, pc, reg_name, CAST(new AS UHUGEINT) AS new
          FROM (SELECT * FROM reg_writes
                WHERE reg = reg_number(p_reg) AND icount < p_icount
                ORDER BY icount DESC LIMIT 1)
          UNION ALL
          SELECT icount, pc, reg_name, new FROM vreg_changes(p_reg) WHERE icount < p_icount
          ORDER BY icount DESC LIMIT 1) w
    LEFT JOIN insns i ON i.icount = w.icount;

-- @name first_read_after(reg, icount)
-- @doc The first instruction after icount that reads reg (see reads_reg): where a value written
-- @doc at icount is used.
-- @example SELECT * FROM first_read_after('X9', 1000)
CREATE MACRO first_read_after(p_reg, p_icount) AS TABLE
    SELECT icount, pc, disasm
    FROM insns
    WHERE icount > p_icount AND reads_reg(disasm, p_reg)
    ORDER BY icount LIMIT 1;

-- @name who_wrote(addr)
-- @doc Every store that wrote the byte at addr (a number or '0x...'), oldest first: icount, pc
-- @doc and disassembly of the store, its address, size and value, and the byte it left at addr.
-- @example SELECT * FROM who_wrote('0x40000')
CREATE MACRO who_wrote(p_addr) AS TABLE
    SELECT m.icount, m.pc, i.disasm, m.address, m.size, m.value,
           CAST((m.value >> CAST(8 * (u64(p_addr) - m.address) AS INTEGER)) & 255 AS INTEGER) AS byte
    FROM mem_writes m LEFT JOIN insns i ON i.icount = m.icount
    WHERE m.address <= u64(p_addr) AND u64(p_addr) < m.address + m.size
    ORDER BY m.icount;

-- @name culprit(reg, value)
-- @doc Which exception or interrupt handler clobbered reg with value, in three rows: the first
-- @doc write of value into reg whose value escaped its handler (read after the handler's ERET,
-- @doc before reg was written again: role 'write'), the last interrupt taken before that write
-- @doc (role 'interrupt', pc = the interrupted instruction, detail = what reg held then), and
-- @doc the instruction after the ERET that read the bad value (role 'read', see reads_reg).
-- @doc Writes the handler itself consumed (every harmless tick) are skipped; no row if value
-- @doc never escaped. first_write(reg, value) gives the first write of all.
-- @example SELECT * FROM culprit('X9', 1)
CREATE MACRO culprit(p_reg, p_value) AS TABLE
    WITH w AS (
        SELECT icount, pc, reg_name, old, new,
               coalesce(lead(icount) OVER (ORDER BY icount), 9223372036854775807) AS next_write
        FROM reg_writes WHERE reg = reg_number(p_reg)
    ),
    bad AS (
        SELECT w.*,
               (SELECT min(e.icount) FROM insns e
                WHERE e.disasm = 'eret' AND e.icount > w.icount AND e.icount < w.next_write) AS eret_icount
        FROM w WHERE new = u64(p_value)
    ),
    escaped AS (
        SELECT b.*,
               (SELECT min(n.icount) FROM insns n
                WHERE n.icount > b.eret_icount AND n.icount <= b.next_write AND reads_reg(n.disasm, p_reg)) AS read_icount
        FROM bad b WHERE b.eret_icount IS NOT NULL
    ),
    hit AS (SELECT * FROM escaped WHERE read_icount IS NOT NULL ORDER BY icount LIMIT 1),
    irq AS (SELECT i.* FROM interrupts i, hit WHERE i.icount <= hit.icount ORDER BY i.icount DESC LIMIT 1)
    SELECT 'interrupt' AS role, irq.icount, irq.pc,
           (SELECT disasm FROM insns WHERE pc = irq.pc LIMIT 1) AS disasm,
           'INTID ' || irq.intid || ' taken from EL' || irq.from_el || '; ' || hit.reg_name || ' was 0x'
               || coalesce((SELECT lower(hex(arg_max(r.new, r.icount))) FROM reg_writes r
                            WHERE r.reg = reg_number(p_reg) AND r.icount < irq.icount), '?') AS detail
    FROM irq, hit
    UNION ALL
    SELECT 'write', hit.icount, hit.pc, (SELECT disasm FROM insns WHERE icount = hit.icount),
           hit.reg_name || ': 0x' || lower(hex(hit.old)) || ' -> 0x' || lower(hex(hit.new)) || ', then ERET at icount ' || hit.eret_icount
    FROM hit
    UNION ALL
    SELECT 'read', n.icount, n.pc, n.disasm, 'reads ' || hit.reg_name || ' = 0x' || lower(hex(hit.new)) || ' after the handler returned'
    FROM hit JOIN insns n ON n.icount = hit.read_icount
    ORDER BY icount, CASE role WHEN 'interrupt' THEN 0 WHEN 'write' THEN 1 ELSE 2 END;

-- @name exit_stats
-- @doc Exits by kind: how many, the first and last icount, the share of all exits, and
-- @doc instructions per exit (runs.instructions / exits).
-- @example SELECT * FROM exit_stats
CREATE VIEW exit_stats AS
    SELECT kind, kind_name, count(*) AS exits, min(icount) AS first_icount, max(icount) AS last_icount,
           round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS percent,
           round((SELECT instructions FROM runs) / count(*), 1) AS insns_per_exit
    FROM exits
    GROUP BY kind, kind_name
    ORDER BY exits DESC, kind;

-- @name irq_latency
-- @doc One row per interrupt taken, with its handling measured in instructions: icount when it
-- @doc was taken (the handler's first instruction has this icount), intid, the interrupted pc,
-- @doc the handler's first pc (from insns, NULL without them), ack_icount (the first later
-- @doc read of GICC_IAR, gic-cpu offset 0x0C, returning this intid), eoi_icount (the first
-- @doc later end of interrupt for this intid: a GICC_EOIR write, gic-cpu offset 0x10, or an
-- @doc ICC_EOIR0/1_EL1 write), ack_latency = ack_icount - icount and latency = eoi_icount -
-- @doc icount. NULL where the handler never acknowledged or ended the interrupt.
-- @example SELECT intid, count(*) AS n, avg(latency) AS avg_latency, max(latency) AS worst FROM irq_latency GROUP BY intid
CREATE VIEW irq_latency AS
    WITH acks AS (
        SELECT icount, CAST(value & 1023 AS INTEGER) AS intid FROM mmio
        WHERE device_name = 'gic-cpu' AND dev_offset = 12 AND NOT write
    ), eois AS (
        SELECT icount, CAST(value & 1023 AS INTEGER) AS intid FROM mmio
        WHERE device_name = 'gic-cpu' AND dev_offset = 16 AND write
        UNION ALL
        SELECT icount, CAST(new & 16777215 AS INTEGER) FROM sysreg_writes WHERE name IN ('ICC_EOIR0_EL1', 'ICC_EOIR1_EL1')
    )
    SELECT i.icount, i.intid, i.fiq, i.pc AS interrupted_pc, h.pc AS handler_pc,
           a.icount AS ack_icount, e.icount AS eoi_icount,
           a.icount - i.icount AS ack_latency, e.icount - i.icount AS latency
    FROM interrupts i
    ASOF LEFT JOIN acks a ON a.intid = i.intid AND a.icount >= i.icount
    ASOF LEFT JOIN eois e ON e.intid = i.intid AND e.icount >= i.icount
    LEFT JOIN insns h ON h.icount = i.icount
    ORDER BY i.icount;

-- @name console(pattern)
-- @doc The console lines matching a LIKE pattern ('%' for all), with their icount and the
-- @doc instructions since the previous matching line (delta): boot stages and their cost.
-- @doc The console table itself holds every line.
-- @example SELECT * FROM console('%tick%')
CREATE MACRO console(p_pattern) AS TABLE
    SELECT line, icount, text, icount - lag(icount) OVER (ORDER BY line) AS delta
    FROM console
    WHERE text LIKE p_pattern
    ORDER BY line;

-- @name insns_around(icount, n)
-- @doc The n instructions before and after icount, with the registers each wrote
-- @doc (reg=new, ..., V registers last with all 128 bits): what the machine was doing around an event.
-- @example SELECT * FROM insns_around(1000, 5)
CREATE MACRO insns_around(p_icount, p_n) AS TABLE
    SELECT i.icount, i.pc, i.disasm,
           (SELECT string_agg(x.name || '=0x' || x.value, ' ' ORDER BY x.ord)
            FROM (SELECT w.reg AS ord, w.reg_name AS name, lower(hex(w.new)) AS value
                  FROM reg_writes w WHERE w.icount = i.icount
                  UNION ALL
                  SELECT 256 + v.reg, v.reg_name, lower(hex(v128(v.new_hi, v.new_lo)))
                  FROM vreg_writes v WHERE v.icount = i.icount) x) AS writes
    FROM insns i
    WHERE i.icount BETWEEN p_icount - p_n AND p_icount + p_n
    ORDER BY i.icount;
