package io.retain.scoring.prediction.churn;

import java.util.ArrayList;
import java.util.List;

/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS) on standardised features; the
 * intercept is not penalised. With a few dozen features the Hessian is tiny, so each step is one
 * pass over the rows and a Cholesky solve: exact, deterministic, no library needed. The ridge term
 * keeps coefficients finite on separable data.
 */
public final class LogisticRegression {

  /** The default ridge strength, in units of the total log-likelihood. */
  public static final double DEFAULT_LAMBDA = 1.0;

  private static final int MAX_ITERATIONS = 100;
  private static final double TOLERANCE = 1e-9;

  private LogisticRegression() {}

  /**
   * Fits on rows {@code x} (NaN = missing) and outcomes {@code y}. Features with no spread among
   * the present values are dropped from the model (they cannot be standardised).
   */
  public static LogisticModel fit(List<String> names, double[][] x, boolean[] y, double lambda) {
    int n = x.length;
    double[][] columns = new double[names.size()][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < columns.length; j++) {
        columns[j][i] = x[i][j];
      }
    }
    return fitColumns(names, columns, y, lambda);
  }

  /**
   * {@link #fit} on the rows stored by column ({@code columns[j][i]}: feature j of row i), the form
   * training keeps 12M rows in. Standardised values are computed as each pass needs them, never
   * stored: a standardised copy would double the memory. Same arithmetic in the same order as the
   * row form, so both give the same model bit for bit.
   */
  public static LogisticModel fitColumns(
      List<String> names, double[][] columns, boolean[] y, double lambda) {
    int n = y.length;
    if (n == 0) {
      throw new IllegalArgumentException("no rows to fit");
    }
    int k0 = names.size();
    List<Integer> kept = new ArrayList<>();
    List<Double> means = new ArrayList<>();
    List<Double> sds = new ArrayList<>();
    for (int j = 0; j < k0; j++) {
      double[] col = columns[j];
      double sum = 0;
      int present = 0;
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(col[i])) {
          sum += col[i];
          present++;
        }
      }
      if (present < 2) {
        continue;
      }
      double mean = sum / present;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(col[i])) {
          ss += (col[i] - mean) * (col[i] - mean);
        }
      }
      double sd = Math.sqrt(ss / present);
      if (sd < 1e-12 * Math.max(1, Math.abs(mean))) {
        continue;
      }
      kept.add(j);
      means.add(mean);
      sds.add(sd);
    }
    int k = kept.size();
    Standardised z = new Standardised(new double[k][], new double[k], new double[k]);
    for (int c = 0; c < k; c++) {
      z.columns[c] = columns[kept.get(c)];
      z.means[c] = means.get(c);
      z.sds[c] = sds.get(c);
    }
    double[] beta = newton(z, y, lambda);
    double[] coefficients = new double[k];
    System.arraycopy(beta, 1, coefficients, 0, k);
    List<String> keptNames = kept.stream().map(names::get).toList();
    return new LogisticModel(keptNames, z.means, z.sds, beta[0], coefficients);
  }

  /** The kept columns with their means and spreads: row i's design vector on demand. */
  private record Standardised(double[][] columns, double[] means, double[] sds) {

    /** Writes {@code (1, z₁ … z_k)} of row {@code i} into {@code out}; missing → 0 (the mean). */
    void row(int i, double[] out) {
      out[0] = 1;
      for (int c = 0; c < columns.length; c++) {
        double v = columns[c][i];
        out[c + 1] = Double.isNaN(v) ? 0 : (v - means[c]) / sds[c];
      }
    }
  }

  /** The values of {@code row} for the model's features (by name) out of all {@code names}. */
  public static double[] select(List<String> names, LogisticModel model, double[] row) {
    return select(positions(names, model), row);
  }

  /** Where each of the model's features stands in {@code names} (-1: absent); once per batch. */
  public static int[] positions(List<String> names, LogisticModel model) {
    int[] at = new int[model.features().size()];
    for (int j = 0; j < at.length; j++) {
      at[j] = names.indexOf(model.features().get(j));
    }
    return at;
  }

  /** The values of {@code row} at {@code positions} (NaN where absent). */
  public static double[] select(int[] positions, double[] row) {
    double[] out = new double[positions.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = positions[j] < 0 ? Double.NaN : row[positions[j]];
    }
    return out;
  }

  private static double[] newton(Standardised z, boolean[] y, double lambda) {
    int p = z.columns().length + 1;
    double[] beta = new double[p];
    double[] zi = new double[p];
    for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
      double[] g = new double[p];
      double[][] h = new double[p][p];
      for (int i = 0; i < y.length; i++) {
        z.row(i, zi);
        double eta = 0;
        for (int j = 0; j < p; j++) {
          eta += beta[j] * zi[j];
        }
        double mu = LogisticModel.sigmoid(eta);
        double r = (y[i] ? 1 : 0) - mu;
        double w = Math.max(mu * (1 - mu), 1e-12);
        for (int a = 0; a < p; a++) {
          g[a] += r * zi[a];
          double wa = w * zi[a];
          for (int b = 0; b <= a; b++) {
            h[a][b] += wa * zi[b];
          }
        }
      }
      for (int a = 1; a < p; a++) {
        g[a] -= lambda * beta[a];
        h[a][a] += lambda;
      }
      // a vanishing ridge still keeps the intercept's system solvable when one class is absent
      h[0][0] += 1e-9;
      double[] step = choleskySolve(h, g);
      double max = 0;
      for (int j = 0; j < p; j++) {
        beta[j] += step[j];
        max = Math.max(max, Math.abs(step[j]));
      }
      if (max < TOLERANCE) {
        return beta;
      }
    }
    return beta;
  }

  /** Solves H·s = g for symmetric positive definite H given by its lower triangle. */
  static double[] choleskySolve(double[][] h, double[] g) {
    int p = g.length;
    double[][] l = new double[p][p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j <= i; j++) {
        double s = h[i][j];
        for (int t = 0; t < j; t++) {
          s -= l[i][t] * l[j][t];
        }
        if (i == j) {
          if (s <= 0) {
            throw new IllegalStateException("Hessian not positive definite at " + i);
          }
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    double[] v = new double[p];
    for (int i = 0; i < p; i++) {
      double s = g[i];
      for (int t = 0; t < i; t++) {
        s -= l[i][t] * v[t];
      }
      v[i] = s / l[i][i];
    }
    double[] out = new double[p];
    for (int i = p - 1; i >= 0; i--) {
      double s = v[i];
      for (int t = i + 1; t < p; t++) {
        s -= l[t][i] * out[t];
      }
      out[i] = s / l[i][i];
    }
    return out;
  }
}
