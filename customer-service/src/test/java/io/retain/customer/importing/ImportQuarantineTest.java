package io.retain.customer.importing;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerApiTest;
import io.retain.support.security.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * What each kind of bad input gets: a bad row is quarantined with its row number, column and reason
 * (rows in = accepted + quarantined); a malformed file is refused with 400 and writes nothing; the
 * same file twice changes nothing.
 */
class ImportQuarantineTest extends CustomerApiTest {

  @Autowired DatabaseClient db;

  static final String CUSTOMERS =
      """
      id,name,kind,industry,valueTier,since,phone,email
       q001 ,Alpha Ltd,ENTERPRISE,RETAIL,KEY,2024-01-15,13812345678,li@example.com
      Q002,Beta,INDIVIDUAL,RETAIL,SMALL,2025-02-01,,
      ,No Id,INDIVIDUAL,RETAIL,SMALL,2025-02-01,,
      Q004,Bad Kind,ROBOT,RETAIL,SMALL,2025-02-01,,
      Q005,Bad Date,INDIVIDUAL,RETAIL,SMALL,2025-13-45,,
      """;

  static final String ORDERS =
      """
      {"id":"o-1","customerId":"Q001","placedAt":"2026-01-10","amount":100.5}
      {"id":"o-2","customerId":"NOBODY","placedAt":"2026-01-10","amount":10}
      {"id":"o-3","customerId":"Q001","placedAt":"2026-01-10","amount":-5}
      {"id":"o-4","customerId":"Q001","placedAt":"yesterday","amount":5}
      {"id":"o-5","customerId":"Q002","placedAt":"2026-02-01T10:00:00+08:00","amount":"12.00","status":"cancelled"}
      not json at all
      """;

  static final String SURVEYS =
      """
      {"customerId":"Q001","answeredAt":"2026-03-01","score":11}
      {"customerId":"Q001","answeredAt":"2026-03-02","score":9,"csat":4}
      """;

  @Test
  void badRowsAreQuarantinedWithRowColumnAndReasonAndEverythingReconciles() {
    importCsv("customers", CUSTOMERS)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rowsIn")
        .isEqualTo(5)
        .jsonPath("$.accepted")
        .isEqualTo(2)
        .jsonPath("$.quarantined")
        .isEqualTo(3)
        .jsonPath("$.errors[0].row")
        .isEqualTo(4) // header is line 1
        .jsonPath("$.errors[0].column")
        .isEqualTo("id")
        .jsonPath("$.errors[0].reason")
        .isEqualTo("missing id")
        .jsonPath("$.errors[1].column")
        .isEqualTo("kind")
        .jsonPath("$.errors[1].reason")
        .isEqualTo("kind 'ROBOT' is not one of [ENTERPRISE, INDIVIDUAL]")
        .jsonPath("$.errors[2].reason")
        .isEqualTo("bad date since '2025-13-45' (expected YYYY-MM-DD or an ISO instant)");

    importNdjson("orders", ORDERS)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rowsIn")
        .isEqualTo(6)
        .jsonPath("$.accepted")
        .isEqualTo(2)
        .jsonPath("$.quarantined")
        .isEqualTo(4)
        .jsonPath("$.errors[?(@.row == 2)].reason")
        .isEqualTo("unknown customer NOBODY")
        .jsonPath("$.errors[?(@.row == 3)].reason")
        .isEqualTo("negative amount -5")
        .jsonPath("$.errors[?(@.row == 4)].column")
        .isEqualTo("placedAt")
        .jsonPath("$.errors[?(@.row == 6)].reason")
        .value(r -> assertThat(r.toString()).contains("not a valid JSON record"));

    importNdjson("surveys", SURVEYS)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.quarantined")
        .isEqualTo(1)
        .jsonPath("$.errors[0].reason")
        .isEqualTo("score 11 is outside 0–10");

    // ids trimmed and upper-cased, dates normalised to UTC
    assertThat(scalar("select count(*) from customer where id in ('Q001', 'Q002')")).isEqualTo(2L);
    assertThat(
            scalar(
                "select count(*) from customer_order where id = 'O-5' and placed_at = '2026-02-01T02:00:00Z' and status = 'CANCELLED'"))
        .isEqualTo(1L);
    // every refused row is listed for correction
    graphql(
            Role.DATA_STEWARD,
            "{ quarantine(entity: \"surveys\", first: 100) { entity rowNumber column reason } }",
            Map.of())
        .jsonPath("$.data.quarantine.length()")
        .isEqualTo(1)
        .jsonPath("$.data.quarantine[0].rowNumber")
        .isEqualTo(1)
        .jsonPath("$.data.quarantine[0].column")
        .isEqualTo("score");
  }

  /**
   * A multipart body written by hand with a fixed boundary: the client's own boundary comes from
   * SecureRandom, whose first use blocks an event-loop thread (BlockHound would fail the test).
   */
  private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec upload(
      String entity, String filename, byte[] content) {
    String boundary = "retain-test-boundary";
    var body = new java.io.ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + filename
                + "\"\r\nContent-Type: text/csv\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    body.writeBytes(content);
    body.writeBytes(
        ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return http.post()
        .uri("/import/" + entity)
        .header("Authorization", "Bearer " + token(Role.DATA_STEWARD))
        .contentType(
            org.springframework.http.MediaType.parseMediaType(
                "multipart/form-data; boundary=" + boundary))
        .bodyValue(body.toByteArray())
        .exchange();
  }

  @Test
  void importsMultipartCsvFilePart() {
    upload(
            "customers",
            "customers.csv",
            "id,name,kind,industry,valueTier,since\nU1,Zhang San,INDIVIDUAL,RETAIL,SMALL,2025-02-01\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.entity")
        .isEqualTo("customers")
        .jsonPath("$.rowsIn")
        .isEqualTo(1)
        .jsonPath("$.accepted")
        .isEqualTo(1);
  }

  @Test
  void refusesFileThatIsNotUtf8AndWritesNothing() {
    // "Zhāng" in ISO-8859-1 is not valid UTF-8
    byte[] latin1 =
        "id,name,kind,industry,valueTier,since\nU2,Zh\u00e2ng,INDIVIDUAL,RETAIL,SMALL,2025-02-01\n"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    upload("customers", "latin1.csv", latin1)
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("MALFORMED_FILE")
        .jsonPath("$.message")
        .value(String.class, m -> assertThat(m).contains("UTF-8"));
    graphql(Role.ANALYST, "{ customer(id: \"U2\") { id } }", Map.of())
        .jsonPath("$.data.customer")
        .doesNotExist();
  }

  @Test
  void importingTheSameFileTwiceChangesNothing() {
    importCsv("customers", CUSTOMERS).expectStatus().isOk();
    importNdjson("orders", ORDERS).expectStatus().isOk();
    long feed = scalar("select count(*) from activity_change");
    long orders = scalar("select count(*) from customer_order");
    importCsv("customers", CUSTOMERS).expectStatus().isOk();
    importNdjson("orders", ORDERS).expectStatus().isOk();
    assertThat(scalar("select count(*) from customer_order")).isEqualTo(orders);
    assertThat(scalar("select count(*) from activity_change"))
        .as("no feed rows for unchanged data")
        .isEqualTo(feed);
  }

  @Test
  void unknownHeaderColumnRefusesTheFileAndWritesNothing() {
    importCsv("customers", "id,name,shoeSize\nZ1,Zed,44\n")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("MALFORMED_FILE")
        .jsonPath("$.message")
        .value(m -> assertThat(m.toString()).startsWith("Unknown column(s) [shoeSize]"));
    assertThat(scalar("select count(*) from customer where id = 'Z1'")).isZero();
    assertThat(scalar("select count(*) from import_batch")).isZero();
  }

  @Test
  void invalidUtf8RefusesTheWholeFileEvenAfterGoodRows() {
    byte[] good =
        "{\"id\":\"U1\",\"name\":\"U\",\"kind\":\"INDIVIDUAL\",\"industry\":\"RETAIL\",\"valueTier\":\"SMALL\",\"since\":\"2025-01-01\"}\n"
            .getBytes();
    byte[] bad = new byte[] {'{', '"', 'i', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
    byte[] body = new byte[good.length + bad.length];
    System.arraycopy(good, 0, body, 0, good.length);
    System.arraycopy(bad, 0, body, good.length, bad.length);
    http.post()
        .uri("/import/customers")
        .header("Authorization", "Bearer " + token(Role.DATA_STEWARD))
        .contentType(MediaType.parseMediaType("application/x-ndjson"))
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.message")
        .isEqualTo("Line 2 is not valid UTF-8: the file must be UTF-8 encoded");
    assertThat(scalar("select count(*) from customer where id = 'U1'")).as("rolled back").isZero();
  }

  @Test
  void unknownEntityAndMissingRoleAreRefused() {
    importNdjson("invoices", "{}\n").expectStatus().isBadRequest();
    http.post()
        .uri("/import/customers")
        .header("Authorization", "Bearer " + token(Role.ANALYST))
        .contentType(MediaType.parseMediaType("application/x-ndjson"))
        .bodyValue("{}\n")
        .exchange()
        .expectStatus()
        .isForbidden();
  }

  long scalar(String sql) {
    return db.sql(sql).map((r, m) -> ((Number) r.get(0)).longValue()).one().block();
  }
}
