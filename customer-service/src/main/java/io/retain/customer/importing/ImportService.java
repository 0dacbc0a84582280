package io.retain.customer.importing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Streams an import into PostgreSQL in batches inside one transaction: a file-level problem
 * (encoding, header) rolls everything back; a bad row goes to quarantine with its row number,
 * column and reason. Rows in = accepted + quarantined, always.
 */
@Service
public class ImportService {

  private static final Logger log = LoggerFactory.getLogger(ImportService.class);
  static final int MAX_ERRORS_SHOWN = 100;
  static final long FEED_LOCK = 4242;

  /** Input formats. */
  public enum Format {
    NDJSON,
    CSV
  }

  /** One refused row. */
  public record Quarantined(long row, String column, String reason, String raw) {}

  /** The answer to an import. */
  public record Result(
      UUID batchId,
      String entity,
      long rowsIn,
      long accepted,
      long quarantined,
      List<Quarantined> errors) {}

  /** The whole file was refused; nothing was written. */
  public static final class FileRejected extends RuntimeException {
    public FileRejected(String message) {
      super(message);
    }
  }

  /** The import failed as a whole (database gone, a statement refused) and was rolled back. */
  public static final class ImportFailed extends RuntimeException {
    ImportFailed(Throwable cause) {
      super(
          "The import failed and was rolled back; nothing was written. Cause: "
              + brief(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(cause)),
          cause);
    }

    private static String brief(Throwable e) {
      String m = String.valueOf(e.getMessage());
      return m.length() <= 300 ? m : m.substring(0, 300) + "…";
    }
  }

  private final DatabaseClient db;
  private final TransactionalOperator tx;
  private final Clock clock;
  private final int maxLineBytes;
  private final ObjectMapper json = new ObjectMapper();
  private final BatchWriter writer;

  ImportService(
      DatabaseClient db,
      TransactionalOperator tx,
      Clock clock,
      @Value("${retain.import.max-line-bytes:65536}") int maxLineBytes) {
    this.db = db;
    this.tx = tx;
    this.clock = clock;
    this.maxLineBytes = maxLineBytes;
    this.writer = new BatchWriter(db);
  }

  /** Imports raw bytes (UTF-8, one record per line). */
  public Mono<Result> importBytes(String entityPath, Format format, Flux<DataBuffer> body) {
    ImportEntity entity =
        ImportEntity.byPath(entityPath)
            .orElseThrow(
                () ->
                    new FileRejected(
                        "Unknown entity '"
                            + entityPath
                            + "': expected customers, orders, tickets, surveys or churn"));
    return importLines(entity, format, Utf8Lines.of(body, maxLineBytes));
  }

  /** Imports lines given as strings (a small GraphQL batch). */
  Mono<Result> importLines(ImportEntity entity, Format format, String[] lines) {
    return importLines(entity, format, Utf8Lines.of(lines));
  }

  Mono<Result> importLines(ImportEntity entity, Format format, Flux<Utf8Lines.Line> lines) {
    UUID batchId = randomUuid();
    Counter counter = new Counter();
    Field.Window window = Field.Window.at(clock.instant());
    // A file-level error is held until the in-flight batch is written, then fails the whole
    // transaction: cancelling a statement mid-flight would leave the connection unable to roll
    // back.
    AtomicReference<FileRejected> rejected = new AtomicReference<>();
    Flux<Row> rows =
        lines
            .filter(l -> l.tooLong() || !l.text().isBlank())
            .switchOnFirst(
                (first, all) -> {
                  if (format == Format.CSV && first.hasValue()) {
                    Utf8Lines.Line head = first.get();
                    if (head.tooLong()) {
                      throw new FileRejected(
                          "The header line is " + head.bytes() + " bytes; at most " + maxLineBytes);
                    }
                    Csv.Header header = Csv.header(entity, head.text());
                    RecordParser parser = new RecordParser(entity, header, window, maxLineBytes);
                    return all.skip(1).map(parser::parse);
                  }
                  RecordParser parser = new RecordParser(entity, null, window, maxLineBytes);
                  return all.map(parser::parse);
                })
            .onErrorResume(
                FileRejected.class,
                e -> {
                  rejected.set(e);
                  return Flux.empty();
                });
    KnownCustomers known = new KnownCustomers(db);
    String plan = entity.plan();
    Mono<Result> work =
        db.sql("select pg_advisory_xact_lock(" + FEED_LOCK + ")")
            .fetch()
            .rowsUpdated()
            .then(plan == null ? Mono.<Long>empty() : db.sql(plan).fetch().rowsUpdated())
            .thenMany(
                // prefetch 1: the next batch is parsed while this one is written, and no more
                // than that is held (flat memory on any file size)
                rows.buffer(entity.batchSize())
                    .map(batch -> BatchWriter.Batch.of(entity, batch))
                    .concatMap(batch -> writeBatch(entity, batchId, batch, counter, known), 1))
            .then(
                Mono.defer(
                    () -> rejected.get() == null ? Mono.empty() : Mono.error(rejected.get())))
            .then(
                Mono.defer(
                    () ->
                        db.sql(
                                "insert into import_batch (id, entity, rows_in, accepted, quarantined)"
                                    + " values ($1, $2, $3, $4, $5)")
                            .bind(0, batchId)
                            .bind(1, entity.path)
                            .bind(2, counter.in)
                            .bind(3, counter.accepted)
                            .bind(4, counter.quarantined)
                            .fetch()
                            .rowsUpdated()))
            .then(
                Mono.fromSupplier(
                    () ->
                        new Result(
                            batchId,
                            entity.path,
                            counter.in,
                            counter.accepted,
                            counter.quarantined,
                            List.copyOf(counter.shown))));
    return tx.transactional(work)
        // a refused file can surface wrapped in the rollback's own error; the client gets the
        // refusal
        .onErrorMap(
            e -> !(e instanceof FileRejected) && rejected.get() != null, e -> rejected.get())
        // anything else failed the transaction as a whole, and it was rolled back
        .onErrorMap(e -> !(e instanceof FileRejected), ImportFailed::new)
        .doOnError(
            ImportFailed.class, e -> log.warn("Import {} of {} failed", batchId, entity.path, e))
        .doOnNext(
            r ->
                log.info(
                    "Import {} of {}: {} rows, {} accepted, {} quarantined",
                    r.batchId(),
                    r.entity(),
                    r.rowsIn(),
                    r.accepted(),
                    r.quarantined()));
  }

  /**
   * Validates and writes one record, as a GraphQL mutation does: what is wrong comes back (nothing
   * is quarantined); a good record is upserted with its feed row under the feed lock.
   */
  public Mono<List<Quarantined>> recordOne(String entityPath, Map<String, String> raw) {
    ImportEntity entity = ImportEntity.byPath(entityPath).orElseThrow();
    String line = json.writeValueAsString(raw);
    RecordParser parser =
        new RecordParser(entity, null, Field.Window.at(clock.instant()), maxLineBytes);
    Row row = parser.clean(1, line, RecordParser.byField(entity, raw));
    if (!row.ok()) {
      return Mono.just(List.of(new Quarantined(1, row.column(), row.reason(), row.raw())));
    }
    int refIndex = entity.refIndex;
    Mono<Boolean> known =
        refIndex < 0
            ? Mono.just(true)
            : db.sql("select 1 from customer where id = $1")
                .bind(0, row.values()[refIndex])
                .map((r, m) -> true)
                .one()
                .defaultIfEmpty(false);
    return known.flatMap(
        ok -> {
          if (!ok) {
            return Mono.just(
                List.of(
                    new Quarantined(
                        1,
                        entity.customerRef,
                        "unknown customer " + row.values()[refIndex],
                        line)));
          }
          Mono<List<Quarantined>> write =
              db.sql("select pg_advisory_xact_lock(" + FEED_LOCK + ")")
                  .fetch()
                  .rowsUpdated()
                  .then(writer.upsert(entity, List.of(row)))
                  .thenReturn(List.<Quarantined>of());
          return tx.transactional(write);
        });
  }

  /** A corrected row given as a JSON object: its values by key. */
  Map<String, String> jsonValues(String line) {
    return RecordParser.jsonObject(line);
  }

  /** A v4 UUID without SecureRandom, whose first use blocks on the entropy pool. */
  static UUID randomUuid() {
    var r = java.util.concurrent.ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo);
  }

  static final class Counter {
    long in;
    long accepted;
    long quarantined;
    final List<Quarantined> shown = new ArrayList<>();
  }

  private Mono<Void> writeBatch(
      ImportEntity entity,
      UUID batchId,
      BatchWriter.Batch parsed,
      Counter counter,
      KnownCustomers known) {
    List<Row> batch = parsed.rows();
    counter.in += batch.size();
    int refIndex = entity.refIndex;
    return known
        .lookup(entity, batch)
        .flatMap(
            found -> {
              List<Row> good = new ArrayList<>(batch.size());
              List<Row> bad = new ArrayList<>();
              for (Row r : batch) {
                if (!r.ok()) {
                  bad.add(r);
                } else if (refIndex >= 0 && !found.customers().contains(r.values()[refIndex])) {
                  bad.add(
                      Row.bad(
                          r.number(),
                          r.raw(),
                          entity.customerRef,
                          "unknown customer " + r.values()[refIndex]));
                } else {
                  good.add(r);
                }
              }
              counter.accepted += good.size();
              counter.quarantined += bad.size();
              for (Row b : bad) {
                if (counter.shown.size() < MAX_ERRORS_SHOWN) {
                  counter.shown.add(new Quarantined(b.number(), b.column(), b.reason(), b.raw()));
                }
              }
              return writer.write(entity, batchId, parsed, good, bad, found.stored());
            });
  }
}
