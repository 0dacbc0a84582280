package io.retain.scoring.prediction.churn;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Training or validation rows stored by column: one {@code double[]} per feature, the labels and
 * the two baselines' inputs, nothing per row. 1M customers × 12 observation dates are 12M rows; as
 * {@link TrainingRow} objects (a record, a 26-element array, two boxed doubles, an id) they cost
 * about twice the bare values and keep the collector busy, as columns they are 29 arrays. Filled by
 * a {@link Builder} as the bulk stream flows (in growable blocks, so no column is ever copied whole
 * while it grows), then compacted column by column.
 */
public final class TrainingSet {

  private final int size;
  private final double[][] columns;
  private final boolean[] churned;
  private final double[] loyaltyScores;
  private final double[] pAlives;

  private TrainingSet(
      int size, double[][] columns, boolean[] churned, double[] loyaltyScores, double[] pAlives) {
    this.size = size;
    this.columns = columns;
    this.churned = churned;
    this.loyaltyScores = loyaltyScores;
    this.pAlives = pAlives;
  }

  /** The rows of a list, in order (the per-row form tests and small callers build). */
  public static TrainingSet of(List<TrainingRow> rows) {
    Builder b = new Builder();
    for (TrainingRow r : rows) {
      b.add(r.features(), r.churned(), r.loyaltyScore(), r.pAlive());
    }
    return b.build();
  }

  public int size() {
    return size;
  }

  /** Feature {@code j} (index in {@link ChurnFeatures#NAMES}) of every row; NaN = missing. */
  public double[] column(int j) {
    return columns[j];
  }

  /** All feature columns, in {@link ChurnFeatures#NAMES}' order (shared, not copied). */
  double[][] columns() {
    return columns;
  }

  public boolean[] churned() {
    return churned;
  }

  /** The loyalty score at each row's date; NaN = unscored. */
  double[] loyaltyScores() {
    return loyaltyScores;
  }

  /** BG/NBD's pAlive at each row's date; NaN = none (no purchase before it, or no fit). */
  double[] pAlives() {
    return pAlives;
  }

  /** Whether any row has a pAlive (the {@code 1 − pAlive} baseline is then compared). */
  boolean anyPAlive() {
    for (double a : pAlives) {
      if (!Double.isNaN(a)) {
        return true;
      }
    }
    return false;
  }

  public int positives() {
    int n = 0;
    for (boolean c : churned) {
      n += c ? 1 : 0;
    }
    return n;
  }

  /**
   * Appends rows and compacts them into a {@link TrainingSet}. Values may be overwritten by index
   * until {@link #build} (BG/NBD's columns are filled once the date's buyers are fitted).
   */
  public static final class Builder {

    private static final int SHIFT = 16;
    private static final int BLOCK = 1 << SHIFT;
    private static final int MASK = BLOCK - 1;

    private final int width = ChurnFeatures.NAMES.size();
    // blocks[c]: column c in blocks of BLOCK rows; c = width … width + 2: churned (0/1), loyalty
    // score, pAlive
    private final List<List<double[]>> blocks = new ArrayList<>();
    private int size;

    public Builder() {
      for (int c = 0; c < width + 3; c++) {
        blocks.add(new ArrayList<>());
      }
    }

    public int size() {
      return size;
    }

    /** Appends one row; {@code features} is read, not kept. */
    public void add(
        double[] features,
        boolean churned,
        @Nullable Double loyaltyScore,
        @Nullable Double pAlive) {
      if ((size & MASK) == 0) {
        for (List<double[]> column : blocks) {
          column.add(new double[BLOCK]);
        }
      }
      int block = size >>> SHIFT;
      int at = size & MASK;
      for (int c = 0; c < width; c++) {
        blocks.get(c).get(block)[at] = features[c];
      }
      blocks.get(width).get(block)[at] = churned ? 1 : 0;
      blocks.get(width + 1).get(block)[at] = loyaltyScore == null ? Double.NaN : loyaltyScore;
      blocks.get(width + 2).get(block)[at] = pAlive == null ? Double.NaN : pAlive;
      size++;
    }

    /** Overwrites feature {@code j} of row {@code row}. */
    public void setFeature(int row, int j, double value) {
      blocks.get(j).get(row >>> SHIFT)[row & MASK] = value;
    }

    /** Overwrites the pAlive baseline of row {@code row} (NaN = none). */
    public void setPAlive(int row, double value) {
      blocks.get(width + 2).get(row >>> SHIFT)[row & MASK] = value;
    }

    /**
     * The rows as columns. Compacts one column at a time and drops its blocks, so the peak is the
     * rows plus one column. The builder is empty afterwards.
     */
    public TrainingSet build() {
      double[][] columns = new double[width][];
      for (int c = 0; c < width; c++) {
        columns[c] = compact(c);
      }
      double[] labels = compact(width);
      boolean[] churned = new boolean[size];
      for (int i = 0; i < size; i++) {
        churned[i] = labels[i] != 0;
      }
      TrainingSet out =
          new TrainingSet(size, columns, churned, compact(width + 1), compact(width + 2));
      size = 0;
      return out;
    }

    private double[] compact(int c) {
      double[] out = new double[size];
      List<double[]> column = blocks.get(c);
      for (int b = 0; b < column.size(); b++) {
        int from = b << SHIFT;
        System.arraycopy(column.get(b), 0, out, from, Math.min(BLOCK, size - from));
        column.set(b, null);
      }
      column.clear();
      return out;
    }
  }
}
