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
            default -> false;
        };
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
