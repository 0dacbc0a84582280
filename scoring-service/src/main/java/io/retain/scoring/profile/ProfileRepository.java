package io.retain.scoring.profile;

import io.retain.scoring.engine.Component;
import io.retain.scoring.engine.WeightProfile;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Weight profiles (latest version of each) and which industry each one scores. */
@Repository
public class ProfileRepository {

  /** The profiles in force: by name, and the assignments by industry. */
  public record Profiles(Map<String, WeightProfile> byName, Map<String, String> byIndustry) {
    public WeightProfile forIndustry(String industry) {
      String name = byIndustry.getOrDefault(industry, "default");
      return byName.getOrDefault(name, byName.get("default"));
    }
  }

  private final DatabaseClient db;
  private final ObjectMapper json = new ObjectMapper();

  ProfileRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Profiles> current() {
    Mono<Map<String, WeightProfile>> profiles =
        db.sql(
                "select distinct on (name) name, version, body::text as body from weight_profile"
                    + " order by name, version desc")
            .map(
                (r, m) ->
                    parse(
                        r.get("name", String.class),
                        r.get("version", Integer.class),
                        r.get("body", String.class)))
            .all()
            .collectMap(WeightProfile::name);
    Mono<Map<String, String>> assignments =
        db.sql("select industry, profile_name from profile_assignment")
            .map(
                (r, m) ->
                    Map.entry(r.get("industry", String.class), r.get("profile_name", String.class)))
            .all()
            .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    return Mono.zip(profiles, assignments)
        .map(t -> new Profiles(new HashMap<>(t.getT1()), t.getT2()));
  }

  WeightProfile parse(String name, int version, String body) {
    JsonNode b = json.readTree(body);
    Map<Component, Integer> weights = new EnumMap<>(Component.class);
    b.get("weights")
        .properties()
        .forEach(e -> weights.put(Component.valueOf(e.getKey()), e.getValue().asInt()));
    return new WeightProfile(
        name,
        version,
        weights,
        b.get("frequencyTarget").asDouble(),
        b.get("tenureTargetMonths").asInt(),
        b.get("windowMonths").asInt(),
        b.get("minPresentWeight").asInt(),
        b.get("diehardAt").asDouble(),
        b.get("stableAt").asDouble(),
        b.get("potentialChurnAt").asDouble(),
        b.get("margin").asDouble(),
        b.get("discountRate").asDouble());
  }
}
