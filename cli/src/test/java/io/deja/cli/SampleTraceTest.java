package io.deja.cli;

import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.QueryResult;
import io.deja.core.board.Board;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingException;
import io.deja.recorder.RecordingFormat;
import io.deja.recorder.RecordingHeader;
import io.deja.replayer.ReplayOptions;
import io.deja.replayer.ReplayResult;
import io.deja.replayer.Replayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The recording committed under traces/heisenbug (see traces/README.md): a
 * Deja that can read its format must replay it bit-exactly and export it,
 * and one that cannot must say so by the format version. Nothing here writes
 * into traces/: the exports go to a temporary directory.
 */
@Timeout(300)
class SampleTraceTest {
    /** What the sample holds (traces/README.md says how it was made). */
    static final long EVENTS = 154_477, INSTRUCTIONS = 101_856, SEED = 33;

    static Path traces, sample;
    static Map<String, String> before;

    @TempDir
    Path tmp;

    @BeforeAll
    static void find() throws IOException {
        for (Path d = Path.of("").toAbsolutePath(); d != null && sample == null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("traces/heisenbug"))) {
                traces = d.resolve("traces");
                sample = traces.resolve("heisenbug");
            }
        }
        assertThat(sample).as("traces/heisenbug above " + Path.of("").toAbsolutePath()).isNotNull();
        before = listing(traces);
    }

    @AfterAll
    static void nothingWasWrittenIntoTraces() throws IOException {
        assertThat(listing(traces)).as("traces/ after the tests").isEqualTo(before);
    }

    /** Every file under dir with its size and modification time. */
    private static Map<String, String> listing(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) m.put(dir.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
        }
        return m;
    }

    /** Whether this Deja reads the sample's format; when it does not, it must refuse it by the format version. */
    static boolean readable() {
        try (Recording r = Recording.open(sample)) {
            assertThat(r.header().formatVersion()).isBetween(1, RecordingFormat.VERSION);
            return true;
        } catch (RecordingException e) {
            assertThat(e.getMessage()).as("a refusal names the format version").containsPattern("format (version )?\\d+");
            return false;
        }
    }

    @Test
    void theSampleOpensOrIsRefusedByItsFormatVersion() {
        if (!readable()) return;
        try (Recording r = Recording.open(sample)) {
            RecordingHeader h = r.header();
            assertThat(h.board()).isEqualTo(Board.VIBE);
            assertThat(h.traceLevel()).isEqualTo(TraceLevel.FULL);
            assertThat(h.chaosSeed()).isEqualTo(OptionalLong.of(SEED));
            assertThat(h.images()).hasSize(1);
            assertThat(h.images().get(0).relativePath()).isEqualTo("../heisenbug.raw");
            assertThat(r.tail().complete()).isTrue();
        }
    }

    @Test
    void theSampleReplaysBitExactly() {
        assumeTrue(readable(), "this Deja refuses the sample's format (by its version)");
        ReplayResult r = Replayer.replay(sample, ReplayOptions.defaults());
        assertThat(r.report()).as("the committed sample no longer replays: the emulator's behaviour changed").isNull();
        assertThat(r.bitExact()).isTrue();
        assertThat(r.truncated()).isFalse();
        assertThat(r.events()).isEqualTo(EVENTS);
        assertThat(r.instructions()).isEqualTo(INSTRUCTIONS);

        HuntCommandTest.Cli c = HuntCommandTest.deja("replay", sample.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("bit-exact: 154,477 events and 101,856 instructions match the recording");
    }

    @Test
    void theSampleExportsAndItsDocumentedQueryFindsTheCulprit() throws IOException {
        assumeTrue(readable(), "this Deja refuses the sample's format (by its version)");
        Path out = tmp.resolve("arrow");
        HuntCommandTest.Cli c = HuntCommandTest.deja("export", sample.toString(), "--out", out.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("  insns ", "101,856");
        Path sql = traces.getParent().resolve(DemoCommand.QUERY);
        try (Database db = Database.open(out)) {
            QueryResult q = Query.run(db, Files.readString(sql));
            assertThat(q.rows()).hasSize(1);
            Object[] row = q.rows().get(0);
            assertThat(row[q.columns().indexOf("handler_insn")]).isEqualTo("movz w9, #0x1");
            assertThat(List.of(row[q.columns().indexOf("read_insn")].toString())).allMatch(s -> s.contains("x9"));
            assertThat(Query.run(db, "SELECT count(*) FROM reg_writes WHERE old IS NULL").rows().get(0)[0]).isEqualTo(0L);
        }
    }
}
