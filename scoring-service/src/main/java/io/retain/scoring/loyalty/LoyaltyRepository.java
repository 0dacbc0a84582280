package io.retain.scoring.loyalty;

import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.loyalty.Loyalty.Rfm;
import io.retain.scoring.profile.ProfileRepository;
import io.retain.scoring.rescoring.StoredAssessment;
import io.retain.support.graphql.ApiException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** Reads of stored assessments: a customer's loyalty and history, and the population's tiers. */
@Repository
class LoyaltyRepository {

  record ScorePoint(
      LocalDate asOf, Double score, String tier, String profileName, int profileVersion) {}

  record LoyaltyFilter(
      List<String> tiers,
      List<String> riskCodes,
      List<String> segments,
      Double minScore,
      Double maxScore) {}

  record TierCount(String tier, String group, int count, double share) {}

  record TierTrendPoint(
      LocalDate periodStart,
      LocalDate periodEnd,
      String tier,
      String group,
      int count,
      double share) {}

  private static final String WHERE =
      " where ($1::text[] is null or tier = any($1::text[]))"
          + " and ($2::text[] is null or risk_codes && $2::text[])"
          + " and ($3::text[] is null or customer_id in (select q.customer_id"
          + " from assessment_rfm q where q.segment = any($3::text[])))"
          + " and ($4::numeric is null or score >= $4::numeric)"
          + " and ($5::numeric is null or score <= $5::numeric)";

  private final DatabaseClient db;
  private final ObjectMapper json = new ObjectMapper();

  LoyaltyRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Stored assessments: the latest ones (read through to the history row of their date), or (with
   * asOf) the newest history row at or before it, each derived from its stored inputs
   * (StoredAssessment); RFM is only known for the latest one. A history row whose detail was
   * dropped ({@code HistoryDetailRetention}) answers nothing rather than an older, stale
   * assessment.
   */
  Flux<Loyalty> stored(List<String> ids, LocalDate asOf, ProfileRepository.Profiles profiles) {
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

  /** Stored scores of a customer between two dates (null: unbounded), oldest first. */
  Flux<ScorePoint> history(String customerId, LocalDate from, LocalDate to) {
    return db.sql(
            "select as_of, score, tier, profile_name, profile_version from assessment_history"
                + " where customer_id = $1"
                + " and as_of >= $2 and as_of <= $3 order by as_of")
        .bind(0, customerId)
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

  /** Ids of the latest assessments matching a filter, after an id, in id order. */
  Mono<List<String>> page(LoyaltyFilter f, String afterId, int limit) {
    return bindFilter(
            db.sql(
                "select customer_id from assessment_latest"
                    + WHERE
                    + " and customer_id > $6 order by customer_id limit $7"),
            f)
        .bind(5, afterId)
        .bind(6, limit)
        .map((r, m) -> r.get(0, String.class))
        .all()
        .collectList();
  }

  /** How many latest assessments match a filter. */
  Mono<Integer> count(LoyaltyFilter f) {
    return bindFilter(db.sql("select count(*) from assessment_latest" + WHERE), f)
        .map((r, m) -> ((Number) r.get(0)).intValue())
        .one();
  }

  private static DatabaseClient.GenericExecuteSpec bindFilter(
      DatabaseClient.GenericExecuteSpec spec, LoyaltyFilter f) {
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

  private static DatabaseClient.GenericExecuteSpec bindArray(
      DatabaseClient.GenericExecuteSpec spec, int i, List<String> v) {
    return v == null || v.isEmpty()
        ? spec.bindNull(i, String[].class)
        : spec.bind(i, v.toArray(String[]::new));
  }

  /** Tier counts now, by group (null breakdown: one group). */
  Mono<List<TierCount>> distribution(String breakdown) {
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

  /** At the end of each period ("month" or "week"), every customer's newest assessment. */
  Mono<List<TierTrendPoint>> trend(LocalDate from, LocalDate to, String unit, String breakdown) {
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
}
