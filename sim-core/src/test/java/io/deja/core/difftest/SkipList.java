package io.deja.core.difftest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Known, explained differences (src/test/resources/difftest/skip-list.txt).
 * Each line: {@code op NAME reason} (the generator never draws that opcode,
 * and random-word comparisons ignore words decoding to it) or
 * {@code words MASK VALUE reason} (random-word comparisons ignore words with
 * {@code (w & MASK) == VALUE}), {@code sysreg NAME reason} (the
 * generator never reads or writes that system register) or {@code rule NAME reason}
 * (a comparison relaxation from {@link #KNOWN_RULES}). A reason is mandatory.
 */
final class SkipList {
    static final String RESOURCE = "/difftest/skip-list.txt";

    record WordRange(int mask, int value, String reason) {}

    private final Map<String, String> ops = new HashMap<>();
    private final List<WordRange> words = new ArrayList<>();
    private final Map<String, String> rules = new HashMap<>();
    private final Map<String, String> sysregs = new HashMap<>();

    static SkipList load() {
        try (InputStream in = SkipList.class.getResourceAsStream(RESOURCE)) {
            if (in != null) return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // The Maven-free developer loop (scripts/dev-test.sh) does not put resources on the class path.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (String rel : new String[] {"sim-core/src/test/resources", "src/test/resources"}) {
                Path f = dir.resolve(rel).resolve(RESOURCE.substring(1));
                if (Files.isRegularFile(f)) {
                    try {
                        return parse(Files.readString(f));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        throw new IllegalStateException("skip list " + RESOURCE + " not found");
    }

    static SkipList parse(String text) {
        SkipList s = new SkipList();
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+", 4);
            switch (f[0]) {
                case "op" -> {
                    String[] g = line.split("\\s+", 3);
                    if (g.length < 3) throw new IllegalArgumentException("skip-list line " + lineNo + ": op NAME reason");
                    s.ops.put(g[1], g[2]);
                }
                case "words" -> {
                    if (f.length < 4) throw new IllegalArgumentException("skip-list line " + lineNo + ": words MASK VALUE reason");
                    s.words.add(new WordRange((int) Long.decode(f[1]).longValue(), (int) Long.decode(f[2]).longValue(), f[3]));
                }
                case "sysreg" -> {
                    String[] g = line.split("\\s+", 3);
                    if (g.length < 3) throw new IllegalArgumentException("skip-list line " + lineNo + ": sysreg NAME reason");
                    s.sysregs.put(g[1], g[2]);
                }
                case "rule" -> {
                    String[] g = line.split("\\s+", 3);
                    if (g.length < 3) throw new IllegalArgumentException("skip-list line " + lineNo + ": rule NAME reason");
                    if (!KNOWN_RULES.contains(g[1])) throw new IllegalArgumentException("skip-list line " + lineNo + ": unknown rule " + g[1]);
                    s.rules.put(g[1], g[2]);
                }
                default -> throw new IllegalArgumentException("skip-list line " + lineNo + ": unknown kind " + f[0]);
            }
        }
        return s;
    }

    /**
     * QEMU clears NZCV on exception entry; the Arm ARM leaves them unchanged.
     * With this rule NZCV is not compared in the harness handler before its CMP.
     */
    static final String EXCEPTION_ENTRY_NZCV = "exception-entry-nzcv";

    /**
     * QEMU swaps ISS.Op1 and ISS.Op2 in the syndrome of an MSR DAIFSet/DAIFClr
     * trapped at EL0. With this rule that ESR is accepted with the two swapped.
     */
    static final String MSR_IMM_TRAP_ISS = "qemu-msr-imm-trap-iss";

    /** Comparison relaxations the comparator knows how to apply. */
    static final Set<String> KNOWN_RULES = Set.of(EXCEPTION_ENTRY_NZCV, MSR_IMM_TRAP_ISS);

    boolean hasRule(String name) {
        return rules.containsKey(name);
    }

    /** Whether the generator must neither read nor write this system register (by its SysRegList name). */
    boolean skipsSysreg(String name) {
        return sysregs.containsKey(name);
    }

    boolean skipsOp(String name) {
        return ops.containsKey(name) || (only != null && !only.matcher(name).find() && !only.matcher(handlerOf(name)).find());
    }

    /** When set, the generator draws only rows whose name or handler (Class.method) this matches. */
    private java.util.regex.Pattern only;

    /**
     * This list restricted to the rows matching {@code regex} (row name or
     * {@code Class.method} of the handler): a soak focused on one group of
     * encodings while it is being written ({@code DEJA_DIFFTEST_ONLY}).
     */
    SkipList only(String regex) {
        only = java.util.regex.Pattern.compile(regex);
        return this;
    }

    private static String handlerOf(String name) {
        for (int op = 1; op < io.deja.core.decode.A64Decoder.count(); op++) {
            if (io.deja.core.decode.A64Decoder.name(op).equals(name)) {
                return io.deja.core.decode.A64Decoder.handlerClass(op) + "." + io.deja.core.decode.A64Decoder.handlerMethod(op);
            }
        }
        return "";
    }

    /** The reason random-word comparisons ignore this word, or null. */
    String skipsWord(int word, String opName) {
        String r = ops.get(opName);
        if (r != null) return r;
        for (WordRange w : words) if ((word & w.mask()) == w.value()) return w.reason();
        return null;
    }

    int size() {
        return ops.size() + words.size() + rules.size() + sysregs.size();
    }
}
