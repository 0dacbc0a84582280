package io.retain.scoring.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * A versioned weight profile: weights per component (summing to 100), targets, thresholds and value
 * parameters. Data, not code: stored and edited through the API.
 */
public record WeightProfile(
    String name,
    int version,
    Map<Component, Integer> weights,
    double frequencyTarget,
    int tenureTargetMonths,
    int windowMonths,
    int minPresentWeight,
    double diehardAt,
    double stableAt,
    double potentialChurnAt,
    double margin,
    double discountRate) {

  /** DOMAIN.md §4 {@code default}. */
  public static WeightProfile defaults() {
    Map<Component, Integer> w = new EnumMap<>(Component.class);
    w.put(Component.REPURCHASE, 30);
    w.put(Component.STABILITY, 20);
    w.put(Component.FREQUENCY, 15);
    w.put(Component.NPS, 25);
    w.put(Component.COMPLAINT, 10);
    return new WeightProfile("default", 1, w, 12, 36, 12, 50, 90, 75, 60, 0.3, 0.10);
  }

  /** DOMAIN.md §4 {@code industrial-equipment}: relationship over frequency. */
  public static WeightProfile industrialEquipment() {
    Map<Component, Integer> w = new EnumMap<>(Component.class);
    w.put(Component.REPURCHASE, 25);
    w.put(Component.STABILITY, 20);
    w.put(Component.FREQUENCY, 5);
    w.put(Component.NPS, 25);
    w.put(Component.COMPLAINT, 10);
    w.put(Component.TENURE, 15);
    return new WeightProfile("industrial-equipment", 1, w, 12, 36, 12, 50, 90, 75, 60, 0.3, 0.10);
  }

  public int weight(Component c) {
    return weights.getOrDefault(c, 0);
  }

  public int totalWeight() {
    return weights.values().stream().mapToInt(Integer::intValue).sum();
  }
}
