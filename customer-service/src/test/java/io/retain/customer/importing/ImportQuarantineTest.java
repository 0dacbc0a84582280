package io.retain.customer.importing;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerApiTest;
import io.retain.support.security.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad rows are quarantined with row, column and reason; good rows in the same file are kept. */
class ImportQuarantineTest extends CustomerApiTest {

  @SuppressWarnings("unchecked")
  private Map<String, Object> result(String entity, String csv) {
    return importCsv(entity, csv)
        .expectStatus()
        .isOk()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody();
  }

  @Test
  @SuppressWarnings("unchecked")
  void quarantinesEachKindOfBadRowWithItsReasonAndKeepsTheGoodOnes() {
    Map<String, Object> customers =
        result(
            "customers",
            """
            id,name,kind,industry,valueTier,since,region
             c1 ,Acme,ENTERPRISE,RETAIL,KEY,2024-01-15,NORTH
            C2,Bob,PERSON,RETAIL,SMALL,2024-01-15,
            C3,Carol,INDIVIDUAL,RETAIL,SMALL,15/01/2024,
            """);
    assertThat(customers).containsEntry("rowsIn", 3).containsEntry("accepted", 1);
    assertThat(customers).containsEntry("quarantined", 2);

    Map<String, Object> orders =
        result(
            "orders",
            """
            id,customerId,placedAt,amount,currency,channel,status,test
             o-1 ,c1,2026-01-05,100.00,CNY,WEB,COMPLETED,false
            ,C1,2026-01-05,10,,,,
            O-3,C9,2026-01-05,10,,,,
            O-4,C1,2026-13-45,10,,,,
            O-5,C1,2026-01-05,-5,,,,
            O-6,C1,2026-01-05,20,,,SHIPPED,
            O-7,C1,2026-01-05T10:00:00+08:00,20,,,COMPLETED,
            """);
    assertThat(orders)
        .containsEntry("rowsIn", 7)
        .containsEntry("accepted", 2)
        .containsEntry("quarantined", 5);
    List<Map<String, Object>> errors = (List<Map<String, Object>>) orders.get("errors");
    assertThat(errors)
        .extracting(e -> e.get("row"), e -> e.get("column"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, "id"),
            org.assertj.core.groups.Tuple.tuple(4, "customerId"),
            org.assertj.core.groups.Tuple.tuple(5, "placedAt"),
            org.assertj.core.groups.Tuple.tuple(6, "amount"),
            org.assertj.core.groups.Tuple.tuple(7, "status"));
    assertThat(errors)
        .extracting(e -> (String) e.get("reason"))
        .satisfiesExactly(
            r -> assertThat(r).isEqualTo("missing id"),
            r -> assertThat(r).isEqualTo("unknown customer C9"),
            r -> assertThat(r).startsWith("bad date placedAt '2026-13-45'"),
            r -> assertThat(r).isEqualTo("negative amount -5"),
            r -> assertThat(r).startsWith("status 'SHIPPED' is not one of"));

    Map<String, Object> surveys =
        result(
            "surveys",
            """
            customerId,answeredAt,score,csat
            C1,2026-02-01,9,5
            C1,2026-02-02,11,
            C1,2026-02-03,7,6
            """);
    assertThat(surveys)
        .containsEntry("rowsIn", 3)
        .containsEntry("accepted", 1)
        .containsEntry("quarantined", 2);
    assertThat((List<Map<String, Object>>) surveys.get("errors"))
        .extracting(e -> (String) e.get("reason"))
        .containsExactly("score 11 is outside 0–10", "csat 6 is outside 1–5");

    // the ids were trimmed and upper-cased; the +08:00 instant was normalised to UTC
    graphql(Role.ANALYST, "{ customer(id: \"c1\") { id recentOrders { id placedAt } } }", Map.of())
        .jsonPath("$.data.customer.id")
        .isEqualTo("C1")
        .jsonPath("$.data.customer.recentOrders[*].id")
        .isEqualTo(List.of("O-7", "O-1"))
        .jsonPath("$.data.customer.recentOrders[0].placedAt")
        .isEqualTo("2026-01-05T02:00:00Z");

    // quarantine is listable by a data steward: 2 customers + 5 orders + 2 surveys
    graphql(Role.DATA_STEWARD, "{ quarantine(first: 100) { entity rowNumber reason } }", Map.of())
        .jsonPath("$.data.quarantine.length()")
        .isEqualTo(9)
        .jsonPath("$.data.quarantine[0].reason")
        .isEqualTo("kind 'PERSON' is not one of [ENTERPRISE, INDIVIDUAL]");
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
  void refusesFileWithUnknownColumnAndWritesNothing() {
    importCsv("customers", "id,name,shoeSize\nC7,X,42\n")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("MALFORMED_FILE");
    graphql(Role.ANALYST, "{ customer(id: \"C7\") { id } }", Map.of())
        .jsonPath("$.data.customer")
        .doesNotExist();
  }

  @SuppressWarnings("unchecked")
  private int feedRows(String feed, String customerId) {
    Map<String, Object> body =
        http.post()
            .uri("/graphql")
            .header("Authorization", "Bearer " + token(Role.SERVICE))
            .bodyValue(Map.of("query", feed))
            .exchange()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    List<Map<String, Object>> rows =
        (List<Map<String, Object>>) ((Map<String, Object>) body.get("data")).get("activityChanges");
    return (int) rows.stream().filter(r -> customerId.equals(r.get("customerId"))).count();
  }

  @Test
  void reimportingTheSameFileChangesNothingAndAppendsNoFeedRows() {
    String file =
        "id,name,kind,industry,valueTier,since\nR1,Acme,ENTERPRISE,RETAIL,KEY,2024-01-15\n";
    String feed = "{ activityChanges(after: 0, limit: 1000) { seq customerId } }";
    result("customers", file);
    int after1 = feedRows(feed, "R1");
    result("customers", file);
    assertThat(after1).isEqualTo(1);
    assertThat(feedRows(feed, "R1")).isEqualTo(1);
  }
}
