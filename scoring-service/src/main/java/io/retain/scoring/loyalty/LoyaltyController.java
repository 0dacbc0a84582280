package io.retain.scoring.loyalty;

import io.retain.scoring.customer.Customer;
import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.Component;
import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.profile.ProfileRepository;
import io.retain.scoring.rescoring.RescoringService;
import io.retain.scoring.rescoring.StoredAssessment;
import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.Cursors;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
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

  LoyaltyController(
      DatabaseClient db,
      RescoringService rescoring,
      ProfileRepository profiles,
      BatchLoaderRegistry registry) {
    this.db = db;
    this.rescoring = rescoring;
    this.profiles = profiles;
    registry
        .forTypePair(LoyaltyKey.class, Loyalty.class)
        .withName("loyalty")
        .registerMappedBatchLoader((keys, env) -> load(keys));
  }

  /**
   * A stored assessment as the {@code Loyalty} type. Its fields are plain accessors, read by
   * graphql-java's property fetcher: a handler method per field (each wrapped for context
   * propagation and instrumentation) cost more than the values on a list of 50 customers.
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
  }

  record Rfm(int r, int f, int m, String segment) {}

  record ComponentScore(String name, Double value, int weight, Double pointsLost) {}

  record ScorePoint(
      LocalDate asOf, Double score, String tier, String profileName, int profileVersion) {}

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

  /** One loyalty read: a customer, and the date it is asked for (null: the latest). */
  record LoyaltyKey(String customerId, LocalDate asOf) {}

  record TierTrendPoint(
      LocalDate periodStart,
      LocalDate periodEnd,
      String tier,
      String group,
      int count,
      double share) {}

  /** Batched across the customers of a request: one query per distinct asOf. */
  @SchemaMapping(typeName = "Customer")
  CompletableFuture<Loyalty> loyalty(
      Customer c, @Argument LocalDate asOf, DataLoader<LoyaltyKey, Loyalty> loyalty) {
    return loyalty.load(new LoyaltyKey(c.id(), asOf));
  }

  private Mono<Map<LoyaltyKey, Loyalty>> load(Set<LoyaltyKey> keys) {
    Map<Optional<LocalDate>, List<String>> byDate =
        keys.stream()
            .collect(
                Collectors.groupingBy(
                    k -> Optional.ofNullable(k.asOf()),
                    Collectors.mapping(LoyaltyKey::customerId, Collectors.toList())));
    return profiles
        .current()
        .flatMapMany(
            p ->
                Flux.fromIterable(byDate.entrySet())
                    .concatMap(
                        e ->
                            stored(e.getValue(), e.getKey().orElse(null), p)
                                .map(
                                    l ->
                                        Map.entry(
                                            new LoyaltyKey(
                                                l.a().customerId(), e.getKey().orElse(null)),
                                            l))))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /**
   * Stored assessments: the latest ones (read through to the history row of their date), or (with
   * asOf) the newest history row at or before it, each derived from its stored inputs
   * (StoredAssessment); RFM is only known for the latest one. A history row whose detail was
   * dropped ({@code HistoryDetailRetention}) answers nothing rather than an older, stale
   * assessment.
   */
  private Flux<Loyalty> stored(
      List<String> ids, LocalDate asOf, ProfileRepository.Profiles profiles) {
    var spec =
        asOf == null
            ? db.sql(
                """
                select l.customer_id, h.body::text as body, h.inputs::text as inputs,
                  h.prior_score, h.as_of, h.profile_name, h.profile_version, q.r, q.f, q.m,
                  q.segment, l.computed_at
                from assessment_latest l
                  join assessment_history h on h.customer_id = l.customer_id and h.as_of = l.as_of
                  left join assessment_rfm q on q.customer_id = l.customer_id
                where l.customer_id = any($1::text[])
                """)
            : db.sql(
                    """
                    select h.customer_id, h.body::text as body, h.inputs::text as inputs,
                      h.prior_score, h.as_of, h.profile_name, h.profile_version, q.r, q.f, q.m,
                      q.segment, h.computed_at
                    from (select distinct on (customer_id) customer_id, as_of, body, inputs,
                            prior_score, profile_name, profile_version, computed_at
                          from assessment_history
                          where customer_id = any($1::text[]) and as_of <= $2
                          order by customer_id, as_of desc) h
                    left join assessment_latest l on l.customer_id = h.customer_id and l.as_of = h.as_of
                    left join assessment_rfm q on q.customer_id = l.customer_id
                    where h.body is not null or h.inputs is not null
                    """)
                .bind(1, asOf);
    return spec.bind(0, ids.toArray(String[]::new))
        .map(
            (r, m) -> {
              // the exact version that made the score, not today's version
              WeightProfile made =
                  profiles.version(
                      r.get("profile_name", String.class),
                      ((Number) r.get("profile_version")).intValue());
              String body = r.get("body", String.class);
              // rows written before V7 keep their document; later ones are derived from inputs
              if (body == null && made == null) {
                throw new IllegalStateException(
                    "profile "
                        + r.get("profile_name")
                        + " v"
                        + r.get("profile_version")
                        + " of a stored assessment is missing");
              }
              Assessment a =
                  body != null
                      ? json.readValue(body, Assessment.class)
                      : StoredAssessment.derive(
                          r.get("inputs", String.class),
                          made,
                          r.get("as_of", LocalDate.class),
                          r.get("prior_score") == null
                              ? null
                              : ((Number) r.get("prior_score")).doubleValue());
              Rfm rfm =
                  r.get("segment") == null
                      ? null
                      : new Rfm(
                          ((Number) r.get("r")).intValue(),
                          ((Number) r.get("f")).intValue(),
                          ((Number) r.get("m")).intValue(),
                          r.get("segment", String.class));
              return new Loyalty(
                  a,
                  rfm,
                  r.get("computed_at", OffsetDateTime.class).toInstant(),
                  made == null ? Map.of() : made.weights());
            })
        .all();
  }

  @SchemaMapping(typeName = "Customer")
  Flux<ScorePoint> loyaltyHistory(Customer c, @Argument LocalDate from, @Argument LocalDate to) {
    return db.sql(
            "select as_of, score, tier, profile_name, profile_version from assessment_history"
                + " where customer_id = $1"
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
                    r.get("profile_name", String.class),
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
            + " and ($3::text[] is null or customer_id in (select q.customer_id"
            + " from assessment_rfm q where q.segment = any($3::text[])))"
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
    String group = group(breakdown);
    return db.sql(
            "select tier, "
                + group
                + " as grp, count(*) as n, count(*)::float8 / sum(count(*)) over (partition by "
                + group
                + ") as share from assessment_latest group by tier, grp order by grp nulls first, tier")
        .map((r, m) -> tierCount(r))
        .all()
        .collectList();
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<TierTrendPoint>> tierTrend(
      @Argument LocalDate from,
      @Argument LocalDate to,
      @Argument String period,
      @Argument String breakdown) {
    String unit = period == null || period.equals("MONTH") ? "month" : "week";
    if (to.isBefore(from)) {
      throw ApiException.badInput("to", "a date on or after from", "to is before from");
    }
    long periods =
        unit.equals("month")
            ? java.time.temporal.ChronoUnit.MONTHS.between(from.withDayOfMonth(1), to) + 1
            : java.time.temporal.ChronoUnit.WEEKS.between(from, to) + 2;
    if (periods > 400) {
      throw ApiException.badInput(
          "to", "at most 400 periods", "from " + from + " to " + to + " is too many periods");
    }
    String group = group(breakdown);
    // each period's distribution is every customer's newest stored assessment at its end
    return db.sql(
            """
            with p as (
              select s::date as period_start,
                least((s + ('1 ' || $3::text)::interval - interval '1 day')::date, $2::date) as period_end
              from generate_series(date_trunc($3::text, $1::date::timestamp), $2::date::timestamp,
                ('1 ' || $3::text)::interval) s),
            s as (
              select distinct on (p.period_start, h.customer_id) p.period_start, p.period_end, h.tier,
                %s as grp
              from p join assessment_history h on h.as_of <= p.period_end
              order by p.period_start, h.customer_id, h.as_of desc)
            select period_start, period_end, tier, grp, count(*) as n,
              count(*)::float8 / sum(count(*)) over (partition by period_start, grp) as share
            from s group by period_start, period_end, tier, grp
            order by period_start, grp nulls first, tier
            """
                .formatted(group.equals("null::text") ? group : "h." + group))
        .bind(0, from)
        .bind(1, to)
        .bind(2, unit)
        .map(
            (r, m) -> {
              TierCount c = tierCount(r);
              return new TierTrendPoint(
                  r.get("period_start", LocalDate.class),
                  r.get("period_end", LocalDate.class),
                  c.tier(),
                  c.group(),
                  c.count(),
                  c.share());
            })
        .all()
        .collectList();
  }

  /** A row of tier, grp, n and share (of the group, to 4 decimals). */
  private static TierCount tierCount(io.r2dbc.spi.Readable r) {
    return new TierCount(
        r.get("tier", String.class),
        r.get("grp", String.class),
        ((Number) r.get("n")).intValue(),
        Math.round(((Number) r.get("share")).doubleValue() * 10000) / 10000.0);
  }

  private static String group(String breakdown) {
    return breakdown == null
        ? "null::text"
        : switch (breakdown) {
          case "KIND" -> "kind";
          case "INDUSTRY" -> "industry";
          case "VALUE_TIER" -> "value_tier";
          default ->
              throw ApiException.badInput("breakdown", "KIND, INDUSTRY or VALUE_TIER", breakdown);
        };
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
