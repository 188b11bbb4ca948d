package io.deja.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * QEMU's spellings of the machine options, for users who type what they type
 * at qemu-system-aarch64: where the meaning is the same they are rewritten to
 * Deja's option (-kernel, -initrd, -append, -dtb, -m, -M/-machine virt, -s,
 * -gdb tcp::PORT, -smp when the command has --smp, -nographic); where it is not,
 * the user gets one line saying what to type instead, not "missing --binary".
 * Only commands that have the target option are rewritten.
 */
final class QemuSpellings {
    private QemuSpellings() {}

    /** Options of QEMU that take a value, mapped one to one. */
    private static final List<String[]> SAME = List.of(
            new String[] {"-kernel", "--kernel"}, new String[] {"-initrd", "--initrd"}, new String[] {"-append", "--append"},
            new String[] {"-dtb", "--dtb"}, new String[] {"-smp", "--smp"});

    /** QEMU options that have nothing to do here, with the reason (or the Deja way). */
    private static final Set<String> ALWAYS_SO = Set.of("-nographic");

    /** args with QEMU spellings rewritten for the subcommand spec (the first argument naming a subcommand). */
    static String[] rewrite(String[] args, CommandSpec root) {
        int at = -1;
        CommandSpec sub = null;
        for (int i = 0; i < args.length && sub == null; i++) {
            var c = root.subcommands().get(args[i]);
            if (c != null) {
                sub = c.getCommandSpec();
                at = i;
            }
        }
        if (sub == null || sub.optionsMap().get("--binary") == null && sub.optionsMap().get("--kernel") == null) return args;
        List<String> out = new ArrayList<>(List.of(args).subList(0, at + 1));
        boolean gdbAsked = false, stopAsked = false;
        for (int i = at + 1; i < args.length; i++) {
            String a = args[i];
            if ("--".equals(a)) {
                out.addAll(List.of(args).subList(i, args.length));
                break;
            }
            String value = i + 1 < args.length ? args[i + 1] : null;
            var own = sub.optionsMap().get(a);
            if (own != null && own.arity().max() > 0 && value != null) {
                // Deja's own option: its value is never a QEMU option (--append "-d", --until-console "-s").
                out.add(a);
                out.add(value);
                i++;
                continue;
            }
            String mapped = mapped(a, sub);
            if (mapped != null) {
                out.add(mapped);
                continue;
            }
            switch (a) {
                case "-m" -> {
                    if (value == null) throw new UserError("-m: QEMU's -m takes a size: did you mean --mem 512M?");
                    out.add("--mem");
                    out.add(qemuSize(value));
                    i++;
                }
                case "-M", "-machine" -> {
                    if (value == null) throw new UserError(a + ": did you mean --board virt?");
                    out.addAll(machine(value));
                    i++;
                }
                case "-s" -> {
                    if (sub.optionsMap().get("--gdb") == null) throw new UserError("-s: deja " + sub.name() + " has no gdb server (deja run --gdb PORT does)");
                    gdbAsked = true;
                    out.add("--gdb");
                    out.add("1234");
                }
                case "-gdb" -> {
                    if (value == null || sub.optionsMap().get("--gdb") == null) throw new UserError("-gdb: did you mean --gdb PORT?");
                    gdbAsked = true;
                    out.add("--gdb");
                    out.add(value.replaceFirst("^tcp:", ""));
                    i++;
                }
                case "-S" -> stopAsked = true; // with --gdb, Deja always waits stopped before the first instruction
                case "-d" -> throw new UserError("-d: QEMU's logging has no Deja flag: record the run (deja record --trace insns or full)"
                        + " and ask it with deja query, or use --dump-regs for the final registers");
                case "-cpu" -> throw new UserError("-cpu: Deja has one CPU model (ARMv8.0-A with cortex-a57's ID registers): drop -cpu");
                case "-nic", "-net", "-netdev" -> throw new UserError(a + ": Deja's machines have no network device: drop " + a);
                default -> {
                    if (ALWAYS_SO.contains(a)) continue; // the console is always on standard input and output
                    out.add(a);
                }
            }
        }
        if (stopAsked && !gdbAsked) throw new UserError("-S: did you mean --gdb PORT? (Deja's gdb server waits stopped before the first instruction)");
        return out.toArray(String[]::new);
    }

    private static String mapped(String arg, CommandSpec sub) {
        for (String[] m : SAME) {
            if (m[0].equals(arg)) {
                if (sub.optionsMap().get(m[1]) != null) return m[1];
                if ("-smp".equals(arg)) throw new UserError("-smp: deja " + sub.name() + " emulates one CPU: drop -smp");
            }
        }
        return null;
    }

    /** QEMU's -m: a plain number is MiB (Deja's --mem takes bytes), "size=" is allowed. */
    static String qemuSize(String value) {
        String v = value.startsWith("size=") ? value.substring(5) : value;
        return !v.isEmpty() && v.chars().allMatch(Character::isDigit) ? v + "M" : v;
    }

    /** -M virt[,gic-version=N][,its=off]: --board and --gic; other properties get a hint. */
    private static List<String> machine(String value) {
        String[] parts = value.split(",");
        List<String> out = new ArrayList<>(List.of("--board", parts[0].toLowerCase(Locale.ROOT)));
        for (int p = 1; p < parts.length; p++) {
            String prop = parts[p];
            if (prop.startsWith("gic-version=")) {
                out.add("--gic");
                out.add(prop.substring("gic-version=".length()));
            } else if (!prop.equals("its=off")) {
                throw new UserError("-M " + value + ": Deja has no machine property '" + prop + "' (the virt board takes --gic 2|3, --mem, --rtc-start)");
            }
        }
        return out;
    }
}
