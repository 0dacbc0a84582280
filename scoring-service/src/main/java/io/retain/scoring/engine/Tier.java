package io.retain.scoring.engine;

/** Loyalty tiers, best to worst, then the two that are not judged by thresholds. */
public enum Tier {
  DIEHARD("Diehard loyal", "铁杆忠诚", 0),
  STABLE("Stable loyal", "稳定忠诚", 1),
  POTENTIAL_CHURN("Potential churn", "潜在流失", 2),
  HIGH_RISK("High churn risk", "高风险流失", 3),
  NEW("New customer", "新客户", -1),
  UNSCORED("Not enough data", "数据不足", -1);

  public final String labelEn;
  public final String labelZh;

  /** Badness rank for "moved to a worse tier"; -1 for tiers outside the scale. */
  public final int rank;

  Tier(String labelEn, String labelZh, int rank) {
    this.labelEn = labelEn;
    this.labelZh = labelZh;
    this.rank = rank;
  }

  public boolean atRisk() {
    return this == POTENTIAL_CHURN || this == HIGH_RISK;
  }

  public String label(boolean chinese) {
    return chinese ? labelZh : labelEn;
  }
}
