package io.retain.customer.activity;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A customer's order aggregates (DOMAIN.md §3) computed from its counted orders as two arrays (UTC
 * day, amount in cents), in Java rather than in PostgreSQL: the same numbers as the reference
 * statement ({@code activity-aggregates.sql} in the tests) to the last bit, at a fraction of the
 * database's CPU (its per-row date arithmetic, per-customer median sort and filtered aggregates
 * were most of a full rescoring's read).
 *
 * <p>Sums are exact (cents as {@code long}, widened on overflow) and rounded to {@code double}
 * once, as {@code numeric → float8} rounds them; the median is {@code percentile_cont(0.5)}'s
 * interpolation in {@code double}.
 */
record OrderAggregates(
    int n,
    List<Integer> buckets,
    double sum,
    double sumSquares,
    int stableN,
    double stableSum,
    double stableSumSquares,
    LocalDate last,
    LocalDate first,
    long allN,
    double allSum,
    int allDays) {

  /**
   * From a customer's {@code order_digest} (12 bytes per counted order, big-endian: UTC epoch day
   * as int4, cents as int8; null or empty without orders); orders after {@code asOf} are left out.
   */
  static OrderAggregates ofDigest(ByteBuffer digest, LocalDate asOf, int w) {
    int size = digest == null ? 0 : digest.remaining() / 12;
    int[] days = new int[size];
    long[] cents = new long[size];
    long last = asOf.toEpochDay();
    int n = 0;
    for (int i = 0; i < size; i++) {
      int day = digest.getInt();
      long c = digest.getLong();
      if (day <= last) {
        days[n] = day;
        cents[n++] = c;
      }
    }
    return n == size
        ? of(days, cents, asOf, w)
        : of(Arrays.copyOf(days, n), Arrays.copyOf(cents, n), asOf, w);
  }

  /**
   * @param days the UTC date of each counted order (completed, not a test, placed by the end of
   *     {@code asOf}) as an epoch day
   * @param cents its amount in cents, same order
   */
  static OrderAggregates of(int[] days, long[] cents, LocalDate asOf, int w) {
    Integer[] hist = new Integer[w];
    Arrays.fill(hist, 0);
    int n = days.length;
    if (n == 0) {
      return new OrderAggregates(0, List.of(hist), 0, 0, 0, 0, 0, null, null, 0, 0, 0);
    }
    int asOfMonth = asOf.getYear() * 12 + asOf.getMonthValue();
    int asOfDay = asOf.getDayOfMonth();
    long[] window = new long[n];
    int wn = 0;
    Sum all = new Sum();
    int minDay = Integer.MAX_VALUE;
    int maxDay = Integer.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      all.add(cents[i]);
      minDay = Math.min(minDay, days[i]);
      maxDay = Math.max(maxDay, days[i]);
      LocalDate d = LocalDate.ofEpochDay(days[i]);
      // months_between(d, asOf): whole months, one fewer when asOf's day-of-month is before d's
      int bucket =
          asOfMonth
              - (d.getYear() * 12 + d.getMonthValue())
              - (asOfDay < d.getDayOfMonth() ? 1 : 0);
      if (bucket < w) {
        hist[bucket]++;
        window[wn++] = cents[i];
      }
    }
    Sum in = new Sum();
    Sum stable = new Sum();
    if (wn > 0) {
      long[] sorted = Arrays.copyOf(window, wn);
      Arrays.sort(sorted);
      // percentile_cont(0.5) over float8 amounts: the two middle values interpolated
      double lo = sorted[(wn - 1) / 2] / 100.0;
      double hi = sorted[wn / 2] / 100.0;
      double median = wn % 2 == 1 ? lo : lo + (hi - lo) * 0.5;
      boolean outliersOut = wn >= 5;
      for (int i = 0; i < wn; i++) {
        in.add(window[i]);
        if (!(outliersOut && window[i] / 100.0 > 10 * median)) {
          stable.add(window[i]);
        }
      }
    }
    return new OrderAggregates(
        wn,
        new ArrayList<>(Arrays.asList(hist)),
        in.value(),
        in.squares(),
        stable.n,
        stable.value(),
        stable.squares(),
        LocalDate.ofEpochDay(maxDay),
        LocalDate.ofEpochDay(minDay),
        n,
        all.value(),
        distinct(days));
  }

  /** How many distinct days (BG/NBD's purchase days: one calendar day's orders are one). */
  static int distinct(int[] days) {
    int[] sorted = days.clone();
    Arrays.sort(sorted);
    int k = 0;
    for (int i = 0; i < sorted.length; i++) {
      k += i == 0 || sorted[i] != sorted[i - 1] ? 1 : 0;
    }
    return k;
  }

  /** An exact running sum of amounts and of their squares, in cents and cents². */
  private static final class Sum {
    int n;
    long sum;
    long squares;
    BigInteger wideSum; // null until a long would overflow
    BigInteger wideSquares;

    void add(long c) {
      n++;
      if (wideSum == null) {
        try {
          long s = Math.addExact(sum, c);
          long q = Math.addExact(squares, Math.multiplyExact(c, c));
          sum = s;
          squares = q;
          return;
        } catch (ArithmeticException overflow) {
          wideSum = BigInteger.valueOf(sum);
          wideSquares = BigInteger.valueOf(squares);
        }
      }
      BigInteger b = BigInteger.valueOf(c);
      wideSum = wideSum.add(b);
      wideSquares = wideSquares.add(b.multiply(b));
    }

    double value() {
      return wideSum == null ? exact(sum, 2) : new BigDecimal(wideSum, 2).doubleValue();
    }

    double squares() {
      return wideSquares == null ? exact(squares, 4) : new BigDecimal(wideSquares, 4).doubleValue();
    }

    /** {@code unscaled × 10^-scale} rounded once to the nearest double. */
    private static double exact(long unscaled, int scale) {
      // below 2^53 both operands are exact and the division rounds once, as BigDecimal would
      if (Math.abs(unscaled) < (1L << 53)) {
        return unscaled / (scale == 2 ? 100.0 : 10_000.0);
      }
      return BigDecimal.valueOf(unscaled, scale).doubleValue();
    }
  }
}
