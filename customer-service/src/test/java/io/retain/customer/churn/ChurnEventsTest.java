package io.retain.customer.churn;

import io.retain.customer.CustomerApiTest;
import io.retain.support.security.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** churnEvents: every churn record up to a date, for scoring's churn labels; SERVICE only. */
class ChurnEventsTest extends CustomerApiTest {

  static final String QUERY =
      "query($to: Date!) { churnEvents(to: $to) { customerId churnedAt wonBackAt } }";
  static boolean loaded;

  @BeforeEach
  void load() {
    if (loaded) {
      return;
    }
    loaded = true;
    importCsv(
            "customers",
            """
            id,name,kind,industry,valueTier,since
            E1,E,INDIVIDUAL,RETAIL,SMALL,2024-01-01
            E2,E,INDIVIDUAL,RETAIL,SMALL,2024-01-01
            E3,E,INDIVIDUAL,RETAIL,SMALL,2024-01-01
            E4,E,INDIVIDUAL,RETAIL,SMALL,2024-01-01
            """)
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(4);
    importCsv(
            "churn",
            """
            customerId,churnedAt,type,causeClass,reasons,wonBackAt
            E3,2026-02-01,VOLUNTARY,NATURAL,NEEDS_CHANGED,2026-03-01
            E1,2025-12-01,INVOLUNTARY,OTHER,NON_PAYMENT,
            E4,2026-02-02,VOLUNTARY,COMPETITIVE,COMPETITOR_PRICE,
            """)
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(3);
  }

  @Test
  void listsTheRecordsDatedOnOrBeforeToByCustomerId() {
    graphql(Role.SERVICE, QUERY, Map.of("to", "2026-02-01"))
        .jsonPath("$.data.churnEvents[*].customerId")
        .isEqualTo(List.of("E1", "E3"))
        .jsonPath("$.data.churnEvents[0].churnedAt")
        .isEqualTo("2025-12-01")
        .jsonPath("$.data.churnEvents[0].wonBackAt")
        .isEmpty()
        .jsonPath("$.data.churnEvents[1].wonBackAt")
        .isEqualTo("2026-03-01");
    graphql(Role.SERVICE, QUERY, Map.of("to", "2026-12-31"))
        .jsonPath("$.data.churnEvents[*].customerId")
        .isEqualTo(List.of("E1", "E3", "E4"));
  }

  @Test
  void isForServicesNotAnalysts() {
    graphql(Role.ANALYST, QUERY, Map.of("to", "2026-12-31"))
        .jsonPath("$.data")
        .isEmpty()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("FORBIDDEN");
  }
}
