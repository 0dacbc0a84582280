package io.retain.scoring.loyalty;

import graphql.schema.DataFetchingEnvironment;
import io.retain.scoring.customer.Customer;
import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.Component;
import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.profile.ProfileRepository;
import io.retain.scoring.rescoring.RescoringService;
import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.Cursors;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** Loyalty reads (batched, from stored assessments), population queries and rescoring. */
@Controller
class LoyaltyController {

  private final DatabaseClient db;
  private final RescoringService rescoring;
  private final ProfileRepository profiles;
  private final ObjectMapper json = new ObjectMapper();

  LoyaltyController(DatabaseClient db, RescoringService rescoring, ProfileRepository profiles) {
    this.db = db;
    this.rescoring = rescoring;
    this.profiles = profiles;
  }

  record Loyalty(Assessment a, Rfm rfm, Instant computedAt, Map<Component, Integer> weights) {}

  record Rfm(int r, int f, int m, String segment) {}

  record ComponentScore(String name, Double value, int weight, Double pointsLost) {}

  record ScorePoint(LocalDate asOf, Double score, String tier, int profileVersion) {}

  record LoyaltyEdge(String cursor, Customer node) {}

  record PageInfo(boolean hasNextPage, String endCursor) {}

  record LoyaltyConnection(List<LoyaltyEdge> edges, PageInfo pageInfo, int totalCount) {}

  record LoyaltyFilter(
      List<String> tiers,
      List<String> riskCodes,
      List<String> segments,
      Double minScore,
      Double maxScore) {}

  record TierCount(String tier, String group, int count, double share) {}

  record RescoreInput(LocalDate asOf, List<String> customerIds) {}

  record RescoreAllInput(LocalDate asOf) {}

  record RescorePayload(long scored) {}

  record ComponentWeight(String name, int weight) {}

  record WeightProfileView(String name, int version, List<ComponentWeight> weights) {}

  @BatchMapping(typeName = "Customer", field = "loyalty")
  Mono<Map<Customer, Loyalty>> loyalty(List<Customer> customers) {
    return profiles.current().flatMap(p -> loyalty(customers, p));
  }

  private Mono<Map<Customer, Loyalty>> loyalty(
      List<Customer> customers, ProfileRepository.Profiles profiles) {
    return db.sql(
            "select customer_id, body::text as body, rfm_r, rfm_f, rfm_m, rfm_segment, computed_at"
                + " from assessment_latest where customer_id = any($1::text[])")
        .bind(0, customers.stream().map(Customer::id).toArray(String[]::new))
        .map(
            (r, m) -> {
              Assessment a = json.readValue(r.get("body", String.class), Assessment.class);
              Rfm rfm =
                  r.get("rfm_segment") == null
                      ? null
                      : new Rfm(
                          ((Number) r.get("rfm_r")).intValue(),
                          ((Number) r.get("rfm_f")).intValue(),
                          ((Number) r.get("rfm_m")).intValue(),
                          r.get("rfm_segment", String.class));
              var weights =
                  profiles.byName().containsKey(a.profileName())
                      ? profiles.byName().get(a.profileName()).weights()
                      : Map.<Component, Integer>of();
              return new Loyalty(
                  a, rfm, r.get("computed_at", OffsetDateTime.class).toInstant(), weights);
            })
        .all()
        .collectMap(l -> new Customer(l.a().customerId()));
  }

  @SchemaMapping(typeName = "Loyalty")
  Double score(Loyalty l) {
    return l.a().score();
  }

  @SchemaMapping(typeName = "Loyalty")
  String tier(Loyalty l) {
    return l.a().tier().name();
  }

  @SchemaMapping(typeName = "Loyalty")
  String tierLabel(Loyalty l, @Argument String locale, DataFetchingEnvironment env) {
    return l.a().tier().label(chinese(locale, env));
  }

  @SchemaMapping(typeName = "Loyalty")
  List<String> tierCaps(Loyalty l) {
    return l.a().tierCaps();
  }

  @SchemaMapping(typeName = "Loyalty")
  List<ComponentScore> components(Loyalty l) {
    List<ComponentScore> out = new ArrayList<>();
    for (var e : l.a().components().entrySet()) {
      Component c = e.getKey();
      out.add(
          new ComponentScore(
              c.key(), e.getValue(), l.weights().getOrDefault(c, 0), l.a().pointsLost().get(c)));
    }
    return out;
  }

  @SchemaMapping(typeName = "Loyalty")
  List<RiskFactor> riskFactors(Loyalty l) {
    return l.a().riskFactors();
  }

  @SchemaMapping(typeName = "Loyalty")
  Assessment.Metrics metrics(Loyalty l) {
    return l.a().metrics();
  }

  @SchemaMapping(typeName = "Loyalty")
  Assessment.Value value(Loyalty l) {
    return l.a().value();
  }

  @SchemaMapping(typeName = "Loyalty")
  String profileName(Loyalty l) {
    return l.a().profileName();
  }

  @SchemaMapping(typeName = "Loyalty")
  int profileVersion(Loyalty l) {
    return l.a().profileVersion();
  }

  @SchemaMapping(typeName = "Loyalty")
  LocalDate asOf(Loyalty l) {
    return l.a().asOf();
  }

  @SchemaMapping(typeName = "RiskFactor")
  String code(RiskFactor f) {
    return f.code().name();
  }

  @SchemaMapping(typeName = "RiskFactor")
  String severity(RiskFactor f) {
    return f.severity().name();
  }

  @SchemaMapping(typeName = "RiskFactor")
  String message(RiskFactor f, @Argument String locale, DataFetchingEnvironment env) {
    return f.message(chinese(locale, env));
  }

  static boolean chinese(String locale, DataFetchingEnvironment env) {
    if (locale != null) {
      return locale.toLowerCase(Locale.ROOT).startsWith("zh");
    }
    Locale l = env.getLocale();
    return l != null && l.getLanguage().equals("zh");
  }

  @SchemaMapping(typeName = "Customer")
  Flux<ScorePoint> loyaltyHistory(Customer c, @Argument LocalDate from, @Argument LocalDate to) {
    return db.sql(
            "select as_of, score, tier, profile_version from assessment_history where customer_id = $1"
                + " and as_of >= $2 and as_of <= $3 order by as_of")
        .bind(0, c.id())
        .bind(1, from == null ? LocalDate.of(1900, 1, 1) : from)
        .bind(2, to == null ? LocalDate.of(9999, 12, 31) : to)
        .map(
            (r, m) ->
                new ScorePoint(
                    r.get("as_of", LocalDate.class),
                    r.get("score") == null ? null : ((Number) r.get("score")).doubleValue(),
                    r.get("tier", String.class),
                    r.get("profile_version", Integer.class)))
        .all();
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<LoyaltyConnection> customersByLoyalty(
      @Argument LoyaltyFilter filter, @Argument Integer first, @Argument String after) {
    int n = first == null ? 50 : first;
    if (n < 1 || n > 1000) {
      throw ApiException.badInput("first", "1 to 1000", "first " + n + " is out of range");
    }
    LoyaltyFilter f = filter == null ? new LoyaltyFilter(null, null, null, null, null) : filter;
    String where =
        " where ($1::text[] is null or tier = any($1::text[]))"
            + " and ($2::text[] is null or risk_codes && $2::text[])"
            + " and ($3::text[] is null or rfm_segment = any($3::text[]))"
            + " and ($4::numeric is null or score >= $4::numeric)"
            + " and ($5::numeric is null or score <= $5::numeric)";
    String afterId = after == null ? "" : Cursors.decode(after, "after");
    Mono<List<String>> page =
        bindFilter(
                db.sql(
                    "select customer_id from assessment_latest"
                        + where
                        + " and customer_id > $6 order by customer_id limit $7"),
                f)
            .bind(5, afterId)
            .bind(6, n + 1)
            .map((r, m) -> r.get(0, String.class))
            .all()
            .collectList();
    Mono<Integer> total =
        bindFilter(db.sql("select count(*) from assessment_latest" + where), f)
            .map((r, m) -> ((Number) r.get(0)).intValue())
            .one();
    return Mono.zip(page, total)
        .map(
            t -> {
              List<String> ids = t.getT1();
              boolean more = ids.size() > n;
              List<LoyaltyEdge> edges =
                  (more ? ids.subList(0, n) : ids)
                      .stream()
                          .map(id -> new LoyaltyEdge(Cursors.encode(id), new Customer(id)))
                          .toList();
              return new LoyaltyConnection(
                  edges,
                  new PageInfo(more, edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor()),
                  t.getT2());
            });
  }

  private static org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec bindFilter(
      org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec spec, LoyaltyFilter f) {
    spec = bindArray(spec, 0, f.tiers());
    spec = bindArray(spec, 1, f.riskCodes());
    spec = bindArray(spec, 2, f.segments());
    spec =
        f.minScore() == null
            ? spec.bindNull(3, java.math.BigDecimal.class)
            : spec.bind(3, java.math.BigDecimal.valueOf(f.minScore()));
    spec =
        f.maxScore() == null
            ? spec.bindNull(4, java.math.BigDecimal.class)
            : spec.bind(4, java.math.BigDecimal.valueOf(f.maxScore()));
    return spec;
  }

  private static org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec bindArray(
      org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec spec,
      int i,
      List<String> v) {
    return v == null || v.isEmpty()
        ? spec.bindNull(i, String[].class)
        : spec.bind(i, v.toArray(String[]::new));
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<TierCount>> tierDistribution(@Argument String breakdown) {
    String group =
        breakdown == null
            ? "null::text"
            : switch (breakdown) {
              case "KIND" -> "kind";
              case "INDUSTRY" -> "industry";
              case "VALUE_TIER" -> "value_tier";
              default ->
                  throw ApiException.badInput(
                      "breakdown", "KIND, INDUSTRY or VALUE_TIER", breakdown);
            };
    return db.sql(
            "select tier, "
                + group
                + " as grp, count(*) as n, count(*)::float8 / sum(count(*)) over (partition by "
                + group
                + ") as share from assessment_latest group by tier, grp order by grp nulls first, tier")
        .map(
            (r, m) ->
                new TierCount(
                    r.get("tier", String.class),
                    r.get("grp", String.class),
                    ((Number) r.get("n")).intValue(),
                    Math.round(((Number) r.get("share")).doubleValue() * 10000) / 10000.0))
        .all()
        .collectList();
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<WeightProfileView>> weightProfiles() {
    return profiles
        .current()
        .map(
            p ->
                p.byName().values().stream()
                    .map(
                        w ->
                            new WeightProfileView(
                                w.name(),
                                w.version(),
                                w.weights().entrySet().stream()
                                    .map(e -> new ComponentWeight(e.getKey().key(), e.getValue()))
                                    .toList()))
                    .sorted(java.util.Comparator.comparing(WeightProfileView::name))
                    .toList());
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN') or hasRole('SERVICE')")
  Mono<RescorePayload> rescore(@Argument RescoreInput input) {
    if (input.customerIds().isEmpty()) {
      throw ApiException.badInput(
          "input.customerIds", "at least one id", "no customers to rescore");
    }
    List<String> ids =
        input.customerIds().stream()
            .map(i -> i.trim().toUpperCase(Locale.ROOT))
            .distinct()
            .toList();
    return rescoring
        .rescore(ids, input.asOf())
        .map(RescorePayload::new)
        .onErrorMap(e -> !(e instanceof ApiException), LoyaltyController::upstream);
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN') or hasRole('SERVICE')")
  Mono<RescorePayload> rescoreAll(@Argument RescoreAllInput input) {
    return rescoring
        .rescoreAll(input.asOf())
        .map(RescorePayload::new)
        .onErrorMap(e -> !(e instanceof ApiException), LoyaltyController::upstream);
  }

  private static ApiException upstream(Throwable e) {
    return new ApiException(
        "UPSTREAM_UNAVAILABLE",
        null,
        "customer-service reachable",
        "customer-service did not answer; stored scores are unchanged");
  }
}
