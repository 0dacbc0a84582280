package io.retain.customer.importing;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Streams an import into PostgreSQL in batches inside one transaction: a file-level problem
 * (encoding, header) rolls everything back; a bad row goes to quarantine with its row number,
 * column and reason. Rows in = accepted + quarantined, always.
 */
@Service
public class ImportService {

  private static final Logger log = LoggerFactory.getLogger(ImportService.class);
  static final int BATCH = 5000;
  static final int COPY_CHUNK = 20_000;
  static final int MAX_ERRORS_SHOWN = 100;
  static final long FEED_LOCK = 4242;
  static final int MAX_KNOWN_CACHED = 200_000;

  /**
   * An order import's statements look up a batch's ids in large tables by primary key, so index
   * probes are always the plan: without this the planner scanned the whole of customer_order for a
   * 20,000-element {@code = any(…)}, once per batch. (Other entities keep the planner's choice:
   * their customer upsert joins two CTEs, which wants a hash.)
   */
  static final String PLAN = "set local enable_hashjoin = off; set local enable_mergejoin = off";

  static final String KNOWN_CUSTOMERS =
      "select false, c.id from unnest($1::text[]) as i(id) join customer c using (id)";

  /**
   * The batch's order ids already stored. An import of new orders (ids ascending, or at least in a
   * range nothing stored falls into) answers from one index probe: the one-time filter skips the
   * rest.
   */
  static final String STORED_ORDERS =
      "select true, o.id from unnest($2::text[]) as i(id) join customer_order o using (id)"
          + " where exists (select 1 from customer_order x where x.id between"
          + " (select min(id) from unnest($2::text[]) as j(id))"
          + " and (select max(id) from unnest($2::text[]) as j(id)))";

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

  private final DatabaseClient db;
  private final TransactionalOperator tx;
  private final ObjectMapper json = new ObjectMapper();
  private final OrderCopy orderCopy;

  ImportService(DatabaseClient db, TransactionalOperator tx) {
    this.db = db;
    this.tx = tx;
    this.orderCopy = new OrderCopy(db);
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
    return importLines(entity, format, lines(body));
  }

  Mono<Result> importLines(ImportEntity entity, Format format, Flux<String> lines) {
    UUID batchId = randomUuid();
    Counter counter = new Counter();
    // A file-level error is held until the in-flight batch is written, then fails the whole
    // transaction: cancelling a statement mid-flight would leave the connection unable to roll
    // back.
    java.util.concurrent.atomic.AtomicReference<FileRejected> rejected =
        new java.util.concurrent.atomic.AtomicReference<>();
    Flux<Row> rows =
        lines
            .index()
            .filter(t -> !t.getT2().isBlank())
            .switchOnFirst(
                (first, all) -> {
                  if (format == Format.CSV && first.hasValue()) {
                    Csv.Header header = Csv.header(entity, first.get().getT2());
                    return all.skip(1).map(t -> parse(entity, header, t.getT1() + 1, t.getT2()));
                  }
                  return all.map(t -> parse(entity, null, t.getT1() + 1, t.getT2()));
                })
            .onErrorResume(
                FileRejected.class,
                e -> {
                  rejected.set(e);
                  return Flux.empty();
                });
    Mono<Result> work =
        db.sql("select pg_advisory_xact_lock(" + FEED_LOCK + ")")
            .fetch()
            .rowsUpdated()
            .then(
                entity == ImportEntity.ORDERS
                    ? db.sql(PLAN).fetch().rowsUpdated()
                    : Mono.<Long>empty())
            .thenMany(
                // prefetch 1: the next batch is parsed while this one is written, and no more
                // than that is held (flat memory on any file size)
                rows.buffer(entity == ImportEntity.ORDERS ? COPY_CHUNK : BATCH)
                    .map(batch -> Batch.of(entity, batch))
                    .concatMap(batch -> writeBatch(entity, batchId, batch, counter), 1))
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
    Row row = clean(entity, 1, line, byField(entity, raw));
    if (!row.ok()) {
      return Mono.just(List.of(new Quarantined(1, row.column(), row.reason(), line)));
    }
    int refIndex = entity.customerRef == null ? -1 : entity.indexOf(entity.customerRef);
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
                  .then(upsert(entity, List.of(row)))
                  .thenReturn(List.<Quarantined>of());
          return tx.transactional(write);
        });
  }

  /** A v4 UUID without SecureRandom, whose first use blocks on the entropy pool. */
  static UUID randomUuid() {
    var r = java.util.concurrent.ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo);
  }

  /** A parsed row: cleaned values in field order, or why it was refused. */
  record Row(long number, String raw, String[] values, String column, String reason) {
    boolean ok() {
      return reason == null;
    }
  }

  static final class Counter {
    long in;
    long accepted;
    long quarantined;
    final List<Quarantined> shown = new ArrayList<>();
    // customers seen to exist earlier in this import (one transaction: they cannot vanish), so
    // each batch asks the database only about new references; bounded to keep memory flat
    final Set<String> knownCustomers = new HashSet<>();
  }

  Row parse(ImportEntity entity, Csv.Header header, long number, String line) {
    String[] raw;
    try {
      raw = header != null ? header.values(line) : byField(entity, jsonValues(line));
    } catch (RuntimeException e) {
      return new Row(
          number,
          line,
          null,
          null,
          "not a valid " + (header != null ? "CSV" : "JSON") + " record: " + e.getMessage());
    }
    return clean(entity, number, line, raw);
  }

  /** Raw values by column name, in the entity's field order. */
  static String[] byField(ImportEntity entity, Map<String, String> raw) {
    String[] out = new String[entity.fields.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = raw.get(entity.fields.get(i).name());
    }
    return out;
  }

  /** Cleans one record's raw values (in field order) into cleaned values, or says why not. */
  Row clean(ImportEntity entity, long number, String line, String[] raw) {
    String[] values = new String[entity.fields.size()];
    try {
      for (int i = 0; i < values.length; i++) {
        Field f = entity.fields.get(i);
        values[i] = f.clean(raw[i]);
      }
      if (entity == ImportEntity.CHURN && values[4] != null) {
        List<String> codes = new ArrayList<>();
        for (String c : values[4].split("[;,]")) {
          String code = c.trim().toUpperCase(java.util.Locale.ROOT);
          if (code.isEmpty()) {
            continue;
          }
          if (!ImportEntity.REASONS.contains(code)) {
            throw new Field.BadValue("reasons", "unknown churn reason '" + c.trim() + "'");
          }
          codes.add(code);
        }
        values[4] = String.join(";", codes);
      }
    } catch (Field.BadValue bad) {
      return new Row(number, line, null, bad.column, bad.getMessage());
    }
    return new Row(number, line, values, null, null);
  }

  Map<String, String> jsonValues(String line) {
    JsonNode node = json.readTree(line);
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : node.properties()) {
      JsonNode v = e.getValue();
      if (v == null || v.isNull()) {
        continue;
      }
      if (v.isArray()) {
        List<String> parts = new ArrayList<>();
        v.forEach(x -> parts.add(x.asString()));
        out.put(e.getKey(), String.join(";", parts));
      } else {
        out.put(e.getKey(), v.isString() ? v.asString() : v.toString());
      }
    }
    return out;
  }

  /**
   * One batch of parsed rows; for orders also its valid rows already in COPY's format (done on the
   * parsing thread, so the connection never waits for it).
   */
  record Batch(List<Row> rows, int okRows, byte[] copyText) {
    static Batch of(ImportEntity entity, List<Row> rows) {
      if (entity != ImportEntity.ORDERS) {
        return new Batch(rows, -1, null);
      }
      List<Row> ok = rows.stream().filter(Row::ok).toList();
      return new Batch(rows, ok.size(), OrderCopy.encode(ok));
    }
  }

  private Mono<Void> writeBatch(ImportEntity entity, UUID batchId, Batch parsed, Counter counter) {
    List<Row> batch = parsed.rows();
    counter.in += batch.size();
    Set<String> refs = new HashSet<>();
    int refIndex = entity.customerRef == null ? -1 : entity.indexOf(entity.customerRef);
    if (refIndex >= 0) {
      for (Row r : batch) {
        if (r.ok()) {
          refs.add(r.values()[refIndex]);
        }
      }
    }
    refs.removeAll(counter.knownCustomers);
    // orders also ask which of their ids are stored already, in the same round trip
    String[] orderIds =
        entity == ImportEntity.ORDERS
            ? batch.stream().filter(Row::ok).map(r -> r.values()[0]).toArray(String[]::new)
            : null;
    Set<String> stored = new HashSet<>();
    Mono<Set<String>> known =
        refIndex < 0 || (refs.isEmpty() && orderIds == null)
            ? Mono.just(counter.knownCustomers)
            : (orderIds == null
                    ? db.sql(KNOWN_CUSTOMERS).bind(0, refs.toArray(String[]::new))
                    : db.sql(KNOWN_CUSTOMERS + " union all " + STORED_ORDERS)
                        .bind(0, refs.toArray(String[]::new))
                        .bind(1, orderIds))
                .map((row, m) -> Map.entry(row.get(0, Boolean.class), row.get(1, String.class)))
                .all()
                .collectList()
                .map(
                    answer -> {
                      List<String> found = new ArrayList<>();
                      for (var e : answer) {
                        (e.getKey() ? stored : found).add(e.getValue());
                      }
                      // this batch's answer first, then the cache (which may be reset)
                      Set<String> all = new HashSet<>(found);
                      all.addAll(counter.knownCustomers);
                      if (counter.knownCustomers.size() + found.size() > MAX_KNOWN_CACHED) {
                        counter.knownCustomers.clear();
                      }
                      counter.knownCustomers.addAll(found);
                      return all;
                    });
    return known.flatMap(
        existing -> {
          List<Row> good = new ArrayList<>();
          List<Row> bad = new ArrayList<>();
          for (Row r : batch) {
            if (!r.ok()) {
              bad.add(r);
            } else if (refIndex >= 0 && !existing.contains(r.values()[refIndex])) {
              bad.add(
                  new Row(
                      r.number(),
                      r.raw(),
                      null,
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
          List<Row> write = dedupe(entity, good);
          return (entity == ImportEntity.ORDERS
                  ? orderCopy.write(
                      write,
                      stored,
                      parsed.okRows(),
                      parsed.copyText(),
                      again -> upsert(entity, again))
                  : upsert(entity, write))
              .then(quarantine(entity, batchId, bad));
        });
  }

  /** Within one batch the last row for an id wins (an upsert cannot touch a row twice). */
  private static List<Row> dedupe(ImportEntity entity, List<Row> rows) {
    int key = entity == ImportEntity.CHURN ? 0 : entity.indexOf("id");
    if (entity == ImportEntity.SURVEYS) {
      Map<String, Row> byKey = new LinkedHashMap<>();
      for (Row r : rows) {
        String[] v = r.values();
        byKey.put(v[0] != null ? v[0] : v[1] + "@" + v[2], r);
      }
      return new ArrayList<>(byKey.values());
    }
    Map<String, Row> byKey = new LinkedHashMap<>();
    for (Row r : rows) {
      byKey.put(r.values()[key], r);
    }
    return new ArrayList<>(byKey.values());
  }

  private Mono<Void> upsert(ImportEntity entity, List<Row> rows) {
    if (rows.isEmpty()) {
      return Mono.empty();
    }
    DatabaseClient.GenericExecuteSpec spec = db.sql(entity.upsert);
    for (int col = 0; col < entity.fields.size(); col++) {
      String[] column = new String[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        column[i] = rows.get(i).values()[col];
      }
      spec = spec.bind(col, column);
    }
    return spec.fetch().rowsUpdated().then();
  }

  private Mono<Void> quarantine(ImportEntity entity, UUID batchId, List<Row> bad) {
    if (bad.isEmpty()) {
      return Mono.empty();
    }
    String[] numbers = new String[bad.size()];
    String[] columns = new String[bad.size()];
    String[] reasons = new String[bad.size()];
    String[] raws = new String[bad.size()];
    for (int i = 0; i < bad.size(); i++) {
      numbers[i] = String.valueOf(bad.get(i).number());
      columns[i] = bad.get(i).column();
      reasons[i] = bad.get(i).reason();
      raws[i] = bad.get(i).raw();
    }
    return db.sql(
            "insert into quarantine_row (batch_id, entity, row_number, column_name, reason, raw)"
                + " select $1, $2, n::bigint, c, r, w from unnest($3::text[], $4::text[], $5::text[], $6::text[]) as x(n, c, r, w)")
        .bind(0, batchId)
        .bind(1, entity.path)
        .bind(2, numbers)
        .bind(3, columns)
        .bind(4, reasons)
        .bind(5, raws)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Splits bytes into lines and decodes each strictly as UTF-8. Every buffer is released here,
   * once. A line that is not UTF-8 ends the lines with a marker that becomes the error downstream:
   * thrown from the mapper (or returned as an error publisher, which concatMap calls at once), it
   * would make Reactor discard the buffer as not consumed, and the request's discard hook would
   * release it a second time (Netty then failed the server's own release,
   * IllegalReferenceCountException).
   */
  static Flux<String> lines(Flux<DataBuffer> body) {
    return Flux.defer(
        () -> {
          ByteAccumulator acc = new ByteAccumulator();
          return body.concatMapIterable(
                  buf -> {
                    try {
                      return acc.feed(buf);
                    } finally {
                      DataBufferUtils.release(buf);
                    }
                  })
              .concatWith(Flux.defer(() -> Flux.fromIterable(acc.finish())))
              .handle(
                  (line, sink) -> {
                    if (line == ByteAccumulator.REFUSED) {
                      sink.error(acc.refused);
                    } else {
                      sink.next(line);
                    }
                  });
        });
  }

  /** Holds the tail of the previous chunk until its line ends. */
  static final class ByteAccumulator {
    /** Ends the lines at the first that is not UTF-8 (compared by identity). */
    static final String REFUSED = new String("");

    private byte[] pending = new byte[0];
    private long lineNo;
    private FileRejected refused;
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    List<String> feed(DataBuffer buf) {
      if (refused != null) {
        return List.of();
      }
      byte[] chunk = new byte[buf.readableByteCount()];
      buf.read(chunk);
      byte[] all = new byte[pending.length + chunk.length];
      System.arraycopy(pending, 0, all, 0, pending.length);
      System.arraycopy(chunk, 0, all, pending.length, chunk.length);
      List<String> out = new ArrayList<>();
      int start = 0;
      try {
        for (int i = 0; i < all.length; i++) {
          if (all[i] == '\n') {
            out.add(decode(all, start, i));
            start = i + 1;
          }
        }
      } catch (FileRejected e) {
        refused = e;
        out.add(REFUSED);
        return out;
      }
      pending = java.util.Arrays.copyOfRange(all, start, all.length);
      return out;
    }

    List<String> finish() {
      if (refused != null || pending.length == 0) {
        return List.of();
      }
      try {
        return List.of(decode(pending, 0, pending.length));
      } catch (FileRejected e) {
        refused = e;
        return List.of(REFUSED);
      }
    }

    private String decode(byte[] b, int from, int to) {
      lineNo++;
      int end = to > from && b[to - 1] == '\r' ? to - 1 : to;
      int begin =
          lineNo == 1
                  && end - from >= 3
                  && (b[from] & 0xff) == 0xEF
                  && (b[from + 1] & 0xff) == 0xBB
                  && (b[from + 2] & 0xff) == 0xBF
              ? from + 3
              : from;
      boolean ascii = true;
      for (int i = begin; i < end && ascii; i++) {
        ascii = b[i] >= 0;
      }
      if (ascii) {
        // nothing to decode: Latin-1 is the identity on these bytes, and the cheapest String
        return new String(b, begin, end - begin, StandardCharsets.ISO_8859_1);
      }
      try {
        CharBuffer cb = decoder.decode(ByteBuffer.wrap(b, begin, end - begin));
        return cb.toString();
      } catch (CharacterCodingException e) {
        throw new FileRejected(
            "Line " + lineNo + " is not valid UTF-8: the file must be UTF-8 encoded");
      }
    }
  }
}
