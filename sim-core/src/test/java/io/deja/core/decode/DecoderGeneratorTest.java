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

    @Test
    void partlyOverlappingRowsFailTheBuildNamingBothWithTheirLines() throws Exception {
        Result r = generate("""
                # two rows that share words without one containing the other
                AAA  X.a  0000 xxxx xxxxxxxxxxxxxxxxxxxxxxxx
                BBB  X.b  xxxx 0000 xxxxxxxxxxxxxxxxxxxxxxxx
                """);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("t.decode:3: ambiguous overlap: AAA at line 2", "BBB at line 3", "0x00000000");
    }

    @Test
    void theSamePatternTwiceIsAmbiguous() throws Exception {
        Result r = generate("""
                AAA  X.a  0000 xxxx xxxxxxxxxxxxxxxxxxxxxxxx
                BBB  X.b  0000 yyyy xxxxxxxxxxxxxxxxxxxxxxxx
                """);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("AAA at line 1", "BBB at line 2", "the same pattern twice");
    }

    @Test
    void strictlyNestedRowsAreTriedMostSpecificFirstWhereverListed() throws Exception {
        Result r = generate("""
                GENERAL   X.a  0000 xxxx xxxxxxxxxxxxxxxxxxxxxxxx
                SPECIFIC  X.b  0000 1111 xxxxxxxxxxxxxxxxxxxxxxxx
                """);
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.generated("A64Patterns.java")).contains("ORDER = {2, 1}");
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
        assertThat(r.generated("A64Patterns.java")).contains("ORDER = {1, 2}");
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
        assertThat(r.stderr()).contains("t.decode:3: SPECIFIC", "can never match: GENERAL at line 2");
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
                "X.none(c);", "case 3 -> X.word(c, insn);");
        assertThat(r.generated("A64Fields.java")).contains(
                "return (((((insn >>> 5) & 0x7ffff) << 2) | ((insn >>> 29) & 0x3)) << 11 >> 11) << 2;");
        assertThat(r.generated("A64Patterns.java")).contains("ENDS_BLOCK = {false, false, true, true}");
    }

    @Test
    void badFieldsAndTagsAreRejectedWithTheirLine() throws Exception {
        assertThat(generate("ONE X.one 0ii10000 iiiiiiiiiiiiiiiiiii ddddd (rd)\n").stderr())
                .isEqualTo(tmp.resolve("t.decode") + ":1: unknown field 'rd' (declare it as %rd)");
        assertThat(generate("ONE X.one 0ii10000 iiiiiiiiiiiiiiiiiii ddddd @brnch\n").stderr())
                .startsWith(tmp.resolve("t.decode") + ":1: unknown tag @brnch");
        assertThat(generate("%new 0:5\n").stderr())
                .isEqualTo(tmp.resolve("t.decode") + ":1: field name %new is a Java keyword (it names a method of A64Fields)");
        assertThat(generate("%rm 16:5\n\nONE X.one 0ii10000 iii00000iiiiiiiiiii ddddd (rm)\n").stderr())
                .startsWith(tmp.resolve("t.decode") + ":3: field %rm covers bit 20, which the pattern fixes");
    }
}
