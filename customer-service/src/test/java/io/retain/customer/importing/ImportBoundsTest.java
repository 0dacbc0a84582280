package io.retain.customer.importing;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerApiTest;
import io.retain.support.security.Role;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A value that passes cleaning always fits its column, implausible values are quarantined with a
 * reason, long lines and huge numbers are refused cheaply, re-importing a file does not duplicate
 * its quarantine, and a failed import says that nothing was written (and nothing was).
 */
class ImportBoundsTest extends CustomerApiTest {

  @Autowired DatabaseClient db;

  @BeforeEach
  void customers() {
    importCsv(
            "customers",
            "id,name,kind,industry,valueTier,since\n"
                + "B1,One,INDIVIDUAL,RETAIL,SMALL,2024-01-01\n"
                + "B2,Two,ENTERPRISE,RETAIL,KEY,2024-01-01\n")
        .expectStatus()
        .isOk();
  }

  @Test
  void everyFieldsBoundAgreesWithItsColumn() {
    for (ImportEntity entity : ImportEntity.values()) {
      for (Field f : entity.fields) {
        String where = entity.table + "." + f.column();
        Map<String, Object> col =
            db.sql(
                    "select data_type, character_maximum_length, numeric_precision, numeric_scale"
                        + " from information_schema.columns where table_name = $1 and column_name = $2")
                .bind(0, entity.table)
                .bind(1, f.column())
                .fetch()
                .one()
                .block();
        assertThat(col).as(where + " exists").isNotNull();
        String type = (String) col.get("data_type");
        Number width = (Number) col.get("character_maximum_length");
        switch (f.kind()) {
          case ID, TEXT -> {
            if (width != null) {
              assertThat(f.maxChars()).as(where).isEqualTo(width.intValue());
            } else {
              assertThat(type).as(where).isEqualTo("text");
              assertThat(f.maxChars())
                  .as(where + " has an app bound")
                  .isBetween(1, Field.TEXT_CHARS);
            }
          }
          case ENUM ->
              assertThat(f.allowed())
                  .as(where)
                  .allSatisfy(v -> assertThat(v.length()).isLessThanOrEqualTo(width.intValue()));
          case AMOUNT -> {
            int precision = ((Number) col.get("numeric_precision")).intValue();
            int scale = ((Number) col.get("numeric_scale")).intValue();
            assertThat(scale).as(where).isEqualTo(2);
            assertThat(Field.MAX_AMOUNT)
                .as(where)
                .isLessThan(BigDecimal.TEN.pow(precision - scale));
          }
          case DATE -> assertThat(type).as(where).isEqualTo("date");
          case INSTANT -> assertThat(type).as(where).isEqualTo("timestamp with time zone");
          case NPS, CSAT -> assertThat(type).as(where).isEqualTo("smallint");
          case BOOL -> assertThat(type).as(where).isEqualTo("boolean");
          case LIST -> assertThat(type).as(where).isEqualTo("ARRAY");
        }
      }
    }
  }

  static final String HEADER = "id,customerId,placedAt,amount,currency,channel,status,test\n";

  @Test
  void valuesNoColumnCanHoldAreQuarantinedWithTheirReasons() {
    String orders =
        HEADER
            + "bo-1,B1,2026-01-01,1,CNY,WEB,COMPLETED,false\n"
            + "bo-2,B1,2026-01-01,1e20,CNY,WEB,COMPLETED,false\n"
            + "bo-3,B1,2026-01-01,1,EURO,WEB,COMPLETED,false\n"
            + "bo-4,B1,2026-01-01,1,CNY,"
            + "c".repeat(40)
            + ",COMPLETED,false\n"
            + "x".repeat(70)
            + ",B1,2026-01-01,1,CNY,WEB,COMPLETED,false\n"
            + "bo-6,B1,0000-01-01T00:00:00Z,1,CNY,WEB,COMPLETED,false\n"
            + "bo-7,B1,2026-01-01,12.345,CNY,WEB,COMPLETED,false\n"
            + "bo-8,B1,2100-01-01,1,CNY,WEB,COMPLETED,false\n"
            + "bo-9,B1,2026-01-01,1,CNY,W\0EB,COMPLETED,false\n"
            + "bo-10,B1,2026-01-01,1e400000000,CNY,WEB,COMPLETED,false\n"
            + "bo-11,B1,2026-01-01,1000000000.00,CNY,WEB,COMPLETED,false\n"
            + "bo-12,B1,2026-01-01,1000000000.01,CNY,WEB,COMPLETED,false\n"
            + "bo-13,B1,2026-01-01,2.500,CNY,WEB,COMPLETED,false\n";
    WebTestClient.BodyContentSpec body =
        importCsv("orders", orders)
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.rowsIn")
            .isEqualTo(13)
            .jsonPath("$.accepted")
            .isEqualTo(3)
            .jsonPath("$.quarantined")
            .isEqualTo(10);
    expectReason(body, 3, "amount", "amount 1e20 is above the maximum 1000000000.00");
    expectReason(body, 4, "currency", "currency is 4 characters; at most 3");
    expectReason(body, 5, "channel", "channel is 40 characters; at most 32");
    expectReason(body, 6, "id", "id is 70 characters; at most 64");
    expectReason(body, 7, "placedAt", "placedAt 0000-01-01T00:00:00Z is before 1900-01-01");
    expectReason(body, 8, "amount", "amount 12.345 has 3 decimals; at most 2");
    expectReason(body, 9, "placedAt", "placedAt 2100-01-01 is more than 1 day in the future");
    expectReason(body, 10, "channel", "channel contains a NUL character (U+0000)");
    expectReason(body, 11, "amount", "amount 1e400000000 is above the maximum 1000000000.00");
    expectReason(body, 13, "amount", "amount 1000000000.01 is above the maximum 1000000000.00");
    assertThat(scalar("select count(*) from customer_order where id like 'BO-%'")).isEqualTo(3);
    assertThat(scalar("select amount * 100 from customer_order where id = 'BO-11'"))
        .isEqualTo(100_000_000_000L);
    assertThat(scalar("select amount * 100 from customer_order where id = 'BO-13'"))
        .as("2.500 is 2.50: trailing zeros are not decimals")
        .isEqualTo(250);
    // the NUL is kept visible but storable in the quarantine
    assertThat(
            scalar(
                "select count(*) from quarantine_row where row_number = 10 and raw like '%W\uFFFDEB%'"))
        .isEqualTo(1);
  }

  @Test
  void otherEntitiesBoundsAndImplausibleCombinationsAreQuarantined() {
    importCsv(
            "customers",
            "id,name,kind,industry,valueTier,since,ageBand\n"
                + "B3,Three,INDIVIDUAL,"
                + "i".repeat(100)
                + ",SMALL,2024-01-01,\n"
                + "B4,Four,INDIVIDUAL,RETAIL,SMALL,2024-01-01,"
                + "a".repeat(20)
                + "\n"
                + "B5,"
                + "\uD83D\uDE00".repeat(513)
                + ",INDIVIDUAL,RETAIL,SMALL,2024-01-01,\n"
                + "B6,Six,INDIVIDUAL,RETAIL,SMALL,2100-01-01,\n"
                + "B7,"
                + "\uD83D\uDE00".repeat(512)
                + ",INDIVIDUAL,RETAIL,SMALL,2024-01-01,\n")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1)
        .jsonPath("$.errors[0].reason")
        .isEqualTo("industry is 100 characters; at most 64")
        .jsonPath("$.errors[1].reason")
        .isEqualTo("ageBand is 20 characters; at most 16")
        .jsonPath("$.errors[2].reason")
        .isEqualTo("name is 513 characters; at most 512")
        .jsonPath("$.errors[3].reason")
        .isEqualTo("since 2100-01-01 is more than 1 day in the future");
    importNdjson(
            "tickets",
            """
            {"id":"bt-1","customerId":"B1","openedAt":"2026-01-02T00:00:00Z","severity":"%s"}
            {"id":"bt-2","customerId":"B1","openedAt":"2026-01-02T00:00:00Z","resolvedAt":"2026-01-01T00:00:00Z"}
            {"id":"bt-3","customerId":"B1","openedAt":"2026-01-02T00:00:00Z","firstResponseAt":"2026-01-01T23:00:00Z"}
            {"id":"bt-4","customerId":"B1","openedAt":"2026-01-02T00:00:00Z","resolvedAt":"2026-01-02T00:00:00Z"}
            """
                .formatted("s".repeat(20)))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(1)
        .jsonPath("$.errors[0].reason")
        .isEqualTo("severity is 20 characters; at most 16")
        .jsonPath("$.errors[1].column")
        .isEqualTo("resolvedAt")
        .jsonPath("$.errors[1].reason")
        .isEqualTo("resolvedAt 2026-01-01T00:00:00Z is before openedAt 2026-01-02T00:00:00Z")
        .jsonPath("$.errors[2].column")
        .isEqualTo("firstResponseAt");
    importNdjson(
            "churn",
            """
            {"customerId":"B1","churnedAt":"2026-03-01","type":"VOLUNTARY","causeClass":"OTHER","wonBackAt":"2026-02-01"}
            """)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.errors[0].reason")
        .isEqualTo("wonBackAt 2026-02-01 is before churnedAt 2026-03-01");
    importNdjson(
            "orders",
            """
            {"id":"bj-1","customerId":"B1","placedAt":"2026-01-01","amount":"1e9999"}
            {"id":{"x":1},"customerId":"B1","placedAt":"2026-01-01","amount":1}
            {"id":"bj-3","customerId":"B1","placedAt":"2026-01-01","amount":[1,2]}
            {"id":"bj-4","customerId":"B1","placedAt":"2026-01-01","amount":1e400000000}
            {"id":"bj-5","customerId":"B1","placedAt":"2026-01-01","amount":12345678901234.99}
            """)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(0)
        .jsonPath("$.errors[0].reason")
        .isEqualTo("amount 1e9999 is above the maximum 1000000000.00")
        .jsonPath("$.errors[1].reason")
        .isEqualTo("id is a JSON object; expected a string")
        .jsonPath("$.errors[2].reason")
        .isEqualTo("amount is a JSON array; expected a number")
        .jsonPath("$.errors[3].reason")
        .isEqualTo("amount 1e400000000 is above the maximum 1000000000.00")
        .jsonPath("$.errors[4].reason")
        .isEqualTo("amount 12345678901234.99 is above the maximum 1000000000.00");
    assertThat(scalar("select count(*) from customer where id in ('B3', 'B4', 'B5', 'B6')"))
        .isZero();
  }

  @Test
  void aBadLastRowOfABigFileIsQuarantinedAndTheRestWritten() {
    StringBuilder csv = new StringBuilder("id,customerId,placedAt,amount,currency\n");
    for (int i = 1; i <= 20_000; i++) {
      csv.append("BB-").append(i).append(",B2,2026-01-01,1,CNY\n");
    }
    csv.append("BB-LAST,B2,2026-01-01,1,EURO\n");
    importCsv("orders", csv.toString())
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rowsIn")
        .isEqualTo(20_001)
        .jsonPath("$.accepted")
        .isEqualTo(20_000)
        .jsonPath("$.quarantined")
        .isEqualTo(1)
        .jsonPath("$.errors[0].row")
        .isEqualTo(20_002)
        .jsonPath("$.errors[0].column")
        .isEqualTo("currency");
    assertThat(scalar("select count(*) from customer_order where id like 'BB-%'"))
        .isEqualTo(20_000);
  }

  @Test
  void aDuplicateHeaderColumnRefusesTheFile() {
    importCsv("orders", "id,id,customerId,placedAt,amount\nbd-1,bd-1,B1,2026-01-01,1\n")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("MALFORMED_FILE")
        .jsonPath("$.message")
        .isEqualTo("Duplicate column 'id' in the orders header; each column once");
    assertThat(scalar("select count(*) from customer_order where id = 'BD-1'")).isZero();
  }

  @Test
  void aLongLineIsQuarantinedFromAPrefixAndTheNextLineStillCounts() {
    String longLine = "bl-1,B1,2026-01-01,1,CNY,WEB,COMPLETED,false," + "x".repeat(16 << 20);
    importCsv("orders", HEADER + longLine + "\nbl-2,B1,2026-01-01,1,CNY,WEB,COMPLETED,false\n")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.rowsIn")
        .isEqualTo(2)
        .jsonPath("$.accepted")
        .isEqualTo(1)
        .jsonPath("$.errors[0].row")
        .isEqualTo(2)
        .jsonPath("$.errors[0].reason")
        .isEqualTo("line is " + longLine.length() + " bytes; at most 65536")
        .jsonPath("$.errors[0].raw")
        .value(String.class, raw -> assertThat(raw).hasSize(Utf8Lines.PREFIX_BYTES + 1));
    assertThat(scalar("select max(length(raw)) from quarantine_row where reason like 'line is%'"))
        .isEqualTo(Utf8Lines.PREFIX_BYTES + 1);
  }

  @Test
  void reimportingAFileDoesNotDuplicateItsOpenQuarantine() {
    String orders =
        HEADER
            + "br-1,B1,2026-01-01,-1,CNY,WEB,COMPLETED,false\n"
            + "br-2,NOBODY,2026-01-01,1,CNY,WEB,COMPLETED,false\n"
            + "br-3,B1,2026-01-01,1,CNY,WEB,COMPLETED,false\n";
    importCsv("orders", orders).expectStatus().isOk();
    long open = scalar("select count(*) from quarantine_row where resolved_at is null");
    importCsv("orders", orders)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.quarantined")
        .isEqualTo(2);
    assertThat(scalar("select count(*) from quarantine_row where resolved_at is null"))
        .isEqualTo(open);
    // once resolved, the same bad row refused again is listed again
    db.sql("update quarantine_row set resolved_at = now() where raw like 'br-1,%'")
        .fetch()
        .rowsUpdated()
        .block();
    importCsv("orders", orders).expectStatus().isOk();
    assertThat(scalar("select count(*) from quarantine_row where raw like 'br-1,%'")).isEqualTo(2);
  }

  @Test
  void aStatementTheImportDidNotForeseeFailsItWithACodeAndWritesNothing() {
    withTicketTrigger(
        "BOOM",
        "raise exception 'refused by a test trigger'",
        () -> {
          long batches = scalar("select count(*) from import_batch");
          long quarantined = scalar("select count(*) from quarantine_row");
          importNdjson(
                  "tickets",
                  """
                  {"id":"bf-1","customerId":"B1","openedAt":"2026-01-02T00:00:00Z"}
                  {"id":"bf-2","customerId":"NOBODY","openedAt":"2026-01-02T00:00:00Z"}
                  {"id":"bf-3","customerId":"B1","openedAt":"2026-01-02T00:00:00Z","severity":"BOOM"}
                  """)
              .expectStatus()
              .isEqualTo(500)
              .expectBody()
              .jsonPath("$.code")
              .isEqualTo("IMPORT_FAILED")
              .jsonPath("$.message")
              .isEqualTo(
                  "The import failed and was rolled back; nothing was written."
                      + " Cause: refused by a test trigger");
          assertThat(scalar("select count(*) from service_ticket where id like 'BF-%'")).isZero();
          assertThat(scalar("select count(*) from import_batch")).isEqualTo(batches);
          assertThat(scalar("select count(*) from quarantine_row")).isEqualTo(quarantined);
        });
  }

  @Test
  void aLostDatabaseConnectionAnswers503AndWritesNothing() {
    withTicketTrigger(
        "LOSE",
        "perform pg_terminate_backend(pg_backend_pid())",
        () -> {
          importNdjson(
                  "tickets",
                  """
                  {"id":"bx-1","customerId":"B1","openedAt":"2026-01-02T00:00:00Z"}
                  {"id":"bx-2","customerId":"B1","openedAt":"2026-01-02T00:00:00Z","severity":"LOSE"}
                  """)
              .expectStatus()
              .isEqualTo(503)
              .expectBody()
              .jsonPath("$.code")
              .isEqualTo("IMPORT_FAILED")
              .jsonPath("$.message")
              .value(String.class, m -> assertThat(m).contains("nothing was written"));
          assertThat(scalar("select count(*) from service_ticket where id like 'BX-%'")).isZero();
        });
  }

  /** Runs {@code test} while inserting a ticket of {@code severity} runs {@code action}. */
  private void withTicketTrigger(String severity, String action, Runnable test) {
    db.sql(
            """
            create function ticket_trap() returns trigger language plpgsql as $$
            begin
              if new.severity = '%s' then %s; end if;
              return new;
            end $$;
            create trigger ticket_trap before insert on service_ticket
              for each row execute function ticket_trap();
            """
                .formatted(severity, action))
        .fetch()
        .rowsUpdated()
        .block();
    try {
      test.run();
    } finally {
      db.sql("drop trigger ticket_trap on service_ticket; drop function ticket_trap()")
          .fetch()
          .rowsUpdated()
          .block();
    }
  }

  @Test
  void aQuarantinePageOutsideTheSharedCapIsBadInputNamingTheField() {
    // the one paging rule of every subgraph (service-support Paging): 1 to 1000
    for (int bad : new int[] {-1, 0, 1001}) {
      graphql(Role.DATA_STEWARD, "{ quarantine(first: " + bad + ") { id } }", Map.of())
          .jsonPath("$.errors[0].extensions.code")
          .isEqualTo("BAD_USER_INPUT")
          .jsonPath("$.errors[0].extensions.field")
          .isEqualTo("first")
          .jsonPath("$.errors[0].extensions.expected")
          .isEqualTo("1 to 1000")
          .jsonPath("$.data")
          .isEqualTo(null);
    }
  }

  private static void expectReason(
      WebTestClient.BodyContentSpec body, int row, String column, String reason) {
    body.jsonPath("$.errors[?(@.row == " + row + ")].column")
        .isEqualTo(column)
        .jsonPath("$.errors[?(@.row == " + row + ")].reason")
        .isEqualTo(reason);
  }

  long scalar(String sql) {
    return db.sql(sql).map((r, m) -> ((Number) r.get(0)).longValue()).one().block();
  }
}
