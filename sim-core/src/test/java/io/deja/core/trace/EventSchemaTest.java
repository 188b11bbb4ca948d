package io.deja.core.trace;

import io.deja.core.vm.ExitKind;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated declaration (events.schema) against the rules the recording format relies on. */
class EventSchemaTest {
    @Test
    void codesTablesAndMethodsAreUniqueAndFitABatchMask() {
        Set<Integer> codes = new HashSet<>();
        Set<String> tables = new HashSet<>(), methods = new HashSet<>();
        for (EventType t : EventType.values()) {
            assertThat(t.code).as(t.name()).isBetween(1, 63);
            assertThat(codes.add(t.code)).as("code of %s", t).isTrue();
            assertThat(tables.add(t.table)).as("table of %s", t).isTrue();
            assertThat(methods.add(t.method)).as("method of %s", t).isTrue();
            assertThat(EventType.byCode(t.code)).isSameAs(t);
        }
    }

    @Test
    void everyEventStartsWithIcountAndHasAtMostOnePayloadAndNoFieldNamedCpu() {
        for (EventType t : EventType.values()) {
            assertThat(t.fields.get(0).name()).isEqualTo("icount");
            assertThat(t.fields).extracting(EventField::name).doesNotContain("cpu").doesNotHaveDuplicates();
            assertThat(t.fields.stream().filter(f -> !f.type().scalar()).count()).as(t.name()).isLessThanOrEqualTo(1);
            assertThat(t.size()).isLessThanOrEqualTo(EventType.MAX_FIELDS);
        }
    }

    @Test
    void everyTraceSinkMethodIsDeclared() {
        Set<String> declared = new HashSet<>();
        for (EventType t : EventType.values()) declared.add(t.method);
        Set<String> methods = new HashSet<>();
        for (var m : TraceSink.class.getDeclaredMethods()) {
            if (!Modifier.isStatic(m.getModifiers())) methods.add(m.getName());
        }
        assertThat(methods).isEqualTo(declared);
    }

    @Test
    void anOpcodeWithBit31SetPrintsAsItsEightHexDigits() {
        // Decoded events hold an i32 field as a sign-extended long; divergence reports used to show 0xffffffffb9400260.
        EventField opcode = EventType.INSN.fields.stream().filter(f -> f.name().equals("opcode")).findFirst().orElseThrow();
        assertThat(opcode.format((int) 0xb9400260, null, java.util.List.of())).isEqualTo("0xb9400260");
    }

    @Test
    void theExitKindTableIsExitKind() {
        assertThat(Arrays.stream(EventCodes.EXIT_KIND.codes()).boxed()).containsExactlyElementsOf(Arrays.stream(ExitKind.values()).map(k -> k.code).toList());
        for (ExitKind k : ExitKind.values()) assertThat(EventCodes.EXIT_KIND.nameOf(k.code)).as(k.name()).isEqualTo(k.label);
        assertThat(EventCodes.EXIT_KIND.nameOf(TraceSink.EXIT_SHUTDOWN)).isEqualTo("shutdown");
        assertThat(EventCodes.EXIT_KIND.nameOf(77)).isEqualTo("kind 77");
        assertThat(Arrays.stream(EventCodes.INPUT_SOURCE.codes()).boxed()).containsExactly(TraceSink.INPUT_UART);
    }

    @Test
    void slotSinkHandsOnEveryCallWithItsFieldsInOrder() {
        // Each call stores its arguments by field index and names its type: the generic encoder and comparison rely on it.
        long[][] seen = new long[1][];
        EventType[] type = new EventType[1];
        SlotSink sink = new SlotSink() {
            @Override
            protected void event(EventType t) {
                type[0] = t;
                seen[0] = Arrays.copyOf(slots, t.size());
            }
        };
        sink.mmio(5, 0x1000, 300, -2, 4, true, 9);
        assertThat(type[0]).isEqualTo(EventType.MMIO);
        assertThat(seen[0]).containsExactly(5, 0x1000, 300 & 0xFF, -2, 4, 1, 9);
        sink.interrupt(6, 0x2000, -1, false, 1);
        assertThat(seen[0]).containsExactly(6, 0x2000, -1, 0, 1);
        for (EventType t : EventType.values()) {
            long[] v = new long[t.size()];
            v[0] = 42;
            SlotSink.call(sink, t, v, t.payload < 0 ? null : new byte[16]);
            assertThat(type[0]).isEqualTo(t);
            assertThat(seen[0][0]).isEqualTo(42);
        }
    }
}
