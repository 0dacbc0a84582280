package io.retain.customer.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerApiTest;
import io.retain.support.security.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Writes through GraphQL: typed errors, the same cleaning as imports, masked contacts, no PII
 * logged.
 */
@ExtendWith(OutputCaptureExtension.class)
class CustomerMutationsTest extends CustomerApiTest {

  static final String CREATE =
      """
      mutation($in: CustomerInput!) {
        createCustomer(input: $in) {
          customer { id name kind valueTier since status contact { phone email masked } }
          errors { code field message }
        }
      }
      """;

  static Map<String, Object> customer(String id) {
    return Map.of(
        "id", id,
        "name", "Li Wei",
        "kind", "INDIVIDUAL",
        "industry", "RETAIL",
        "valueTier", "ORDINARY",
        "since", "2024-09-01",
        "phone", "13812345678",
        "email", "liwei@example.com");
  }

  @Test
  void createsCustomerOnceAndRefusesADuplicateId() {
    graphql(Role.DATA_STEWARD, CREATE, Map.of("in", customer(" m1 ")))
        .jsonPath("$.data.createCustomer.errors")
        .isEmpty()
        .jsonPath("$.data.createCustomer.customer.id")
        .isEqualTo("M1")
        .jsonPath("$.data.createCustomer.customer.status")
        .isEqualTo("ACTIVE")
        // a data steward reads personal data in clear
        .jsonPath("$.data.createCustomer.customer.contact.phone")
        .isEqualTo("13812345678");
    graphql(Role.DATA_STEWARD, CREATE, Map.of("in", customer("M1")))
        .jsonPath("$.data.createCustomer.customer")
        .doesNotExist()
        .jsonPath("$.data.createCustomer.errors[0].code")
        .isEqualTo("ALREADY_EXISTS");
  }

  @Test
  void createWithoutRequiredFieldAnswersMissing() {
    graphql(Role.DATA_STEWARD, CREATE, Map.of("in", Map.of("id", "M2", "name", "X")))
        .jsonPath("$.data.createCustomer.customer")
        .doesNotExist()
        .jsonPath("$.data.createCustomer.errors[0].code")
        .isEqualTo("MISSING")
        .jsonPath("$.data.createCustomer.errors[0].field")
        .isEqualTo("kind");
  }

  @Test
  void analystSeesMaskedContactsAndAnalystCannotWrite() {
    graphql(Role.DATA_STEWARD, CREATE, Map.of("in", customer("M3")));
    graphql(
            Role.ANALYST,
            "{ customer(id: \"M3\") { contact { name phone email masked } } }",
            Map.of())
        .jsonPath("$.data.customer.contact.phone")
        .isEqualTo("138****5678")
        .jsonPath("$.data.customer.contact.email")
        .isEqualTo("l***@example.com")
        .jsonPath("$.data.customer.contact.masked")
        .isEqualTo(true);
    graphql(Role.ANALYST, CREATE, Map.of("in", customer("M4")))
        .jsonPath("$.data.createCustomer")
        .doesNotExist()
        .jsonPath("$.errors[0]")
        .exists();
  }

  @Test
  void updateChangesOnlyGivenFieldsAndRecordsFlowIntoTheCustomer() {
    graphql(Role.DATA_STEWARD, CREATE, Map.of("in", customer("M5")));
    graphql(
            Role.DATA_STEWARD,
            "mutation { updateCustomer(input: {id: \"m5\", valueTier: KEY, region: \"EAST\"}) {"
                + " customer { name valueTier region } errors { code } } }",
            Map.of())
        .jsonPath("$.data.updateCustomer.customer.name")
        .isEqualTo("Li Wei")
        .jsonPath("$.data.updateCustomer.customer.valueTier")
        .isEqualTo("KEY")
        .jsonPath("$.data.updateCustomer.customer.region")
        .isEqualTo("EAST");
    graphql(
            Role.DATA_STEWARD,
            "mutation { updateCustomer(input: {id: \"NOPE\", name: \"x\"}) { customer { id } errors { code } } }",
            Map.of())
        .jsonPath("$.data.updateCustomer.errors[0].code")
        .isEqualTo("NOT_FOUND");
    graphql(
            Role.DATA_STEWARD,
            "mutation { recordOrder(input: {id: \"mo-1\", customerId: \"M5\", placedAt: \"2026-05-01T08:00:00Z\","
                + " amount: 250.5}) { customer { recentOrders { id amount status } } errors { code } } }",
            Map.of())
        .jsonPath("$.data.recordOrder.customer.recentOrders[0].id")
        .isEqualTo("MO-1")
        .jsonPath("$.data.recordOrder.customer.recentOrders[0].amount")
        .isEqualTo(250.5);
    graphql(
            Role.DATA_STEWARD,
            "mutation { recordOrder(input: {id: \"mo-2\", customerId: \"M5\", placedAt: \"2026-05-01T08:00:00Z\","
                + " amount: -1}) { customer { id } errors { code field message } } }",
            Map.of())
        .jsonPath("$.data.recordOrder.errors[0].code")
        .isEqualTo("INVALID")
        .jsonPath("$.data.recordOrder.errors[0].field")
        .isEqualTo("amount");
    graphql(
            Role.DATA_STEWARD,
            "mutation { recordSurvey(input: {customerId: \"GHOST\", answeredAt: \"2026-05-01T08:00:00Z\","
                + " score: 9}) { errors { code field } } }",
            Map.of())
        .jsonPath("$.data.recordSurvey.errors[0].code")
        .isEqualTo("NOT_FOUND");
  }

  @Test
  void accountManagerChangeIsKeptInHistoryAndShownAsOfADate() {
    Map<String, Object> in = new java.util.HashMap<>(customer("M7"));
    in.put("accountManager", "AM-1");
    graphql(Role.DATA_STEWARD, CREATE, Map.of("in", in));
    String activity =
        "query($d: Date!) { customerActivity(ids: [\"M7\"], asOf: $d) { accountManagerChangedAt } }";
    // the first assignment is not a change
    graphql(Role.SERVICE, activity, Map.of("d", "2100-01-01"))
        .jsonPath("$.data.customerActivity[0].accountManagerChangedAt")
        .doesNotExist();
    graphql(
            Role.DATA_STEWARD,
            "mutation { updateCustomer(input: {id: \"M7\", accountManager: \"AM-2\"}) { errors { code } } }",
            Map.of())
        .jsonPath("$.data.updateCustomer.errors")
        .isEmpty();
    graphql(Role.SERVICE, activity, Map.of("d", "2100-01-01"))
        .jsonPath("$.data.customerActivity[0].accountManagerChangedAt")
        .value(
            String.class,
            d ->
                assertThat(java.time.LocalDate.parse(d))
                    .isAfter(java.time.LocalDate.of(2026, 1, 1)));
    // as of a date before the change there was none
    graphql(Role.SERVICE, activity, Map.of("d", "2020-01-01"))
        .jsonPath("$.data.customerActivity[0].accountManagerChangedAt")
        .doesNotExist();
  }

  @Test
  void churnAndWinBackMoveTheStatus() {
    graphql(Role.DATA_STEWARD, CREATE, Map.of("in", customer("M6")));
    graphql(
            Role.DATA_STEWARD,
            "mutation { recordChurn(input: {customerId: \"M6\", churnedAt: \"2026-04-01\", type: \"VOLUNTARY\","
                + " causeClass: \"COMPETITIVE\", reasons: [\"COMPETITOR_PRICE\"]}) {"
                + " customer { status churn { reasons wonBackAt } } errors { code } } }",
            Map.of())
        .jsonPath("$.data.recordChurn.customer.status")
        .isEqualTo("CHURNED")
        .jsonPath("$.data.recordChurn.customer.churn.reasons")
        .isEqualTo(List.of("COMPETITOR_PRICE"));
    graphql(
            Role.DATA_STEWARD,
            "mutation { recordWinBack(input: {customerId: \"M6\", wonBackAt: \"2026-06-01\"}) {"
                + " customer { status churn { wonBackAt } } errors { code } } }",
            Map.of())
        .jsonPath("$.data.recordWinBack.customer.status")
        .isEqualTo("ACTIVE")
        .jsonPath("$.data.recordWinBack.customer.churn.wonBackAt")
        .isEqualTo("2026-06-01");
  }

  @Test
  void quarantinedRowCanBeCorrectedAndResubmitted() {
    importCsv(
            "customers",
            "id,name,kind,industry,valueTier,since\nQ1,Bad,ENTERPRISE,RETAIL,GOLD,2024-01-01\n")
        .expectBody()
        .jsonPath("$.quarantined")
        .isEqualTo(1);
    graphql(Role.DATA_STEWARD, "{ quarantine(entity: \"customers\") { raw } }", Map.of())
        .jsonPath("$.data.quarantine[0].raw")
        .isEqualTo("Q1,Bad,ENTERPRISE,RETAIL,GOLD,2024-01-01");
    String id = firstQuarantineId();
    String resubmit =
        "mutation($in: ResubmitInput!) { resubmitQuarantined(input: $in) { resolved errors { code } } }";
    graphql(
            Role.DATA_STEWARD,
            resubmit,
            Map.of(
                "in",
                Map.of(
                    "id",
                    id,
                    "row",
                    "{\"id\":\"Q1\",\"name\":\"Bad\",\"kind\":\"ENTERPRISE\",\"industry\":\"RETAIL\","
                        + "\"valueTier\":\"KEY\",\"since\":\"2024-01-01\"}")))
        .jsonPath("$.data.resubmitQuarantined.resolved")
        .isEqualTo(true);
    graphql(Role.DATA_STEWARD, "{ quarantine(entity: \"customers\") { id } }", Map.of())
        .jsonPath("$.data.quarantine")
        .isEmpty();
    graphql(Role.ANALYST, "{ customer(id: \"Q1\") { valueTier } }", Map.of())
        .jsonPath("$.data.customer.valueTier")
        .isEqualTo("KEY");
    // a resolved row is no longer open: a second resubmit writes nothing
    graphql(
            Role.DATA_STEWARD,
            "mutation($in: ResubmitInput!) { resubmitQuarantined(input: $in) {"
                + " resolved errors { code field message } } }",
            Map.of("in", Map.of("id", id, "row", "{\"id\":\"Q1\"}")))
        .jsonPath("$.data.resubmitQuarantined.resolved")
        .isEqualTo(false)
        .jsonPath("$.data.resubmitQuarantined.errors[0].code")
        .isEqualTo("NOT_FOUND")
        .jsonPath("$.data.resubmitQuarantined.errors[0].field")
        .isEqualTo("id")
        .jsonPath("$.data.resubmitQuarantined.errors[0].message")
        .isEqualTo("No open quarantined row " + id);
  }

  @Test
  void updateAndWinBackOfWhatIsNotStoredAnswerNotFound() {
    graphql(
            Role.DATA_STEWARD,
            "mutation { updateCustomer(input: {id: \"nobody\", name: \"X\"}) {"
                + " customer { id } errors { code field message } } }",
            Map.of())
        .jsonPath("$.data.updateCustomer.customer")
        .isEmpty()
        .jsonPath("$.data.updateCustomer.errors[0].code")
        .isEqualTo("NOT_FOUND")
        .jsonPath("$.data.updateCustomer.errors[0].field")
        .isEqualTo("id")
        .jsonPath("$.data.updateCustomer.errors[0].message")
        .isEqualTo("No customer NOBODY");
    graphql(Role.DATA_STEWARD, CREATE, Map.of("in", customer("M9")));
    graphql(
            Role.DATA_STEWARD,
            "mutation { recordWinBack(input: {customerId: \"M9\", wonBackAt: \"2026-06-01\"}) {"
                + " customer { id } errors { code field message } } }",
            Map.of())
        .jsonPath("$.data.recordWinBack.customer")
        .isEmpty()
        .jsonPath("$.data.recordWinBack.errors[0].code")
        .isEqualTo("NOT_FOUND")
        .jsonPath("$.data.recordWinBack.errors[0].field")
        .isEqualTo("customerId")
        .jsonPath("$.data.recordWinBack.errors[0].message")
        .isEqualTo("Customer M9 has no churn");
  }

  @SuppressWarnings("unchecked")
  private String firstQuarantineId() {
    Map<String, Object> body =
        http.post()
            .uri("/graphql")
            .header("Authorization", "Bearer " + token(Role.DATA_STEWARD))
            .bodyValue(Map.of("query", "{ quarantine(entity: \"customers\") { id } }"))
            .exchange()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    var rows =
        (List<Map<String, Object>>) ((Map<String, Object>) body.get("data")).get("quarantine");
    return (String) rows.get(0).get("id");
  }

  @Test
  void importBatchMutationAnswersCounts() {
    graphql(
            Role.DATA_STEWARD,
            "mutation($in: ImportBatchInput!) { importBatch(input: $in) { entity rowsIn accepted quarantined"
                + " errors { row column reason } } }",
            Map.of(
                "in",
                Map.of(
                    "entity",
                    "customers",
                    "ndjson",
                    "{\"id\":\"B1\",\"name\":\"A\",\"kind\":\"INDIVIDUAL\",\"industry\":\"RETAIL\","
                        + "\"valueTier\":\"SMALL\",\"since\":\"2025-01-01\"}\n"
                        + "{\"id\":\"B2\",\"name\":\"B\",\"kind\":\"INDIVIDUAL\",\"industry\":\"RETAIL\","
                        + "\"valueTier\":\"SMALL\",\"since\":\"not a date\"}\n")))
        .jsonPath("$.data.importBatch.rowsIn")
        .isEqualTo(2)
        .jsonPath("$.data.importBatch.accepted")
        .isEqualTo(1)
        .jsonPath("$.data.importBatch.errors[0].column")
        .isEqualTo("since");
  }

  @Test
  void personalDataNeverReachesTheLog(CapturedOutput output) {
    graphql(Role.DATA_STEWARD, CREATE, Map.of("in", customer("P1")));
    importCsv(
            "customers",
            "id,name,kind,industry,valueTier,since,phone,email\n"
                + "P2,Wang Fang,INDIVIDUAL,RETAIL,SMALL,2025-01-01,13998765432,wangfang@example.com\n"
                + "P3,Zhao Lei,INDIVIDUAL,RETAIL,PLATINUM,2025-01-01,13711112222,zhaolei@example.com\n")
        .expectStatus()
        .isOk();
    graphql(Role.DATA_STEWARD, "{ customer(id: \"P2\") { contact { phone email } } }", Map.of())
        .jsonPath("$.data.customer.contact.phone")
        .isEqualTo("13998765432");
    assertThat(output.getAll())
        .as("the capture sees the service's log")
        .contains("Import ")
        .doesNotContain("13812345678", "liwei@example.com")
        .doesNotContain("13998765432", "wangfang@example.com")
        .doesNotContain("13711112222", "zhaolei@example.com");
  }
}
