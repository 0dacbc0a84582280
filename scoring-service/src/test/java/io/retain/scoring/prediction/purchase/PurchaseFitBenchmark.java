package io.retain.scoring.prediction.purchase;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Times the purchase model's fit on a simulated population (deploy/bench/purchase-fit-bench runs it
 * with 1M customers): compacting the summaries, the BG/NBD fit, the Gamma-Gamma fit. Off unless
 * {@code -Dbench.customers=N} is given. It lives beside the model because deploy/bench cannot
 * depend on scoring-service's classes (the module's artifact is a repackaged Boot jar).
 */
@EnabledIfSystemProperty(named = "bench.customers", matches = "\\d+")
class PurchaseFitBenchmark {

  @Test
  void fitOnSimulatedCustomers() {
    int n = Integer.parseInt(System.getProperty("bench.customers"));
    long t0 = System.nanoTime();
    List<PurchaseHistory> histories = ParameterRecoveryTest.simulate(n, 42L);
    long t1 = System.nanoTime();
    PurchaseData data = PurchaseData.of(histories);
    long t2 = System.nanoTime();
    var bg = PurchaseModelFit.bgNbd(data);
    long t3 = System.nanoTime();
    var gg = PurchaseModelFit.gammaGamma(data);
    long t4 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "purchase-fit customers=%d rows=%d repeatBuyers=%d simulate=%.2fs compact=%.2fs"
            + " bgnbd=%.2fs (%d evals, converged %s, %s) gammagamma=%.2fs (%d evals, converged %s, %s)"
            + " fit-total=%.2fs%n",
        n,
        data.rows(),
        data.repeatBuyers(),
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9,
        bg.evaluations(),
        bg.converged(),
        bg.model(),
        (t4 - t3) / 1e9,
        gg.evaluations(),
        gg.converged(),
        gg.model(),
        (t4 - t1) / 1e9);
  }
}
