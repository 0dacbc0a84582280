package io.retain.scoring.engine;

/**
 * Loyalty tiers, best to worst, then the two that are not judged by thresholds. Labels are in
 * {@code messages*.properties} as {@code tier.<NAME>}.
 */
public enum Tier {
  DIEHARD(0),
  STABLE(1),
  POTENTIAL_CHURN(2),
  HIGH_RISK(3),
  NEW(-1),
  UNSCORED(-1);

  /** Badness rank for "moved to a worse tier"; -1 for tiers outside the scale. */
  public final int rank;

  Tier(int rank) {
    this.rank = rank;
  }

  public boolean atRisk() {
    return this == POTENTIAL_CHURN || this == HIGH_RISK;
  }
}
