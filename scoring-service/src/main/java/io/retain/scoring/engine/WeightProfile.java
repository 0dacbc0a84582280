package io.retain.scoring.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * A versioned weight profile: weights per component (summing to 100), targets, tier thresholds,
 * tier caps and value parameters. Data, not code: stored, versioned and assigned through the API.
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
    int noPurchaseCapDays,
    double npsCapBelow,
    int npsCapMinResponses,
    double margin,
    double discountRate) {

  /** DOMAIN.md §4 tier caps: 90 days without an order, or NPS below 30 from 3 responses. */
  public static final int NO_PURCHASE_CAP_DAYS = 90;

  public static final double NPS_CAP_BELOW = 30;
  public static final int NPS_CAP_MIN_RESPONSES = 3;

  /** DOMAIN.md §4 {@code default}. */
  public static WeightProfile defaults() {
    Map<Component, Integer> w = new EnumMap<>(Component.class);
    w.put(Component.REPURCHASE, 30);
    w.put(Component.STABILITY, 20);
    w.put(Component.FREQUENCY, 15);
    w.put(Component.NPS, 25);
    w.put(Component.COMPLAINT, 10);
    return seeded("default", w);
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
    return seeded("industrial-equipment", w);
  }

  /** A seeded profile: DOMAIN.md's default targets, thresholds, caps and value parameters. */
  private static WeightProfile seeded(String name, Map<Component, Integer> weights) {
    return new WeightProfile(
        name,
        1,
        weights,
        12,
        36,
        12,
        50,
        90,
        75,
        60,
        NO_PURCHASE_CAP_DAYS,
        NPS_CAP_BELOW,
        NPS_CAP_MIN_RESPONSES,
        0.3,
        0.10);
  }

  public int weight(Component c) {
    return weights.getOrDefault(c, 0);
  }

  public int totalWeight() {
    return weights.values().stream().mapToInt(Integer::intValue).sum();
  }
}
