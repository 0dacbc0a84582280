package io.retain.chaos;

import static io.retain.chaos.ChaosRun.CUSTOMER;
import static io.retain.chaos.ChaosRun.GATEWAY;
import static io.retain.chaos.ChaosRun.RETENTION;
import static io.retain.chaos.ChaosRun.SCORING;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bounded fault campaign of issue 23, part of {@code ./mvnw verify}: the four services and a
 * PostgreSQL of the campaign's own, {@code kill -9} of each of them at seeded moments during a bulk
 * import, feed consumption, a full rescoring and a stream of gateway requests, then the invariants
 * (printed with the seed; {@code -Dchaos.seed=N} re-runs a schedule, {@code -Dchaos.customers=N}
 * sizes the data). Design: docs/adr/0019-seeded-fault-campaign.md.
 */
class ChaosCampaignTest {

  @Test
  @Timeout(value = 45, unit = TimeUnit.MINUTES)
  void killNineEverywhereAndTheInvariantsHold() throws Exception {
    long seed = Campaign.seed();
    int customers = Integer.getInteger("chaos.customers", 1500);
    System.out.println("[chaos] seed " + seed + " (re-run: -Dchaos.seed=" + seed + ")");
    Map<String, String> env = new LinkedHashMap<>();
    try (ChaosRun run = ChaosRun.start("campaign", seed, env)) {
      Campaign c = new Campaign(run, customers);
      long t0 = System.nanoTime();
      c.importUnderFaults(CUSTOMER, SCORING, RETENTION);
      c.warningFeedUnderFaults(RETENTION);
      c.rescoringUnderFaults(SCORING);
      c.feedsAndPlans();
      c.gatewayStreamUnderFaults(run.pick(0, 1) == 0 ? RETENTION : CUSTOMER, GATEWAY);
      run.log(
          "campaign done in "
              + Duration.ofNanos(System.nanoTime() - t0).toSeconds()
              + " s; faults: "
              + run.faults());
      run.invariants.assertAllHeld();
    }
  }
}
