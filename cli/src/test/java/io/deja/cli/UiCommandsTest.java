package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deja report on a recording of kernels/heisenbug.S (its file, its replay proof)
 * and the usage errors of deja report and deja ui (the page itself is tested in
 * analysis: UiBrowserTest, UiServerTest).
 */
@Timeout(300)
class UiCommandsTest {
    @TempDir
    static Path tmp;
    static Path rec;

    @BeforeAll
    static void record() throws Exception {
        Path image = HuntCommandTest.buildKernel("heisenbug");
        rec = tmp.resolve("heisenbug");
        Recorder.create(rec, MachineConfig.of(Board.VIBE, Files.readAllBytes(image)), image, new ByteArrayOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS)).run();
    }

    @Test
    void reportWritesOneSelfContainedFileWithTheReplayProof() throws Exception {
        Path out = tmp.resolve("out/report.html");
        HuntCommandTest.Cli c = HuntCommandTest.deja("report", rec.toString(), "--out", out.toString(), "--replay");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("report of " + rec + " written to " + out).contains("bit-exact: ");
        String html = Files.readString(out);
        assertThat(html).contains("window.DEJA_REPORT = ").contains("heisenbug: X9 must survive").contains("bit-exact: ")
                .doesNotContain("<script src=").doesNotContain("http://").doesNotContain("https://cdn");
    }

    @Test
    void usageErrorsAreOneLineAndStatusTwo() {
        HuntCommandTest.Cli missing = HuntCommandTest.deja("report", tmp.resolve("nothing").toString(), "--out", tmp.resolve("r.html").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("deja: " + tmp.resolve("nothing") + ": no such recording directory\n");
        assertThat(HuntCommandTest.deja("report", rec.toString()).exit()).isEqualTo(2);
        HuntCommandTest.Cli port = HuntCommandTest.deja("ui", rec.toString(), "--port", "70000");
        assertThat(port.exit()).isEqualTo(2);
        assertThat(port.err()).contains("--port 70000: not a port");
        assertThat(HuntCommandTest.deja("ui", tmp.resolve("nothing").toString()).err()).contains("no such recording directory");
    }

    @Test
    void aDamagedSavedIndexIsRebuiltWithANoteOnStandardError() throws Exception {
        Path own = tmp.resolve("own");
        Recorder.create(own, MachineConfig.of(Board.VIBE, Files.readAllBytes(HuntCommandTest.buildKernel("heisenbug"))),
                HuntCommandTest.buildKernel("heisenbug"), new ByteArrayOutputStream(), Recorder.Options.defaults(TraceLevel.EVENTS)).run();
        Path out = tmp.resolve("own.html");
        HuntCommandTest.Cli first = HuntCommandTest.deja("report", own.toString(), "--out", out.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).isEmpty();
        Path index = own.resolve("ui/timeline.idx");
        assertThat(index).isRegularFile();
        byte[] bytes = Files.readAllBytes(index);
        Files.write(index, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        HuntCommandTest.Cli again = HuntCommandTest.deja("report", own.toString(), "--out", out.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.err()).isEqualTo("deja report: the saved index " + index + " cannot be used (its end marker is missing (truncated or not an index)): rebuilt\n");
        assertThat(Files.size(index)).isEqualTo(bytes.length);
    }
}
