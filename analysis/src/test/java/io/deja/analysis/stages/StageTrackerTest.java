package io.deja.analysis.stages;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.SyntheticTrace;
import io.deja.core.trace.CheckpointRegisters;
import io.deja.core.trace.TraceLevel;
import io.deja.core.vm.ExitKind;
import io.deja.recorder.RecordingWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stages found in recordings written event by event: where each is reached, in what order, and at what virtual time. */
class StageTrackerTest {
    @TempDir
    Path tmp;

    static final StageFile FILE = StageFile.parse("""
            out     console-byte
            boot    console "boot"
            ready   console /^re(a)dy$/
            tick    interrupt 27
            svc     exception from-el 0 ec 0x15
            off     exit shutdown
            end     end shutdown
            never   console "never printed"
            """, "test");

    private Path record(String name, boolean end, Consumer<RecordingWriter> events) {
        Path dir = tmp.resolve(name);
        try (RecordingWriter w = RecordingWriter.open(dir, SyntheticTrace.header(TraceLevel.EVENTS, OptionalLong.empty()))) {
            events.accept(w);
            if (end) w.end(lastIcount, lastCycles, ExitKind.SHUTDOWN.code);
        }
        return dir;
    }

    private long lastIcount, lastCycles;

    private static void print(RecordingWriter w, long icount, String text) {
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) w.console(icount++, b);
    }

    private static void checkpoint(RecordingWriter w, long icount, long cycles) {
        w.checkpoint(icount, cycles, 1, 2, 3, new long[CheckpointRegisters.COUNT]);
    }

    @Test
    void stagesAreReachedInIcountOrderWithTheFirstByteOfTheirLine() {
        lastIcount = 500;
        lastCycles = 500;
        Path dir = record("order", true, w -> {
            checkpoint(w, 0, 0);
            w.interrupt(5, 0x1000, 30, false, 1);         // another INTID: not the tick
            print(w, 10, "boot: hello\n");
            w.exception(40, 0x2000, 0x15, 0x5600_0000L, 0, 1, 1); // an SVC from EL1: not from EL0
            w.interrupt(50, 0x1004, 27, false, 0);
            print(w, 100, "not ready\r\n");
            print(w, 200, "ready\r\n");
            w.exception(300, 0x3000, 0x15, 0x5600_0000L, 0, 0, 1);
            w.exit(500, 0x4000, ExitKind.SHUTDOWN.code, 0, 0, 0);
            checkpoint(w, 500, 500);
        });
        StageRun r = StageTracker.of(dir, FILE);
        assertThat(r.reached()).extracting(StageRun.Reached::name).containsExactly("out", "boot", "tick", "ready", "svc", "off", "end");
        assertThat(r.reached()).extracting(StageRun.Reached::icount).containsExactly(10L, 10L, 50L, 200L, 300L, 500L, 500L);
        assertThat(r.reached()).extracting(StageRun.Reached::sincePrevious).containsExactly(10L, 0L, 40L, 150L, 100L, 200L, 0L);
        assertThat(r.reached()).extracting(StageRun.Reached::detail).containsExactly("boot: hello", "boot: hello",
                "IRQ INTID 27 at pc 0x1004 from EL0", "ready", "SVC (EC 0x15) at pc 0x3000 from EL0 to EL1", "shutdown exit at pc 0x4000",
                "run ended: shutdown");
        assertThat(r.missing()).extracting(StageFile.Stage::name).containsExactly("never");
        assertThat(r.instructions()).isEqualTo(500);
        assertThat(r.truncated()).isFalse();
        assertThat(r.reached()).allMatch(s -> s.time().exact() && s.time().min() == s.icount());
        assertThat(r.reachedConsoleStage()).isTrue();
    }

    @Test
    void virtualTimeCountsSleepsWhereWfiExitsAndCheckpointsPinThemDown() {
        lastIcount = 400;
        lastCycles = 10_400;
        Path dir = record("sleeps", true, w -> {
            checkpoint(w, 0, 0);
            w.exit(20, 0x100, ExitKind.WFI.code, 1_020, 0, 0); // sleeps 1,000 cycles: it says when it woke
            print(w, 30, "boot\n");                            // after it: exact from the WFI's wake-up time
            checkpoint(w, 100, 1_100);
            print(w, 150, "ready\n");                       // no sleep since the checkpoint: exact
            w.exit(200, 0x100, ExitKind.HVC.code, 0, 0, 0); // PSCI CPU_SUSPEND: may sleep, says nothing
            w.interrupt(200, 0x104, 27, false, 1);          // between two such sleeps: only bounds
            w.exit(250, 0x100, ExitKind.HVC.code, 0, 0, 0);
            w.exception(260, 0x108, 0x15, 0, 0, 0, 1);      // after both: exact from the end
            w.exit(400, 0x10c, ExitKind.HVC.code, 0, 0, 0); // PSCI SYSTEM_OFF: not a sleep
            w.exit(400, 0x10c, ExitKind.SHUTDOWN.code, 0, 0, 0);
        });
        StageRun r = StageTracker.of(dir, FILE);
        assertThat(r.find("out").time()).isEqualTo(new StageRun.Time(1_030, 1_030));
        assertThat(r.find("ready").time()).isEqualTo(new StageRun.Time(1_150, 1_150));
        assertThat(r.find("tick").time()).isEqualTo(new StageRun.Time(1_200, 10_200));
        assertThat(r.find("tick").time().exact()).isFalse();
        assertThat(r.find("svc").time()).isEqualTo(new StageRun.Time(10_260, 10_260));
        assertThat(r.find("off").time()).isEqualTo(new StageRun.Time(10_400, 10_400));
        assertThat(r.end()).isEqualTo(new StageRun.Time(10_400, 10_400));
        assertThat(r.find("svc").time().seconds()).isEqualTo(10_260 / 62.5e6);
        assertThat(StageFormat.text(r)).contains(">=0.000019 s", "  0.000164 s");
    }

    /**
     * Two CPUs: each event has its CPU's own icount, each slice maps it onto the
     * machine's (global) icount and names the CPU's cycles. CPU 1 takes its tick
     * at its icount 150, after CPU 0 powered off at its icount 130 by its own
     * count, but before by the machine's: 250 against 330.
     */
    @Test
    void severalCpusReachStagesInTheOrderOfTheMachinesIcountAndTheirOwnTime() {
        lastIcount = 330;
        lastCycles = 280;
        Path dir = record("smp", true, w -> {
            w.onCpu(0);
            checkpoint(w, 0, 0);
            w.slice(0, 0, 0);
            print(w, 10, "boot\n");                          // global 10, cycles 10
            w.onCpu(1);
            w.slice(0, 50, 100);                            // powered on at cycles 50, after CPU 0's 100 instructions
            print(w, 20, "ready\n");                         // global 120, cycles 70
            w.interrupt(150, 0x2000, 27, false, 1);         // global 250, cycles 200
            w.onCpu(0);
            w.slice(100, 250, 300);                         // CPU 0 slept (WFE) to cycles 250 while CPU 1 ran 200
            w.exit(130, 0x1000, ExitKind.SHUTDOWN.code, 0, 0, 0); // global 330, cycles 280
            checkpoint(w, 330, 280);                        // the machine's icount, CPU 0's cycles
        });
        StageRun r = StageTracker.of(dir, FILE);
        assertThat(r.cpus()).isEqualTo(2);
        assertThat(r.reached()).extracting(StageRun.Reached::name).containsExactly("out", "boot", "ready", "tick", "off", "end");
        assertThat(r.reached()).extracting(StageRun.Reached::icount).containsExactly(10L, 10L, 120L, 250L, 330L, 330L);
        assertThat(r.reached()).extracting(StageRun.Reached::cpu).containsExactly(0, 0, 1, 1, 0, StageRun.Reached.MACHINE);
        assertThat(r.reached()).extracting(StageRun.Reached::cpuIcount).containsExactly(10L, 10L, 20L, 150L, 130L, 330L);
        assertThat(r.reached()).extracting(StageRun.Reached::sincePrevious).containsExactly(10L, 0L, 110L, 130L, 80L, 0L);
        assertThat(r.reached()).extracting(s -> s.time().min()).containsExactly(10L, 10L, 70L, 200L, 280L, 280L);
        assertThat(r.reached()).allMatch(s -> s.time().exact());
        assertThat(r.instructions()).isEqualTo(330);
        assertThat(r.end()).isEqualTo(new StageRun.Time(280, 280));
        String text = StageFormat.text(r);
        assertThat(text).contains("global icount  cpu       cpu icount");
        assertThat(text).containsPattern("(?m)^  tick  +250    1              150      0.000003 s              130  IRQ INTID 27");
        assertThat(text).containsPattern("(?m)^  end  +330  all                -      0.000004 s                0  run ended: shutdown$");
        assertThat(StageFormat.json(r)).contains("\"cpus\": 2", "\"icount\": 250, \"cpu\": 1, \"cpu_icount\": 150",
                "\"icount\": 330, \"cpu\": null, \"cpu_icount\": 330");
    }

    @Test
    void aRecordingCutShortReachesNoEndAndBoundsItsLastTimesFromBelow() {
        Path dir = record("cut", false, w -> {
            checkpoint(w, 0, 0);
            print(w, 10, "boot\n");
            w.exit(20, 0x100, ExitKind.HVC.code, 0, 0, 0);  // PSCI CPU_SUSPEND: may sleep, says nothing
            print(w, 30, "rea");                            // a last line without its newline
        });
        StageRun r = StageTracker.of(dir, FILE);
        assertThat(r.truncated()).isTrue();
        assertThat(r.reached()).extracting(StageRun.Reached::name).containsExactly("out", "boot");
        assertThat(r.missing()).extracting(StageFile.Stage::name).contains("ready", "end");
        assertThat(r.end()).isEqualTo(new StageRun.Time(32, -1));
        assertThat(StageFormat.text(r)).contains("32 instructions, >=0.000001 s virtual, cut short");
    }

    @Test
    void aMissingRecordingIsOneLine() {
        assertThatThrownBy(() -> StageTracker.of(tmp.resolve("nothing"), FILE)).isInstanceOf(AnalysisException.class)
                .hasMessageContaining("no such recording directory");
    }

    @Test
    void jsonHasEveryStageReachedOrNot() {
        SyntheticTrace.write(tmp.resolve("syn"));
        String json = StageFormat.json(StageTracker.of(tmp.resolve("syn"), FILE));
        assertThat(json).startsWith("{\"recording\": \"" + tmp.resolve("syn") + "\", \"stage_file\": \"test\", \"instructions\": 51, "
                        + "\"cpus\": 1, \"frequency_hz\": 62500000, \"cycles\": 60, \"cycles_max\": 60, \"seconds\": 0.000000960, \"time_exact\": true, "
                        + "\"truncated\": false, \"stages\": [")
                .contains("{\"name\": \"out\", \"reached\": true, \"milestone\": \"console-byte\", \"icount\": 12, \"cpu\": 0, \"cpu_icount\": 12, \"cycles\": 12, "
                        + "\"cycles_max\": 12, \"seconds\": 0.000000192, \"time_exact\": true, \"since_previous\": 8, \"detail\": \"boot\", \"forbidden\": false}")
                .contains("{\"name\": \"never\", \"reached\": false, \"milestone\": \"console \\\"never printed\\\"\", \"forbidden\": false}")
                .endsWith("], \"failed\": false, \"forbidden_reached\": []}\n");
    }
}
