package io.retain.scoring.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.datagen.DemoData;
import io.retain.scoring.engine.ActivityFromFiles.Churn;
import io.retain.scoring.engine.ActivityFromFiles.Customer;
import io.retain.scoring.engine.ActivityFromFiles.DataSet;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's demo data set (2,000 customers, seed 42) scored with the real {@link
 * ScoringEngine} and the profiles scoring-service seeds (industrial-equipment for that industry),
 * from the aggregates customer-service would answer ({@link ActivityFromFiles}): its tier mix stays
 * within the shares deploy/README.md documents, and its churn follows the behaviours the generator
 * says drive it, seen only through data dated before each observation date.
 *
 * <p>The engine is called in-process rather than through a running suite: it is a pure function,
 * and importing and rescoring 2,000 customers twelve times (once per observation date) through four
 * processes would take minutes for the same numbers.
 */
class DemoDataTierMixTest {

  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");
  static final int HORIZON_DAYS = 90;

  @TempDir static Path dir;
  static DataSet data;

  @BeforeAll
  static void generate() throws Exception {
    DemoData.write(dir, 2000, 42, AS_OF);
    data = ActivityFromFiles.read(dir);
  }

  static WeightProfile profile(Customer c) {
    return c.industry().equals("INDUSTRIAL_EQUIPMENT")
        ? WeightProfile.industrialEquipment()
        : WeightProfile.defaults();
  }

  /** The status customer-service holds after the import: CHURNED unless won back. */
  static String status(Customer c) {
    Churn h = data.churn().get(c.id());
    return h == null || h.wonBackAt() != null ? "ACTIVE" : "CHURNED";
  }

  static Assessment assess(Customer c, String status, LocalDate asOf) {
    WeightProfile p = profile(c);
    return ScoringEngine.assess(
        ActivityFromFiles.activity(c, status, asOf, p.windowMonths()), p, asOf, null, 0.8);
  }

  @Test
  void tierSharesStayWithinTheDocumentedBands() {
    Map<Tier, Integer> all = new EnumMap<>(Tier.class);
    Map<Tier, Integer> active = new EnumMap<>(Tier.class);
    int activeCount = 0;
    for (Customer c : data.customers()) {
      String status = status(c);
      Tier t = assess(c, status, AS_OF).tier();
      all.merge(t, 1, Integer::sum);
      if (status.equals("ACTIVE")) {
        active.merge(t, 1, Integer::sum);
        activeCount++;
      }
    }
    int n = data.customers().size();
    double loyal = share(all, n, Tier.DIEHARD, Tier.STABLE);
    double atRisk = share(all, n, Tier.POTENTIAL_CHURN, Tier.HIGH_RISK);
    double activeAtRisk = share(active, activeCount, Tier.POTENTIAL_CHURN, Tier.HIGH_RISK);
    double churned = 1 - activeCount / (double) n;
    System.out.printf(
        Locale.ROOT,
        "demo tiers as of %s: all %s; active %s (%d); loyal %.3f, at risk %.3f, active at risk %.3f,"
            + " churned %.3f%n",
        AS_OF,
        all,
        active,
        activeCount,
        loyal,
        atRisk,
        activeAtRisk,
        churned);
    // deploy/README.md "Demo data": the documented bands around the shares this seed gives
    assertThat(loyal).as("DIEHARD + STABLE of all").isBetween(0.62, 0.80);
    assertThat(atRisk).as("POTENTIAL_CHURN + HIGH_RISK of all").isBetween(0.15, 0.25);
    assertThat(activeAtRisk).as("at risk of the active").isBetween(0.06, 0.16);
    assertThat(share(all, n, Tier.NEW)).as("NEW").isBetween(0.03, 0.08);
    assertThat(churned).as("churned, not won back").isBetween(0.10, 0.17);
  }

  static double share(Map<Tier, Integer> counts, int n, Tier... tiers) {
    int k = 0;
    for (Tier t : tiers) {
      k += counts.getOrDefault(t, 0);
    }
    return k / (double) n;
  }

  /** One customer active at an observation date: its assessment from data before it, its label. */
  record Observation(LocalDate t, Assessment a, boolean churns) {}

  /**
   * Twelve monthly observation dates whose 90-day horizons end by asOf; at each, every customer
   * active at t, assessed as of the day before t (so no data dated t or later), labelled by a churn
   * record in (t, t + 90 days] (DOMAIN.md §10.2).
   */
  static List<Observation> observations() {
    List<Observation> out = new ArrayList<>();
    for (int k = 0; k < 12; k++) {
      LocalDate t = AS_OF.minusDays(HORIZON_DAYS).minusMonths(k);
      for (Customer c : data.customers()) {
        Churn h = data.churn().get(c.id());
        boolean gone =
            h != null
                && !h.churnedAt().isAfter(t)
                && (h.wonBackAt() == null || h.wonBackAt().isAfter(t));
        if (!c.since().isBefore(t) || gone) {
          continue;
        }
        boolean churns =
            h != null
                && h.churnedAt().isAfter(t)
                && !h.churnedAt().isAfter(t.plusDays(HORIZON_DAYS));
        out.add(new Observation(t, assess(c, "ACTIVE", t.minusDays(1)), churns));
      }
    }
    return out;
  }

  @Test
  void churnersDifferFromOthersInTheBehavioursThatDriveIt() {
    List<Observation> obs = observations();
    double base = rate(obs, o -> true);
    System.out.printf(
        Locale.ROOT,
        "demo churn in 90 days over 12 dates: %d observations, rate %.4f%n",
        obs.size(),
        base);
    record Contrast(String name, Predicate<Assessment> has) {}
    List<Contrast> contrasts =
        List.of(
            new Contrast(
                "low NPS (< 30)", a -> a.metrics().nps() != null && a.metrics().nps() < 30),
            new Contrast("complaints (rate > 5%)", a -> a.metrics().complaintRate() > 5),
            new Contrast(
                "falling frequency (FREQUENCY_DROP)",
                a ->
                    a.riskFactors().stream()
                        .anyMatch(f -> f.code() == RiskFactor.Code.FREQUENCY_DROP)),
            new Contrast(
                "silence (>= 45 days since last order)",
                a -> a.metrics().daysSinceLastOrder() >= 45),
            new Contrast(
                "slow service (mean first response > 24 h)",
                a ->
                    a.metrics().meanFirstResponseHours() != null
                        && a.metrics().meanFirstResponseHours() > 24));
    for (Contrast c : contrasts) {
      double with = rate(obs, o -> c.has().test(o.a()));
      double without = rate(obs, o -> !c.has().test(o.a()));
      long n = obs.stream().filter(o -> c.has().test(o.a())).count();
      System.out.printf(
          Locale.ROOT,
          "  %-45s %6d obs: churn %.4f vs %.4f without (%.1fx)%n",
          c.name(),
          n,
          with,
          without,
          with / without);
      assertThat(with).as(c.name()).isGreaterThanOrEqualTo(2 * without);
    }
  }

  @Test
  void everyObservationDateHasFiftyPositivesAndTheLoyaltyScoreRanksAboveChance() {
    List<Observation> obs = observations();
    Map<LocalDate, Integer> positives = new java.util.TreeMap<>();
    for (Observation o : obs) {
      positives.merge(o.t(), o.churns() ? 1 : 0, Integer::sum);
    }
    // the loyalty score as a ranker (low score = churn first), over all dates
    List<Observation> scored = obs.stream().filter(o -> o.a().score() != null).toList();
    double auc =
        auc(
            scored.stream().mapToDouble(o -> -o.a().score()).toArray(),
            scored.stream().map(Observation::churns).toList());
    // a hand-made sum of the behaviours the generator says drive churn: what a fitted model of
    // the same features can at least reach, so the classifier has room above the loyalty score
    double behaviours =
        auc(
            scored.stream().mapToDouble(o -> behaviourScore(o.a())).toArray(),
            scored.stream().map(Observation::churns).toList());
    System.out.printf(
        Locale.ROOT,
        "demo positives per observation date %s; AUC of the loyalty score %.3f, of the behaviour"
            + " sum %.3f%n",
        positives,
        auc,
        behaviours);
    assertThat(positives).hasSize(12);
    assertThat(positives.values()).allSatisfy(p -> assertThat(p).isGreaterThanOrEqualTo(50));
    assertThat(auc).isBetween(0.60, 0.75);
    assertThat(behaviours).isGreaterThanOrEqualTo(auc + 0.05);
  }

  /**
   * Silence in months (up to 3), one each for low NPS, complaints and slow service, the frequency
   * drop (1 per 50%) and the months without orders (1 per 25% of the window): unfitted weights.
   */
  static double behaviourScore(Assessment a) {
    Assessment.Metrics m = a.metrics();
    double drop =
        a.riskFactors().stream()
            .filter(f -> f.code() == RiskFactor.Code.FREQUENCY_DROP)
            .findFirst()
            .map(f -> f.value() / 50)
            .orElse(0.0);
    return Math.min(m.daysSinceLastOrder(), 90) / 30.0
        + (m.nps() != null && m.nps() < 30 ? 1 : 0)
        + (m.complaintRate() > 5 ? 1 : 0)
        + (m.meanFirstResponseHours() != null && m.meanFirstResponseHours() > 24 ? 1 : 0)
        + Math.max(0, drop)
        + (100 - m.repurchaseRate()) / 25;
  }

  /** Mann–Whitney AUC: the chance a churner ranks above a non-churner, ties counting half. */
  static double auc(double[] score, List<Boolean> positive) {
    Integer[] idx = new Integer[score.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (a, b) -> Double.compare(score[a], score[b]));
    double rankSum = 0;
    long pos = 0;
    for (int i = 0; i < idx.length; ) {
      int j = i;
      while (j < idx.length && score[idx[j]] == score[idx[i]]) {
        j++;
      }
      double midRank = (i + 1 + j) / 2.0; // ranks i+1..j share their mean
      for (int k = i; k < j; k++) {
        if (positive.get(idx[k])) {
          rankSum += midRank;
          pos++;
        }
      }
      i = j;
    }
    long neg = score.length - pos;
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  static double rate(List<Observation> obs, Predicate<Observation> which) {
    long n = 0;
    long churned = 0;
    for (Observation o : obs) {
      if (which.test(o)) {
        n++;
        churned += o.churns() ? 1 : 0;
      }
    }
    return churned / (double) n;
  }
}
