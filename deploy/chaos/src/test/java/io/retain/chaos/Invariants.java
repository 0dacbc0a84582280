package io.retain.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * The campaign's checks: each is printed with the seed as it is decided, and the run fails at the
 * end listing every one that did not hold (so one broken invariant does not hide the others).
 */
final class Invariants {

  record Check(String name, boolean held, String detail) {}

  private final long seed;
  private final List<Check> checks = new ArrayList<>();

  Invariants(long seed) {
    this.seed = seed;
  }

  /** Records one invariant; {@code detail} says what was measured (values, not just a verdict). */
  boolean check(String name, boolean held, String detail) {
    checks.add(new Check(name, held, detail));
    System.out.println(
        "[chaos seed="
            + seed
            + "] INVARIANT "
            + (held ? "HELD  " : "BROKEN")
            + " "
            + name
            + " — "
            + detail);
    return held;
  }

  List<Check> checks() {
    return List.copyOf(checks);
  }

  /** Prints the summary and throws when any invariant was broken, naming the seed to re-run. */
  void assertAllHeld() {
    List<Check> broken = checks.stream().filter(c -> !c.held()).toList();
    System.out.println(
        "[chaos seed="
            + seed
            + "] "
            + (checks.size() - broken.size())
            + "/"
            + checks.size()
            + " invariants held");
    if (!broken.isEmpty()) {
      StringBuilder b =
          new StringBuilder("chaos seed " + seed + " (re-run with -Dchaos.seed=" + seed + "): ");
      for (Check c : broken) {
        b.append("\n  broken: ").append(c.name()).append(" — ").append(c.detail());
      }
      throw new AssertionError(b.toString());
    }
    if (checks.isEmpty()) {
      throw new AssertionError("chaos seed " + seed + ": no invariant was checked");
    }
  }
}
