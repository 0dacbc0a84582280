package io.retain.launcher;

import java.time.Duration;

/**
 * How long to wait before restarting a process that exited: doubling from {@code first} up to
 * {@code max}, and back to {@code first} once a run lasted {@code stableAfter} (a crash after an
 * hour is not part of a crash loop).
 */
record RestartBackoff(Duration first, Duration max, Duration stableAfter) {

  static final RestartBackoff DEFAULT =
      new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5));

  RestartBackoff {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("need 0 < first <= max, got " + first + ", " + max);
    }
  }

  /**
   * The delay before restart number {@code restart} (1 for the first) of a crash loop.
   *
   * @param restart how many restarts in a row, this one included, without a stable run between
   */
  Duration delay(int restart) {
    if (restart < 1) {
      throw new IllegalArgumentException("restart counts from 1, got " + restart);
    }
    Duration d = first;
    for (int i = 1; i < restart && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  /** The restart count after a run of {@code uptime} that followed {@code previous} restarts. */
  int next(int previous, Duration uptime) {
    return uptime.compareTo(stableAfter) >= 0 ? 1 : previous + 1;
  }
}
