package io.deja.analysis.stages;

import java.util.regex.Pattern;

/**
 * What marks a stage: the first console line or recorded event that matches
 * (docs/stages.md). {@link #toString()} gives the milestone as a stage file
 * writes it.
 */
public sealed interface Milestone {
    /** Matches nothing of a field: "any". */
    int ANY = -1;

    /** Whether it is found in console lines (not in events). */
    default boolean console() {
        return false;
    }

    /** A console line containing text. */
    record ConsoleText(String text) implements Milestone {
        @Override
        public boolean console() {
            return true;
        }

        boolean matches(String line) {
            return line.contains(text);
        }

        @Override
        public String toString() {
            return "console \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    /** A console line in which the regular expression finds a match. */
    record ConsoleRegex(Pattern pattern) implements Milestone {
        @Override
        public boolean console() {
            return true;
        }

        boolean matches(String line) {
            return pattern.matcher(line).find();
        }

        @Override
        public String toString() {
            return "console /" + pattern.pattern().replace("/", "\\/") + "/";
        }
    }

    /** The first byte written to the console. */
    record ConsoleByte() implements Milestone {
        @Override
        public String toString() {
            return "console-byte";
        }
    }

    /** An IRQ or FIQ taken with that INTID ({@link #ANY}: any). */
    record Interrupt(int intid) implements Milestone {
        boolean matches(int id) {
            return intid == ANY || intid == id;
        }

        @Override
        public String toString() {
            return intid == ANY ? "interrupt" : "interrupt " + intid;
        }
    }

    /** A synchronous exception (or SError) with those fields ({@link #ANY}: any). */
    record ExceptionTaken(int fromEl, int toEl, int ec) implements Milestone {
        boolean matches(int from, int to, int cls) {
            return (fromEl == ANY || fromEl == from) && (toEl == ANY || toEl == to) && (ec == ANY || ec == cls);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("exception");
            if (fromEl != ANY) sb.append(" from-el ").append(fromEl);
            if (toEl != ANY) sb.append(" to-el ").append(toEl);
            if (ec != ANY) sb.append(" ec 0x").append(Integer.toHexString(ec));
            return sb.toString();
        }
    }

    /** A vCPU exit of that kind (an exit_kind code). */
    record Exit(int kind) implements Milestone {
        @Override
        public String toString() {
            return "exit " + StageFile.kindName(kind);
        }
    }

    /** The end of the recorded run (with that stop reason, an exit_kind code; {@link #ANY}: any). */
    record End(int reason) implements Milestone {
        @Override
        public String toString() {
            return reason == ANY ? "end" : "end " + StageFile.kindName(reason);
        }
    }

}
