package io.deja.core.decode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The build-time checks of a64.decode: the generator is run on small tables, as Maven runs it on the real one. */
class DecoderGeneratorTest {
    @TempDir
    Path tmp;

    @TempDir
    static Path classes;

    /** Compiled once: a source-launched run compiles it again each time (seconds). */
    @BeforeAll
    static void compileGenerator() {
        Path source = Path.of("src/build/DecoderGenerator.java").toAbsolutePath();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(rc).isZero();
    }

    record Result(int exit, String stderr, Path out) {
        String generated(String file) throws IOException {
            return Files.readString(out.resolve("io/deja/core/decode").resolve(file));
        }
    }

    private Result generate(String table) throws IOException, InterruptedException {
        Path file = tmp.resolve("t.decode");
        Files.writeString(file, table);
        Path out = tmp.resolve("out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes.toString(), "DecoderGenerator", file.toString(), out.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), err.strip(), out);
    }

    /** The elements of one packed table of A64Patterns (string chunks joined, split at newlines). */
    private static java.util.List<String> table(Result r, String name) throws IOException {
        String src = r.generated("A64Patterns.java");
        int start = src.indexOf(" " + name + " = ");
        String call = src.substring(src.indexOf('(', start) + 1, src.indexOf(");", start));
        StringBuilder joined = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(call);
        while (m.find()) joined.append(m.group(1).replace("\\n", "\n"));
        return java.util.List.of(joined.toString().split("\n", -1));
    }

    @Test
    void partlyOverlappingRowsFailTheBuildNamingBothWithTheirLines() throws Exception {
        Result r = generate("""
                # two rows that share words without one containing the other
                AAA  X.a  0000 xxxx xxxxxxxxxxxxxxxxxxxxxxxx
                BBB  X.b  xxxx 0000 xxxxxxxxxxxxxxxxxxxxxxxx
                """);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("t.decode:3: ambiguous overlap: AAA at t.decode:2", "BBB at t.decode:3", "0x00000000");
    }

    @Test
    void theSamePatternTwiceIsAmbiguous() throws Exception {
        Result r = generate("""
                AAA  X.a  0000 xxxx xxxxxxxxxxxxxxxxxxxxxxxx
                BBB  X.b  0000 yyyy xxxxxxxxxxxxxxxxxxxxxxxx
                """);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("AAA at t.decode:1", "BBB at t.decode:2", "the same pattern twice");
    }

    @Test
    void strictlyNestedRowsAreTriedMostSpecificFirstWhereverListed() throws Exception {
        Result r = generate("""
                GENERAL   X.a  0000 xxxx xxxxxxxxxxxxxxxxxxxxxxxx
                SPECIFIC  X.b  0000 1111 xxxxxxxxxxxxxxxxxxxxxxxx
                """);
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(table(r, "ORDER")).containsExactly("2", "1");
    }

    @Test
    void inAnOverlapGroupTheRowListedFirstWins() throws Exception {
        Result r = generate("""
                {
                FEWER  X.a  0000 xxxx xxxxxxxxxxxxxxxxxxxxxxxx
                MORE   X.b  xxxx 0000 0000xxxxxxxxxxxxxxxxxxxx
                }
                """);
        assertThat(r.exit()).as(r.stderr()).isZero();
        // Without the group MORE (more fixed bits) would be tried first; the group puts FEWER first.
        assertThat(table(r, "ORDER")).containsExactly("1", "2");
    }

    @Test
    void aGroupRowCoveredByAnEarlierOneIsAnError() throws Exception {
        Result r = generate("""
                {
                GENERAL   X.a  0000 xxxx xxxxxxxxxxxxxxxxxxxxxxxx
                SPECIFIC  X.b  0000 1111 xxxxxxxxxxxxxxxxxxxxxxxx
                }
                """);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("t.decode:3: SPECIFIC", "can never match: GENERAL at t.decode:2");
    }

    @Test
    void fieldsAndArgumentSetsBecomeHandlerArguments() throws Exception {
        Result r = generate("""
                %rd    0:5
                %imm   5:s19 29:2 <<2
                &both  imm rd
                ONE    X.one    0ii10000 iiiiiiiiiiiiiiiiiii ddddd   (&both rd)
                NONE   X.none   1ii10000 iiiiiiiiiiiiiiiiiii ddddd   ()   @endblock
                WORD   X.word   0ii10001 iiiiiiiiiiiiiiiiiii ddddd        @branch
                """);
        assertThat(r.exit()).as(r.stderr()).isZero();
        String dispatch = r.generated("A64Dispatch.java");
        assertThat(dispatch).contains("X.one(c, A64Fields.imm(insn), A64Fields.rd(insn), A64Fields.rd(insn));",
                "X.none(c);", "X.word(c, insn);");
        assertThat(r.generated("A64Fields.java")).contains(
                "return (((((insn >>> 5) & 0x7ffff) << 2) | ((insn >>> 29) & 0x3)) << 11 >> 11) << 2;");
        assertThat(table(r, "ENDS_BLOCK")).containsExactly("0", "0", "1", "1");
        assertThat(table(r, "ARGS")).containsExactly("", "2,1,1", "", "0");
    }

    @Test
    void badFieldsAndTagsAreRejectedWithTheirLine() throws Exception {
        assertThat(generate("ONE X.one 0ii10000 iiiiiiiiiiiiiiiiiii ddddd (rd)\n").stderr())
                .isEqualTo("t.decode:1: unknown field 'rd' (declare it as %rd)");
        assertThat(generate("ONE X.one 0ii10000 iiiiiiiiiiiiiiiiiii ddddd @brnch\n").stderr())
                .startsWith("t.decode:1: unknown tag @brnch");
        assertThat(generate("%new 0:5\n").stderr())
                .isEqualTo("t.decode:1: field name %new is a Java keyword (it names a method of A64Fields)");
        assertThat(generate("%rm 16:5\n\nONE X.one 0ii10000 iii00000iiiiiiiiiii ddddd (rm)\n").stderr())
                .startsWith("t.decode:3: field %rm covers bit 20, which the pattern fixes");
    }

    @Test
    void includedFilesShareFieldsAndTheOverlapCheckAndKeepTheirOwnLineNumbers() throws Exception {
        Files.writeString(tmp.resolve("simd.decode"), """
                # a group of its own
                SIMD  X.simd  0000 1111 xxxxxxxxxxxxxxxxxxx ddddd  (rd)
                WIDE  X.wide  1111 xxxx xxxxxxxxxxxxxxxxxxxxxxxx
                """);
        Result ok = generate("""
                %rd    0:5
                GENERAL  X.a  0000 xxxx xxxxxxxxxxxxxxxxxxxxxxxx
                include simd.decode
                LAST     X.z  1110 xxxx xxxxxxxxxxxxxxxxxxxxxxxx
                """);
        assertThat(ok.exit()).as(ok.stderr()).isZero();
        assertThat(table(ok, "NAME")).containsExactly("UNALLOCATED", "GENERAL", "SIMD", "WIDE", "LAST");
        assertThat(table(ok, "ORDER")).containsExactly("2", "1", "3", "4");

        Files.writeString(tmp.resolve("simd.decode"), "\nCLASH X.c 1111 0000 xxxxxxxxxxxxxxxxxxxxxxxx\n");
        Result clash = generate("""
                OTHER  X.o  xxxx 0000 1xxxxxxxxxxxxxxxxxxxxxxx
                include simd.decode
                """);
        assertThat(clash.exit()).isEqualTo(1);
        assertThat(clash.stderr()).startsWith("simd.decode:2: ambiguous overlap: OTHER at t.decode:1");
        assertThat(generate("include nothere.decode\n").stderr()).isEqualTo("t.decode:1: include: no file 'nothere.decode' next to t.decode");
    }

    @Test
    void everyOpcodeHasAHandlerClassOfItsOwnSoThatNoMethodGrowsWithTheTable() throws Exception {
        StringBuilder t = new StringBuilder("%rd 0:5\n");
        for (int i = 0; i < 300; i++) {
            String bits = String.format("%9s", Integer.toBinaryString(i)).replace(' ', '0');
            t.append("R").append(i).append(" X.r").append(i).append(' ').append(bits).append(" xxxxxxxxxxxxxxxxxx ddddd (rd)\n");
        }
        Result r = generate(t.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        String dispatch = r.generated("A64Dispatch.java");
        assertThat(dispatch).contains("HANDLERS[op].execute(c, insn);", "new Unallocated(),\n        new Op_R0(),",
                "new Op_R299(),\n    };", "private static final class Op_R299 extends Handler", "X.r299(c, A64Fields.rd(insn));")
                .doesNotContain("switch");
        assertThat(table(r, "NAME")).hasSize(301).endsWith("R299");
    }
}
