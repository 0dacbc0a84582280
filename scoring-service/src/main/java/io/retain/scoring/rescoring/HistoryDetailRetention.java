package io.retain.scoring.rescoring;

import io.retain.support.jobs.JobLeases;
import java.time.Clock;
import java.time.LocalDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Bounds the size of score history. Every rescoring stores what a customer's whole assessment is
 * derived from (the inputs, about 230 bytes; before V7 the document itself, about 1.1 kB) per date,
 * so a nightly run over a million customers adds a few hundred MB a day for ever. Trends
 * (loyaltyHistory, the tier trend) read only the score and tier columns; the detail is read only by
 * {@code loyalty(asOf:)}. So the detail of dates older than {@code detail-days} is dropped and the
 * score, tier and profile version of every date are kept: {@code loyalty(asOf:)} for such a date
 * answers null, its score stays in {@code loyaltyHistory}. A customer's latest assessment keeps its
 * detail however old it is.
 *
 * <p>Walks only the dates that became old since its last run (a watermark in {@code feed_cursor},
 * as an epoch day), in chunks of {@code chunk} rows by (as_of, customer_id), so every transaction
 * stays short and a nightly run reads no row twice. A backfill for a date older than the watermark
 * keeps its detail. {@code detail-days} of 0 or less keeps every detail (each run does nothing).
 */
@Component
public class HistoryDetailRetention {

  private static final Logger log = LoggerFactory.getLogger(HistoryDetailRetention.class);
  static final String WATERMARK = "history-detail";
  static final String LEASE = "scoring.history-detail";

  private final DatabaseClient db;
  private final FeedCursors cursors;
  private final Clock clock;
  private final int detailDays;
  private final int chunk;
  private final JobLeases leases;

  HistoryDetailRetention(
      DatabaseClient db,
      FeedCursors cursors,
      Clock clock,
      @Value("${retain.scoring.history.detail-days:400}") int detailDays,
      @Value("${retain.scoring.history.chunk:5000}") int chunk,
      JobLeases leases) {
    this.db = db;
    this.cursors = cursors;
    this.clock = clock;
    this.detailDays = detailDays;
    this.chunk = chunk;
    this.leases = leases;
  }

  /** Drops the detail of dates before {@code today − detail-days}; returns how many rows. */
  public Mono<Long> compact(LocalDate today) {
    if (detailDays <= 0) {
      return Mono.just(0L);
    }
    LocalDate cutoff = today.minusDays(detailDays);
    return cursors
        .position(WATERMARK, LocalDate.of(1900, 1, 1).toEpochDay())
        .map(LocalDate::ofEpochDay)
        .flatMap(
            from ->
                from.isBefore(cutoff)
                    ? chunks(cutoff, new Key(from, ""), 0L)
                        .flatMap(n -> cursors.save(WATERMARK, cutoff.toEpochDay()).thenReturn(n))
                    : Mono.just(0L));
  }

  /** Where the walk stands: a history row's key (the watermark with "" before any row). */
  private record Key(LocalDate asOf, String customerId) {}

  /** One chunk: rows walked, details dropped, the last key walked. */
  private record Chunk(long walked, long dropped, Key last) {}

  private Mono<Long> chunks(LocalDate cutoff, Key after, long done) {
    return db.sql(
            """
            with old as (
              select customer_id, as_of from assessment_history
              where as_of < $1 and (as_of, customer_id) > ($2, $3)
              order by as_of, customer_id
              limit $4),
            dropped as (
              update assessment_history h set body = null, inputs = null
              from old
              where h.customer_id = old.customer_id and h.as_of = old.as_of
                and (h.body is not null or h.inputs is not null)
                and not exists (select 1 from assessment_latest l
                                where l.customer_id = h.customer_id and l.as_of = h.as_of)
              returning 1)
            select (select count(*) from old) as walked, (select count(*) from dropped) as dropped,
              (select as_of from old order by as_of desc, customer_id desc limit 1) as last_as_of,
              (select customer_id from old order by as_of desc, customer_id desc limit 1) as last_id
            """)
        .bind(0, cutoff)
        .bind(1, after.asOf())
        .bind(2, after.customerId())
        .bind(3, chunk)
        .map(
            (r, m) ->
                new Chunk(
                    r.get("walked", Long.class),
                    r.get("dropped", Long.class),
                    new Key(r.get("last_as_of", LocalDate.class), r.get("last_id", String.class))))
        .one()
        .flatMap(
            c ->
                c.walked() < chunk
                    ? Mono.just(done + c.dropped())
                    : chunks(cutoff, c.last(), done + c.dropped()));
  }

  // a Mono: Spring waits for it before the next delay; a minute after start, then every interval,
  // on the replica holding the lease
  @Scheduled(
      initialDelayString = "${retain.scoring.history.initial-delay:1m}",
      fixedDelayString = "${retain.scoring.history.interval:6h}")
  Mono<Void> compactNow() {
    return leases
        .runIfOwner(LEASE, () -> compact(LocalDate.now(clock)))
        .doOnNext(
            n -> {
              if (n > 0) log.info("Dropped the detail of {} history rows", n);
            })
        .onErrorResume(
            e -> {
              log.warn("History compaction failed: {}", e.toString());
              return Mono.empty();
            })
        .then();
  }
}
