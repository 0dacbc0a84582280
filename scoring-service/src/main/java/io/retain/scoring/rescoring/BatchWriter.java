package io.retain.scoring.rescoring;

import io.retain.scoring.customer.ActivityLine;
import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.rescoring.PreviousAssessments.Previous;
import io.retain.scoring.warning.WarningPolicy.Warning;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.StringJoiner;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a scored batch: latest assessments, history rows and warnings in one statement (see
 * docs/benchmarks/rescoring.md for how its shape was chosen).
 */
@Component
class BatchWriter {

  private final DatabaseClient db;
  private final Clock clock;
  // a warning's risk factors (shortest round-trip digits, without the JDK's slow path)
  private final ObjectMapper json =
      JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  BatchWriter(DatabaseClient db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * A batch's rows as one array per column, bound as parameters and unnested together, in the
   * batch's order. Numbers go as decimal text to the places their column keeps ({@link Decimals})
   * and are cast in the statement; lists of codes as comma-joined texts
   * (docs/benchmarks/rescoring.md compares this with one JSON array).
   */
  static final class Columns {
    final String[] id;
    final String[] score;
    final String[] tier;
    final String[] risk;
    final String[] high;
    final Integer[] recency;
    final Integer[] freq;
    final String[] monetary;
    final String[] kind;
    final String[] industry;
    final String[] valueTier;
    final String[] profile;
    final Integer[] version;
    final String[] prior;

    Columns(List<Assessment> scored, List<ActivityLine> lines, List<Previous> before) {
      int n = scored.size();
      id = new String[n];
      score = new String[n];
      tier = new String[n];
      risk = new String[n];
      high = new String[n];
      recency = new Integer[n];
      freq = new Integer[n];
      monetary = new String[n];
      kind = new String[n];
      industry = new String[n];
      valueTier = new String[n];
      profile = new String[n];
      version = new Integer[n];
      prior = new String[n];
      for (int i = 0; i < n; i++) {
        Assessment a = scored.get(i);
        Activity in = lines.get(i).activity();
        StringJoiner all = new StringJoiner(",");
        StringJoiner severe = new StringJoiner(",");
        for (RiskFactor f : a.riskFactors()) {
          all.add(f.code().name());
          if (f.severity() == RiskFactor.Severity.HIGH) {
            severe.add(f.code().name());
          }
        }
        id[i] = a.customerId();
        score[i] = a.score() == null ? null : Decimals.of(a.score(), 1);
        tier[i] = a.tier().name();
        risk[i] = all.toString();
        high[i] = severe.toString();
        recency[i] = a.metrics().daysSinceLastOrder();
        freq[i] = a.metrics().ordersInWindow();
        monetary[i] = Decimals.of(in.spendInWindow(), 2);
        kind[i] = in.kind();
        industry[i] = in.industry();
        valueTier[i] = in.valueTier();
        profile[i] = a.profileName();
        version[i] = a.profileVersion();
        Double older = before.get(i).older();
        prior[i] = older == null ? null : Decimals.of(older, 1);
      }
    }
  }

  /** The batch's warnings, a CTE of {@link #write}'s statement ($18 to $24). */
  private static final String WARNED =
      """
            warned as (
              insert into warning (customer_id, as_of, from_tier, to_tier, score_before,
                score_after, reasons, risk_factors)
              select w.id, $2, w.from_tier, w.to_tier, w.before, w.after,
                string_to_array(w.reasons, ','), f.factors::json
              from unnest($18::text[], $19::text[], $20::text[], $21::text[]::numeric[],
                  $22::text[]::numeric[], $23::text[]) with ordinality
                as w(id, from_tier, to_tier, before, after, reasons, n)
              join string_to_table($24, E'\\n') with ordinality as f(factors, n) using (n)
              order by w.id),""";

  /**
   * Latest assessment, history row and warnings of a batch in one statement: the rows are decoded
   * once and feed both inserts, and the warnings cost no round trip of their own. The history row
   * stores the inputs the assessment is derived from on read (StoredAssessment), one JSON array per
   * line (JSON escapes every newline inside strings; a line of the bulk stream goes as it was
   * read), validated once as they are cast; the latest row is read through to it. History keeps
   * every date (backfilling an older date never moves "latest" backwards). A customer set aside
   * before leaves {@code scoring_set_aside}.
   */
  Mono<Void> write(
      List<Assessment> scored,
      List<ActivityLine> lines,
      List<Previous> before,
      List<Warning> warnings) {
    Columns c = new Columns(scored, lines, before);
    StringBuilder ins = new StringBuilder(scored.size() * 256);
    for (ActivityLine line : lines) {
      ins.append(line.inputs()).append('\n');
    }
    ins.setLength(ins.length() - 1);
    int w = warnings.size();
    String[] wId = new String[w];
    String[] wFrom = new String[w];
    String[] wTo = new String[w];
    String[] wBefore = new String[w];
    String[] wAfter = new String[w];
    String[] wReasons = new String[w];
    StringWriter wFactors = new StringWriter(w * 256);
    for (int i = 0; i < w; i++) {
      Warning x = warnings.get(i);
      wId[i] = x.id();
      wFrom[i] = x.fromTier();
      wTo[i] = x.toTier();
      wBefore[i] = x.before() == null ? null : Decimals.of(x.before(), 1);
      wAfter[i] = x.after() == null ? null : Decimals.of(x.after(), 1);
      wReasons[i] = String.join(",", x.reasons());
    }
    // one generator for the batch's warnings, one JSON array of factors per line
    try (SequenceWriter out = json.writer().withRootValueSeparator("\n").writeValues(wFactors)) {
      for (Warning x : warnings) {
        out.write(x.factors());
      }
    }
    DatabaseClient.GenericExecuteSpec write =
        db.sql(
            """
            with x as materialized (
              select x.*, i.inputs::json as inputs
              from unnest($1::text[], $5::text[]::numeric[], $6::text[], $7::text[], $8::text[],
                  $9::int[], $10::int[], $11::text[]::numeric[], $12::text[], $13::text[],
                  $14::text[], $15::text[], $16::int[], $17::text[]::numeric[]) with ordinality
                as x(id, score, tier, risk, high, recency, freq, monetary, kind, industry,
                  value_tier, profile, version, prior, n)
              join string_to_table($4, E'\\n') with ordinality as i(inputs, n) using (n)),
            latest as (
              insert into assessment_latest as l (customer_id, as_of, score, tier, risk_codes,
                high_codes, recency_days, frequency, monetary, kind, industry, value_tier,
                profile_name, profile_version, computed_at)
              select id, $2, score, tier, string_to_array(risk, ','), string_to_array(high, ','),
                recency, freq, monetary, kind, industry, value_tier, profile, version, $3
              from x
              on conflict (customer_id) do update set as_of = excluded.as_of, score = excluded.score,
                tier = excluded.tier, risk_codes = excluded.risk_codes,
                high_codes = excluded.high_codes, recency_days = excluded.recency_days,
                frequency = excluded.frequency, monetary = excluded.monetary, kind = excluded.kind,
                industry = excluded.industry, value_tier = excluded.value_tier,
                profile_name = excluded.profile_name, profile_version = excluded.profile_version,
                computed_at = excluded.computed_at
              where excluded.as_of >= l.as_of),
            {warned}
            cleared as (
              delete from scoring_set_aside s where s.customer_id in (select id from x))
            insert into assessment_history (customer_id, as_of, score, tier, profile_name,
              profile_version, computed_at, inputs, prior_score, body, kind, industry, value_tier)
            select id, $2, score, tier, profile, version, $3, inputs, prior, null, kind, industry,
              value_tier
            from x
            on conflict (customer_id, as_of) do update set score = excluded.score,
              tier = excluded.tier, profile_name = excluded.profile_name,
              profile_version = excluded.profile_version, computed_at = excluded.computed_at,
              inputs = excluded.inputs, prior_score = excluded.prior_score, body = null,
              kind = excluded.kind, industry = excluded.industry, value_tier = excluded.value_tier
            """
                // no warnings, no warning insert: only a batch with warnings waits for the lock
                // that keeps warning seqs in commit order (V18, ADR 0015)
                .replace("{warned}", w == 0 ? "" : WARNED));
    Object[] batch = {
      c.id,
      scored.get(0).asOf(),
      clock.instant(),
      ins.toString(),
      c.score,
      c.tier,
      c.risk,
      c.high,
      c.recency,
      c.freq,
      c.monetary,
      c.kind,
      c.industry,
      c.valueTier,
      c.profile,
      c.version,
      c.prior
    };
    Object[] warned = {wId, wFrom, wTo, wBefore, wAfter, wReasons, wFactors.toString()};
    for (int i = 0; i < batch.length; i++) {
      write = write.bind(i, batch[i]);
    }
    for (int i = 0; w > 0 && i < warned.length; i++) {
      write = write.bind(batch.length + i, warned[i]);
    }
    return write.fetch().rowsUpdated().then();
  }
}
