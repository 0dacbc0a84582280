package io.retain.scoring.prediction.purchase;

import io.r2dbc.spi.Readable;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Purchase model versions and the per-customer summaries of the newest one. */
@Repository
class PurchaseModelRepository {

  /** One customer's stored summary and pAlive under the model version that stored it. */
  record StoredPrediction(
      String customerId, int modelVersion, PurchaseHistory history, double pAlive) {}

  private static final int BATCH = 5_000;
  private final DatabaseClient db;
  private final TransactionalOperator tx;

  PurchaseModelRepository(DatabaseClient db, TransactionalOperator tx) {
    this.db = db;
    this.tx = tx;
  }

  Mono<StoredPurchaseModel> latest() {
    return db.sql("select * from purchase_model order by version desc limit 1")
        .map((r, m) -> model(r))
        .one();
  }

  /**
   * Stores a fitted version and replaces every customer's row with this version's, in one
   * transaction: readers see the old version or the new one, never a mix.
   */
  Mono<StoredPurchaseModel> store(
      StoredPurchaseModel fitted,
      List<String> ids,
      List<PurchaseHistory> histories,
      double[] pAlive) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                """
                insert into purchase_model (as_of, fitted_at, r, alpha, a, b, bg_log_likelihood,
                  customers, p, q, gamma, gg_log_likelihood, repeat_buyers, evaluations, fit_millis,
                  spend_refusal_code, spend_refusal_message)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                returning *
                """)
            .bind(0, fitted.asOf())
            .bind(1, fitted.fittedAt().atOffset(ZoneOffset.UTC))
            .bind(2, fitted.r())
            .bind(3, fitted.alpha())
            .bind(4, fitted.a())
            .bind(5, fitted.b())
            .bind(6, fitted.bgNbdLogLikelihood())
            .bind(7, fitted.customers())
            .bindNull(8, Double.class)
            .bindNull(9, Double.class)
            .bindNull(10, Double.class)
            .bindNull(11, Double.class)
            .bind(12, fitted.repeatBuyers())
            .bind(13, fitted.evaluations())
            .bind(14, fitted.fitMillis())
            .bindNull(15, String.class)
            .bindNull(16, String.class);
    if (fitted.p() != null) {
      spec =
          spec.bind(8, fitted.p())
              .bind(9, fitted.q())
              .bind(10, fitted.gamma())
              .bind(11, fitted.gammaGammaLogLikelihood());
    }
    if (fitted.spendModelRefusal() != null) {
      spec =
          spec.bind(15, fitted.spendModelRefusal().code())
              .bind(16, fitted.spendModelRefusal().message());
    }
    Mono<StoredPurchaseModel> inserted = spec.map((r, m) -> model(r)).one();
    return inserted
        .flatMap(
            model ->
                db.sql("delete from purchase_prediction")
                    .then()
                    .thenMany(
                        Flux.range(0, (ids.size() + BATCH - 1) / BATCH)
                            .concatMap(
                                i ->
                                    insertRows(
                                        model.version(),
                                        i * BATCH,
                                        Math.min(ids.size(), (i + 1) * BATCH),
                                        ids,
                                        histories,
                                        pAlive)))
                    .then(Mono.just(model)))
        .as(tx::transactional);
  }

  private Mono<Long> insertRows(
      int version, int from, int to, List<String> ids, List<PurchaseHistory> h, double[] pAlive) {
    int n = to - from;
    String[] id = new String[n];
    Integer[] x = new Integer[n];
    Integer[] recency = new Integer[n];
    Integer[] age = new Integer[n];
    Double[] m = new Double[n];
    Double[] alive = new Double[n];
    for (int i = 0; i < n; i++) {
      PurchaseHistory p = h.get(from + i);
      id[i] = ids.get(from + i);
      x[i] = p.repeatPurchases();
      recency[i] = p.recencyDays();
      age[i] = p.ageDays();
      m[i] = p.repeatPurchases() > 0 ? p.meanRepeatSpend() : null;
      alive[i] = pAlive[from + i];
    }
    return db.sql(
            """
            insert into purchase_prediction (customer_id, model_version, repeat_purchases,
              recency_days, age_days, mean_repeat_spend, p_alive)
            select u.id, $1, u.x, u.rec, u.age, u.m, u.alive
            from unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::float8[], $7::float8[])
              as u(id, x, rec, age, m, alive)
            """)
        .bind(0, version)
        .bind(1, id)
        .bind(2, x)
        .bind(3, recency)
        .bind(4, age)
        .bind(5, m)
        .bind(6, alive)
        .fetch()
        .rowsUpdated();
  }

  /** The stored rows of these customers (those without a row are left out). */
  Mono<Map<String, StoredPrediction>> predictions(List<String> ids) {
    return db.sql("select * from purchase_prediction where customer_id = any($1::text[])")
        .bind(0, ids.toArray(String[]::new))
        .map(
            (r, m) -> {
              Double spend = r.get("mean_repeat_spend", Double.class);
              return new StoredPrediction(
                  r.get("customer_id", String.class),
                  r.get("model_version", Integer.class),
                  new PurchaseHistory(
                      r.get("repeat_purchases", Integer.class),
                      r.get("recency_days", Integer.class),
                      r.get("age_days", Integer.class),
                      spend == null ? 0 : spend),
                  r.get("p_alive", Double.class));
            })
        .all()
        .collectMap(StoredPrediction::customerId);
  }

  private static StoredPurchaseModel model(Readable r) {
    return new StoredPurchaseModel(
        r.get("version", Integer.class),
        r.get("as_of", LocalDate.class),
        r.get("fitted_at", OffsetDateTime.class).toInstant(),
        r.get("r", Double.class),
        r.get("alpha", Double.class),
        r.get("a", Double.class),
        r.get("b", Double.class),
        r.get("bg_log_likelihood", Double.class),
        r.get("customers", Long.class),
        r.get("p", Double.class),
        r.get("q", Double.class),
        r.get("gamma", Double.class),
        r.get("gg_log_likelihood", Double.class),
        r.get("repeat_buyers", Long.class),
        r.get("evaluations", Integer.class),
        r.get("fit_millis", Long.class),
        r.get("spend_refusal_code") == null
            ? null
            : new StoredPurchaseModel.SpendModelRefusal(
                r.get("spend_refusal_code", String.class),
                r.get("spend_refusal_message", String.class)));
  }
}
