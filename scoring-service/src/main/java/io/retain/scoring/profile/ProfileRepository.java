package io.retain.scoring.profile;

import io.retain.scoring.engine.Component;
import io.retain.scoring.engine.WeightProfile;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Weight profiles (every version) and which industry or segment each one scores. */
@Repository
public class ProfileRepository {

  /** Assignment scopes: a segment is the customer's kind and value tier, e.g. ENTERPRISE/KEY. */
  public static final String INDUSTRY = "INDUSTRY";

  public static final String SEGMENT = "SEGMENT";

  /** One assignment of a profile (by name: its latest version scores) to an industry or segment. */
  public record Assignment(String scope, String target, String profileName) {}

  /**
   * The profiles as stored: the latest version by name, every version by {@code name:version}, and
   * the assignments.
   */
  public record Profiles(
      Map<String, WeightProfile> byName,
      Map<String, WeightProfile> byVersion,
      Map<String, String> byIndustry,
      Map<String, String> bySegment) {

    /** The profile for a customer: its segment's assignment, else its industry's, else default. */
    public WeightProfile forCustomer(String kind, String valueTier, String industry) {
      String name = bySegment.get(segment(kind, valueTier));
      if (name == null) {
        name = byIndustry.getOrDefault(industry, "default");
      }
      return byName.getOrDefault(name, byName.get("default"));
    }

    /** The exact version that made a stored score (null if it was never stored). */
    public WeightProfile version(String name, int version) {
      return byVersion.get(name + ":" + version);
    }
  }

  public static String segment(String kind, String valueTier) {
    return kind + "/" + valueTier;
  }

  private final DatabaseClient db;
  private final ObjectMapper json = new ObjectMapper();

  ProfileRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Profiles> current() {
    Mono<List<WeightProfile>> profiles =
        db.sql(
                "select name, version, body::text as body from weight_profile order by name, version")
            .map(
                (r, m) ->
                    parse(
                        r.get("name", String.class),
                        r.get("version", Integer.class),
                        r.get("body", String.class)))
            .all()
            .collectList();
    return Mono.zip(profiles, assignments().collectList())
        .map(
            t -> {
              Map<String, WeightProfile> latest = new LinkedHashMap<>();
              Map<String, WeightProfile> versions = new LinkedHashMap<>();
              for (WeightProfile p : t.getT1()) {
                latest.put(p.name(), p); // ordered by version: the last one wins
                versions.put(p.name() + ":" + p.version(), p);
              }
              Map<String, String> industry = new LinkedHashMap<>();
              Map<String, String> segment = new LinkedHashMap<>();
              for (Assignment a : t.getT2()) {
                (SEGMENT.equals(a.scope()) ? segment : industry).put(a.target(), a.profileName());
              }
              return new Profiles(latest, versions, industry, segment);
            });
  }

  public reactor.core.publisher.Flux<Assignment> assignments() {
    return db.sql(
            "select scope, target, profile_name from profile_assignment order by scope, target")
        .map(
            (r, m) ->
                new Assignment(
                    r.get("scope", String.class),
                    r.get("target", String.class),
                    r.get("profile_name", String.class)))
        .all();
  }

  /** Stores the profile as the next version of its name (1 for a new name); returns it. */
  public Mono<WeightProfile> createVersion(WeightProfile p) {
    String body = body(p);
    return db.sql(
            "insert into weight_profile (name, version, body)"
                + " select $1, coalesce(max(version), 0) + 1, $2::jsonb from weight_profile"
                + " where name = $1 returning version")
        .bind(0, p.name())
        .bind(1, body)
        .map((r, m) -> r.get(0, Integer.class))
        .one()
        .map(v -> parse(p.name(), v, body));
  }

  Mono<Boolean> exists(String name) {
    return db.sql("select exists (select 1 from weight_profile where name = $1)")
        .bind(0, name)
        .map((r, m) -> r.get(0, Boolean.class))
        .one();
  }

  Mono<Assignment> assign(Assignment a) {
    return db.sql(
            "insert into profile_assignment (scope, target, profile_name) values ($1, $2, $3)"
                + " on conflict (scope, target) do update set profile_name = excluded.profile_name,"
                + " assigned_at = now()")
        .bind(0, a.scope())
        .bind(1, a.target())
        .bind(2, a.profileName())
        .fetch()
        .rowsUpdated()
        .thenReturn(a);
  }

  String body(WeightProfile p) {
    Map<String, Object> b = new LinkedHashMap<>();
    Map<String, Integer> weights = new LinkedHashMap<>();
    p.weights().forEach((c, w) -> weights.put(c.name(), w));
    b.put("weights", weights);
    b.put("frequencyTarget", p.frequencyTarget());
    b.put("tenureTargetMonths", p.tenureTargetMonths());
    b.put("windowMonths", p.windowMonths());
    b.put("minPresentWeight", p.minPresentWeight());
    b.put("diehardAt", p.diehardAt());
    b.put("stableAt", p.stableAt());
    b.put("potentialChurnAt", p.potentialChurnAt());
    b.put("noPurchaseCapDays", p.noPurchaseCapDays());
    b.put("npsCapBelow", p.npsCapBelow());
    b.put("npsCapMinResponses", p.npsCapMinResponses());
    b.put("margin", p.margin());
    b.put("discountRate", p.discountRate());
    return json.writeValueAsString(b);
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
        b.has("noPurchaseCapDays")
            ? b.get("noPurchaseCapDays").asInt()
            : WeightProfile.NO_PURCHASE_CAP_DAYS,
        b.has("npsCapBelow") ? b.get("npsCapBelow").asDouble() : WeightProfile.NPS_CAP_BELOW,
        b.has("npsCapMinResponses")
            ? b.get("npsCapMinResponses").asInt()
            : WeightProfile.NPS_CAP_MIN_RESPONSES,
        b.get("margin").asDouble(),
        b.get("discountRate").asDouble());
  }
}
