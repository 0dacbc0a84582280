package io.retain.scoring.rescoring;

import io.retain.scoring.customer.ActivityAsArray;
import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.ScoringEngine;
import io.retain.scoring.engine.WeightProfile;
import java.time.LocalDate;

/**
 * How an assessment is stored (V7): a history row keeps what made it — the inputs
 * (customer-service's aggregates), the profile version, asOf and the older score that SCORE_DECLINE
 * compared with — and the whole assessment is derived from these again when it is read. The engine
 * is a pure function of them and profile versions are never changed once created, so reading gives
 * the assessment that was scored, for about 230 bytes per customer and date instead of a 1.1 kB
 * document written on every rescoring. Score and tier are stored as columns too (lists, filters and
 * trends read only those).
 */
public final class StoredAssessment {

  /** The retention rate CLV is computed with (DOMAIN.md §6), the same for every customer. */
  public static final double DEFAULT_RETENTION = 0.8;

  private StoredAssessment() {}

  /**
   * The assessment stored as {@code inputs} (ActivityAsArray's array), scored as of {@code asOf}
   * with {@code made} (the profile version named by the row) and {@code prior} (the score at least
   * 30 days older, or null).
   */
  public static Assessment derive(String inputs, WeightProfile made, LocalDate asOf, Double prior) {
    return ScoringEngine.assess(
        ActivityAsArray.JSON.readValue(inputs, Activity.class),
        made,
        asOf,
        prior,
        DEFAULT_RETENTION);
  }
}
