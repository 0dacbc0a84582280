package io.retain.scoring.prediction.churn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * How well scores rank and how well probabilities are calibrated against 0/1 outcomes: AUC with
 * DeLong's variance (the fast midrank form of Sun &amp; Xu 2014), paired DeLong comparison of
 * rankers scored on the same rows, Brier score, calibration by decile, top-decile lift. Pure.
 */
public final class RankMetrics {

  private RankMetrics() {}

  /** An AUC with its DeLong standard error and 95% confidence interval (clamped to [0, 1]). */
  public record Auc(double value, double standardError, double lower, double upper) {}

  /** Paired DeLong test of AUC(a) − AUC(b) on the same rows; p two-sided. */
  public record Comparison(double difference, double standardError, double z, double p) {}

  /** One decile of predicted probability: rows, mean prediction, observed positive rate. */
  public record Decile(int decile, int count, double meanPredicted, double observedRate) {}

  /** AUC of one ranker (higher score = more likely positive). Needs both classes. */
  public static Auc auc(double[] scores, boolean[] positive) {
    Structural s = structural(new double[][] {scores}, positive);
    double var = s.covariance(0, 0);
    double se = Math.sqrt(Math.max(0, var));
    double a = s.auc[0];
    return new Auc(a, se, Math.max(0, a - 1.959964 * se), Math.min(1, a + 1.959964 * se));
  }

  /**
   * Paired comparison of two rankers on the same rows (DeLong, DeLong &amp; Clarke-Pearson 1988).
   */
  public static Comparison compare(double[] a, double[] b, boolean[] positive) {
    Structural s = structural(new double[][] {a, b}, positive);
    double diff = s.auc[0] - s.auc[1];
    double var = s.covariance(0, 0) + s.covariance(1, 1) - 2 * s.covariance(0, 1);
    double se = Math.sqrt(Math.max(0, var));
    if (se == 0) {
      return new Comparison(
          diff,
          0,
          diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff),
          diff == 0 ? 1 : 0);
    }
    double z = diff / se;
    return new Comparison(diff, se, z, erfc(Math.abs(z) / Math.sqrt(2)));
  }

  /** Mean squared difference between probability and outcome. */
  public static double brier(double[] p, boolean[] positive) {
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      double d = p[i] - (positive[i] ? 1 : 0);
      s += d * d;
    }
    return s / p.length;
  }

  /**
   * Rows sorted by predicted probability (ties by position) cut into ten groups as equal as
   * possible; decile 10 holds the highest predictions.
   */
  public static List<Decile> calibration(double[] p, boolean[] positive) {
    Integer[] order = byPrediction(p);
    List<Decile> out = new ArrayList<>();
    int n = p.length;
    for (int d = 0; d < 10; d++) {
      int from = (int) ((long) n * d / 10);
      int to = (int) ((long) n * (d + 1) / 10);
      if (to == from) {
        continue;
      }
      double sum = 0;
      int pos = 0;
      for (int i = from; i < to; i++) {
        sum += p[order[i]];
        pos += positive[order[i]] ? 1 : 0;
      }
      out.add(new Decile(d + 1, to - from, sum / (to - from), (double) pos / (to - from)));
    }
    return out;
  }

  /** Positive rate among the top tenth by score over the overall positive rate. */
  public static double topDecileLift(double[] scores, boolean[] positive) {
    Integer[] order = byPrediction(scores);
    int n = scores.length;
    int top = Math.max(1, n / 10);
    int posTop = 0;
    int posAll = 0;
    for (int i = 0; i < n; i++) {
      posAll += positive[i] ? 1 : 0;
    }
    for (int i = n - top; i < n; i++) {
      posTop += positive[order[i]] ? 1 : 0;
    }
    return posAll == 0 ? Double.NaN : ((double) posTop / top) / ((double) posAll / n);
  }

  private static Integer[] byPrediction(double[] p) {
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> p[i]).thenComparing(i -> i));
    return order;
  }

  /** DeLong's structural components of k rankers: V10 per positive, V01 per negative. */
  private record Structural(double[] auc, double[][] v10, double[][] v01) {

    double covariance(int r, int s) {
      return cov(v10[r], v10[s]) / v10[r].length + cov(v01[r], v01[s]) / v01[r].length;
    }

    private static double cov(double[] x, double[] y) {
      int n = x.length;
      if (n < 2) {
        return 0;
      }
      double mx = 0;
      double my = 0;
      for (int i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
      }
      mx /= n;
      my /= n;
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += (x[i] - mx) * (y[i] - my);
      }
      return s / (n - 1);
    }
  }

  private static Structural structural(double[][] rankers, boolean[] positive) {
    int m = 0;
    for (boolean b : positive) {
      m += b ? 1 : 0;
    }
    int n = positive.length - m;
    if (m == 0 || n == 0) {
      throw new IllegalArgumentException("AUC needs positives and negatives: " + m + "/" + n);
    }
    int k = rankers.length;
    double[] auc = new double[k];
    double[][] v10 = new double[k][m];
    double[][] v01 = new double[k][n];
    for (int r = 0; r < k; r++) {
      double[] s = rankers[r];
      double[] x = new double[m];
      double[] y = new double[n];
      int xi = 0;
      int yi = 0;
      for (int i = 0; i < s.length; i++) {
        if (!Double.isFinite(s[i])) {
          throw new IllegalArgumentException("score " + i + " is not finite: " + s[i]);
        }
        if (positive[i]) {
          x[xi++] = s[i];
        } else {
          y[yi++] = s[i];
        }
      }
      double[] tx = midranks(x);
      double[] ty = midranks(y);
      double[] z = new double[m + n];
      System.arraycopy(x, 0, z, 0, m);
      System.arraycopy(y, 0, z, m, n);
      double[] tz = midranks(z);
      double sumX = 0;
      for (int i = 0; i < m; i++) {
        sumX += tz[i];
        v10[r][i] = (tz[i] - tx[i]) / n;
      }
      for (int j = 0; j < n; j++) {
        v01[r][j] = 1 - (tz[m + j] - ty[j]) / m;
      }
      auc[r] = sumX / ((double) m * n) - (m + 1.0) / (2.0 * n);
    }
    return new Structural(auc, v10, v01);
  }

  /** 1-based ranks, ties given the mean of the ranks they span. */
  static double[] midranks(double[] v) {
    Integer[] order = byPrediction(v);
    double[] ranks = new double[v.length];
    int i = 0;
    while (i < v.length) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        ranks[order[t]] = rank;
      }
      i = j + 1;
    }
    return ranks;
  }

  /**
   * Complementary error function (Numerical Recipes' Chebyshev fit, fractional error below 1.2e-7
   * everywhere): enough for a p-value.
   */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
