package io.retain.scoring.prediction.purchase;

import java.time.Instant;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * A stored purchase model version: its parameters and fit statistics (GraphQL PurchaseModel). The
 * Gamma-Gamma part (p, q, γ, its log-likelihood) is null when it was refused, and {@code
 * spendModelRefusal} says why; BG/NBD is always there.
 */
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
    @Nullable Double p,
    @Nullable Double q,
    @Nullable Double gamma,
    @Nullable Double gammaGammaLogLikelihood,
    long repeatBuyers,
    int evaluations,
    long fitMillis,
    @Nullable SpendModelRefusal spendModelRefusal) {

  /** Why the spend model (Gamma-Gamma) was not stored: NO_FINITE_SPEND or NOT_CONVERGED. */
  public record SpendModelRefusal(String code, String message) {}

  /** The model these parameters make (without a spend model when it was refused). */
  public PurchaseModel model() {
    return new PurchaseModel(
        new BgNbd(r, alpha, a, b), p == null ? null : new GammaGamma(p, q, gamma));
  }

  /** p·γ/(q − 1), null without a spend model. */
  public @Nullable Double populationMeanSpend() {
    return p == null ? null : p * gamma / (q - 1);
  }
}
