package io.retain.scoring.rescoring;

import io.retain.scoring.customer.ActivityLine;
import io.retain.scoring.customer.CustomerClient;
import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.engine.ScoringEngine;
import io.retain.scoring.engine.Tier;
import io.retain.scoring.profile.ProfileRepository;
import io.retain.scoring.profile.ProfileRepository.Profiles;
import java.io.StringWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scores customers from customer-service's aggregates and stores, in one transaction per batch, the
 * latest assessment, the history row and any warnings (DOMAIN.md §7).
 */
@Service
public class RescoringService {

  private static final Logger log = LoggerFactory.getLogger(RescoringService.class);
  static final int BATCH = 1000;

  private final CustomerClient customers;
  private final ProfileRepository profiles;
  private final DatabaseClient db;
  private final FeedCursors cursors;
  private final TransactionalOperator tx;
  private final Clock clock;
  // a warning's risk factors (shortest round-trip digits, without the JDK's slow path)
  private final ObjectMapper json =
      JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
  private final Phases phases = new Phases();

  RescoringService(
      CustomerClient customers,
      ProfileRepository profiles,
      DatabaseClient db,
      FeedCursors cursors,
      TransactionalOperator tx,
      Clock clock) {
    this.customers = customers;
    this.profiles = profiles;
    this.db = db;
    this.cursors = cursors;
    this.tx = tx;
    this.clock = clock;
  }

  /** Rescores the given customers as of a date; returns how many were scored. */
  public Mono<Long> rescore(List<String> ids, LocalDate asOf) {
    Mono<Profiles> profilesOnce = profiles.current().cache();
    return Flux.fromIterable(ids)
        .buffer(BATCH)
        .concatMap(chunk -> customers.activity(chunk, asOf, 12).collectList())
        .concatMap(batch -> store(lines(batch), asOf, null, profilesOnce))
        .reduce(0L, Long::sum)
        .flatMap(n -> updateRfm().thenReturn(n));
  }

  /** Rescores every customer, streaming the bulk aggregates in batches (bounded memory). */
  public Mono<Long> rescoreAll(LocalDate asOf) {
    long t0 = System.nanoTime();
    phases.reset();
    // one profile version for the whole run, read once (not once per batch)
    Mono<Profiles> profilesOnce = profiles.current().cache();
    return customers
        .allActivity(asOf, 12)
        .buffer(BATCH)
        // two batches in flight: one batch's round trips to PostgreSQL overlap the other's scoring
        // (disjoint customers, one transaction each)
        .flatMap(batch -> phases.time(Phase.STORE, store(batch, asOf, null, profilesOnce)), 2)
        .reduce(0L, Long::sum)
        .flatMap(n -> phases.time(Phase.RFM, updateRfm().thenReturn(n)))
        .doOnNext(
            n ->
                log.info(
                    "Rescored {} customers as of {} in {} ms; {}",
                    n,
                    asOf,
                    (System.nanoTime() - t0) / 1_000_000,
                    phases));
  }

  /**
   * What was stored before: the latest assessment's tier, HIGH codes, score and date (tier null
   * when there is none), for warnings; the latest score at least 30 days old, for SCORE_DECLINE.
   */
  record Previous(String tier, Set<String> highCodes, Double score, LocalDate asOf, Double older) {}

  /**
   * Scores and stores one batch; {@code cursor} (feed name and position) is stored in the same
   * transaction when the batch came from the change feed.
   */
  public Mono<Long> store(List<Activity> batch, LocalDate asOf, Map.Entry<String, Long> cursor) {
    return store(lines(batch), asOf, cursor, profiles.current());
  }

  /** Aggregates read in another shape than the stream's arrays: their inputs are written here. */
  private static List<ActivityLine> lines(List<Activity> batch) {
    return batch.stream().map(a -> new ActivityLine(a, null)).toList();
  }

  Mono<Long> store(
      List<ActivityLine> batch,
      LocalDate asOf,
      Map.Entry<String, Long> cursor,
      Mono<Profiles> currentProfiles) {
    if (batch.isEmpty()) {
      return cursor == null
          ? Mono.just(0L)
          : tx.transactional(cursors.save(cursor.getKey(), cursor.getValue())).thenReturn(0L);
    }
    String[] ids = batch.stream().map(l -> l.activity().customerId()).toArray(String[]::new);
    // Plans made for this batch's tables as they are now: a first rescoring starts on empty tables,
    // and a cached generic plan made then (the driver prepares each statement once per connection)
    // kept hash-joining a whole seq scan of assessment_latest for every batch after they had grown
    // to 1M rows (the read of what was stored before took 94 s instead of 13 s in one 1M run).
    Mono<Void> plansForNow = db.sql("set local plan_cache_mode = force_custom_plan").then();
    Mono<Long> work =
        plansForNow
            .then(Mono.zip(currentProfiles, phases.time(Phase.READ, before(ids, asOf))))
            // scoring and encoding off the I/O event loop, which keeps decoding the stream
            .publishOn(Schedulers.parallel())
            .flatMap(
                t -> {
                  List<Previous> previous = t.getT2();
                  long c0 = System.nanoTime();
                  List<Assessment> scored = new ArrayList<>(batch.size());
                  for (int i = 0; i < batch.size(); i++) {
                    Activity a = batch.get(i).activity();
                    Previous p = previous.get(i);
                    scored.add(
                        ScoringEngine.assess(
                            a,
                            t.getT1().forCustomer(a.kind(), a.valueTier(), a.industry()),
                            asOf,
                            p.older(),
                            StoredAssessment.DEFAULT_RETENTION));
                  }
                  // rows encoded here; warnings go in the same statement
                  Mono<Void> writes = upsert(scored, batch, previous, warnings(scored, previous));
                  phases.add(Phase.SCORE, System.nanoTime() - c0);
                  return phases
                      .time(Phase.WRITE, writes)
                      .then(
                          cursor == null
                              ? Mono.empty()
                              : cursors.save(cursor.getKey(), cursor.getValue()))
                      .thenReturn((long) scored.size());
                });
    return tx.transactional(work);
  }

  /**
   * What was stored before for these customers, in one round trip, in the order of {@code ids}: the
   * latest assessment (tier null for a first one) and the latest score at least 30 days before asOf
   * (for SCORE_DECLINE).
   */
  private Mono<List<Previous>> before(String[] ids, LocalDate asOf) {
    return db.sql(
            """
            select l.tier, l.high_codes, l.score, l.as_of,
              (select h.score from assessment_history h
                where h.customer_id = x.id and h.as_of <= $2 and h.score is not null
                order by h.as_of desc limit 1) as older
            from unnest($1::text[]) with ordinality as x(id, n)
              left join assessment_latest l on l.customer_id = x.id
            order by x.n
            """)
        .bind(0, ids)
        .bind(1, asOf.minusDays(30))
        .map(
            (r, m) ->
                new Previous(
                    r.get("tier", String.class),
                    r.get("tier") == null ? Set.of() : Set.of(r.get("high_codes", String[].class)),
                    r.get("score") == null ? null : ((Number) r.get("score")).doubleValue(),
                    r.get("as_of", LocalDate.class),
                    r.get("older") == null ? null : ((Number) r.get("older")).doubleValue()))
        .all()
        .collectList();
  }

  /**
   * A batch's rows as one array per column, bound as parameters and unnested together, in the
   * batch's order. Numbers go as decimal text to the places their column keeps ({@link Decimals})
   * and are cast in the statement; lists of codes as comma-joined texts. Bound as one JSON array
   * read by {@code json_to_recordset}, the rows cost PostgreSQL a fifth of the statement: it builds
   * a hash table for every object it reads.
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

  /**
   * Latest assessment, history row and warnings of a batch in one statement: the rows are decoded
   * once and feed both inserts, and the warnings (a first rescoring warns every customer at risk)
   * cost no round trip of their own. The history row stores the inputs the assessment is derived
   * from on read (StoredAssessment), one JSON array per line (JSON escapes every newline inside
   * strings; a line of the bulk stream goes as it was read), validated once as they are cast; the
   * latest row is read through to it. History keeps every date (backfilling an older date never
   * moves "latest" backwards).
   */
  private Mono<Void> upsert(
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
    return db.sql(
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
            warned as (
              insert into warning (customer_id, as_of, from_tier, to_tier, score_before,
                score_after, reasons, risk_factors)
              select w.id, $2, w.from_tier, w.to_tier, w.before, w.after,
                string_to_array(w.reasons, ','), f.factors::json
              from unnest($18::text[], $19::text[], $20::text[], $21::text[]::numeric[],
                  $22::text[]::numeric[], $23::text[]) with ordinality
                as w(id, from_tier, to_tier, before, after, reasons, n)
              join string_to_table($24, E'\\n') with ordinality as f(factors, n) using (n)
              order by w.id)
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
            """)
        .bind(0, c.id)
        .bind(1, scored.get(0).asOf())
        .bind(2, clock.instant())
        .bind(3, ins.toString())
        .bind(4, c.score)
        .bind(5, c.tier)
        .bind(6, c.risk)
        .bind(7, c.high)
        .bind(8, c.recency)
        .bind(9, c.freq)
        .bind(10, c.monetary)
        .bind(11, c.kind)
        .bind(12, c.industry)
        .bind(13, c.valueTier)
        .bind(14, c.profile)
        .bind(15, c.version)
        .bind(16, c.prior)
        .bind(17, wId)
        .bind(18, wFrom)
        .bind(19, wTo)
        .bind(20, wBefore)
        .bind(21, wAfter)
        .bind(22, wReasons)
        .bind(23, wFactors.toString())
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** DOMAIN.md §7: worse tier, a new HIGH factor, or a first assessment at risk. */
  static List<String> warningReasons(Assessment now, Previous before) {
    List<String> reasons = new ArrayList<>();
    Set<String> high =
        now.riskFactors().stream()
            .filter(f -> f.severity() == RiskFactor.Severity.HIGH)
            .map(f -> f.code().name())
            .collect(Collectors.toSet());
    if (before == null) {
      if (now.tier().atRisk()) {
        reasons.add("FIRST_ASSESSMENT_AT_RISK");
      }
      return reasons;
    }
    Tier prev = Tier.valueOf(before.tier());
    if (now.tier().rank >= 0
        && (prev.rank < 0 ? now.tier().atRisk() : now.tier().rank > prev.rank)) {
      reasons.add("TIER_WORSENED");
    }
    if (!before.highCodes().containsAll(high)) {
      reasons.add("NEW_HIGH_RISK_FACTOR");
    }
    return reasons;
  }

  /** One warning row as bound to the write statement (a JSON array of these). */
  record Warning(
      String id,
      String fromTier,
      String toTier,
      Double before,
      Double after,
      List<String> reasons,
      List<RiskFactor> factors) {}

  private static List<Warning> warnings(List<Assessment> scored, List<Previous> previous) {
    List<Warning> rows = new ArrayList<>();
    for (int i = 0; i < scored.size(); i++) {
      Assessment a = scored.get(i);
      Previous stored = previous.get(i);
      if (stored.asOf() != null && stored.asOf().isAfter(a.asOf())) {
        continue; // backfilling an older date: history, not news
      }
      // no latest assessment: a first one
      Previous before = stored.tier() == null ? null : stored;
      List<String> reasons = warningReasons(a, before);
      if (!reasons.isEmpty()) {
        rows.add(
            new Warning(
                a.customerId(),
                before == null ? null : before.tier(),
                a.tier().name(),
                before == null ? null : before.score(),
                a.score(),
                reasons,
                a.riskFactors()));
      }
    }
    return rows;
  }

  /**
   * RFM quintiles and segments over the scored population (DOMAIN.md §6), ranked in one statement
   * into their own narrow table: a row is written only for a customer whose quintiles changed (a
   * first ranking inserts every row; a nightly one rewrites the few that moved), and the wide
   * latest assessments are not touched. A customer no longer scored keeps the quintiles last
   * ranked. Ties are ranked by customer id, so that ranking the same values again moves nobody
   * (with an arbitrary order among ties a re-ranking moved up to a tenth of the population), by its
   * bytes: under the database's collation the three sorts took 40 % longer at 1M. New rows go in in
   * id order, into the primary key's last page each: in the window's order (by money) they went all
   * over the index, and a first ranking of 1M took 13.2 s instead of 10.4 s. An update and an
   * insert rather than one upsert: {@code on conflict do update} locks every existing row it meets,
   * changed or not, which dirtied every page of the table on every ranking.
   */
  public Mono<Void> updateRfm() {
    // in memory: three sorts of the scored population (on disk at 1M customers by default)
    Mono<Void> workMem = db.sql("set local work_mem = '128MB'").then();
    Mono<Void> rank =
        db.sql(
                """
            with q as (
              select customer_id, r, f, m, case
                  when r >= 4 and f >= 4 then 'CHAMPIONS'
                  when r = 3 and f >= 4 then 'LOYAL'
                  when r >= 4 and f between 2 and 3 then 'POTENTIAL_LOYALIST'
                  when r = 5 and f = 1 then 'NEW_CUSTOMER'
                  when r = 4 and f = 1 then 'PROMISING'
                  when r = 3 and f = 3 then 'NEEDS_ATTENTION'
                  when r = 3 and f <= 2 then 'ABOUT_TO_SLEEP'
                  when r <= 2 and f between 3 and 4 then 'AT_RISK'
                  when r <= 2 and f = 5 then 'CANT_LOSE'
                  when r = 2 and f <= 2 then 'HIBERNATING'
                  else 'LOST' end as segment
              from (select customer_id,
                  ntile(5) over (order by recency_days desc nulls first, customer_id collate "C") as r,
                  ntile(5) over (order by frequency, customer_id collate "C") as f,
                  ntile(5) over (order by monetary, customer_id collate "C") as m
                from assessment_latest where score is not null) ranked),
            moved as (
              update assessment_rfm x set r = q.r, f = q.f, m = q.m, segment = q.segment
              from q
              where x.customer_id = q.customer_id and (x.r, x.f, x.m) is distinct from (q.r, q.f, q.m))
            insert into assessment_rfm (customer_id, r, f, m, segment)
            select customer_id, r, f, m, segment from q
            where not exists (select 1 from assessment_rfm x where x.customer_id = q.customer_id)
            order by customer_id
            on conflict (customer_id) do nothing
            """)
            .fetch()
            .rowsUpdated()
            .then();
    return tx.transactional(workMem.then(rank));
  }

  LocalDate today() {
    return LocalDate.now(clock);
  }

  /** Where a rescoring's time goes, logged with its total (the rest is waiting for aggregates). */
  enum Phase {
    STORE,
    READ,
    SCORE,
    WRITE,
    RFM
  }

  static final class Phases {
    private final LongAdder[] nanos = new LongAdder[Phase.values().length];

    Phases() {
      for (int i = 0; i < nanos.length; i++) {
        nanos[i] = new LongAdder();
      }
    }

    void reset() {
      for (LongAdder n : nanos) {
        n.reset();
      }
    }

    void add(Phase p, long n) {
      nanos[p.ordinal()].add(n);
    }

    /**
     * Adds the time from subscription to success of {@code m}, counted before its value goes on (so
     * that the run's log line, written downstream, includes the last phase).
     */
    <T> Mono<T> time(Phase p, Mono<T> m) {
      return Mono.defer(
          () -> {
            long t0 = System.nanoTime();
            return m.doOnSuccess(v -> add(p, System.nanoTime() - t0));
          });
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("ms per phase:");
      for (Phase p : Phase.values()) {
        b.append(' ').append(p.name().toLowerCase(java.util.Locale.ROOT)).append('=');
        b.append(nanos[p.ordinal()].sum() / 1_000_000);
      }
      return b.toString();
    }
  }
}
