package io.retain.scoring.prediction.churn;

import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.ScoringEngine;
import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.prediction.churn.ChurnModelRepository.StoredModel;
import io.retain.scoring.profile.ProfileRepository.Profiles;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The churn classifier's CPU on a simulated population (deploy/bench/prediction-bench): (b) the
 * training pipeline over 12 monthly observation dates (features per customer and date, a BG/NBD fit
 * per date on its ≤50k sample, the fit and the out-of-time report), and (c) what an active model
 * adds to a rescoring batch's CPU: scoring alone against scoring plus the churn prediction
 * (features, pAlive, expected purchases, probability), alternated in one run. Database reads and
 * writes are not in it (docs/benchmarks/prediction.md says what that leaves out). Off unless {@code
 * -Dbench.customers=N}.
 */
@EnabledIfSystemProperty(named = "bench.customers", matches = "\\d+")
class PredictionBenchmark {

  static final ObservationPlan PLAN =
      ObservationPlan.of(LocalDate.parse("2025-01-01"), LocalDate.parse("2025-12-01"), 90);

  @Test
  void trainingAndRescoringCost() throws InterruptedException {
    int n = Integer.parseInt(System.getProperty("bench.customers"));
    ChurnDataStub pop = ChurnDataStub.population(n, 20);
    WeightProfile profile = WeightProfile.defaults();

    // (b) 12 observation dates: rows stored by column as the service stores them, one BG/NBD fit
    // per date
    HeapPeak heap = HeapPeak.start();
    long t0 = System.nanoTime();
    long fitNanos = 0;
    TrainingSet.Builder trainingRows = new TrainingSet.Builder();
    TrainingSet.Builder validationRows = new TrainingSet.Builder();
    List<PurchaseFeatures.Fit> fits = new ArrayList<>();
    for (LocalDate t : PLAN.all()) {
      LocalDate d = ChurnFeatures.dataDate(t);
      DateRows rows =
          new DateRows(
              t, PLAN.horizonDays(), PLAN.training().contains(t) ? trainingRows : validationRows);
      for (int i = 0; i < n; i++) {
        Activity a = pop.activity(i, d);
        rows.add(
            a,
            pop.churnedAt[i] == null
                ? null
                : new ChurnEvent(a.customerId(), pop.churnedAt[i], null),
            profile);
      }
      long f0 = System.nanoTime();
      PurchaseFeatures.Fit fit = rows.finish();
      fitNanos += System.nanoTime() - f0;
      if (fit != null) {
        fits.add(fit);
      }
    }
    TrainingSet training = trainingRows.build();
    TrainingSet validation = validationRows.build();
    long t1 = System.nanoTime();
    ChurnTrainer.Trained trained =
        ChurnTrainer.train(
            PLAN, training, validation, LogisticRegression.DEFAULT_LAMBDA, profile, fits);
    long t2 = System.nanoTime();
    long peak = heap.stop();
    ChurnReport r = trained.report();
    System.out.printf(
        Locale.ROOT,
        "prediction-train customers=%d dates=%d rows=%d+%d features=%.2fs (of which bgnbd fits"
            + " %.2fs) fit+report=%.2fs total=%.2fs peak-heap=%dMB max-heap=%dMB auc=%.3f"
            + " baselines=%s%n",
        n,
        PLAN.all().size(),
        training.size(),
        validation.size(),
        (t1 - t0) / 1e9,
        fitNanos / 1e9,
        (t2 - t1) / 1e9,
        (t2 - t0) / 1e9,
        peak >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        r.auc() == null ? Double.NaN : r.auc().value(),
        r.baselines().stream()
            .map(b -> b.ranker() + "=" + String.format(Locale.ROOT, "%.3f", b.auc().value()))
            .toList());
    training = null;
    validation = null;

    // (c) a rescoring batch's CPU without and with the active model, alternated
    StoredModel model = new StoredModel(1, Instant.now(), true, trained.model(), r);
    Profiles profiles =
        new Profiles(Map.of("default", profile), Map.of("default:1", profile), Map.of(), Map.of());
    LocalDate asOf = LocalDate.parse("2026-03-31");
    List<Activity> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(pop.activity(i, asOf));
    }
    double best0 = Double.MAX_VALUE;
    double best1 = Double.MAX_VALUE;
    double sink = 0;
    for (int round = 0; round < 3; round++) {
      long a0 = System.nanoTime();
      for (Activity a : batch) {
        sink += score(a, profile, asOf);
      }
      long a1 = System.nanoTime();
      // as rescoring does: the batch scored, then predicted from its assessments
      List<io.retain.scoring.engine.Assessment> scored = new ArrayList<>(n);
      for (Activity a : batch) {
        var s = ScoringEngine.assess(a, profile, asOf, null, 0.8);
        sink += s.score() == null ? 0 : s.score();
        scored.add(s);
      }
      for (var p : ChurnService.predict(model, batch, scored, asOf)) {
        sink += p.probability();
      }
      long a2 = System.nanoTime();
      best0 = Math.min(best0, (a1 - a0) / 1e9);
      best1 = Math.min(best1, (a2 - a1) / 1e9);
    }
    System.out.printf(
        Locale.ROOT,
        "prediction-rescoring-cpu customers=%d score=%.2fs score+predict=%.2fs ratio=%.2f (sink"
            + " %.1f)%n",
        n,
        best0,
        best1,
        best1 / best0,
        sink);
  }

  /**
   * The largest heap in use seen by a sampler every 20 ms (used = committed − free, so garbage not
   * yet collected counts: an upper bound of what the rows need).
   */
  private static final class HeapPeak {
    private final java.util.concurrent.atomic.AtomicLong peak =
        new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running = true;
    private final Thread sampler =
        new Thread(
            () -> {
              while (running) {
                Runtime rt = Runtime.getRuntime();
                peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
              }
            },
            "heap-peak");

    static HeapPeak start() {
      HeapPeak h = new HeapPeak();
      h.sampler.setDaemon(true);
      h.sampler.start();
      return h;
    }

    long stop() throws InterruptedException {
      running = false;
      sampler.join();
      return peak.get();
    }
  }

  private static double score(Activity a, WeightProfile profile, LocalDate asOf) {
    var s = ScoringEngine.assess(a, profile, asOf, null, 0.8);
    return s.score() == null ? 0 : s.score();
  }
}
