package io.retain.customer.importing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The customers one import has seen to exist (one transaction: they cannot vanish), so each batch
 * asks the database only about new references; bounded to keep memory flat.
 */
final class KnownCustomers {

  static final int MAX_CACHED = 200_000;

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

  /** A batch's answer: the customers that exist, and (for a copying entity) ids stored already. */
  record Lookup(Set<String> customers, Set<String> stored) {}

  private final DatabaseClient db;
  private final Set<String> known = new HashSet<>();

  KnownCustomers(DatabaseClient db) {
    this.db = db;
  }

  /** Which customers the batch's good rows refer to exist, and which of its ids are stored. */
  Mono<Lookup> lookup(ImportEntity entity, List<Row> batch) {
    int refIndex = entity.refIndex;
    if (refIndex < 0) {
      return Mono.just(new Lookup(Set.of(), Set.of()));
    }
    Set<String> refs = new HashSet<>();
    for (Row r : batch) {
      if (r.ok()) {
        refs.add(r.values()[refIndex]);
      }
    }
    refs.removeAll(known);
    // a copying entity also asks which of its ids are stored already, in the same round trip
    String[] ids =
        entity.copies()
            ? batch.stream().filter(Row::ok).map(r -> r.values()[0]).toArray(String[]::new)
            : null;
    if (refs.isEmpty() && ids == null) {
      return Mono.just(new Lookup(known, Set.of()));
    }
    Set<String> stored = new HashSet<>();
    return (ids == null
            ? db.sql(KNOWN_CUSTOMERS).bind(0, refs.toArray(String[]::new))
            : db.sql(KNOWN_CUSTOMERS + " union all " + STORED_ORDERS)
                .bind(0, refs.toArray(String[]::new))
                .bind(1, ids))
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
              all.addAll(known);
              if (known.size() + found.size() > MAX_CACHED) {
                known.clear();
              }
              known.addAll(found);
              return new Lookup(all, stored);
            });
  }
}
