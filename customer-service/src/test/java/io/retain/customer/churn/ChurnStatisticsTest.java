package io.retain.customer.churn;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.customer.CustomerApiTest;
import io.retain.support.security.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Churn statistics against a population small enough to count by hand. Period 2026-01-01 ..
 * 2026-03-31.
 *
 * <pre>
 * id kind       tier     since       churned     type        cause        reasons                        won back
 * A1 ENTERPRISE KEY      2024-01-01  2026-02-10  VOLUNTARY   COMPETITIVE  COMPETITOR_PRICE;PRICE_TOO_HIGH
 * A2 ENTERPRISE MAJOR    2024-06-01  -
 * A3 INDIVIDUAL SMALL    2025-03-01  2026-03-05  INVOLUNTARY OTHER        NON_PAYMENT
 * A4 INDIVIDUAL ORDINARY 2025-05-01  2025-11-20  VOLUNTARY   NATURAL      NEEDS_CHANGED
 * A5 INDIVIDUAL SMALL    2026-02-01  -
 * A6 ENTERPRISE KEY      2023-01-01  2024-12-15  VOLUNTARY   FAULT        SERVICE_LEVEL                  2025-03-01
 * A7 INDIVIDUAL SMALL    2026-01-10  2026-02-20  INVOLUNTARY FAULT        PRODUCT_QUALITY
 * </pre>
 */
class ChurnStatisticsTest extends CustomerApiTest {

  static final String QUERY =
      """
      query($b: ChurnBreakdown) {
        churnStatistics(from: "2026-01-01", to: "2026-03-31", breakdown: $b, granularity: MONTH) {
          total { key activeAtStart churned churnedFromStart churnRate retentionRate }
          groups { key activeAtStart churned churnedFromStart churnRate }
          series { periodStart activeAtStart churned churnRate }
          timing { withinThreeMonths threeToTwelveMonths overTwelveMonths }
          byType { key count share }
          byCauseClass { key count }
          byReason { key count }
          lostValue { churnedCustomers churnedHistoricalSpend churnedAnnualisedSpend
                      retainedCustomers retainedHistoricalSpend retainedAnnualisedSpend }
          cohorts { cohort size retained rates }
        }
      }
      """;

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
            A1,One,ENTERPRISE,RETAIL,KEY,2024-01-01
            A2,Two,ENTERPRISE,RETAIL,MAJOR,2024-06-01
            A3,Three,INDIVIDUAL,RETAIL,SMALL,2025-03-01
            A4,Four,INDIVIDUAL,RETAIL,ORDINARY,2025-05-01
            A5,Five,INDIVIDUAL,RETAIL,SMALL,2026-02-01
            A6,Six,ENTERPRISE,RETAIL,KEY,2023-01-01
            A7,Seven,INDIVIDUAL,RETAIL,SMALL,2026-01-10
            """)
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(7);
    importCsv(
            "churn",
            """
            customerId,churnedAt,type,causeClass,reasons,wonBackAt
            A1,2026-02-10,VOLUNTARY,COMPETITIVE,COMPETITOR_PRICE;PRICE_TOO_HIGH,
            A3,2026-03-05,INVOLUNTARY,OTHER,NON_PAYMENT,
            A4,2025-11-20,VOLUNTARY,NATURAL,NEEDS_CHANGED,
            A6,2024-12-15,VOLUNTARY,FAULT,SERVICE_LEVEL,2025-03-01
            A7,2026-02-20,INVOLUNTARY,FAULT,PRODUCT_QUALITY,
            """)
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(5);
    importCsv(
            "orders",
            """
            id,customerId,placedAt,amount,status,test
            X1,A1,2025-01-10,1000,COMPLETED,false
            X2,A1,2025-06-01,2000,COMPLETED,false
            X3,A1,2026-01-15,3000,COMPLETED,false
            X4,A2,2024-12-01,500,COMPLETED,false
            X5,A2,2025-12-01,700,COMPLETED,false
            X6,A2,2026-03-30,800,COMPLETED,false
            X7,A2,2026-04-05,999,COMPLETED,false
            X8,A3,2025-04-01,100,COMPLETED,false
            X9,A3,2026-03-01,50,COMPLETED,false
            X10,A3,2026-03-02,9999,COMPLETED,true
            X11,A3,2026-03-03,777,CANCELLED,false
            """)
        .expectBody()
        .jsonPath("$.accepted")
        .isEqualTo(11);
  }

  @Test
  void churnRateCountsChurnsAmongCustomersActiveAtPeriodStart() {
    graphql(Role.ANALYST, QUERY, Map.of())
        // active at 2026-01-01: A1, A2, A3, A6 (won back 2025-03-01) = 4; A4 churned, A5/A7 later
        .jsonPath("$.data.churnStatistics.total.activeAtStart")
        .isEqualTo(4)
        // churned in period: A1 (02-10), A7 (02-20), A3 (03-05) = 3; of the 4 at start: A1, A3 = 2
        .jsonPath("$.data.churnStatistics.total.churned")
        .isEqualTo(3)
        .jsonPath("$.data.churnStatistics.total.churnedFromStart")
        .isEqualTo(2)
        // 2 / 4 = 0.5, retention 1 - 0.5
        .jsonPath("$.data.churnStatistics.total.churnRate")
        .isEqualTo(0.5)
        .jsonPath("$.data.churnStatistics.total.retentionRate")
        .isEqualTo(0.5)
        .jsonPath("$.data.churnStatistics.groups")
        .isEmpty();
  }

  @Test
  void breaksChurnDownByKind() {
    graphql(Role.ANALYST, QUERY, Map.of("b", "KIND"))
        // ENTERPRISE: active A1, A2, A6 = 3; churned A1 = 1 → 1/3
        .jsonPath("$.data.churnStatistics.groups[0].key")
        .isEqualTo("ENTERPRISE")
        .jsonPath("$.data.churnStatistics.groups[0].activeAtStart")
        .isEqualTo(3)
        .jsonPath("$.data.churnStatistics.groups[0].churned")
        .isEqualTo(1)
        .jsonPath("$.data.churnStatistics.groups[0].churnRate")
        .value(Double.class, r -> assertThat(r).isCloseTo(1.0 / 3, within()))
        // INDIVIDUAL: active A3 = 1; churned A3, A7 = 2, from start A3 = 1 → 1/1
        .jsonPath("$.data.churnStatistics.groups[1].key")
        .isEqualTo("INDIVIDUAL")
        .jsonPath("$.data.churnStatistics.groups[1].activeAtStart")
        .isEqualTo(1)
        .jsonPath("$.data.churnStatistics.groups[1].churned")
        .isEqualTo(2)
        .jsonPath("$.data.churnStatistics.groups[1].churnedFromStart")
        .isEqualTo(1)
        .jsonPath("$.data.churnStatistics.groups[1].churnRate")
        .isEqualTo(1.0);
  }

  @Test
  void monthlySeriesCountsActiveAtEachMonthStart() {
    graphql(Role.ANALYST, QUERY, Map.of())
        .jsonPath("$.data.churnStatistics.series[*].periodStart")
        .isEqualTo(List.of("2026-01-01", "2026-02-01", "2026-03-01"))
        // Jan 1: A1 A2 A3 A6 = 4. Feb 1: all 7 started minus A4 = 6. Mar 1: 7 minus A4 A1 A7 = 4
        .jsonPath("$.data.churnStatistics.series[*].activeAtStart")
        .isEqualTo(List.of(4, 6, 4))
        // Jan none; Feb A1 A7; Mar A3
        .jsonPath("$.data.churnStatistics.series[*].churned")
        .isEqualTo(List.of(0, 2, 1))
        .jsonPath("$.data.churnStatistics.series[1].churnRate")
        .value(Double.class, r -> assertThat(r).isCloseTo(2.0 / 6, within()))
        .jsonPath("$.data.churnStatistics.series[2].churnRate")
        .isEqualTo(0.25);
  }

  @Test
  void weeklySeriesStartsOnMondays() {
    graphql(
            Role.ANALYST,
            "{ churnStatistics(from: \"2026-01-01\", to: \"2026-03-31\", granularity: WEEK) {"
                + " series { periodStart churned } } }",
            Map.of())
        // 2026-01-01 is a Thursday: steps run from Monday 2025-12-29 to Monday 2026-03-30,
        // (2026-03-30 − 2025-12-29) / 7 + 1 = 91 / 7 + 1 = 14 steps
        .jsonPath("$.data.churnStatistics.series.length()")
        .isEqualTo(14)
        .jsonPath("$.data.churnStatistics.series[0].periodStart")
        .isEqualTo("2025-12-29")
        // A1 on Tue 02-10 → week of 02-09 (step 6); A7 on Fri 02-20 → 02-16 (step 7);
        // A3 on Thu 03-05 → 03-02 (step 9)
        .jsonPath("$.data.churnStatistics.series[6].periodStart")
        .isEqualTo("2026-02-09")
        .jsonPath("$.data.churnStatistics.series[*].churned")
        .isEqualTo(List.of(0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0));
  }

  @Test
  void timingTypesCausesAndReasons() {
    graphql(Role.ANALYST, QUERY, Map.of())
        // months before 2026-03-31: A1 1, A3 0, A7 1 (< 3); A4 4 (3–11); A6 15 (≥ 12)
        .jsonPath("$.data.churnStatistics.timing.withinThreeMonths")
        .isEqualTo(3)
        .jsonPath("$.data.churnStatistics.timing.threeToTwelveMonths")
        .isEqualTo(1)
        .jsonPath("$.data.churnStatistics.timing.overTwelveMonths")
        .isEqualTo(1)
        // in period: INVOLUNTARY A3 A7 = 2 (2/3), VOLUNTARY A1 = 1
        .jsonPath("$.data.churnStatistics.byType[*].key")
        .isEqualTo(List.of("INVOLUNTARY", "VOLUNTARY"))
        .jsonPath("$.data.churnStatistics.byType[*].count")
        .isEqualTo(List.of(2, 1))
        .jsonPath("$.data.churnStatistics.byType[0].share")
        .value(Double.class, r -> assertThat(r).isCloseTo(2.0 / 3, within()))
        .jsonPath("$.data.churnStatistics.byCauseClass[*].key")
        .isEqualTo(List.of("COMPETITIVE", "FAULT", "OTHER"))
        .jsonPath("$.data.churnStatistics.byReason[*].key")
        .isEqualTo(List.of("COMPETITOR_PRICE", "NON_PAYMENT", "PRICE_TOO_HIGH", "PRODUCT_QUALITY"));
  }

  @Test
  void lostValueComparesChurnedWithRetainedSpend() {
    graphql(Role.ANALYST, QUERY, Map.of())
        // churned A1 A3 A7. A1: 1000+2000+3000 = 6000, last 12 months to 2026-02-10: 2000+3000.
        // A3: 100+50 = 150 (test and cancelled orders excluded), all within 12 months. A7: none.
        .jsonPath("$.data.churnStatistics.lostValue.churnedCustomers")
        .isEqualTo(3)
        .jsonPath("$.data.churnStatistics.lostValue.churnedHistoricalSpend")
        .isEqualTo(6150.0)
        .jsonPath("$.data.churnStatistics.lostValue.churnedAnnualisedSpend")
        .isEqualTo(5150.0)
        // retained A2, A6. A2 up to 2026-03-31: 500+700+800 = 2000 (X7 is later); 12 months:
        // 700+800 = 1500. A6: none.
        .jsonPath("$.data.churnStatistics.lostValue.retainedCustomers")
        .isEqualTo(2)
        .jsonPath("$.data.churnStatistics.lostValue.retainedHistoricalSpend")
        .isEqualTo(2000.0)
        .jsonPath("$.data.churnStatistics.lostValue.retainedAnnualisedSpend")
        .isEqualTo(1500.0);
  }

  @Test
  void monthlyCohortsTrackWhoStayed() {
    graphql(Role.ANALYST, QUERY, Map.of())
        // 2026-01: A7, churned 02-20 → still there at Feb 1, gone at Mar 1 and at the end
        // 2026-02: A5, stays
        .jsonPath("$.data.churnStatistics.cohorts[*].cohort")
        .isEqualTo(List.of("2026-01", "2026-02"))
        .jsonPath("$.data.churnStatistics.cohorts[0].retained")
        .isEqualTo(List.of(1, 0, 0))
        .jsonPath("$.data.churnStatistics.cohorts[1].retained")
        .isEqualTo(List.of(1, 1))
        .jsonPath("$.data.churnStatistics.cohorts[0].rates")
        .isEqualTo(List.of(1.0, 0.0, 0.0));
  }

  @Test
  void segmentRetentionOverTwelveMonthsPerKindAndValueTier() {
    graphql(
            Role.SERVICE,
            "{ segmentRetention(asOf: \"2026-03-31\") { kind valueTier retentionRate customersAtStart } }",
            Map.of())
        // active at 2025-03-31: A1, A6 (back on 2025-03-01) ENTERPRISE KEY; A2 ENTERPRISE MAJOR;
        // A3 INDIVIDUAL SMALL. Churned since: A1, A3 → KEY 1/2, MAJOR 1/1, SMALL 0/1
        .jsonPath("$.data.segmentRetention[*].valueTier")
        .isEqualTo(List.of("KEY", "MAJOR", "SMALL"))
        .jsonPath("$.data.segmentRetention[*].retentionRate")
        .isEqualTo(List.of(0.5, 1.0, 0.0))
        .jsonPath("$.data.segmentRetention[*].customersAtStart")
        .isEqualTo(List.of(2, 1, 1));
  }

  @Test
  void churnStatisticsNeedAnAnalyst() {
    http.post()
        .uri("/graphql")
        .bodyValue(
            Map.of(
                "query",
                "{ churnStatistics(from: \"2026-01-01\", to: \"2026-03-31\") { total { churned } } }"))
        .exchange()
        .expectBody()
        .jsonPath("$.data.churnStatistics")
        .doesNotExist()
        .jsonPath("$.errors[0]")
        .exists();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
