package io.retain.customer.importing;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerApiTest;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Value;

/**
 * Import throughput against a bare {@code COPY} of the same rows in the same run. Not part of the
 * build (the name does not end in Test): {@code ./mvnw -B verify -pl customer-service
 * -Dtest=ImportThroughputBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ImportThroughputBench extends CustomerApiTest {

  static final int CUSTOMERS = 2_000;
  static final int ORDERS = 300_000;

  @Value("${spring.flyway.url}")
  String jdbcUrl;

  @Value("${spring.flyway.user}")
  String user;

  @Value("${spring.flyway.password:}")
  String password;

  @Test
  @SuppressWarnings("unchecked")
  void importsOrdersNearCopySpeed() throws Exception {
    StringBuilder customers = new StringBuilder("id,name,kind,industry,valueTier,since\n");
    for (int i = 0; i < CUSTOMERS; i++) {
      customers
          .append("B")
          .append(i)
          .append(",Bench ")
          .append(i)
          .append(",ENTERPRISE,RETAIL,KEY,2024-01-01\n");
    }
    importCsv("customers", customers.toString()).expectStatus().isOk();
    SplittableRandom rnd = new SplittableRandom(7);
    StringBuilder orders = new StringBuilder("id,customerId,placedAt,amount,status\n");
    StringBuilder copy = new StringBuilder();
    for (int i = 0; i < ORDERS; i++) {
      String row =
          "BO"
              + i
              + ",B"
              + rnd.nextInt(CUSTOMERS)
              + ",2025-"
              + String.format("%02d-%02d", 1 + rnd.nextInt(12), 1 + rnd.nextInt(28))
              + "T10:00:00Z,"
              + (10 + rnd.nextInt(10_000))
              + ".00,COMPLETED";
      orders.append(row).append('\n');
      copy.append(row.replace(",COMPLETED", ",CNY,,COMPLETED,false")).append('\n');
    }
    String body = orders.toString();
    importCsv("orders", "id,customerId,placedAt,amount,status\nW1,B1,2025-01-01,1,COMPLETED\n")
        .expectStatus()
        .isOk(); // warm-up
    long t0 = System.nanoTime();
    Map<String, Object> result =
        importCsv("orders", body)
            .expectStatus()
            .isOk()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    double importSeconds = (System.nanoTime() - t0) / 1e9;
    assertThat(((Number) result.get("accepted")).intValue()).isEqualTo(ORDERS);

    double copySeconds;
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
      c.createStatement().execute("create table bench_copy (like customer_order including all)");
      long t1 = System.nanoTime();
      ((PGConnection) c.unwrap(PGConnection.class))
          .getCopyAPI()
          .copyIn(
              "copy bench_copy (id, customer_id, placed_at, amount, currency, channel, status, test)"
                  + " from stdin with (format csv)",
              new StringReader(copy.toString()));
      copySeconds = (System.nanoTime() - t1) / 1e9;
      c.createStatement().execute("drop table bench_copy");
    }
    System.out.printf(
        "BENCH import: %d orders in %.2f s = %.0f rows/s; bare COPY: %.2f s = %.0f rows/s;"
            + " import/COPY speed ratio %.2f%n",
        ORDERS,
        importSeconds,
        ORDERS / importSeconds,
        copySeconds,
        ORDERS / copySeconds,
        copySeconds / importSeconds);
  }
}
