package io.retain.scoring.prediction.churn;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** Churn model versions and per-customer predictions (V13); all of the feature's SQL. */
@Repository
public class ChurnModelRepository {

  /** A stored model version with its report. */
  public record StoredModel(
      int version, Instant createdAt, boolean active, LogisticModel model, ChurnReport report) {}

  /** One customer's stored prediction. */
  public record Prediction(
      String customerId,
      int modelVersion,
      LocalDate asOf,
      double probability,
      @Nullable Double clv,
      @Nullable Double expectedLostValue,
      double[] features) {}

  private final DatabaseClient db;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<Integer, StoredModel> activeByVersion = new ConcurrentHashMap<>();

  ChurnModelRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Stores a trained model as the next version (inactive). */
  Mono<StoredModel> insert(ChurnTrainer.Trained t, Instant now) {
    ChurnReport r = t.report();
    var insert =
        db.sql(
                "insert into churn_model (version, created_at, horizon_days, validated,"
                    + " beats_baselines, auc, model, report)"
                    + " select coalesce(max(version), 0) + 1, $1, $2, $3, $4, $5, $6::json, $7::json"
                    + " from churn_model returning version")
            .bind(0, now)
            .bind(1, r.horizonDays())
            .bind(2, r.validated())
            .bind(3, r.beatsBaselines())
            .bind(5, json.writeValueAsString(t.model()))
            .bind(6, json.writeValueAsString(r));
    return (r.auc() == null ? insert.bindNull(4, Double.class) : insert.bind(4, r.auc().value()))
        .map((row, m) -> row.get(0, Integer.class))
        .one()
        .map(v -> new StoredModel(v, now, false, t.model(), r));
  }

  Flux<StoredModel> all() {
    return db.sql(
            "select version, created_at, active, model, report from churn_model order by version")
        .map((row, m) -> stored(row))
        .all();
  }

  Mono<StoredModel> version(int version) {
    return db.sql(
            "select version, created_at, active, model, report from churn_model where version = $1")
        .bind(0, version)
        .map((row, m) -> stored(row))
        .one();
  }

  /**
   * The active model, if any. Rescoring asks once per batch of 1,000 customers: only the active
   * version's number is read each time; its model and report (JSON, a few kB with calibration,
   * purchase fits and the weight proposal) are parsed once per version, as a stored version's model
   * and report never change (only which version is active does).
   */
  public Mono<StoredModel> active() {
    return db.sql("select version from churn_model where active")
        .map((row, m) -> row.get(0, Integer.class))
        .one()
        .flatMap(
            v -> {
              StoredModel known = activeByVersion.get(v);
              return known != null
                  ? Mono.just(known)
                  : version(v).filter(StoredModel::active).doOnNext(m -> activeByVersion.put(v, m));
            });
  }

  /** Makes this version the only active one (call inside a transaction). */
  Mono<Void> activate(int version) {
    return db.sql("update churn_model set active = false where active and version <> $1")
        .bind(0, version)
        .then()
        .then(
            db.sql("update churn_model set active = true where version = $1")
                .bind(0, version)
                .then());
  }

  /**
   * Upserts a batch of predictions in one statement. The features of every row go as one binary
   * parameter (big-endian float8s, V22) sliced per row in SQL: no number is written or parsed as
   * text. The rows of a batch share a model, so their feature count.
   */
  public Mono<Void> save(List<Prediction> batch, Instant now) {
    if (batch.isEmpty()) {
      return Mono.empty();
    }
    int n = batch.size();
    int width = batch.get(0).features().length;
    String[] ids = new String[n];
    Integer[] versions = new Integer[n];
    LocalDate[] dates = new LocalDate[n];
    Double[] p = new Double[n];
    Double[] clv = new Double[n];
    Double[] lost = new Double[n];
    ByteBuffer features = ByteBuffer.allocate(n * width * Double.BYTES);
    for (int i = 0; i < n; i++) {
      Prediction x = batch.get(i);
      if (x.features().length != width) {
        throw new IllegalArgumentException(
            "a batch's predictions have "
                + width
                + " features each, "
                + x.customerId()
                + " has "
                + x.features().length);
      }
      ids[i] = x.customerId();
      versions[i] = x.modelVersion();
      dates[i] = x.asOf();
      p[i] = x.probability();
      clv[i] = x.clv();
      lost[i] = x.expectedLostValue();
      for (double f : x.features()) {
        features.putDouble(f); // NaN (a missing value) as its IEEE bits, as float8send writes it
      }
    }
    return db.sql(
            "insert into churn_prediction (customer_id, model_version, as_of, probability, clv,"
                + " expected_lost_value, features, computed_at)"
                + " select u.id, u.v, u.d, u.p, u.c, u.l,"
                + " substring($7::bytea from ((u.n - 1) * $9)::int + 1 for $9::int), $8"
                + " from unnest($1::text[], $2::int[], $3::date[], $4::float8[], $5::float8[],"
                + " $6::float8[]) with ordinality as u(id, v, d, p, c, l, n)"
                + " on conflict (customer_id) do update set model_version = excluded.model_version,"
                + " as_of = excluded.as_of, probability = excluded.probability, clv = excluded.clv,"
                + " expected_lost_value = excluded.expected_lost_value,"
                + " features = excluded.features, computed_at = excluded.computed_at"
                // rescoring an older date never replaces a newer prediction of the same model
                + " where churn_prediction.as_of <= excluded.as_of"
                + " or churn_prediction.model_version <> excluded.model_version")
        .bind(0, ids)
        .bind(1, versions)
        .bind(2, dates)
        .bind(3, p)
        .bind(4, clv)
        .bind(5, lost)
        .bind(6, features.array())
        .bind(7, now)
        .bind(8, width * Double.BYTES)
        .then();
  }

  /** Stored features (V22: big-endian float8s) as numbers. */
  static double[] features(ByteBuffer stored) {
    double[] out = new double[stored.remaining() / Double.BYTES];
    stored.asDoubleBuffer().get(out);
    return out;
  }

  /** The active model's predictions for these customers (others have none). */
  Flux<Prediction> predictions(List<String> ids) {
    return db.sql(
            "select p.customer_id, p.model_version, p.as_of, p.probability, p.clv,"
                + " p.expected_lost_value, p.features from churn_prediction p"
                + " join churn_model m on m.version = p.model_version and m.active"
                + " where p.customer_id = any($1::text[])")
        .bind(0, ids.toArray(String[]::new))
        .map(
            (r, m) ->
                new Prediction(
                    r.get("customer_id", String.class),
                    r.get("model_version", Integer.class),
                    r.get("as_of", LocalDate.class),
                    r.get("probability", Double.class),
                    r.get("clv", Double.class),
                    r.get("expected_lost_value", Double.class),
                    features(r.get("features", ByteBuffer.class))))
        .all();
  }

  /**
   * The lowest probability V23's partial seek indexes hold. A list from at least this floor says so
   * with the literal, so that the planner can prove its rows are in the index (a bound parameter
   * alone would not prove it for a generic plan); a list from under it is read without the index.
   */
  static final double INDEXED_FROM = 0.05;

  private static String indexed(double min) {
    return min >= INDEXED_FROM ? " and p.probability >= " + INDEXED_FROM : "";
  }

  /** A listed customer with its sort key (for its cursor). */
  record Ranked(String customerId, double key) {}

  /**
   * A page of customers with an active-model probability ≥ {@code min}, by expected lost value
   * (unknown last) or by probability, highest first, ties by id; from the row after {@code after}
   * (the start when null). Each order is ascending on a negated key, then id (V20's indexes,
   * partial since V23), so the page seeks with one row comparison instead of skipping an offset: it
   * costs the same on any page, and rows rescored since the previous page do not shift the ones
   * that were not.
   */
  Flux<Ranked> page(
      double min, ChurnRiskCursor.Sort sort, @Nullable ChurnRiskCursor after, int limit) {
    boolean byLostValue = sort == ChurnRiskCursor.Sort.EXPECTED_LOST_VALUE;
    // the index expressions of V20, verbatim, so the planner matches them
    String key =
        byLostValue ? "coalesce(-p.expected_lost_value, 'NaN'::float8)" : "(-p.probability)";
    // by probability the filter is a range of the same key, so the scan stops where it ends
    String filter = byLostValue ? "p.probability >= $1" : "(-p.probability) <= -$1::float8";
    var spec =
        db.sql(
                "select p.customer_id, "
                    + key
                    + " as k from churn_prediction p"
                    + " join churn_model m on m.version = p.model_version and m.active"
                    + " where "
                    + filter
                    + indexed(min)
                    + (after == null ? "" : " and (" + key + ", p.customer_id) > ($3, $4)")
                    + " order by "
                    + key
                    + ", p.customer_id limit $2")
            .bind(0, min)
            .bind(1, limit);
    if (after != null) {
      spec = spec.bind(2, after.key()).bind(3, after.customerId());
    }
    return spec.map((r, m) -> new Ranked(r.get(0, String.class), r.get(1, Double.class))).all();
  }

  Mono<Integer> count(double min) {
    return db.sql(
            "select count(*) from churn_prediction p"
                + " join churn_model m on m.version = p.model_version and m.active"
                // V20's seek index expression, the range the pages by probability scan (V21)
                + " where (-p.probability) <= -$1::float8"
                + indexed(min))
        .bind(0, min)
        .map((r, m) -> r.get(0, Long.class).intValue())
        .one();
  }

  private StoredModel stored(io.r2dbc.spi.Readable r) {
    return new StoredModel(
        r.get("version", Integer.class),
        r.get("created_at", Instant.class),
        Boolean.TRUE.equals(r.get("active", Boolean.class)),
        json.readValue(r.get("model", String.class), LogisticModel.class),
        json.readValue(r.get("report", String.class), ChurnReport.class));
  }
}
