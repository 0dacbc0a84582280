package io.retain.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The varied mix: distinct requests drawn from the sample, the same for the same seed. */
class VariedWorkloadTest {

  static final List<String> TIERS = List.of("DIEHARD", "STABLE", "POTENTIAL_CHURN", "HIGH_RISK");

  static List<VariedWorkload.Customer> sample(int n) {
    List<VariedWorkload.Customer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new VariedWorkload.Customer(
              String.format("C%07d", i), (i * 37) % 100 + 0.5, TIERS.get(i % TIERS.size())));
    }
    return out;
  }

  @Test
  void oneHundredSixtyThreeDistinctRequestsOfThreeKinds() {
    List<LoadGenerator.Request> mix = VariedWorkload.requests(7, sample(1000));
    assertThat(mix).hasSize(163);
    assertThat(mix.stream().map(LoadGenerator.Request::body).distinct()).hasSize(163);
    assertThat(mix.stream().filter(r -> r.name().startsWith("card-"))).hasSize(120);
    assertThat(mix.stream().filter(r -> r.name().startsWith("list-"))).hasSize(40);
    assertThat(mix.stream().filter(r -> r.name().startsWith("breakdown-"))).hasSize(3);
  }

  @Test
  void cardsAskForIdsOfTheSampleAndListsForItsTiers() {
    Set<String> ids =
        sample(1000).stream().map(VariedWorkload.Customer::id).collect(Collectors.toSet());
    for (LoadGenerator.Request r : VariedWorkload.requests(7, sample(1000))) {
      if (r.name().startsWith("card-")) {
        assertThat(ids).contains(r.name().substring(5));
        assertThat(r.body()).contains("customer(id: \\\"" + r.name().substring(5) + "\\\")");
      }
      if (r.name().startsWith("list-")) {
        assertThat(r.body())
            .containsPattern("tiers: \\[(DIEHARD|STABLE|POTENTIAL_CHURN|HIGH_RISK)");
        assertThat(r.body()).doesNotContain("UNSCORED");
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameMixInTheSameOrderAndAnotherSeedAnother() {
    assertThat(VariedWorkload.requests(7, sample(1000)))
        .isEqualTo(VariedWorkload.requests(7, sample(1000)));
    assertThat(VariedWorkload.requests(8, sample(1000)))
        .isNotEqualTo(VariedWorkload.requests(7, sample(1000)));
  }
}
