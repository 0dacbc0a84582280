package io.retain.retention.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.retention.remote.CustomerProfile;
import io.retain.retention.remote.WarningEvent;
import io.retain.testpg.PostgresTest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import reactor.core.publisher.Flux;

/** MUST-SHOW: the worked example's warnings open exactly the plans DOMAIN.md §8 calls for. */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
class WorkedExamplePlanOpeningTest {

  @Autowired PlanOpener opener;
  @Autowired DatabaseClient db;

  @Test
  void workedExampleWarningsOpenPlansPerValueTierAndReplayChangesNothing() {
    List<WarningEvent> feed = WorkedExampleTestData.warnings();
    Map<String, CustomerProfile> profiles = WorkedExampleTestData.profiles();
    assertThat(feed).extracting(WarningEvent::customerId).containsExactly("C002", "C003", "C005");

    List<ActionPlan> opened = replay(feed, profiles);

    assertThat(opened).hasSize(9);
    Map<String, List<String>> open = openProblemsByCustomer();
    assertThat(open)
        .containsOnlyKeys("C002", "C003", "C005")
        .containsEntry(
            "C002",
            List.of(
                "FREQUENCY_DROP",
                "HIGH_COMPLAINT_RATE",
                "SLOW_SERVICE_RESPONSE",
                "UNRESOLVED_TICKETS"))
        .containsEntry("C005", List.of("HIGH_COMPLAINT_RATE", "LOW_NPS", "FREQUENCY_DROP"))
        .containsEntry("C003", List.of("NO_RECENT_PURCHASE", "FREQUENCY_DROP"));

    // due: POTENTIAL_CHURN 14 days, HIGH_RISK 7 days after the warning's asOf
    assertThat(opened)
        .allSatisfy(
            p ->
                assertThat(p.dueDate())
                    .isEqualTo(
                        LocalDate.parse(
                            p.tier().equals("HIGH_RISK") ? "2026-07-07" : "2026-07-14")));
    ActionPlan complaint =
        opened.stream()
            .filter(p -> p.customerId().equals("C002"))
            .filter(p -> p.problemCode().equals("HIGH_COMPLAINT_RATE"))
            .findFirst()
            .orElseThrow();
    assertThat(complaint.department()).isEqualTo("CUSTOMER_SUCCESS");
    assertThat(complaint.tier()).isEqualTo("POTENTIAL_CHURN");
    assertThat(complaint.status()).isEqualTo(PlanStatus.PLANNED);
    assertThat(complaint.expectedEffect().metric()).isEqualTo("COMPLAINT_RATE");
    assertThat(complaint.expectedEffect().comparator()).isEqualTo("LT");
    assertThat(complaint.expectedEffect().target()).isEqualByComparingTo("5");
    assertThat(complaint.expectedEffect().withinDays()).isEqualTo(30);

    // replaying the whole feed opens nothing and changes nothing
    assertThat(replay(feed, profiles)).isEmpty();
    assertThat(openProblemsByCustomer()).isEqualTo(open);
    assertThat(count()).isEqualTo(9);
  }

  private List<ActionPlan> replay(List<WarningEvent> feed, Map<String, CustomerProfile> profiles) {
    return Flux.fromIterable(feed)
        .concatMap(w -> opener.open(w, profiles.get(w.customerId())))
        .collectList()
        .block();
  }

  private Map<String, List<String>> openProblemsByCustomer() {
    return db.sql(
            "select customer_id, array_agg(problem_code order by id) as codes from action_plan"
                + " where status in ('PLANNED', 'IN_PROGRESS') group by customer_id")
        .map(
            r ->
                Map.entry(
                    r.get("customer_id", String.class), List.of(r.get("codes", String[].class))))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new)
        .block();
  }

  private long count() {
    return db.sql("select count(*) from action_plan").map(r -> r.get(0, Long.class)).one().block();
  }
}
