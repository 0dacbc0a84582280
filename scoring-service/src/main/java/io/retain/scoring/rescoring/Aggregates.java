package io.retain.scoring.rescoring;

import io.retain.scoring.engine.Activity;

/** Aggregates scoring cannot use, refused before scoring: money that is not a finite number. */
final class Aggregates {

  private Aggregates() {}

  /** A customer's aggregates that cannot be scored. */
  static final class Unusable extends RuntimeException {
    Unusable(String message) {
      super(message);
    }
  }

  /** Throws {@link Unusable} naming the first field that is not a finite amount. */
  static void check(Activity a) {
    amount(a, "amountSum", a.amountSum());
    amount(a, "amountSumSquares", a.amountSumSquares());
    amount(a, "stabilityAmountSum", a.stabilityAmountSum());
    amount(a, "stabilityAmountSumSquares", a.stabilityAmountSumSquares());
    amount(a, "spendAllTime", a.spendAllTime());
    amount(a, "spendInWindow", a.spendInWindow());
  }

  private static void amount(Activity a, String field, double v) {
    if (!Double.isFinite(v)) {
      throw new Unusable(
          "bad aggregates from customer-service: "
              + field
              + " of "
              + a.customerId()
              + " is "
              + v
              + ", expected a finite amount");
    }
  }
}
