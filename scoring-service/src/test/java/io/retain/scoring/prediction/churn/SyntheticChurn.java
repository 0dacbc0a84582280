package io.retain.scoring.prediction.churn;

import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.WeightProfile;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic observations with a known churn hazard: silence, complaints and detractors raise
 * it, promoters and recent orders lower it. Each row carries the true probability it was drawn
 * with.
 */
final class SyntheticChurn {

  record Observation(TrainingRow row, double trueProbability) {}

  private SyntheticChurn() {}

  /** The hazard's log-odds for the drawn behaviour. */
  static double trueLogit(int daysSince, int complaints, int promoters, int detractors) {
    return -3.0 + 0.018 * daysSince + 0.55 * complaints + 0.5 * detractors - 0.35 * promoters;
  }

  /** The rows of {@link #draw}, without the true probabilities. */
  static List<TrainingRow> rows(long seed, int customers, List<LocalDate> dates, double shift) {
    return draw(seed, customers, dates, shift).stream().map(Observation::row).toList();
  }

  static List<Observation> draw(long seed, int customers, List<LocalDate> dates, double shift) {
    Random rnd = new Random(seed);
    List<Observation> out = new ArrayList<>();
    for (LocalDate t : dates) {
      LocalDate asOf = ChurnFeatures.dataDate(t);
      for (int c = 0; c < customers; c++) {
        int daysSince = (int) Math.min(360, Math.abs(rnd.nextGaussian()) * 70);
        int orders = Math.max(0, (int) Math.round(8 - daysSince / 30.0 + 2 * rnd.nextGaussian()));
        int complaints = rnd.nextDouble() < 0.2 ? 1 + rnd.nextInt(3) : 0;
        int promoters = rnd.nextInt(4);
        int detractors = rnd.nextDouble() < 0.25 ? 1 + rnd.nextInt(3) : 0;
        List<Integer> buckets = new ArrayList<>(Collections.nCopies(12, 0));
        for (int o = 0; o < orders; o++) {
          int b = Math.min(11, daysSince / 30 + rnd.nextInt(12 - Math.min(11, daysSince / 30)));
          buckets.set(b, buckets.get(b) + 1);
        }
        double amount = 50 + 100 * rnd.nextDouble();
        Activity a =
            new Activity(
                "S" + c,
                asOf.minusMonths(24 + rnd.nextInt(24)),
                rnd.nextBoolean() ? "ENTERPRISE" : "INDIVIDUAL",
                "RETAIL",
                List.of("KEY", "MAJOR", "ORDINARY", "SMALL").get(rnd.nextInt(4)),
                "EAST",
                "ACTIVE",
                null,
                orders,
                buckets,
                orders * amount,
                orders * amount * amount * 1.1,
                orders,
                orders * amount,
                orders * amount * amount * 1.1,
                orders == 0 ? null : asOf.minusDays(daysSince),
                asOf.minusMonths(24),
                orders + 10L,
                orders * amount + 1000,
                orders * amount,
                complaints,
                complaints + rnd.nextInt(2),
                null,
                0,
                promoters,
                rnd.nextInt(2),
                detractors,
                null,
                0,
                orders + 10);
        double p =
            1 / (1 + Math.exp(-(shift + trueLogit(daysSince, complaints, promoters, detractors))));
        boolean churned = rnd.nextDouble() < p;
        TrainingRow row =
            TrainingRow.of(a, t, 90, null, WeightProfile.defaults(), null).orElseThrow();
        out.add(
            new Observation(
                new TrainingRow(
                    row.customerId(), t, row.features(), churned, row.loyaltyScore(), row.pAlive()),
                p));
      }
    }
    return out;
  }
}
