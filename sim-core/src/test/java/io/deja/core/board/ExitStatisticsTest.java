package io.deja.core.board;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A run too short to measure shows "—" for its rate rather than "0.0 MIPS". */
class ExitStatisticsTest {
    @Test
    void aRateNeedsAMillionInstructionsAndFiftyMilliseconds() {
        assertThat(ExitStatistics.measurable(912, 0.103)).isFalse();
        assertThat(ExitStatistics.measurable(5_000_000, 0.01)).isFalse();
        assertThat(ExitStatistics.measurable(1_000_000, 0.05)).isTrue();
    }

    @Test
    void theTableSaysSoForAShortRun() {
        ExitStatistics s = new ExitStatistics();
        s.update(912, 3_125_546, 103_000_000L);
        assertThat(s.format()).contains("host time: 0.103 s (— MIPS: too short to measure)").doesNotContain("0.0 MIPS");
        s.update(2_000_000, 2_000_000, 1_000_000_000L);
        assertThat(s.format()).contains("MIPS");
    }
}
