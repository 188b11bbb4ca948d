package io.deja.analysis.stages;

import io.deja.analysis.AnalysisException;
import io.deja.core.vm.ExitKind;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A list of boot stages, one a line: a name and the milestone that marks it
 * (the format is docs/stages.md). A file that does not parse is refused with
 * one line naming the file and line.
 *
 * @param source where the stages came from (a path, or "built-in linux")
 */
public record StageFile(String source, List<Stage> stages) {
    /** The file shipped with Deja: the milestones of the Debian arm64 kernel's boot and the scripted /init. */
    public static final String BUILTIN = "built-in linux";
    private static final String BUILTIN_RESOURCE = "linux.stages";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final String MILESTONES = "console, console-byte, interrupt, exception, exit, end";

    /**
     * One stage: its name, what marks it, the line of the file it is on, and
     * whether it is forbidden (written {@code NAME never MILESTONE}): a failure
     * when reached, such as a kernel panic, rather than a milestone to reach.
     */
    public record Stage(String name, Milestone milestone, int line, boolean forbidden) {
        /** A milestone to reach. */
        public Stage(String name, Milestone milestone, int line) {
            this(name, milestone, line, false);
        }

        /** The same stage on another line. */
        public Stage withLine(int line) {
            return new Stage(name, milestone, line, forbidden);
        }

        /** The stage as the file writes it after its name: the milestone, "never" first for a forbidden one. */
        public String spelling() {
            return forbidden ? NEVER + " " + milestone : milestone.toString();
        }
    }

    /** The word before a milestone that makes its stage forbidden. */
    public static final String NEVER = "never";

    public StageFile {
        stages = List.copyOf(stages);
    }

    /** Whether some stage is forbidden (a failure when reached). */
    public boolean hasForbiddenStages() {
        return stages.stream().anyMatch(Stage::forbidden);
    }

    /** Whether some stage is marked by a console line (the file then describes what a run prints). */
    public boolean hasConsoleStages() {
        return stages.stream().anyMatch(s -> s.milestone().console());
    }

    /** The built-in stage file (src/main/resources/io/deja/analysis/stages/linux.stages). */
    public static StageFile builtin() {
        try (InputStream in = StageFile.class.getResourceAsStream(BUILTIN_RESOURCE)) {
            if (in == null) throw new IllegalStateException("the built-in stage file " + BUILTIN_RESOURCE + " is missing from the jar");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUILTIN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stage file at path; an unreadable or malformed file is an AnalysisException of one line. */
    public static StageFile load(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AnalysisException(path + ": no such stage file");
        } catch (IOException | UncheckedIOException e) {
            throw new AnalysisException(path + ": unreadable stage file (" + e.getMessage() + ")");
        }
        return parse(text, path.toString());
    }

    /** Parses a stage file's text; errors name source and the line. */
    public static StageFile parse(String text, String source) {
        List<Stage> stages = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Line l = new Line(line, source, number);
            String name = l.word();
            if (!NAME.matcher(name).matches()) {
                throw l.error("stage name '" + name + "' is not a name (letters, digits, '_', '.', '-'; starting with a letter or digit)");
            }
            if (!names.add(name)) throw l.error("stage '" + name + "' is named twice");
            String keyword = l.word();
            boolean forbidden = keyword.equals(NEVER);
            if (forbidden) keyword = l.word();
            if (keyword.isEmpty()) {
                throw l.error("stage '" + name + "' has no milestone" + (forbidden ? " after " + NEVER : "") + " (" + MILESTONES + ")");
            }
            if (keyword.equals(NEVER)) throw l.error("stage '" + name + "': " + NEVER + " twice");
            stages.add(new Stage(name, milestone(keyword, l), number, forbidden));
        }
        if (stages.isEmpty()) throw new AnalysisException(source + ": no stages (one a line: NAME MILESTONE; see docs/stages.md)");
        return new StageFile(source, stages);
    }

    private static Milestone milestone(String keyword, Line l) {
        Milestone m = switch (keyword) {
            case "console" -> l.consolePattern();
            case "console-byte" -> new Milestone.ConsoleByte();
            case "interrupt" -> new Milestone.Interrupt(l.atEnd() ? Milestone.ANY : (int) l.number("INTID", 0, Integer.MAX_VALUE));
            case "exception" -> exception(l);
            case "exit" -> {
                if (l.atEnd()) throw l.error("exit needs a kind (" + kindNames() + ")");
                yield new Milestone.Exit(l.kind());
            }
            case "end" -> new Milestone.End(l.atEnd() ? Milestone.ANY : l.kind());
            default -> throw l.error("unknown milestone '" + keyword + "' (" + MILESTONES + ")");
        };
        if (!l.atEnd()) throw l.error("unexpected '" + l.rest() + "' after " + keyword);
        return m;
    }

    private static Milestone exception(Line l) {
        int from = Milestone.ANY, to = Milestone.ANY, ec = Milestone.ANY;
        while (!l.atEnd()) {
            String key = l.word();
            switch (key) {
                case "from-el" -> from = (int) l.number("an exception level", 0, 3);
                case "to-el" -> to = (int) l.number("an exception level", 0, 3);
                case "ec" -> ec = (int) l.number("an exception class (ESR_EL1.EC)", 0, 63);
                default -> throw l.error("exception takes from-el N, to-el N and ec N, not '" + key + "'");
            }
        }
        return new Milestone.ExceptionTaken(from, to, ec);
    }

    /** An exit kind as stage files name it: its label in lower case, spaces as '-' (mmio-read, shutdown, cpu-off). */
    static String kindName(int code) {
        for (ExitKind k : ExitKind.values()) {
            if (k.code == code) return normalise(k.label);
        }
        return Integer.toString(code);
    }

    private static String kindNames() {
        List<String> all = new ArrayList<>();
        for (ExitKind k : ExitKind.values()) all.add(normalise(k.label));
        return String.join(", ", all);
    }

    private static String normalise(String kind) {
        return kind.toLowerCase(Locale.ROOT).replace(' ', '-').replace('_', '-');
    }

    /** The rest of one line of a stage file, consumed word by word. */
    private static final class Line {
        private final String text;
        private final String source;
        private final int number;
        private int pos;

        Line(String text, String source, int number) {
            this.text = text;
            this.source = source;
            this.number = number;
        }

        AnalysisException error(String message) {
            return new AnalysisException(source + ":" + number + ": " + message);
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        }

        /** Whether only blanks or a comment are left. */
        boolean atEnd() {
            skipSpace();
            return pos >= text.length() || text.charAt(pos) == '#';
        }

        String rest() {
            return text.substring(pos);
        }

        /** The next word ("" at the end or at a comment). */
        String word() {
            if (atEnd()) return "";
            int start = pos;
            while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) pos++;
            return text.substring(start, pos);
        }

        long number(String what, long min, long max) {
            String w = word();
            if (w.isEmpty()) throw error("missing " + what);
            long v;
            try {
                v = w.startsWith("0x") || w.startsWith("0X") ? Long.parseLong(w.substring(2), 16) : Long.parseLong(w);
            } catch (NumberFormatException e) {
                throw error("'" + w + "' is not a number (" + what + ")");
            }
            if (v < min || v > max) throw error(w + " is out of range for " + what + " (" + min + ".." + max + ")");
            return v;
        }

        int kind() {
            String w = word();
            String n = normalise(w);
            for (ExitKind k : ExitKind.values()) {
                if (normalise(k.label).equals(n) || Integer.toString(k.code).equals(n)) return k.code;
            }
            throw error("unknown exit kind '" + w + "' (" + kindNames() + ")");
        }

        /** console "TEXT" (a substring; \" and \\ escape) or console /REGEX/ (Java syntax; \/ is a slash). */
        Milestone consolePattern() {
            if (atEnd()) throw error("console needs \"TEXT\" (a substring of the line) or /REGEX/");
            char open = text.charAt(pos);
            if (open != '"' && open != '/') throw error("console needs \"TEXT\" (a substring of the line) or /REGEX/, not '" + rest() + "'");
            int start = pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated " + (open == '"' ? "text: no closing \"" : "regular expression: no closing /") + " in " + text.substring(start));
                }
                char c = text.charAt(pos++);
                if (c == open) break;
                if (c == '\\' && pos < text.length()) {
                    char next = text.charAt(pos);
                    if (next == open) {
                        sb.append(next);
                        pos++;
                        continue;
                    }
                    if (open == '"' && next != '\\') {
                        throw error("unknown escape '\\" + next + "' in console text (only \\\" and \\\\; use /REGEX/ for patterns)");
                    }
                    // "\\" is one backslash in text; a regular expression keeps its escapes as they are
                    if (open == '/') sb.append(c);
                    sb.append(next);
                    pos++;
                    continue;
                }
                sb.append(c);
            }
            if (sb.isEmpty()) throw error("empty console " + (open == '"' ? "text" : "regular expression") + " (it would match any line)");
            if (open == '"') return new Milestone.ConsoleText(sb.toString());
            try {
                return new Milestone.ConsoleRegex(Pattern.compile(sb.toString()));
            } catch (PatternSyntaxException e) {
                throw error("bad regular expression /" + sb + "/: " + e.getDescription() + " near index " + e.getIndex());
            }
        }
    }
}
