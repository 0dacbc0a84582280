package io.retain.customer.importing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Writes an import's batches: good rows by upsert (or COPY for orders), refused rows to quarantine.
 */
final class BatchWriter {

  /**
   * Refused rows, once per open row: a row whose entity and raw-line hash are already open in
   * quarantine is not added again (re-importing a file does not duplicate its quarantine).
   */
  static final String QUARANTINE =
      "insert into quarantine_row (batch_id, entity, row_number, column_name, reason, raw, raw_hash)"
          + " select $1, $2, n::bigint, c, r, w,"
          + " coalesce(h, encode(sha256(convert_to(w, 'UTF8')), 'hex'))"
          + " from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])"
          + " as x(n, c, r, w, h)"
          + " on conflict (entity, raw_hash) where resolved_at is null do nothing";

  /**
   * One batch of parsed rows; for a copying entity also its valid rows already in COPY's format
   * (done on the parsing thread, so the connection never waits for it).
   */
  record Batch(List<Row> rows, int okRows, byte[] copyText) {
    static Batch of(ImportEntity entity, List<Row> rows) {
      if (!entity.copies()) {
        return new Batch(rows, -1, null);
      }
      List<Row> ok = rows.stream().filter(Row::ok).toList();
      return new Batch(rows, ok.size(), OrderCopy.encode(ok));
    }
  }

  private final DatabaseClient db;
  private final OrderCopy orderCopy;

  BatchWriter(DatabaseClient db) {
    this.db = db;
    this.orderCopy = new OrderCopy(db);
  }

  /** Writes a batch's good rows (the last row per key wins) and quarantines its bad ones. */
  Mono<Void> write(
      ImportEntity entity,
      UUID batchId,
      Batch parsed,
      List<Row> good,
      List<Row> bad,
      java.util.Set<String> stored) {
    List<Row> write = dedupe(entity, good);
    return (entity.copies()
            ? orderCopy.write(
                write, stored, parsed.okRows(), parsed.copyText(), again -> upsert(entity, again))
            : upsert(entity, write))
        .then(quarantine(entity, batchId, bad));
  }

  /** Within one batch the last row for a key wins (an upsert cannot touch a row twice). */
  static List<Row> dedupe(ImportEntity entity, List<Row> rows) {
    Map<String, Row> byKey = new LinkedHashMap<>();
    for (Row r : rows) {
      byKey.put(entity.key(r.values()), r);
    }
    return new ArrayList<>(byKey.values());
  }

  Mono<Void> upsert(ImportEntity entity, List<Row> rows) {
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

  Mono<Void> quarantine(ImportEntity entity, UUID batchId, List<Row> bad) {
    if (bad.isEmpty()) {
      return Mono.empty();
    }
    String[] numbers = new String[bad.size()];
    String[] columns = new String[bad.size()];
    String[] reasons = new String[bad.size()];
    String[] raws = new String[bad.size()];
    String[] hashes = new String[bad.size()];
    for (int i = 0; i < bad.size(); i++) {
      Row b = bad.get(i);
      numbers[i] = String.valueOf(b.number());
      columns[i] = b.column();
      reasons[i] = b.reason();
      raws[i] = b.raw();
      hashes[i] = b.hash();
    }
    return db.sql(QUARANTINE)
        .bind(0, batchId)
        .bind(1, entity.path)
        .bind(2, numbers)
        .bind(3, columns)
        .bind(4, reasons)
        .bind(5, raws)
        .bind(6, hashes)
        .fetch()
        .rowsUpdated()
        .then();
  }
}
