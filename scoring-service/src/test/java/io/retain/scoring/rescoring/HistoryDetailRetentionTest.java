package io.retain.scoring.rescoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.GraphQlHttp;
import io.retain.scoring.engine.Activity;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * History keeps every date's score and tier, but whole assessment documents only for the last
 * detail-days (400) and for each customer's latest assessment; chunks of 2 rows here, so the walk
 * by (as_of, customer_id) crosses many chunks.
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "retain.scoring.history.chunk=2")
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
class HistoryDetailRetentionTest {

  static final LocalDate OLDEST = LocalDate.parse("2024-01-31");
  static final LocalDate OLD = LocalDate.parse("2025-03-31");
  static final LocalDate TODAY = LocalDate.parse("2026-06-30"); // cutoff 2025-05-26

  @Autowired HistoryDetailRetention retention;
  @Autowired RescoringService rescoring;
  @Autowired DatabaseClient db;
  @Autowired WebTestClient http;

  @Value("${retain.security.jwt-secret}")
  String secret;

  /** All six scored in 2024 and 2025; all but C006 today, so C006's latest is the 2025 one. */
  @BeforeEach
  void threeDates() throws Exception {
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();
    db.sql("delete from feed_cursor where name = $1")
        .bind(0, HistoryDetailRetention.WATERMARK)
        .fetch()
        .rowsUpdated()
        .block();
    List<Activity> all = StoredScoresTest.workedExample();
    rescoring.store(all, OLDEST, null).block();
    rescoring.store(all, OLD, null).block();
    rescoring
        .store(all.stream().filter(a -> !a.customerId().equals("C006")).toList(), TODAY, null)
        .block();
  }

  /** as_of → customers whose history row still has its document. */
  Map<LocalDate, List<String>> withDocuments() {
    return db
        .sql(
            "select as_of, customer_id from assessment_history where inputs is not null"
                + " order by as_of, customer_id")
        .map((r, m) -> Map.entry(r.get(0, LocalDate.class), r.get(1, String.class)))
        .all()
        .collectList()
        .block()
        .stream()
        .collect(
            Collectors.groupingBy(
                Map.Entry::getKey,
                java.util.TreeMap::new,
                Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
  }

  @Test
  void documentsOlderThanDetailDaysAreDroppedExceptTheLatest() {
    assertThat(retention.compact(TODAY).block()).isEqualTo(11L); // 6 of 2024 + 5 of 2025

    assertThat(withDocuments())
        .isEqualTo(
            Map.of(
                OLD, List.of("C006"),
                TODAY, List.of("C001", "C002", "C003", "C004", "C005")));
    // every date's score and tier stay
    assertThat(
            db.sql("select count(*) from assessment_history where score is not null")
                .map((r, m) -> ((Number) r.get(0)).longValue())
                .one()
                .block())
        .isEqualTo(17L);
  }

  @Test
  void aLaterRunWalksOnlyTheDatesThatBecameOld() throws Exception {
    assertThat(retention.compact(TODAY).block()).isEqualTo(11L);
    assertThat(retention.compact(TODAY).block()).isZero();
    // a row of a date older than the watermark written after it (a backfill) keeps its document
    rescoring
        .store(
            StoredScoresTest.workedExample().stream()
                .filter(a -> a.customerId().equals("C001"))
                .toList(),
            LocalDate.parse("2024-06-30"),
            null)
        .block();
    assertThat(retention.compact(TODAY.plusDays(1)).block()).isZero();
    assertThat(withDocuments()).containsKey(LocalDate.parse("2024-06-30"));
  }

  @Test
  void anOldDateAnswersNullForLoyaltyButKeepsItsScoreInHistory() throws Exception {
    retention.compact(TODAY).block();
    // an even older date backfilled afterwards keeps its document: loyalty(asOf) must not fall
    // back to it for a later date whose own document was dropped
    rescoring
        .store(
            StoredScoresTest.workedExample().stream()
                .filter(a -> a.customerId().equals("C001"))
                .toList(),
            LocalDate.parse("2024-06-30"),
            null)
        .block();
    GraphQlHttp.post(
            http,
            secret,
            Role.ANALYST,
            """
            { _entities(representations: [{__typename: "Customer", id: "C001"},
                                          {__typename: "Customer", id: "C006"}]) {
                ... on Customer {
                  old: loyalty(asOf: "2025-04-30") { asOf score }
                  today: loyalty(asOf: "2026-06-30") { asOf score }
                  loyaltyHistory { asOf score tier } } } }
            """,
            "en")
        // not the 2024 assessment either: the newest row at or before the date has no document
        .jsonPath("$.data._entities[0].old")
        .doesNotExist()
        .jsonPath("$.data._entities[0].today.score")
        .isEqualTo(88.8)
        .jsonPath("$.data._entities[0].loyaltyHistory.length()")
        .isEqualTo(4)
        .jsonPath("$.data._entities[0].loyaltyHistory[0].asOf")
        .isEqualTo("2024-01-31")
        .jsonPath("$.data._entities[0].loyaltyHistory[0].tier")
        .exists()
        .jsonPath("$.data._entities[0].loyaltyHistory[1].score")
        .exists()
        // C006's latest assessment is old but keeps its document
        .jsonPath("$.data._entities[1].old.asOf")
        .isEqualTo("2025-03-31")
        .jsonPath("$.data._entities[1].today.asOf")
        .isEqualTo("2025-03-31");
  }
}
