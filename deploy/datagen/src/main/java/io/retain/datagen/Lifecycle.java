package io.retain.datagen;

/**
 * A customer's hidden monthly state, the cause of the churn the generator writes: healthy, or
 * declining for {@code d} months for one of three reasons. Declining customers buy less, and
 * depending on the reason complain, wait for service and score NPS lower; their monthly churn
 * hazard grows with {@code d}, and some recover. Healthy customers churn rarely and without warning
 * (relocation, non-payment): the noise no model can learn.
 *
 * <p>Each month: first the state moves (onset or recovery), then churn is drawn with the state's
 * hazard, then the month's events follow the state; {@code d} counts up at the month's end.
 */
final class Lifecycle {

  static final int HEALTHY = -1;

  /** Monthly churn hazard of a healthy customer: sudden churn, no behaviour announces it. */
  static final double SUDDEN_HAZARD = 0.002;

  /** Monthly chance that a declining customer recovers. */
  static final double RECOVERY = 0.07;

  /** Why a customer declines; it shapes which behaviours change and the churn reasons. */
  enum Cause {
    /** complaints, tickets, slow answers, low NPS; orders fall somewhat */
    SERVICE,
    /** price or a competitor: orders fall month by month, NPS lukewarm */
    VALUE,
    /** needs changed: orders fall fast into silence; NPS hardly moves */
    NEEDS
  }

  private Lifecycle() {}

  /** Monthly churn hazard in a state: rises the longer a decline lasts. */
  static double hazard(int declineMonths) {
    return declineMonths < 0 ? SUDDEN_HAZARD : Math.min(0.4, 0.02 + 0.08 * declineMonths);
  }

  /** The multiplier of a customer's ordering in a state. */
  static double orderFactor(int declineMonths, Cause cause) {
    if (declineMonths < 0) {
      return 1;
    }
    return switch (cause) {
      case SERVICE -> Math.max(0.3, 0.8 - 0.1 * declineMonths);
      case VALUE -> Math.max(0.15, 0.75 - 0.15 * declineMonths);
      case NEEDS -> Math.max(0.05, 0.5 - 0.2 * declineMonths);
    };
  }

  /**
   * The exact probability of churning in this month or the {@code months − 1} after it, from a
   * state already entered this month, for a customer with monthly decline onset {@code onset}: the
   * generator's own risk, the ceiling any model of the observable data can approach.
   */
  static double churnWithin(int declineMonths, double onset, int months) {
    int max = Math.max(declineMonths, 0) + months + 1;
    double[] p = new double[max + 2]; // p[0] healthy, p[d + 1] declining d months
    p[declineMonths + 1] = 1;
    double churned = 0;
    for (int m = 0; m < months; m++) {
      if (m > 0) { // the state moves at the start of every later month
        double[] moved = new double[p.length];
        moved[0] += p[0] * (1 - onset);
        moved[1] += p[0] * onset;
        for (int d = 0; d + 1 < p.length; d++) {
          if (p[d + 1] > 0) {
            moved[0] += p[d + 1] * RECOVERY;
            moved[Math.min(d + 2, p.length - 1)] += p[d + 1] * (1 - RECOVERY);
          }
        }
        p = moved;
      }
      for (int s = 0; s < p.length; s++) {
        double h = hazard(s - 1);
        churned += p[s] * h;
        p[s] *= 1 - h;
      }
    }
    return churned;
  }
}
