package io.deja.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README cannot go stale: every fenced block tagged {@code console} in
 * it is a transcript, run here in order as a new user pastes it, and what
 * each command prints must match what the README shows.
 *
 * <p>Format: a line {@code $ ./deja ARGS} is a command (single and double
 * quotes as in the shell; a trailing {@code # exit status N} comment names the
 * exit status, 0 otherwise), or {@code $ printf 'TEXT' | ./deja ARGS} to give
 * the command TEXT (printf's {@code \n}, {@code \t}, {@code \\} and {@code %%})
 * on standard input, which is otherwise empty; the lines after it, up to the next command, are
 * its standard output followed by its standard error. In them {@code ...}
 * stands for any text within a line (times, rates, temporary names), and a
 * line that is only {@code ...} for any number of lines. {@code /tmp/walk} in
 * commands and outputs is a fresh temporary directory; {@code kernels/},
 * {@code docs/} and {@code traces/} are the checkout's.
 */
class ReadmeTranscriptTest {
    record Step(String command, List<String> expected, int line) {}

    static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("kernels"))) return d;
        }
        throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
    }

    /** The console blocks' commands and outputs, in README order. */
    static List<Step> transcript(List<String> readme) {
        List<Step> steps = new ArrayList<>();
        boolean in = false;
        String command = null;
        int at = 0;
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            String l = readme.get(i);
            if (!in) {
                in = l.trim().equals("```console");
                continue;
            }
            boolean end = l.trim().equals("```");
            if (end || l.startsWith("$ ")) {
                if (command != null) steps.add(new Step(command, List.copyOf(expected), at));
                command = end ? null : l.substring(2);
                at = i + 1;
                expected.clear();
                if (end) in = false;
                continue;
            }
            if (command == null) throw new IllegalStateException("README.md:" + (i + 1) + ": output before the console block's first command");
            expected.add(l);
        }
        return steps;
    }

    /** Shell words of line (quotes, backslash in double quotes), without a trailing # comment. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"' && i + 1 < line.length()) w.append(line.charAt(++i));
                else w.append(c);
            } else if (c == '\'' || c == '"') {
                if (w == null) w = new StringBuilder();
                quote = c;
            } else if (Character.isWhitespace(c)) {
                if (w != null) out.add(w.toString());
                w = null;
            } else if (c == '#' && w == null) {
                break;
            } else {
                if (w == null) w = new StringBuilder();
                w.append(c);
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unclosed quote in: " + line);
        if (w != null) out.add(w.toString());
        return out;
    }

    static final Pattern EXIT = Pattern.compile("#.*exit status (\\d+)");

    /** Whether output matches expected lines ({@code ...} within a line or as a line; trailing spaces and blank lines ignored). */
    static boolean matches(List<String> expected, String output) {
        StringBuilder re = new StringBuilder();
        List<String> lines = new ArrayList<>(expected);
        while (!lines.isEmpty() && lines.getLast().isBlank()) lines.removeLast();
        for (String l : lines) {
            String t = l.stripTrailing();
            if (t.equals("...")) {
                re.append("(?:[^\\n]*\\n)*?");
                continue;
            }
            String[] parts = t.split("\\.\\.\\.", -1);
            for (int p = 0; p < parts.length; p++) {
                if (p > 0) re.append("[^\\n]*?");
                re.append(Pattern.quote(parts[p]));
            }
            re.append("[ \\t]*\\n");
        }
        String out = output.lines().map(String::stripTrailing).reduce(new StringBuilder(), (b, s) -> b.append(s).append('\n'), StringBuilder::append)
                .toString().replaceAll("\\n+\\z", "\n");
        if (out.equals("\n")) out = "";
        return Pattern.compile(re.toString()).matcher(out).matches();
    }

    @Test
    void theMatcherTreatsEllipsesAsAnyText() {
        assertThat(matches(List.of("host time: ... s", "..."), "host time: 0.1 s\na\nb\n")).isTrue();
        assertThat(matches(List.of("a", "...", "d"), "a\nb\nc\nd\n")).isTrue();
        assertThat(matches(List.of("a", "d"), "a\nb\nd\n")).isFalse();
        assertThat(words("./deja query /tmp/walk/a \"SELECT * FROM t\"   # exit status 2")).containsExactly("./deja", "query", "/tmp/walk/a", "SELECT * FROM t");
        assertThat(words("printf 'SELECT 1;\\n.mode csv\\n' | ./deja query /tmp/walk/a")).containsExactly("printf", "SELECT 1;\\n.mode csv\\n", "|", "./deja", "query", "/tmp/walk/a");
        assertThat(printf("a\\n\\tb\\\\ 100%%")).isEqualTo("a\n\tb\\ 100%");
    }

    @Test
    void everyConsoleBlockOfTheReadmeRunsAsShown(@TempDir Path tmp) throws Exception {
        Path root = root();
        HuntCommandTest.buildKernel("uart_hello");
        List<Step> steps = transcript(Files.readAllLines(root.resolve("README.md")));
        assertThat(steps).as("console blocks in README.md").hasSizeGreaterThanOrEqualTo(5);
        String walk = tmp.resolve("walk").toString();
        String home = System.getProperty("deja.home");
        System.setProperty("deja.home", root.toString());
        try {
            for (Step s : steps) {
                List<String> words = words(s.command());
                String stdin = "";
                if (words.getFirst().equals("printf")) {
                    assertThat(words).as("README.md:%d: printf 'TEXT' | ./deja ...", s.line()).hasSizeGreaterThan(3);
                    assertThat(words.get(2)).as("README.md:%d: printf 'TEXT' | ./deja ...", s.line()).isEqualTo("|");
                    stdin = printf(words.get(1));
                    words = words.subList(3, words.size());
                }
                assertThat(words.getFirst()).as("README.md:%d: a console block runs ./deja only", s.line()).isEqualTo("./deja");
                String[] args = words.subList(1, words.size()).stream()
                        .map(w -> w.replace("/tmp/walk", walk))
                        .map(w -> w.startsWith("kernels/") || w.startsWith("docs/") || w.startsWith("traces/") ? root.resolve(w).toString() : w)
                        .toArray(String[]::new);
                Matcher m = EXIT.matcher(s.command());
                int status = m.find() ? Integer.parseInt(m.group(1)) : 0;
                Run r = run(args, stdin);
                String output = (r.out() + r.err()).replace(walk, "/tmp/walk").replace(root + "/", "");
                assertThat(r.exit()).as("README.md:%d: exit status of %s%n%s", s.line(), s.command(), output).isEqualTo(status);
                assertThat(matches(s.expected(), output))
                        .as("README.md:%d: %s printed%n%s%nwhere the README shows%n%s", s.line(), s.command(), output, String.join("\n", s.expected()))
                        .isTrue();
            }
        } finally {
            if (home == null) System.clearProperty("deja.home");
            else System.setProperty("deja.home", home);
        }
    }

    /** What printf(1) prints for a format with no conversions: the escapes \n, \t, \\ and %%. */
    static String printf(String format) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if ((c == '\\' || c == '%') && i + 1 < format.length()) {
                char n = format.charAt(++i);
                b.append(switch (c == '%' ? "%" + n : "\\" + n) {
                    case "\\n" -> '\n';
                    case "\\t" -> '\t';
                    case "\\\\" -> '\\';
                    case "%%" -> '%';
                    default -> throw new IllegalArgumentException("printf escape " + c + n + " is not supported here: " + format);
                });
            } else if (c == '\\' || c == '%') {
                throw new IllegalArgumentException("printf format ends in " + c + ": " + format);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    record Run(int exit, String out, String err) {}

    /**
     * deja in this JVM with stdin as standard input, the guest console (System.out) and both
     * streams captured in print order of each.
     */
    private static synchronized Run run(String[] args, String stdin) {
        PrintStream saved = System.out;
        java.io.InputStream savedIn = System.in;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            exit = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
            System.out.flush();
        } finally {
            System.setOut(saved);
            System.setIn(savedIn);
        }
        return new Run(exit, console.toString(StandardCharsets.UTF_8) + out, err.toString());
    }
}
