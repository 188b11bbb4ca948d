package io.deja.recorder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Counts printed with their noun: singular for exactly one, grouped digits. */
class PluralTest {
    @Test
    void oneIsSingularAndEveryOtherCountPlural() {
        assertThat(Plural.count(1, "event")).isEqualTo("1 event");
        assertThat(Plural.count(0, "event")).isEqualTo("0 events");
        assertThat(Plural.count(2, "instruction")).isEqualTo("2 instructions");
        assertThat(Plural.count(940_357_669L, "instruction")).isEqualTo("940,357,669 instructions");
        assertThat(Plural.count(1, "batch", "batches")).isEqualTo("1 batch");
        assertThat(Plural.count(3, "batch", "batches")).isEqualTo("3 batches");
        assertThat(Plural.noun(1, "row")).isEqualTo("row");
        assertThat(Plural.noun(-1, "instruction")).as("a change of one, either way").isEqualTo("instruction");
        assertThat(Plural.noun(-2, "instruction")).isEqualTo("instructions");
    }
}
