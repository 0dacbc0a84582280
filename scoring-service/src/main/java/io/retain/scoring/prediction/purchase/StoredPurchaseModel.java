package io.retain.scoring.prediction.purchase;

import java.time.Instant;
import java.time.LocalDate;

/** A stored purchase model version: its parameters and fit statistics (GraphQL PurchaseModel). */
public record StoredPurchaseModel(
    int version,
    LocalDate asOf,
    Instant fittedAt,
    double r,
    double alpha,
    double a,
    double b,
    double bgNbdLogLikelihood,
    long customers,
    double p,
    double q,
    double gamma,
    double gammaGammaLogLikelihood,
    long repeatBuyers,
    int evaluations,
    long fitMillis) {

  /** The model these parameters make. */
  public PurchaseModel model() {
    return new PurchaseModel(new BgNbd(r, alpha, a, b), new GammaGamma(p, q, gamma));
  }

  public double populationMeanSpend() {
    return p * gamma / (q - 1);
  }
}
