package io.retain.scoring.loyalty;

import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.Component;
import io.retain.scoring.engine.RiskFactor;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stored assessment as the {@code Loyalty} type. Its fields are plain accessors, read by
 * graphql-java's property fetcher: a handler method per field (each wrapped for context propagation
 * and instrumentation) cost more than the values on a list of 50 customers.
 */
record Loyalty(Assessment a, Rfm rfm, Instant computedAt, Map<Component, Integer> weights) {
  public Double score() {
    return a.score();
  }

  public String tier() {
    return a.tier().name();
  }

  public List<String> tierCaps() {
    return a.tierCaps();
  }

  public List<ComponentScore> components() {
    List<ComponentScore> out = new ArrayList<>();
    for (var e : a.components().entrySet()) {
      Component c = e.getKey();
      out.add(
          new ComponentScore(
              c.key(), e.getValue(), weights.getOrDefault(c, 0), a.pointsLost().get(c)));
    }
    return out;
  }

  /** {@code code} and {@code severity} are Java enums, serialized by name as Strings. */
  public List<RiskFactor> riskFactors() {
    return a.riskFactors();
  }

  public Assessment.Metrics metrics() {
    return a.metrics();
  }

  public Assessment.Value value() {
    return a.value();
  }

  public String profileName() {
    return a.profileName();
  }

  public int profileVersion() {
    return a.profileVersion();
  }

  public LocalDate asOf() {
    return a.asOf();
  }

  /** RFM quintiles and segment (latest assessment only). */
  record Rfm(int r, int f, int m, String segment) {}

  /** One weighted component, with its weight in the profile that scored it. */
  record ComponentScore(String name, Double value, int weight, Double pointsLost) {}
}
