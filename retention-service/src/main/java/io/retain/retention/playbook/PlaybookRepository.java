package io.retain.retention.playbook;

import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and writes playbooks and risk measures. */
@Repository
public class PlaybookRepository {

  private final DatabaseClient db;
  private final Clock clock;

  PlaybookRepository(DatabaseClient db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public Flux<TierPlaybook> tiers() {
    return db.sql(
            "select * from tier_playbook order by array_position(array['DIEHARD','STABLE',"
                + "'POTENTIAL_CHURN','HIGH_RISK'], tier)")
        .map(PlaybookRepository::tier)
        .all();
  }

  public Flux<RiskMeasure> measures() {
    return db.sql("select * from factor_measure order by risk_code")
        .map(PlaybookRepository::measure)
        .all();
  }

  /** Everything at once, for opening plans. */
  public Mono<Playbooks> snapshot() {
    Mono<Map<String, TierPlaybook>> tiers =
        tiers().collectMap(TierPlaybook::tier, t -> t, LinkedHashMap::new);
    Mono<Map<String, RiskMeasure>> measures =
        measures().collectMap(RiskMeasure::riskCode, m -> m, LinkedHashMap::new);
    return Mono.zip(tiers, measures, Playbooks::new);
  }

  /** Updates an existing tier playbook; empty when the tier has none. */
  public Mono<TierPlaybook> updateTier(TierPlaybook p) {
    ExpectedEffect e = p.expectedEffect();
    return bindGate(
            db.sql(
                "update tier_playbook set strategy_en = :en, strategy_zh = :zh, departments = :deps,"
                    + " effect_metric = :metric, effect_comparator = :cmp, effect_target = :target,"
                    + " effect_within_days = :days, min_churn_probability = :minChurn,"
                    + " without_churn_prediction = :withoutChurn, updated_at = :now where tier = :tier"
                    + " returning *"),
            p.churnGate())
        .bind("en", p.strategyEn())
        .bind("zh", p.strategyZh())
        .bind("deps", p.departments().toArray(String[]::new))
        .bind("metric", e.metric())
        .bind("cmp", e.comparator())
        .bind("target", e.target())
        .bind("days", e.withinDays())
        .bind("now", OffsetDateTime.now(clock))
        .bind("tier", p.tier())
        .map(PlaybookRepository::tier)
        .one();
  }

  /** Creates or replaces the measure for a risk code. */
  public Mono<RiskMeasure> upsertMeasure(RiskMeasure m) {
    ExpectedEffect e = m.expectedEffect();
    return bindGate(
            db.sql(
                "insert into factor_measure (risk_code, measure_en, measure_zh, department,"
                    + " effect_metric, effect_comparator, effect_target, effect_within_days,"
                    + " min_churn_probability, without_churn_prediction, updated_at) values (:code,"
                    + " :en, :zh, :dep, :metric, :cmp, :target, :days, :minChurn, :withoutChurn, :now)"
                    + " on conflict (risk_code) do update set measure_en = excluded.measure_en,"
                    + " measure_zh = excluded.measure_zh, department = excluded.department,"
                    + " effect_metric = excluded.effect_metric, effect_comparator ="
                    + " excluded.effect_comparator, effect_target = excluded.effect_target,"
                    + " effect_within_days = excluded.effect_within_days, min_churn_probability ="
                    + " excluded.min_churn_probability, without_churn_prediction ="
                    + " excluded.without_churn_prediction, updated_at = excluded.updated_at returning"
                    + " *"),
            m.churnGate())
        .bind("code", m.riskCode())
        .bind("en", m.measureEn())
        .bind("zh", m.measureZh())
        .bind("dep", m.department())
        .bind("metric", e.metric())
        .bind("cmp", e.comparator())
        .bind("target", e.target())
        .bind("days", e.withinDays())
        .bind("now", OffsetDateTime.now(clock))
        .map(PlaybookRepository::measure)
        .one();
  }

  private static DatabaseClient.GenericExecuteSpec bindGate(
      DatabaseClient.GenericExecuteSpec spec, ChurnGate gate) {
    var withMin =
        gate.minProbability() == null
            ? spec.bindNull("minChurn", BigDecimal.class)
            : spec.bind("minChurn", gate.minProbability());
    return withMin.bind("withoutChurn", gate.withoutPrediction().name());
  }

  private static ChurnGate gate(Readable r) {
    return new ChurnGate(
        r.get("min_churn_probability", BigDecimal.class),
        ChurnGate.WithoutPrediction.valueOf(r.get("without_churn_prediction", String.class)));
  }

  private static ExpectedEffect effect(Readable r) {
    return new ExpectedEffect(
        r.get("effect_metric", String.class),
        r.get("effect_comparator", String.class),
        r.get("effect_target", BigDecimal.class),
        r.get("effect_within_days", Integer.class));
  }

  private static TierPlaybook tier(Readable r) {
    return new TierPlaybook(
        r.get("tier", String.class),
        r.get("strategy_en", String.class),
        r.get("strategy_zh", String.class),
        Arrays.asList(r.get("departments", String[].class)),
        effect(r),
        gate(r));
  }

  private static RiskMeasure measure(Readable r) {
    return new RiskMeasure(
        r.get("risk_code", String.class),
        r.get("measure_en", String.class),
        r.get("measure_zh", String.class),
        r.get("department", String.class),
        effect(r),
        gate(r));
  }
}
