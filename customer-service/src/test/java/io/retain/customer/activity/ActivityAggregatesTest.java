package io.retain.customer.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Readable;
import io.retain.customer.CustomerApiTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The service aggregates each customer's orders in Java; the bare SQL statement that computes every
 * aggregate in PostgreSQL ({@code activity-aggregates.sql}) is the reference. On a seeded random
 * population with the awkward cases planted (month ends, the last microsecond of the day, outliers,
 * amounts whose squares overflow a long, customers without orders), both must agree exactly, for
 * several dates and windows, in both read forms.
 */
class ActivityAggregatesTest extends CustomerApiTest {

  static boolean loaded;
  static final List<String> IDS =
      IntStream.rangeClosed(1, 400).mapToObj(i -> String.format("R%04d", i)).toList();

  @Autowired DatabaseClient db;
  @Autowired ActivityRepository activity;

  @BeforeEach
  void load() {
    if (loaded) {
      return;
    }
    loaded = true;
    for (String sql :
        List.of(
            """
            insert into customer (id, name, kind, industry, since, value_tier)
            select 'R' || lpad(i::text, 4, '0'), 'Customer ' || i,
              case when i % 2 = 0 then 'INDIVIDUAL' else 'ENTERPRISE' end, 'retail',
              date '2023-01-31' + (i * 7 % 1000), 'ORDINARY'
            from generate_series(1, 400) i
            """,
            // customers 391-400 have no random orders; about 1 order in 20 is ten to a hundred
            // times the usual
            """
            insert into customer_order (id, customer_id, placed_at, amount, status, test)
            select 'RO' || i, 'R' || lpad((1 + (i * 7919) % 390)::text, 4, '0'),
              timestamptz '2024-01-01 00:00:00+00' + ((i * 104729) % 1000) * interval '1 day'
                + ((i * 7727) % 86400) * interval '1 second',
              case when i % 20 = 0 then 1000 + (i * 31 % 90000) else 1 + (i * 37 % 50000) / 100.0 end,
              case when i % 9 = 0 then 'CANCELLED' when i % 13 = 0 then 'REFUNDED' else 'COMPLETED' end,
              i % 31 = 0
            from generate_series(1, 9000) i
            """,
            // the end of 2026-06-30 and 2026-03-31: the last microsecond counts, the next does not;
            // a 31st against a 30th; amounts whose squares in cents overflow a long
            """
            insert into customer_order (id, customer_id, placed_at, amount, status, test) values
              ('RE1', 'R0391', '2026-06-30 23:59:59.999999+00', 10.01, 'COMPLETED', false),
              ('RE2', 'R0391', '2026-07-01 00:00:00+00', 20.02, 'COMPLETED', false),
              ('RE3', 'R0391', '2026-03-31 23:59:59.999999+00', 30.03, 'COMPLETED', false),
              ('RE4', 'R0391', '2025-07-31 12:00:00+00', 40.04, 'COMPLETED', false),
              ('RW1', 'R0392', '2026-05-01 00:00:00+00', 99999999999999.99, 'COMPLETED', false),
              ('RW2', 'R0392', '2026-05-02 00:00:00+00', 99999999999999.99, 'COMPLETED', false),
              ('RW3', 'R0392', '2026-05-03 00:00:00+00', 0.01, 'COMPLETED', false)
            """,
            """
            insert into service_ticket (id, customer_id, opened_at, first_response_at, resolved_at, complaint)
            select 'RT' || i, 'R' || lpad((1 + (i * 613) % 400)::text, 4, '0'),
              timestamptz '2025-01-01 00:00:00+00' + ((i * 997) % 600) * interval '1 day',
              case when i % 4 = 0 then null
                else timestamptz '2025-01-01 00:00:00+00' + ((i * 997) % 600) * interval '1 day'
                  + (i % 100) * interval '1 hour' end,
              case when i % 3 = 0 then null
                else timestamptz '2025-01-01 00:00:00+00' + ((i * 997) % 600 + 9) * interval '1 day' end,
              i % 5 = 0
            from generate_series(1, 900) i
            """,
            """
            insert into survey_response (id, customer_id, answered_at, nps, csat)
            select 'RS' || i, 'R' || lpad((1 + (i * 211) % 400)::text, 4, '0'),
              timestamptz '2025-01-01 00:00:00+00' + ((i * 389) % 600) * interval '1 day',
              i % 11, case when i % 3 = 0 then null else 1 + i % 5 end
            from generate_series(1, 1500) i
            """)) {
      db.sql(sql).fetch().rowsUpdated().block();
    }
  }

  @Test
  void ordersAggregatedInJavaEqualTheSqlReferenceForEveryDateAndWindow() {
    List<CustomerActivity> all = new ArrayList<>();
    for (String asOf :
        List.of("2026-06-30", "2026-03-31", "2026-02-28", "2025-12-31", "2026-07-15")) {
      for (int w : new int[] {1, 6, 12, 24}) {
        LocalDate d = LocalDate.parse(asOf);
        List<CustomerActivity> expected = reference(d, w);
        assertThat(expected).hasSize(400);
        List<CustomerActivity> byIds = activity.forIds(IDS, d, w).collectList().block();
        sameCustomers(byIds, expected, "by ids as of " + asOf + ", " + w + " months");
        if (w == 12) {
          List<CustomerActivity> bulk = activity.range(null, null, d, w).collectList().block();
          sameCustomers(bulk, expected, "bulk as of " + asOf);
        }
        all.addAll(expected);
      }
    }
    // the planted cases were really met, so that the equality above covered them
    assertThat(all).anyMatch(a -> a.stabilityOrders() < a.ordersInWindow()); // outliers left out
    assertThat(all).anyMatch(a -> a.ordersInWindow() == 0 && a.ordersAllTime() > 0);
    assertThat(all).anyMatch(a -> a.ordersAllTime() == 0);
    assertThat(all).anyMatch(a -> a.amountSumSquares() > 1e28); // beyond a long in cents²
  }

  @Test
  void theLastMicrosecondOfTheDayCountsAndAThirtyFirstIsAMonthLessBeforeAThirtieth() {
    CustomerActivity a =
        activity.forIds(List.of("R0391"), LocalDate.parse("2026-06-30"), 12).blockFirst();
    // 23:59:59.999999 on asOf counts, midnight after it does not
    assertThat(a.lastOrderDate()).isEqualTo(LocalDate.parse("2026-06-30"));
    assertThat(a.ordersAllTime()).isEqualTo(3);
    // 2026-03-31 is 2 whole months before 2026-06-30, 2025-07-31 is 10 (ChronoUnit.MONTHS)
    List<Integer> buckets = new ArrayList<>(List.of(1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0));
    assertThat(a.ordersByBucket()).isEqualTo(buckets);
    assertThat(a.spendInWindow()).isEqualTo(80.08);
    CustomerActivity wide =
        activity.forIds(List.of("R0392"), LocalDate.parse("2026-06-30"), 12).blockFirst();
    // 2 × 99,999,999,999,999.99 + 0.01 summed exactly, then rounded once to a double
    assertThat(wide.spendInWindow()).isEqualTo(new BigDecimal("199999999999999.99").doubleValue());
    assertThat(wide.amountSumSquares())
        .isEqualTo(
            new BigDecimal("99999999999999.99")
                .pow(2)
                .multiply(BigDecimal.valueOf(2))
                .add(new BigDecimal("0.0001"))
                .doubleValue());
  }

  /** Equal lists, compared customer by customer so that a failure names the one that differs. */
  private static void sameCustomers(
      List<CustomerActivity> actual, List<CustomerActivity> expected, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as(what).isEqualTo(expected.get(i));
    }
  }

  /** The reference statement over all 400 customers, mapped as the service maps its own rows. */
  private List<CustomerActivity> reference(LocalDate asOf, int w) {
    return db.sql("with ids as (select unnest($1::text[]) as id),\n" + referenceSql())
        .bind(0, IDS.toArray(String[]::new))
        .bind(1, asOf)
        .bind(2, w)
        .map((r, m) -> referenceRow(r, w))
        .all()
        .collectList()
        .block();
  }

  static String referenceSql() {
    try (var in =
        ActivityAggregatesTest.class.getResourceAsStream("/activity/activity-aggregates.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.startsWith("--"))
          .collect(Collectors.joining("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CustomerActivity referenceRow(Readable r, int w) {
    Integer[] buckets = r.get("buckets", Integer[].class);
    Integer[] hist = new Integer[w];
    Arrays.fill(hist, 0);
    if (buckets != null) {
      for (Integer b : buckets) {
        hist[b]++;
      }
    }
    return new CustomerActivity(
        r.get("id", String.class),
        r.get("since", LocalDate.class),
        r.get("kind", String.class),
        r.get("industry", String.class),
        r.get("value_tier", String.class),
        r.get("region", String.class),
        r.get("status", String.class),
        r.get("am_changed", LocalDate.class),
        num(r, "n").intValue(),
        new ArrayList<>(Arrays.asList(hist)),
        num(r, "s").doubleValue(),
        num(r, "ss").doubleValue(),
        num(r, "sn").intValue(),
        num(r, "ssum").doubleValue(),
        num(r, "sss").doubleValue(),
        r.get("last_d", LocalDate.class),
        r.get("first_d", LocalDate.class),
        num(r, "all_n").longValue(),
        num(r, "all_s").doubleValue(),
        num(r, "s").doubleValue(),
        num(r, "complaints").intValue(),
        num(r, "tickets").intValue(),
        r.get("resp") == null ? null : num(r, "resp").doubleValue(),
        num(r, "open7").intValue(),
        num(r, "prom").intValue(),
        num(r, "pas").intValue(),
        num(r, "det").intValue(),
        r.get("csat") == null ? null : num(r, "csat").doubleValue(),
        num(r, "csat_n").intValue(),
        num(r, "days").intValue());
  }

  private static Number num(Readable r, String col) {
    Object v = r.get(col);
    return v instanceof BigDecimal b ? b : (Number) v;
  }
}
