package io.retain.retention.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.retain.retention.remote.CustomerOutcome;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * MUST-SHOW: a campaign with a 20% holdout on generated outcomes reports the uplifts and 95% CIs a
 * hand computation gives.
 */
class CampaignEffectTest {

  static final String CAMPAIGN = "CAMP-2026-07-WINBACK";

  /**
   * Walks C0001, C0002, … and keeps the first 80 the hash puts in treatment and the first 20 it
   * puts in the 20% holdout, so the groups have fixed sizes for the hand computation.
   */
  static Map<Boolean, List<String>> groups() {
    List<String> treatment = new ArrayList<>();
    List<String> holdout = new ArrayList<>();
    for (int i = 1; treatment.size() < 80 || holdout.size() < 20; i++) {
      String id = "C%04d".formatted(i);
      boolean held = Holdout.inHoldout(CAMPAIGN, id, 0.20);
      if (held && holdout.size() < 20) holdout.add(id);
      if (!held && treatment.size() < 80) treatment.add(id);
    }
    return Map.of(false, treatment, true, holdout);
  }

  /** Deterministic outcomes; j is the customer's index within its group. */
  static CustomerOutcomeSample treated(String id, int j) {
    return new CustomerOutcomeSample(
        id,
        j % 10 < 9, // 72 of 80 retained
        j % 4 == 0, // 20 lapsed (j = 0, 4, …, 76)
        j % 8 == 0, // 10 of them won back (j = 0, 8, …, 72)
        1000 + 100 * (j % 5), // 1000..1400, mean 1200
        j % 20 == 0, // 4 of 80 complained
        4.0 + j % 2); // 4, 5, mean 4.5
  }

  static CustomerOutcomeSample held(String id, int j) {
    return new CustomerOutcomeSample(
        id,
        j % 10 < 7, // 14 of 20 retained
        j % 4 == 0, // 5 lapsed (j = 0, 4, 8, 12, 16)
        j % 8 == 0, // 3 of them won back (j = 0, 8, 16)
        900 + 100 * (j % 5), // 900..1300, mean 1100
        j % 10 == 0, // 2 of 20 complained
        3.0 + j % 2); // 3, 4, mean 3.5
  }

  @Test
  void holdoutIsDeterministicAndCloseToTheShare() {
    int held = 0;
    for (int i = 1; i <= 10_000; i++) {
      String id = "C%05d".formatted(i);
      boolean a = Holdout.inHoldout(CAMPAIGN, id, 0.20);
      assertThat(Holdout.inHoldout(CAMPAIGN, id, 0.20)).isEqualTo(a);
      if (a) held++;
    }
    assertThat(held).isBetween(1_900, 2_100);
    assertThat(Holdout.inHoldout(CAMPAIGN, "C00001", 0.0)).isFalse();
  }

  @Test
  void twentyPercentHoldoutCampaignReportsHandComputedUpliftsAndConfidenceIntervals() {
    var g = groups();
    List<CustomerOutcomeSample> treatment = new ArrayList<>();
    List<CustomerOutcomeSample> holdout = new ArrayList<>();
    for (int j = 0; j < 80; j++) treatment.add(treated(g.get(false).get(j), j));
    for (int j = 0; j < 20; j++) holdout.add(held(g.get(true).get(j), j));
    assertThat(holdout).allMatch(s -> Holdout.inHoldout(CAMPAIGN, s.customerId(), 0.2));
    assertThat(treatment).noneMatch(s -> Holdout.inHoldout(CAMPAIGN, s.customerId(), 0.2));

    Map<String, Uplift> r =
        CampaignStats.compare(treatment, holdout).stream()
            .collect(Collectors.toMap(Uplift::metric, Function.identity()));
    double z = 1.959963984540054;

    // retention: 72/80 = 0.9 vs 14/20 = 0.7, uplift 0.2
    // SE = √(0.9·0.1/80 + 0.7·0.3/20) = √(0.001125 + 0.0105) = √0.011625 = 0.1078193
    // CI = 0.2 ± 1.959964·0.1078193 = 0.2 ± 0.2113220 = [−0.0113220, 0.4113220]
    expect(r.get("RETENTION_RATE"), 0.9, 0.7, 80, 20, 0.2, -0.0113220, 0.4113220);
    assertThat(Math.sqrt(0.011625) * z).isCloseTo(0.2113220, within(1e-6));

    // win-back among lapsed: 10/20 = 0.5 vs 3/5 = 0.6, uplift −0.1
    // SE = √(0.5·0.5/20 + 0.6·0.4/5) = √(0.0125 + 0.048) = √0.0605 = 0.2459675
    // CI = −0.1 ± 0.4820874 = [−0.5820874, 0.3820874]
    expect(r.get("WIN_BACK_RATE"), 0.5, 0.6, 20, 5, -0.1, -0.5820874, 0.3820874);

    // spend: means 1200 vs 1100, uplift 100
    // s₁² = 16·(200² + 100² + 0 + 100² + 200²)/79 = 1 600 000/79 = 20 253.165
    // s₂² = 4·100 000/19 = 21 052.632
    // SE = √(20 253.165/80 + 21 052.632/20) = √(253.16456 + 1052.63158) = √1305.796136 = 36.1358013
    // CI = 100 ± 1.959964·36.1358013 = 100 ± 70.824869 = [29.175131, 170.824869]
    expect(r.get("SPEND"), 1200, 1100, 80, 20, 100, 29.175131, 170.824869);

    // complaint rate: 4/80 = 0.05 vs 2/20 = 0.1, uplift −0.05
    // SE = √(0.05·0.95/80 + 0.1·0.9/20) = √(0.00059375 + 0.0045) = √0.00509375 = 0.0713705
    // CI = −0.05 ± 0.1398836 = [−0.1898836, 0.0898836]
    expect(r.get("COMPLAINT_RATE"), 0.05, 0.1, 80, 20, -0.05, -0.1898836, 0.0898836);

    // satisfaction: means 4.5 vs 3.5, uplift 1
    // s₁² = 80·0.25/79 = 0.2531646, s₂² = 20·0.25/19 = 0.2631579
    // SE = √(0.2531646/80 + 0.2631579/20) = √(0.0031646 + 0.0131579) = √0.01632251 = 0.1277594
    // CI = 1 ± 0.2504037 = [0.7495963, 1.2504037]
    expect(r.get("SATISFACTION"), 4.5, 3.5, 80, 20, 1.0, 0.7495963, 1.2504037);
  }

  @Test
  void beforeVersusAfterUsesTheSameComparison() {
    // after: 3 of 4 retained; before: 1 of 4 → uplift 0.5, SE = √(0.75·0.25/4 + 0.25·0.75/4)
    // = √0.09375 = 0.3061862, CI = 0.5 ± 0.6001140
    var after = List.of(s(true), s(true), s(true), s(false));
    var before = List.of(s(true), s(false), s(false), s(false));
    Uplift retention = CampaignStats.compare(after, before).get(0);
    expect(retention, 0.75, 0.25, 4, 4, 0.5, -0.1001140, 1.1001140);
  }

  @Test
  void outcomesBecomeSamplesRelativeToThePeriod() {
    LocalDate from = LocalDate.parse("2026-07-01");
    LocalDate to = LocalDate.parse("2026-07-31");
    // retained, lapsed, won back, complained, satisfaction
    check(sample(2, 1, 4.5, null, null, from, to), true, false, false, true, 4.5);
    check(sample(0, 0, null, "2026-07-20", null, from, to), false, false, false, false, null);
    check(sample(1, 0, null, "2026-08-05", null, from, to), true, false, false, false, null);
    check(sample(1, 0, null, "2026-03-10", "2026-07-15", from, to), true, true, true, false, null);
    check(
        sample(1, 0, null, "2026-03-10", "2026-05-01", from, to), true, false, false, false, null);
    check(sample(0, 0, null, "2026-03-10", null, from, to), false, true, false, false, null);
    check(
        sample(0, 0, null, "2026-03-10", "2026-08-10", from, to), false, true, false, false, null);
    // ordered again but not (yet) marked won back: a win-back, still churned at the end
    check(sample(2, 0, null, "2026-03-10", null, from, to), false, true, true, false, null);
  }

  static CustomerOutcomeSample sample(
      int orders,
      int complaints,
      Double csat,
      String churned,
      String wonBack,
      LocalDate from,
      LocalDate to) {
    return CampaignEvaluator.sample(
        new CustomerOutcome(
            "C1",
            orders,
            orders * 10.0,
            complaints,
            complaints,
            0,
            0,
            0,
            csat,
            csat == null ? 0 : 1,
            null,
            churned,
            wonBack,
            "ACTIVE"),
        from,
        to);
  }

  static void check(
      CustomerOutcomeSample s,
      boolean retained,
      boolean lapsed,
      boolean wonBack,
      boolean complained,
      Double satisfaction) {
    assertThat(s.retained()).as("retained").isEqualTo(retained);
    assertThat(s.lapsed()).as("lapsed").isEqualTo(lapsed);
    assertThat(s.wonBack()).as("won back").isEqualTo(wonBack);
    assertThat(s.complained()).as("complained").isEqualTo(complained);
    assertThat(s.satisfaction()).as("satisfaction").isEqualTo(satisfaction);
  }

  static CustomerOutcomeSample s(boolean retained) {
    return new CustomerOutcomeSample("C", retained, false, false, 0, false, null);
  }

  static void expect(
      Uplift u, double a, double b, int nA, int nB, double uplift, double low, double high) {
    assertThat(u.valueA()).isCloseTo(a, within(1e-9));
    assertThat(u.valueB()).isCloseTo(b, within(1e-9));
    assertThat(u.nA()).isEqualTo(nA);
    assertThat(u.nB()).isEqualTo(nB);
    assertThat(u.uplift()).isCloseTo(uplift, within(1e-9));
    assertThat(u.ciLow()).isCloseTo(low, within(1e-6));
    assertThat(u.ciHigh()).isCloseTo(high, within(1e-6));
  }
}
