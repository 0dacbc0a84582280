package io.retain.chaos;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Whether a resource is flat over a soak: the first 20% of the samples are warm-up (JIT, heap
 * growing to its working size, pools filling); after that, the last quarter's mean may exceed the
 * first quarter's by at most {@code relative} plus {@code absolute}. A leak grows without bound, so
 * a long run pushes it past any fixed margin; a sawtooth (GC) averages out within a quarter.
 */
record SoakTrend(double firstQuarter, double lastQuarter, int samples) {

  /** The trend of {@code values} in time order; fewer than 8 samples cannot say. */
  static SoakTrend of(List<Long> values) {
    List<Long> known = values.stream().filter(v -> v >= 0).toList();
    int n = known.size();
    if (n < 8) {
      return new SoakTrend(Double.NaN, Double.NaN, n);
    }
    List<Long> steady = known.subList(n / 5, n);
    int q = Math.max(1, steady.size() / 4);
    return new SoakTrend(
        mean(steady.subList(0, q)), mean(steady.subList(steady.size() - q, steady.size())), n);
  }

  boolean flat(double relative, double absolute) {
    return samples >= 8 && lastQuarter <= firstQuarter * (1 + relative) + absolute;
  }

  private static double mean(List<Long> v) {
    return v.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
  }

  /** Records RSS (+15% + 32 MiB), open descriptors (+10% + 16) and heap (+50% + 64 MiB). */
  static void check(Invariants invariants, String service, List<ProcessSample> all) {
    List<ProcessSample> mine =
        all.stream()
            .filter(s -> s.service().equals(service))
            .sorted(Comparator.comparingLong(ProcessSample::seconds))
            .toList();
    record(invariants, service, "resident memory (KiB)", mine, ProcessSample::rssKb, 0.15, 32768);
    record(invariants, service, "open file descriptors", mine, ProcessSample::openFds, 0.10, 16);
    record(
        invariants,
        service,
        "heap in use (bytes)",
        mine,
        ProcessSample::heapUsedBytes,
        0.50,
        64.0 * 1024 * 1024);
  }

  private static void record(
      Invariants invariants,
      String service,
      String what,
      List<ProcessSample> samples,
      ToLongFunction<ProcessSample> value,
      double relative,
      double absolute) {
    SoakTrend t = of(samples.stream().map(value::applyAsLong).toList());
    invariants.check(
        service + " " + what + " flat over the soak",
        t.flat(relative, absolute),
        String.format(
            java.util.Locale.ROOT,
            "first quarter after warm-up %.0f, last quarter %.0f (%d samples; allowed +%.0f%% + %.0f)",
            t.firstQuarter(),
            t.lastQuarter(),
            t.samples(),
            relative * 100,
            absolute));
  }
}
