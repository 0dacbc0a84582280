package io.retain.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SoakTrendTest {

  @Test
  void aFlatSeriesAfterAWarmUpHolds() {
    List<Long> v = new ArrayList<>(List.of(100L, 300L, 500L, 700L));
    LongStream.range(0, 36).forEach(i -> v.add(1000L + (i % 2 == 0 ? 40 : -40)));
    SoakTrend t = SoakTrend.of(v);

    assertThat(t.samples()).isEqualTo(40);
    assertThat(t.firstQuarter()).isEqualTo(1000.0);
    assertThat(t.lastQuarter()).isEqualTo(1000.0);
    assertThat(t.flat(0.10, 0)).isTrue();
  }

  @Test
  void aSteadyLeakIsNotFlat() {
    // +1% of the start per sample: the last quarter is ~22% above the first
    List<Long> v = LongStream.range(0, 40).map(i -> 1000 + 10 * i).boxed().toList();
    SoakTrend t = SoakTrend.of(v);

    assertThat(t.firstQuarter()).isEqualTo(1115.0);
    assertThat(t.lastQuarter()).isEqualTo(1355.0);
    assertThat(t.flat(0.15, 16)).isFalse();
    assertThat(t.flat(0.25, 0)).isTrue();
  }

  @Test
  void unknownReadingsAreLeftOutAndTooFewSamplesNeverHold() {
    SoakTrend t = SoakTrend.of(List.of(-1L, 5L, 5L, 5L, -1L, 5L, 5L, 5L, 5L));

    assertThat(t.samples()).isEqualTo(7);
    assertThat(t.flat(1.0, 1000)).isFalse();
  }
}
