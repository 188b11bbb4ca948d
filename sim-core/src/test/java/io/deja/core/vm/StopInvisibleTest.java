package io.deja.core.vm;

import io.deja.core.state.StateDump;
import io.deja.core.testing.TestMachine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a run stops, and whether a host debugger had a breakpoint armed on
 * the way, is not in the state: the same instruction count reached straight,
 * in single steps, across a snapshot restore or with a breakpoint armed
 * gives the same state, TLB included (issue 10). The guest makes a load
 * from the page 1 MiB after its code, which the direct-mapped TLB keeps in
 * the code page's entry: a run that looked its fetch page up again at a stop
 * (or at every instruction, with a breakpoint armed) used to put the code
 * page back there, which the straight run did not.
 */
class StopInvisibleTest {
    /** A load that evicts the code page's TLB entry, then instructions that touch no memory. */
    private static final String GUEST = """
                movz x2, #0x4018, lsl #16
            loop:
                ldr x1, [x2]
                add x3, x3, #1
                add x4, x4, #1
                add x5, x5, #1
                b loop
            """;
    private static final long END = 1 + 5 * 20 + 2;

    private static TestMachine guest(boolean translation) {
        TestMachine m = TestMachine.withCode(GUEST);
        m.vm.setTranslateThreshold(translation ? 4 : 0);
        return m;
    }

    private static Map<String, Long> state(TestMachine m) {
        Map<String, Long> s = StateDump.of(m.vm);
        s.put("ram", m.vm.bus().ram.hash());
        return s;
    }

    /** The values that differ, as "name: expected -> actual" (the whole state is thousands of values). */
    private static java.util.List<String> differences(Map<String, Long> actual, Map<String, Long> expected) {
        java.util.List<String> d = new java.util.ArrayList<>();
        for (var e : expected.entrySet()) {
            Long a = actual.get(e.getKey());
            if (!e.getValue().equals(a)) d.add(e.getKey() + ": " + Long.toHexString(e.getValue()) + " -> " + (a == null ? "none" : Long.toHexString(a)));
        }
        return d;
    }

    private static Map<String, Long> straight(boolean translation) {
        TestMachine m = guest(translation);
        m.step(END);
        return state(m);
    }

    @ParameterizedTest(name = "translation {0}")
    @ValueSource(booleans = {false, true})
    void singleStepsEndInTheStateOfOneRun(boolean translation) {
        TestMachine m = guest(translation);
        for (long i = 0; i < END; i++) m.step(1);
        assertThat(differences(state(m), straight(translation))).isEmpty();
    }

    @ParameterizedTest(name = "translation {0}")
    @ValueSource(booleans = {false, true})
    void aStopAfterEveryInstructionCountIsInvisible(boolean translation) {
        Map<String, Long> expected = straight(translation);
        for (long stop = 1; stop < END; stop++) {
            TestMachine m = guest(translation);
            m.step(stop);
            m.step(END - stop);
            assertThat(differences(state(m), expected)).as("stopped at %d", stop).isEmpty();
        }
    }

    @ParameterizedTest(name = "translation {0}")
    @ValueSource(booleans = {false, true})
    void anArmedBreakpointThatIsNeverHitIsInvisible(boolean translation) {
        TestMachine m = guest(translation);
        m.cpu.hostDebug.addBreakpoint(0x4000_0000L);
        m.step(END);
        m.cpu.hostDebug.clear();
        assertThat(differences(state(m), straight(translation))).isEmpty();
    }

    @ParameterizedTest(name = "translation {0}")
    @ValueSource(booleans = {false, true})
    void aRestoredSnapshotRunsOnAsTheRunDid(boolean translation) {
        Map<String, Long> expected = straight(translation);
        for (long at = 1; at < 12; at++) {
            TestMachine m = guest(translation);
            m.step(at);
            Snapshot s = m.vm.snapshot();
            m.step(7);
            m.vm.restore(s);
            m.step(END - at);
            assertThat(differences(state(m), expected)).as("restored at %d", at).isEmpty();
        }
    }
}
