package io.retain.scoring.prediction.purchase;

/**
 * Maximum-likelihood fits of the purchase model over a population.
 *
 * <p>Both start from all parameters = 1 (as {@code lifetimes} does) and report whether the optimum
 * was confirmed by a restart; a fit that was not is returned with {@code converged = false} and
 * must not be served.
 */
public final class PurchaseModelFit {

  private PurchaseModelFit() {}

  /** A fitted BG/NBD model with its total log-likelihood over the customers. */
  public record BgNbdFit(
      BgNbd model, double logLikelihood, long customers, int evaluations, boolean converged) {}

  /** A fitted Gamma-Gamma model with its total log-likelihood over the repeat buyers. */
  public record GammaGammaFit(
      GammaGamma model,
      double logLikelihood,
      long repeatBuyers,
      int evaluations,
      boolean converged) {}

  /** Fits r, α, a, b by maximum likelihood; needs at least one customer. */
  public static BgNbdFit bgNbd(PurchaseData data) {
    if (data.customers() == 0) {
      throw new IllegalArgumentException("no customers to fit BG/NBD on");
    }
    var min =
        LogSpaceMinimizer.minimize(
            p -> -data.bgNbdLogLikelihood(new BgNbd(p[0], p[1], p[2], p[3])),
            new double[] {1, 1, 1, 1});
    double[] p = min.parameters();
    return new BgNbdFit(
        new BgNbd(p[0], p[1], p[2], p[3]),
        -min.value(),
        data.customers(),
        min.evaluations(),
        min.converged());
  }

  /** Fits p, q, γ over the repeat buyers; needs at least one. */
  public static GammaGammaFit gammaGamma(PurchaseData data) {
    if (data.repeatBuyers() == 0) {
      throw new IllegalArgumentException("no repeat buyers to fit Gamma-Gamma on");
    }
    var min =
        LogSpaceMinimizer.minimize(
            p -> -data.gammaGammaLogLikelihood(new GammaGamma(p[0], p[1], p[2])),
            new double[] {1, 1, 1});
    double[] p = min.parameters();
    return new GammaGammaFit(
        new GammaGamma(p[0], p[1], p[2]),
        -min.value(),
        data.repeatBuyers(),
        min.evaluations(),
        min.converged());
  }
}
