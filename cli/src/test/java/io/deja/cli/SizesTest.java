package io.deja.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Counts take the spellings users type: separators and decimal suffixes; sizes stay binary. */
class SizesTest {
    @Test
    void countsTakeSeparatorsAndDecimalSuffixes() {
        assertThat(Sizes.parseCount("1000000")).isEqualTo(1_000_000);
        assertThat(Sizes.parseCount("1_000_000")).isEqualTo(1_000_000);
        assertThat(Sizes.parseCount("1,000,000")).isEqualTo(1_000_000);
        assertThat(Sizes.parseCount("1M")).isEqualTo(1_000_000);
        assertThat(Sizes.parseCount("2.5G")).isEqualTo(2_500_000_000L);
        assertThat(Sizes.parseCount("5k")).isEqualTo(5_000);
        assertThat(Sizes.parseCount("0x10000")).isEqualTo(0x10000);
        assertThat(Sizes.parseSize("1M", "--mem")).isEqualTo(1 << 20);
    }

    @Test
    void somethingElseIsAClearErrorNamingExamples() {
        for (String bad : new String[] {"1.5", "-3", "1X", "", "M", "0.0001k", "99999999999999999999"}) {
            assertThatThrownBy(() -> Sizes.parseCount(bad)).as(bad).isInstanceOf(UserError.class)
                    .hasMessageContaining("is not a count (examples: 1000000, 1_000_000, 1M, 2.5G, 0x10000)");
        }
    }

    @Test
    void countOptionsAcceptSuffixesOnTheCommandLine() throws Exception {
        HuntCommandTest.Cli c = HuntCommandTest.deja("run", "--binary", HuntCommandTest.buildKernel("arm64_hello").toString(), "--max-insns", "2.5k");
        assertThat(c.exit()).as(c.err()).isEqualTo(Main.EXIT_BUDGET);
        assertThat(c.err()).contains("instructions: 2,500");
        HuntCommandTest.Cli bad = HuntCommandTest.deja("run", "--binary", HuntCommandTest.buildKernel("arm64_hello").toString(), "--max-insns", "lots");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'lots' is not a count");
    }
}
