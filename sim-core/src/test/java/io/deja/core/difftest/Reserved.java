package io.deja.core.difftest;

/**
 * Field values a pattern admits but the Arm ARM reserves (the instruction is
 * UNDEFINED). Written independently of Deja's semantic methods so that the
 * generator keeps most draws valid; a few reserved ones are still kept on
 * purpose, they must be UNDEFINED in both emulators.
 */
final class Reserved {
    private Reserved() {}

    static boolean isReserved(String name, int w) {
        boolean sf = w < 0;
        int bit22 = (w >>> 22) & 1;
        int immr = (w >>> 16) & 0x3F, imms = (w >>> 10) & 0x3F;
        int size = w >>> 30;
        int opc = (w >>> 22) & 3;
        return switch (name) {
            case "AND_imm", "ORR_imm", "EOR_imm", "ANDS_imm" -> (!sf && bit22 == 1) || !validBitmask(bit22, imms);
            case "SBFM", "BFM", "UBFM" -> (sf ? 1 : 0) != bit22 || (!sf && (immr >= 32 || imms >= 32));
            case "EXTR" -> (sf ? 1 : 0) != bit22 || (!sf && imms >= 32);
            case "MOVN", "MOVZ", "MOVK" -> !sf && ((w >>> 22) & 1) == 1;
            case "AND_sh", "BIC_sh", "ORR_sh", "ORN_sh", "EOR_sh", "EON_sh", "ANDS_sh", "BICS_sh" ->
                    !sf && (w & 0x8000) != 0;
            case "ADD_sh", "ADDS_sh", "SUB_sh", "SUBS_sh" -> (!sf && (w & 0x8000) != 0) || ((w >>> 22) & 3) == 3;
            case "ADD_ext", "ADDS_ext", "SUB_ext", "SUBS_ext" -> ((w >>> 10) & 7) > 4;
            case "CRC32", "CRC32C" -> sf != (((w >>> 10) & 3) == 3);
            case "STP" -> (w >>> 30) == 1 || (w >>> 30) == 3;
            case "LDP" -> (w >>> 30) == 3;
            case "LDPSW" -> ((w >>> 23) & 3) == 0;
            // Sign-extending loads: size 11 with opc 1x is PRFM or unallocated, size 10 with opc 11 is unallocated.
            case "LDURS", "LDRS_post", "LDRS_pre", "LDTRS", "LDRS_uimm" -> size == 3 || (size == 2 && opc == 3);
            case "LDRS_reg" -> size == 3 || (size == 2 && opc == 3) || ((w >>> 13) & 2) == 0;
            // Register offsets: option<1> = 0 (UXTB, UXTH, SXTB, SXTH) is reserved.
            case "STR_reg", "LDR_reg", "PRFM_reg" -> ((w >>> 13) & 2) == 0;
            // SIMD&FP registers: opc<1> = 1 (the Q form) only with size 00.
            case "STR_v_uimm", "LDR_v_uimm", "STUR_v", "LDUR_v", "STR_v_post", "LDR_v_post", "STR_v_pre", "LDR_v_pre" ->
                    ((w >>> 23) & 1) == 1 && size != 0;
            case "STR_v_reg", "LDR_v_reg" -> (((w >>> 23) & 1) == 1 && size != 0) || ((w >>> 13) & 2) == 0;
            case "LDR_v_lit", "STP_v", "LDP_v" -> size == 3;
            case "ST_multi", "LD_multi", "ST_multi_post", "LD_multi_post" -> {
                int opcode = (w >>> 12) & 15;
                boolean allocated = opcode == 0 || opcode == 2 || opcode == 4 || opcode == 6 || opcode == 7
                        || opcode == 8 || opcode == 10;
                boolean oneD = ((w >>> 10) & 3) == 3 && ((w >>> 30) & 1) == 0;
                yield !allocated || (oneD && opcode != 2 && opcode != 6 && opcode != 7 && opcode != 10);
            }
            case "ST_single", "LD_single", "ST_single_post", "LD_single_post" -> {
                int scale = (w >>> 14) & 3, esize = (w >>> 10) & 3, s = (w >>> 12) & 1;
                yield switch (scale) {
                    case 0 -> false;
                    case 1 -> (esize & 1) != 0;
                    case 2 -> (esize & 2) != 0 || (esize == 1 && s != 0);
                    default -> true; // replicate: its own rows (S = 0, loads)
                };
            }
            default -> advancedSimdInteger(name, w) || simdPerm(name, w);
        };
    }

    /** Advanced SIMD copy, permute, extract, shift by immediate and by-element rows (simd-perm.decode). */
    private static boolean simdPerm(String name, int w) {
        boolean q = (w & (1 << 30)) != 0;
        int imm5 = (w >>> 16) & 31, imm5Size = Integer.numberOfTrailingZeros(imm5 | 32);
        int immh = (w >>> 19) & 15;
        int size = (w >>> 22) & 3;
        return switch (name) {
            case "DUP_elem", "DUP_gen" -> imm5Size > 3 || (imm5Size == 3 && !q);
            case "SMOV" -> imm5Size > (q ? 2 : 1);
            case "UMOV" -> q ? imm5Size != 3 : imm5Size > 2;
            case "INS_gen", "INS_elem", "DUP_scalar" -> imm5Size > 3;
            case "UZP1", "UZP2", "TRN1", "TRN2", "ZIP1", "ZIP2" -> size == 3 && !q;
            case "EXT" -> !q && (w & (1 << 14)) != 0;
            case "SSHR_v", "SSRA_v", "SRSHR_v", "SRSRA_v", "SHL_v", "SQSHL_vi", "USHR_v", "USRA_v", "URSHR_v",
                 "URSRA_v", "SRI_v", "SLI_v", "SQSHLU_v", "UQSHL_vi" -> immh == 0 || (immh >= 8 && !q);
            case "SHRN", "RSHRN", "SQSHRN_v", "SQRSHRN_v", "SSHLL", "SQSHRUN_v", "SQRSHRUN_v", "UQSHRN_v",
                 "UQRSHRN_v", "USHLL", "SQSHRN_s", "SQRSHRN_s", "SQSHRUN_s", "SQRSHRUN_s", "UQSHRN_s",
                 "UQRSHRN_s" -> immh == 0 || immh >= 8;
            case "SQSHL_si", "SQSHLU_s", "UQSHL_si" -> immh == 0;
            default -> !name.startsWith("F") && (name.endsWith("_elem") || name.endsWith("_selem")) && (size == 0 || size == 3);
        };
    }

    private static boolean in(String name, String... names) {
        for (String n : names) if (n.equals(name)) return true;
        return false;
    }

    /**
     * Advanced SIMD integer rows (simd-int.decode): the size (bits 23:22) and Q
     * (bit 30) values that the Arm ARM's decode pseudocode of each instruction
     * rejects.
     */
    static boolean advancedSimdInteger(String name, int w) {
        int size = (w >>> 22) & 3;
        boolean q = (w & (1 << 30)) != 0;
        if (name.endsWith("_vec")) {
            String base = name.substring(0, name.length() - 4);
            if (in(base, "SQADD", "UQADD", "SQSUB", "UQSUB", "CMGT", "CMHI", "CMGE", "CMHS", "CMEQ", "CMTST",
                    "SSHL", "USHL", "SQSHL", "UQSHL", "SRSHL", "URSHL", "SQRSHL", "UQRSHL", "ADD", "SUB", "ADDP",
                    "SUQADD", "USQADD", "SQABS", "SQNEG", "CMGT_zero", "CMGE_zero", "CMEQ_zero", "CMLE_zero",
                    "CMLT_zero", "ABS", "NEG")) return size == 3 && !q;
            if (in(base, "PMUL", "CNT")) return size != 0;
            if (in(base, "SQDMULH", "SQRDMULH", "SQDMLAL", "SQDMLSL", "SQDMULL")) return size == 0 || size == 3;
            if (base.equals("PMULL")) return size == 1 || size == 2;
            if (base.equals("REV32")) return size >= 2;
            if (base.equals("REV16")) return size >= 1;
            if (base.equals("RBIT")) return size != 1;
            if (in(base, "AND", "BIC", "ORR", "ORN", "EOR", "BSL", "BIT", "BIF", "NOT")) return false;
            return size == 3;
        }
        if (name.endsWith("_scalar")) {
            String base = name.substring(0, name.length() - 7);
            if (in(base, "SQADD", "UQADD", "SQSUB", "UQSUB", "SQSHL", "UQSHL", "SQRSHL", "UQRSHL",
                    "SUQADD", "USQADD", "SQABS", "SQNEG")) return false;
            if (in(base, "SQDMULH", "SQRDMULH", "SQDMLAL", "SQDMLSL", "SQDMULL")) return size == 0 || size == 3;
            if (in(base, "SQXTN", "UQXTN", "SQXTUN")) return size == 3;
            return size != 3;
        }
        if (in(name, "ADDV", "SADDLV", "UADDLV", "SMAXV", "UMAXV", "SMINV", "UMINV")) return size == 3 || (size == 2 && !q);
        return false;
    }

    /** DecodeBitMasks(immN, imms, immr, TRUE) has an element size and does not select every bit of it. */
    static boolean validBitmask(int immN, int imms) {
        int combined = (immN << 6) | (~imms & 0x3F);
        if (combined < 2) return false;
        int len = 31 - Integer.numberOfLeadingZeros(combined);
        int levels = (1 << len) - 1;
        return (imms & levels) != levels;
    }
}
