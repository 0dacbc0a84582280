package io.retain.customer.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerApiTest;
import io.retain.support.security.Role;
import java.lang.reflect.RecordComponent;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The internal contract beyond customerActivity: bulk stream, change feed, profiles, outcomes. */
class InternalApiTest extends CustomerApiTest {

  static boolean loaded;
  @Autowired ActivityRepository activity;
  @Autowired JsonMapper json;

  @BeforeEach
  void load() {
    if (!loaded) {
      loaded = true;
      importWorkedExample();
    }
  }

  private List<String> bulk(String query) {
    String body =
        http.get()
            .uri("/internal/activity?" + query)
            .header("Authorization", "Bearer " + token(Role.SERVICE))
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith("application/x-ndjson")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    return body.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void bulkActivityStreamsEveryCustomerInIdOrderAndResumesAfterAnId() {
    List<String> all = bulk("asOf=2026-06-30&windowMonths=12");
    assertThat(all).hasSize(6);
    assertThat(all.get(0)).contains("\"customerId\":\"C001\"").contains("\"ordersInWindow\":12");
    assertThat(all.get(5)).contains("\"customerId\":\"C006\"");
    List<String> rest = bulk("asOf=2026-06-30&windowMonths=12&after=C003");
    assertThat(rest).hasSize(3);
    assertThat(rest.get(0)).contains("\"customerId\":\"C004\"");
  }

  @Test
  void everyStreamedLineIsOneCustomersWholeAggregates() {
    // the stream writes a page of lines at a time: each line must still be one whole object
    List<CustomerActivity> lines =
        bulk("asOf=2026-06-30&windowMonths=12").stream()
            .map(l -> json.readValue(l, CustomerActivity.class))
            .toList();
    List<CustomerActivity> expected =
        activity
            .forIds(
                List.of("C001", "C002", "C003", "C004", "C005", "C006"),
                LocalDate.parse("2026-06-30"),
                12)
            .collectList()
            .block();
    assertThat(lines).isEqualTo(expected);
  }

  @Test
  void withShapeArrayEveryLineIsTheSameAggregatesAsOneArrayInTheContractsOrder() {
    List<String> objects = bulk("asOf=2026-06-30&windowMonths=12");
    List<String> arrays = bulk("asOf=2026-06-30&windowMonths=12&shape=array");
    assertThat(arrays).hasSize(6);
    for (int i = 0; i < arrays.size(); i++) {
      JsonNode object = json.readTree(objects.get(i));
      JsonNode array = json.readTree(arrays.get(i));
      List<String> names = object.propertyNames().stream().toList();
      assertThat(array.size()).isEqualTo(names.size());
      // docs/contracts.md's order, which is also the record's
      assertThat(names)
          .isEqualTo(
              Arrays.stream(CustomerActivity.class.getRecordComponents())
                  .map(RecordComponent::getName)
                  .toList());
      for (int f = 0; f < names.size(); f++) {
        assertThat(array.get(f)).as(names.get(f)).isEqualTo(object.get(names.get(f)));
      }
    }
    assertThat(arrays.get(0)).startsWith("[\"C001\",");
    assertThat(arrays.get(0).length()).isLessThan(objects.get(0).length() / 2);
  }

  @Test
  void anUnknownShapeIsRefusedWithTheFieldAndWhatIsAccepted() {
    http.get()
        .uri("/internal/activity?asOf=2026-06-30&shape=csv")
        .header("Authorization", "Bearer " + token(Role.SERVICE))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("INVALID_PARAMETER")
        .jsonPath("$.field")
        .isEqualTo("shape")
        .jsonPath("$.expected")
        .isEqualTo("object or array");
  }

  private List<String> paged(String after, int pageSize) {
    return activity
        .pages(after, LocalDate.parse("2026-06-30"), 12, pageSize)
        .concatMap(page -> page)
        .map(CustomerActivity::customerId)
        .collectList()
        .block();
  }

  @Test
  void bulkPagesComputedAheadStillComeWholeAndInIdOrder() {
    List<String> all = List.of("C001", "C002", "C003", "C004", "C005", "C006");
    assertThat(paged(null, 4)).isEqualTo(all); // a page of 4, then the 2 after the last bound
    assertThat(paged(null, 3)).isEqualTo(all); // the last page after the last bound is empty
    assertThat(paged("C001", 2)).isEqualTo(all.subList(1, 6));
  }

  @Test
  void bulkActivityNeedsTheServiceRole() {
    http.get()
        .uri("/internal/activity?asOf=2026-06-30")
        .header("Authorization", "Bearer " + token(Role.ANALYST))
        .exchange()
        .expectStatus()
        .isForbidden();
  }

  @Test
  @SuppressWarnings("unchecked")
  void changeFeedIsAscendingAndPagesByCursor() {
    String q = "query($a: Long) { activityChanges(after: $a, limit: 3) { seq customerId } }";
    Map<String, Object> body =
        http.post()
            .uri("/graphql")
            .header("Authorization", "Bearer " + token(Role.SERVICE))
            .bodyValue(Map.of("query", q, "variables", Map.of("a", 0)))
            .exchange()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    List<Map<String, Object>> page =
        (List<Map<String, Object>>) ((Map<String, Object>) body.get("data")).get("activityChanges");
    assertThat(page).hasSize(3);
    long s0 = ((Number) page.get(0).get("seq")).longValue();
    long s2 = ((Number) page.get(2).get("seq")).longValue();
    assertThat(s2).isGreaterThan(s0);
    graphql(Role.SERVICE, q, Map.of("a", s2))
        .jsonPath("$.data.activityChanges[0].seq")
        .value(Number.class, n -> assertThat(n.longValue()).isGreaterThan(s2));
  }

  @Test
  void profilesAnswerInTheOrderOfIdsAndSkipUnknownOnes() {
    graphql(
            Role.SERVICE,
            "{ customerProfiles(ids: [\"C003\", \"NOPE\", \"C001\"]) { id kind valueTier status churnReasons } }",
            Map.of())
        .jsonPath("$.data.customerProfiles[*].id")
        .isEqualTo(List.of("C003", "C001"))
        .jsonPath("$.data.customerProfiles[1].valueTier")
        .isEqualTo("KEY")
        .jsonPath("$.data.customerProfiles[1].churnReasons")
        .isEmpty();
  }

  @Test
  void outcomesCountValidActivityBetweenTwoDates() {
    graphql(
            Role.SERVICE,
            "{ customerOutcomes(ids: [\"C002\"], from: \"2026-01-01\", to: \"2026-06-30\") {"
                + " customerId orders spend complaints tickets npsResponses npsPromoters npsDetractors"
                + " lastOrderDate status } }",
            Map.of())
        // O-2006 15000 + O-2007 40000 + O-2008 35000; O-2009 is cancelled
        .jsonPath("$.data.customerOutcomes[0].orders")
        .isEqualTo(3)
        .jsonPath("$.data.customerOutcomes[0].spend")
        .isEqualTo(90000.0)
        // T-2 (complaint) and T-3
        .jsonPath("$.data.customerOutcomes[0].tickets")
        .isEqualTo(2)
        .jsonPath("$.data.customerOutcomes[0].complaints")
        .isEqualTo(1)
        // 7, 6, 9, 10 → promoters 2, detractors 1
        .jsonPath("$.data.customerOutcomes[0].npsResponses")
        .isEqualTo(4)
        .jsonPath("$.data.customerOutcomes[0].npsPromoters")
        .isEqualTo(2)
        .jsonPath("$.data.customerOutcomes[0].npsDetractors")
        .isEqualTo(1)
        .jsonPath("$.data.customerOutcomes[0].lastOrderDate")
        .isEqualTo("2026-06-02")
        .jsonPath("$.data.customerOutcomes[0].status")
        .isEqualTo("ACTIVE");
  }
}
