package io.retain.customer.importing;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerApiTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The COPY path of the order import: new ids go in by COPY, repeated ids within a file keep their
 * last row, stored ids are updated only where they differ, values with COPY's special characters
 * arrive intact, unknown customers are quarantined, and the change feed gets one row per customer
 * whose orders changed.
 */
class OrderCopyImportTest extends CustomerApiTest {

  @Autowired DatabaseClient db;

  @Test
  void newOrdersByCopyRepeatsLastWinsStoredOnesUpdatedOnlyWhenChanged() {
    importCsv(
            "customers",
            "id,name,kind,industry,valueTier,since\n"
                + "K1,One,INDIVIDUAL,RETAIL,SMALL,2024-01-01\n"
                + "K2,Two,INDIVIDUAL,RETAIL,SMALL,2024-01-01\n")
        .expectStatus()
        .isOk();
    long feedBefore = scalar("select count(*) from activity_change");

    // line 5 repeats k-1 (last row wins); line 4 has an unknown customer, line 6 a bad amount;
    // k-2's channel carries a backslash and a tab, which COPY's text format must escape
    importCsv(
            "orders",
            "id,customerId,placedAt,amount,channel\n"
                + "k-1,K1,2026-01-10T08:00:00Z,10.00,ONLINE\n"
                + "k-2,k2,2026-01-11,20.5,\"A\\B\tC\"\n"
                + "k-3,NOBODY,2026-01-12,1,ONLINE\n"
                + "K-1,K1,2026-01-10T08:00:00Z,11.00,STORE\n"
                + "k-4,K2,2026-01-13,-3,ONLINE\n")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rowsIn")
        .isEqualTo(5)
        .jsonPath("$.accepted")
        .isEqualTo(3)
        .jsonPath("$.quarantined")
        .isEqualTo(2)
        .jsonPath("$.errors[0].row")
        .isEqualTo(4)
        .jsonPath("$.errors[0].column")
        .isEqualTo("customerId")
        .jsonPath("$.errors[0].reason")
        .isEqualTo("unknown customer NOBODY")
        .jsonPath("$.errors[1].row")
        .isEqualTo(6)
        .jsonPath("$.errors[1].column")
        .isEqualTo("amount");

    assertThat(orders())
        .containsExactly(
            "K-1|K1|2026-01-10T08:00Z|11.00|CNY|STORE|COMPLETED|f",
            "K-2|K2|2026-01-11T00:00Z|20.50|CNY|A\\B\tC|COMPLETED|f");
    assertThat(feedCustomers(feedBefore)).containsExactly("K1", "K2");
    assertThat(scalar("select count(*) from quarantine_row where entity = 'orders'")).isEqualTo(2);

    // again: k-1 unchanged, k-2 changed, k-5 new; only K2's and K1's (new k-5) feed rows follow
    long feedMid = scalar("select max(seq) from activity_change");
    importCsv(
            "orders",
            "id,customerId,placedAt,amount,channel\n"
                + "K-1,K1,2026-01-10T08:00:00Z,11.00,STORE\n"
                + "K-2,K2,2026-01-11,21,ONLINE\n"
                + "K-5,K1,2026-02-01,5,ONLINE\n")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(3);
    assertThat(orders())
        .containsExactly(
            "K-1|K1|2026-01-10T08:00Z|11.00|CNY|STORE|COMPLETED|f",
            "K-2|K2|2026-01-11T00:00Z|21.00|CNY|ONLINE|COMPLETED|f",
            "K-5|K1|2026-02-01T00:00Z|5.00|CNY|ONLINE|COMPLETED|f");
    assertThat(feedCustomers(feedMid)).containsExactlyInAnyOrder("K1", "K2");

    // the same file a third time: nothing changes, nothing is appended
    long feedEnd = scalar("select max(seq) from activity_change");
    importCsv(
            "orders",
            "id,customerId,placedAt,amount,channel\n"
                + "K-1,K1,2026-01-10T08:00:00Z,11.00,STORE\n"
                + "K-2,K2,2026-01-11,21,ONLINE\n"
                + "K-5,K1,2026-02-01,5,ONLINE\n")
        .expectStatus()
        .isOk();
    assertThat(scalar("select max(seq) from activity_change")).isEqualTo(feedEnd);
  }

  List<String> orders() {
    return db.sql(
            "select concat_ws('|', id, customer_id,"
                + " to_char(placed_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI\"Z\"'),"
                + " amount, currency, channel, status, test) from customer_order order by id")
        .map((r, m) -> r.get(0, String.class))
        .all()
        .collectList()
        .block();
  }

  List<String> feedCustomers(long afterSeq) {
    return db.sql("select customer_id from activity_change where seq > $1 order by seq")
        .bind(0, afterSeq)
        .map((r, m) -> r.get(0, String.class))
        .all()
        .collectList()
        .block();
  }

  long scalar(String sql) {
    return db.sql(sql)
        .map((r, m) -> r.get(0) == null ? 0L : ((Number) r.get(0)).longValue())
        .one()
        .block();
  }
}
