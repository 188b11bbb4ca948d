package io.deja.analysis.ui;

import io.deja.analysis.Json;
import io.deja.analysis.stages.StageFile;
import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;
import io.deja.recorder.RecordingFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index deja ui keeps in a recording's ui/ directory: a second load reads
 * it instead of the recording and serves exactly the same page data; a
 * damaged, truncated or stale one (the recording replaced, another stage
 * file) is rebuilt with a note, never trusted.
 */
class SavedIndexTest {
    @TempDir
    static Path tmp;
    static Path pristine;

    @BeforeAll
    static void record() throws IOException {
        pristine = UiFixture.recordTimer(tmp.resolve("pristine"));
    }

    /** A fresh copy of the recording, without any saved index. */
    static Path copy(String name) throws IOException {
        Path to = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(pristine)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path rel = pristine.relativize(p);
                if (rel.startsWith(RunData.INDEX_DIR)) continue;
                Path dst = to.resolve(rel.toString());
                if (Files.isDirectory(p)) Files.createDirectories(dst); else Files.copy(p, dst, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    /** Everything the page asks for, as the server sends it (the summary without its directory). */
    static String pageData(RunData r) {
        Json j = new Json();
        r.summaryJson(j);
        r.timeline().lanesJson(j);
        r.timeline().view(r.timeline().startNs(), r.timeline().endNs(), 700, j);
        r.timeline().view(r.timeline().startNs() + 1000, r.timeline().startNs() + 900_000, 50, j);
        for (int lane = 0; lane < r.timeline().lanes().size(); lane++) {
            if (r.timeline().lanes().get(lane).size() > 0) r.timeline().detailsJson(lane, r.timeline().lanes().get(lane).size() - 1, j);
        }
        r.consoleJson(0, 100, j);
        return j.toString().replace(r.dir().toString(), "DIR") + r.stagesJson().replace(r.dir().toString(), "DIR");
    }

    @Test
    void aSecondLoadReadsTheSavedIndexAndServesTheSameData() throws IOException {
        Path rec = copy("again");
        RunData built = RunData.load(rec, StageFile.builtin());
        assertThat(built.fromSavedIndex()).isFalse();
        assertThat(built.indexNote()).isNull();
        assertThat(RunData.indexFile(rec)).isRegularFile();
        RunData saved = RunData.load(rec, StageFile.builtin());
        assertThat(saved.fromSavedIndex()).isTrue();
        assertThat(saved.indexNote()).isNull();
        assertThat(pageData(saved)).isEqualTo(pageData(built)).contains("IRQ 27").contains("tick 1");
        assertThat(saved.timeline().eventsRead()).isEqualTo(built.timeline().eventsRead()).isPositive();
        // the recording itself was not opened: a replay still can be
        assertThat(saved.replay()).startsWith("bit-exact");
    }

    @Test
    void aDamagedIndexIsRebuiltWithANote() throws IOException {
        Path rec = copy("damaged");
        RunData built = RunData.load(rec, StageFile.builtin());
        Path file = RunData.indexFile(rec);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
        RunData again = RunData.load(rec, StageFile.builtin());
        assertThat(again.fromSavedIndex()).isFalse();
        assertThat(again.indexNote()).contains(file.toString()).contains("rebuilt");
        assertThat(pageData(again)).isEqualTo(pageData(built));
        // rebuilt and saved again: the next load trusts it
        assertThat(RunData.load(rec, StageFile.builtin()).fromSavedIndex()).isTrue();
    }

    @Test
    void aTruncatedOrEmptyIndexIsRebuiltWithANote() throws IOException {
        Path rec = copy("truncated");
        RunData built = RunData.load(rec, StageFile.builtin());
        Path file = RunData.indexFile(rec);
        long size = Files.size(file);
        for (long keep : new long[] {size - 1, size / 3, 20, 0}) {
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, (int) keep));
            RunData again = RunData.load(rec, StageFile.builtin());
            assertThat(again.fromSavedIndex()).as("cut to %d bytes", keep).isFalse();
            assertThat(again.indexNote()).as("cut to %d bytes", keep).contains("cannot be used").contains("rebuilt");
            assertThat(pageData(again)).isEqualTo(pageData(built));
            assertThat(Files.size(file)).isEqualTo(size);
        }
    }

    @Test
    void anIndexOfAReplacedRecordingIsStale() throws IOException {
        Path rec = copy("replaced");
        RunData first = RunData.load(rec, StageFile.builtin());
        // record another run into the same directory, as deja record --force does
        Files.delete(rec.resolve(RecordingFormat.CYCLE_FILE));
        Files.delete(rec.resolve(RecordingFormat.METADATA_FILE));
        Path image = Kernels.virtBin("timer_irq");
        Recorder.create(rec, MachineConfig.of(Board.VIRT, Files.readAllBytes(image)), image, new ByteArrayOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS).withMaxInstructions(300)).run();
        RunData second = RunData.load(rec, StageFile.builtin());
        assertThat(second.fromSavedIndex()).isFalse();
        assertThat(second.indexNote()).contains("another recording");
        assertThat(second.timeline().eventsRead()).isLessThan(first.timeline().eventsRead());
        assertThat(RunData.load(rec, StageFile.builtin()).fromSavedIndex()).isTrue();
    }

    @Test
    void anotherStageFileRebuildsTheIndex() throws IOException {
        Path rec = copy("stages");
        RunData.load(rec, StageFile.builtin());
        StageFile ticks = StageFile.parse("ticking console \"tick 1\"\nlast-tick console \"tick 5\"\n", "ticks.stages");
        RunData other = RunData.load(rec, ticks);
        assertThat(other.fromSavedIndex()).isFalse();
        assertThat(other.stagesJson()).contains("ticking").contains("last-tick");
        assertThat(other.timeline().lanes().stream().filter(l -> l.label().equals("stages")).findFirst().orElseThrow().size()).isEqualTo(2);
        RunData again = RunData.load(rec, ticks);
        assertThat(again.fromSavedIndex()).isTrue();
        assertThat(pageData(again)).isEqualTo(pageData(other));
    }

    @Test
    void anUnwritableDirectoryStillServesWithANote() throws IOException {
        Path rec = copy("readonly");
        // a file where the index's directory should be: the index cannot be saved
        Files.writeString(rec.resolve(RunData.INDEX_DIR), "in the way");
        RunData r = RunData.load(rec, StageFile.builtin());
        assertThat(r.indexNote()).contains("could not be saved");
        assertThat(r.timeline().eventsRead()).isPositive();
        assertThat(RunData.load(rec, StageFile.builtin()).fromSavedIndex()).isFalse();
    }
}
