package io.retain.retention.plan;

import io.retain.retention.remote.CustomerProfile;
import io.retain.retention.remote.RiskFactor;
import io.retain.retention.remote.WarningEvent;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worked example as retention-service receives it: warnings built the way scoring emits them (a
 * first assessment in POTENTIAL_CHURN or HIGH_RISK is a warning with fromTier null) from
 * worked-example.expected.json, and profiles from worked-example.input.json.
 */
public final class WorkedExampleTestData {

  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");

  private WorkedExampleTestData() {}

  static JsonNode read(String name) {
    try (InputStream in =
        WorkedExampleTestData.class.getResourceAsStream("/fixtures/worked-example." + name)) {
      return JsonMapper.builder().build().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The warning feed scoring produces on the first scoring of the worked example. */
  public static List<WarningEvent> warnings() {
    List<WarningEvent> feed = new ArrayList<>();
    long seq = 0;
    for (JsonNode c : read("expected.json")) {
      String tier = c.get("tier").asString();
      if (!tier.equals("POTENTIAL_CHURN") && !tier.equals("HIGH_RISK")) {
        continue;
      }
      List<RiskFactor> factors = new ArrayList<>();
      for (JsonNode f : c.get("riskFactors")) {
        factors.add(
            new RiskFactor(
                f.get("code").asString(), f.get("severity").asString(), null, null, null, null));
      }
      feed.add(
          new WarningEvent(
              ++seq,
              c.get("id").asString(),
              AS_OF,
              OffsetDateTime.of(2026, 7, 1, 2, 0, 0, 0, ZoneOffset.UTC),
              null,
              tier,
              null,
              c.get("score").asDouble(),
              List.of("FIRST_ASSESSMENT_AT_RISK"),
              factors));
    }
    return feed;
  }

  /** Profiles (value tier; no churn reasons) of the worked example's customers, by id. */
  public static Map<String, CustomerProfile> profiles() {
    Map<String, CustomerProfile> profiles = new LinkedHashMap<>();
    for (JsonNode c : read("input.json").get("customers")) {
      String id = c.get("id").asString();
      profiles.put(
          id,
          new CustomerProfile(
              id,
              c.get("kind").asString(),
              c.get("industry").asString(),
              c.get("valueTier").asString(),
              null,
              "ACTIVE",
              LocalDate.parse(c.get("since").asString()),
              List.of()));
    }
    return profiles;
  }
}
