package io.retain.customer.churn;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerApiTest;
import io.retain.support.security.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The edge days of churn statistics for the period 2026-01-15 .. 2026-03-31: who is in the base of
 * lost value, and who belongs to which cohort.
 *
 * <pre>
 * id  since       churned     won back    lost value            why
 * L1  2024-01-01  2025-12-01  2026-02-01  —                     churned before from, back only inside
 * L2  2024-01-01  2025-06-01  2025-12-01  retained              back before from
 * L3  2024-01-01  2026-02-01  2026-03-01  churned               churned and back inside: churned only
 * L4  2024-01-01  2025-06-01  —           —                     churned before from, never back
 * L5  2024-01-01  —           —           retained
 * L6  2024-01-01  2026-01-15  —           churned               churned on from
 * L7  2024-01-01  2026-04-10  —           retained              churned after to
 * L8  2024-01-01  2025-10-01  2026-01-15  retained              back on from
 * L9  2024-01-01  2025-12-01  2026-01-16  —                     back the day after from
 * L10 2024-01-01  2026-03-31  —           churned               churned on to
 * K1  2026-01-10  —           —           retained              joined before from: in no cohort
 * K2  2026-01-15  —           —           retained              joined on from: cohort 2026-01
 * K3  2026-01-20  2026-01-25  2026-02-01  churned               back on the first check day (Feb 1)
 * K4  2026-02-03  2026-03-01  —           churned               churned on a check day (Mar 1)
 * K5  2026-03-31  —           —           —                     joined on to: cohort 2026-03
 * </pre>
 */
class ChurnBoundariesTest extends CustomerApiTest {

  static final String QUERY =
      """
      { churnStatistics(from: "2026-01-15", to: "2026-03-31") {
          total { activeAtStart churned churnedFromStart }
          lostValue { churnedCustomers churnedHistoricalSpend
                      retainedCustomers retainedHistoricalSpend }
          cohorts { cohort size retained }
      } }
      """;

  static boolean loaded;

  @BeforeEach
  void load() {
    if (loaded) {
      return;
    }
    loaded = true;
    StringBuilder customers = new StringBuilder("id,name,kind,industry,valueTier,since\n");
    for (int i = 1; i <= 10; i++) {
      customers.append("L").append(i).append(",L,INDIVIDUAL,RETAIL,SMALL,2024-01-01\n");
    }
    customers.append(
        """
        K1,K,INDIVIDUAL,RETAIL,SMALL,2026-01-10
        K2,K,INDIVIDUAL,RETAIL,SMALL,2026-01-15
        K3,K,INDIVIDUAL,RETAIL,SMALL,2026-01-20
        K4,K,INDIVIDUAL,RETAIL,SMALL,2026-02-03
        K5,K,INDIVIDUAL,RETAIL,SMALL,2026-03-31
        """);
    importCsv("customers", customers.toString()).expectBody().jsonPath("$.accepted").isEqualTo(15);
    importCsv(
            "churn",
            """
            customerId,churnedAt,type,causeClass,reasons,wonBackAt
            L1,2025-12-01,VOLUNTARY,NATURAL,NEEDS_CHANGED,2026-02-01
            L2,2025-06-01,VOLUNTARY,NATURAL,NEEDS_CHANGED,2025-12-01
            L3,2026-02-01,VOLUNTARY,NATURAL,NEEDS_CHANGED,2026-03-01
            L4,2025-06-01,VOLUNTARY,NATURAL,NEEDS_CHANGED,
            L6,2026-01-15,VOLUNTARY,NATURAL,NEEDS_CHANGED,
            L7,2026-04-10,VOLUNTARY,NATURAL,NEEDS_CHANGED,
            L8,2025-10-01,VOLUNTARY,NATURAL,NEEDS_CHANGED,2026-01-15
            L9,2025-12-01,VOLUNTARY,NATURAL,NEEDS_CHANGED,2026-01-16
            L10,2026-03-31,VOLUNTARY,NATURAL,NEEDS_CHANGED,
            K3,2026-01-25,VOLUNTARY,NATURAL,NEEDS_CHANGED,2026-02-01
            K4,2026-03-01,VOLUNTARY,NATURAL,NEEDS_CHANGED,
            """)
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(11);
    importCsv(
            "orders",
            """
            id,customerId,placedAt,amount,status,test
            O1,L1,2025-11-01,500,COMPLETED,false
            O2,L2,2026-01-05,300,COMPLETED,false
            O3,L9,2025-11-02,40,COMPLETED,false
            O4,L3,2026-01-20,7,COMPLETED,false
            """)
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(4);
  }

  @Test
  void retainedAreActiveAtFromAndNotChurnedByTo() {
    graphql(Role.ANALYST, QUERY, Map.of())
        // active at from: L2 L3 L5 L6 L7 L8 L10 K1 K2 = 9; of them churned in [from, to]: L3 L6 L10
        .jsonPath("$.data.churnStatistics.total.activeAtStart")
        .isEqualTo(9)
        .jsonPath("$.data.churnStatistics.total.churnedFromStart")
        .isEqualTo(3)
        // churned: L3 L6 L10 K3 K4, spend L3's 7
        .jsonPath("$.data.churnStatistics.lostValue.churnedCustomers")
        .isEqualTo(5)
        .jsonPath("$.data.churnStatistics.lostValue.churnedHistoricalSpend")
        .isEqualTo(7.0)
        // retained = activeAtStart − churnedFromStart = L2 L5 L7 L8 K1 K2; not L1 or L9 (away at
        // from, back later), so neither L1's 500 nor L9's 40 count
        .jsonPath("$.data.churnStatistics.lostValue.retainedCustomers")
        .isEqualTo(6)
        .jsonPath("$.data.churnStatistics.lostValue.retainedHistoricalSpend")
        .value(Double.class, s -> assertThat(s).isEqualTo(300.0));
  }

  @Test
  void cohortsStartAtFromAndCountAWinBackOnTheCheckDayAsBack() {
    graphql(Role.ANALYST, QUERY, Map.of())
        .jsonPath("$.data.churnStatistics.cohorts[*].cohort")
        .isEqualTo(List.of("2026-01", "2026-02", "2026-03"))
        // 2026-01 from from on: K2, K3 (not K1, who joined on 01-10, before from)
        .jsonPath("$.data.churnStatistics.cohorts[*].size")
        .isEqualTo(List.of(2, 1, 1))
        // checks at Feb 1, Mar 1 and the end of to; K3 won back on Feb 1 is active on Feb 1
        .jsonPath("$.data.churnStatistics.cohorts[0].retained")
        .isEqualTo(List.of(2, 2, 2))
        // K4 churned on Mar 1 is still active at the start of Mar 1, gone at the end of to
        .jsonPath("$.data.churnStatistics.cohorts[1].retained")
        .isEqualTo(List.of(1, 0))
        // K5 joined on to: one step, ending with to
        .jsonPath("$.data.churnStatistics.cohorts[2].retained")
        .isEqualTo(List.of(1));
  }
}
