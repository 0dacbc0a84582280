package io.retain.scoring.prediction.purchase;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.DoubleStream;
import org.hipparchus.special.Gamma;

/**
 * A population's purchase histories in the compact form the likelihoods are summed over: customers
 * with equal (x, tx, T) are one weighted row (integer days repeat a lot in a large population), and
 * every term that depends on x alone is summed once per distinct x.
 */
public final class PurchaseData {

  // BG/NBD rows: distinct (x, tx, T) with their customer counts, sorted by x
  final int[] rowX;
  final double[] rowTx;
  final double[] rowT;
  final double[] rowWeight;
  // distinct x values and how many customers have each (for the x-only terms)
  final int[] distinctX;
  final double[] distinctXWeight;
  final int[] rowXIndex;
  // Gamma-Gamma: repeat buyers, one row each (mean spends rarely repeat)
  final double[] repeatX;
  final double[] repeatM;
  final double sumLogM;
  final double sumXLogM;
  final long customers;

  private PurchaseData(
      int[] rowX,
      double[] rowTx,
      double[] rowT,
      double[] rowWeight,
      int[] distinctX,
      double[] distinctXWeight,
      int[] rowXIndex,
      double[] repeatX,
      double[] repeatM,
      long customers) {
    this.rowX = rowX;
    this.rowTx = rowTx;
    this.rowT = rowT;
    this.rowWeight = rowWeight;
    this.distinctX = distinctX;
    this.distinctXWeight = distinctXWeight;
    this.rowXIndex = rowXIndex;
    this.repeatX = repeatX;
    this.repeatM = repeatM;
    double logM = 0;
    double xLogM = 0;
    for (int i = 0; i < repeatM.length; i++) {
      logM += Math.log(repeatM[i]);
      xLogM += repeatX[i] * Math.log(repeatM[i]);
    }
    this.sumLogM = logM;
    this.sumXLogM = xLogM;
    this.customers = customers;
  }

  /**
   * Compacts the histories (any iterable: a list, or a stream's iterator for a large population).
   */
  public static PurchaseData of(Iterable<PurchaseHistory> histories) {
    Map<Long, long[]> countOf = new HashMap<>();
    DoubleStream.Builder repeatX = DoubleStream.builder();
    DoubleStream.Builder repeatM = DoubleStream.builder();
    long customers = 0;
    for (PurchaseHistory h : histories) {
      customers++;
      if (h.ageDays() >= 1 << 21 || h.repeatPurchases() >= 1 << 21) {
        throw new IllegalArgumentException("history out of range: " + h);
      }
      // days fit in 21 bits each (5,700 years), x in the 22 above them
      long key = ((long) h.repeatPurchases() << 42) | ((long) h.recencyDays() << 21) | h.ageDays();
      countOf.computeIfAbsent(key, k -> new long[1])[0]++;
      if (h.repeatPurchases() > 0) {
        repeatX.add(h.repeatPurchases());
        repeatM.add(h.meanRepeatSpend());
      }
    }
    long[] keys = countOf.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    int n = keys.length;
    int[] rowX = new int[n];
    double[] rowTx = new double[n];
    double[] rowT = new double[n];
    double[] rowWeight = new double[n];
    int[] rowXIndex = new int[n];
    TreeMap<Integer, Double> xWeights = new TreeMap<>();
    for (int k = 0; k < n; k++) {
      long key = keys[k];
      rowX[k] = (int) (key >>> 42);
      rowTx[k] = ((key >>> 21) & ((1 << 21) - 1)) / PurchaseHistory.DAYS_PER_WEEK;
      rowT[k] = (key & ((1 << 21) - 1)) / PurchaseHistory.DAYS_PER_WEEK;
      rowWeight[k] = countOf.get(key)[0];
      xWeights.merge(rowX[k], rowWeight[k], Double::sum);
    }
    int[] distinctX = xWeights.keySet().stream().mapToInt(Integer::intValue).toArray();
    double[] distinctXWeight =
        xWeights.values().stream().mapToDouble(Double::doubleValue).toArray();
    for (int k = 0; k < n; k++) {
      rowXIndex[k] = Arrays.binarySearch(distinctX, rowX[k]);
    }
    return new PurchaseData(
        rowX,
        rowTx,
        rowT,
        rowWeight,
        distinctX,
        distinctXWeight,
        rowXIndex,
        repeatX.build().toArray(),
        repeatM.build().toArray(),
        customers);
  }

  /** How many customers the data holds. */
  public long customers() {
    return customers;
  }

  /** How many of them bought again (x &gt; 0): the Gamma-Gamma sample. */
  public int repeatBuyers() {
    return repeatX.length;
  }

  /** Distinct (x, tx, T) rows the BG/NBD likelihood is summed over. */
  public int rows() {
    return rowX.length;
  }

  /** Σ over customers of the BG/NBD log-likelihood. */
  public double bgNbdLogLikelihood(BgNbd model) {
    double sum = 0;
    for (int i = 0; i < distinctX.length; i++) {
      sum += distinctXWeight[i] * model.xTerms(distinctX[i]);
    }
    for (int k = 0; k < rowX.length; k++) {
      sum += rowWeight[k] * model.timeTerms(rowX[k], rowTx[k], rowT[k]);
    }
    return sum;
  }

  /**
   * Σ over repeat buyers of {@link GammaGamma#logLikelihood}, rearranged so that the log-gamma
   * terms are summed once per distinct x and only one logarithm is left per customer.
   */
  public double gammaGammaLogLikelihood(GammaGamma model) {
    double p = model.p();
    double q = model.q();
    double sum = 0;
    for (int i = 0; i < distinctX.length; i++) {
      int x = distinctX[i];
      if (x > 0) {
        double px = p * x;
        sum +=
            distinctXWeight[i] * (Gamma.logGamma(px + q) - Gamma.logGamma(px) + px * Math.log(x));
      }
    }
    sum += repeatX.length * (q * Math.log(model.gamma()) - Gamma.logGamma(q));
    sum += p * sumXLogM - sumLogM;
    for (int i = 0; i < repeatX.length; i++) {
      sum -= (p * repeatX[i] + q) * Math.log(repeatX[i] * repeatM[i] + model.gamma());
    }
    return sum;
  }
}
