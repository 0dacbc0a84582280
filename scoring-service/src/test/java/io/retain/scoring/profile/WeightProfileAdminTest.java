package io.retain.scoring.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.GraphQlHttp;
import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.ScoringEngine;
import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.rescoring.RescoringService;
import io.retain.scoring.rescoring.StoredScoresTest;
import io.retain.support.security.Role;
import io.retain.testpg.PostgresTest;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
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
 * Weight profiles as data through the API: new versions, assignment to an industry or a segment,
 * thresholds and caps per profile, and which version made each stored score. Each kind of invalid
 * profile is refused with its code, field and expectation, and writes nothing.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
class WeightProfileAdminTest {

  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");
  static final String DEFAULT_WEIGHTS =
      "{name: \"repurchase\", weight: 30}, {name: \"stability\", weight: 20},"
          + " {name: \"frequency\", weight: 15}, {name: \"nps\", weight: 25},"
          + " {name: \"complaint\", weight: 10}";

  @Autowired WebTestClient http;
  @Autowired RescoringService rescoring;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  WebTestClient.BodyContentSpec query(Role role, String q) {
    return GraphQlHttp.post(http, secret, role, q, "en");
  }

  /** Other tests share this database: leave only the seeded profiles and assignment. */
  @BeforeEach
  @AfterEach
  void seededProfilesOnly() {
    db.sql(
            "delete from weight_profile where not (name in ('default', 'industrial-equipment')"
                + " and version = 1)")
        .fetch()
        .rowsUpdated()
        .block();
    db.sql("delete from profile_assignment").fetch().rowsUpdated().block();
    db.sql(
            "insert into profile_assignment (scope, target, profile_name)"
                + " values ('INDUSTRY', 'INDUSTRIAL_EQUIPMENT', 'industrial-equipment')")
        .fetch()
        .rowsUpdated()
        .block();
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();
  }

  long count(String table) {
    return db.sql("select count(*) from " + table)
        .map((r, m) -> ((Number) r.get(0)).longValue())
        .one()
        .block();
  }

  String create(String name, String rest) {
    return "mutation { createWeightProfileVersion(input: {name: \""
        + name
        + "\", "
        + rest
        + "}) { profile { name version weights { name weight } thresholds { diehardAt stableAt"
        + " potentialChurnAt } caps { noPurchaseDays npsBelow npsMinResponses } }"
        + " errors { code field expected message } } }";
  }

  @Test
  void theTwoSeededProfilesAreServedWithThresholdsCapsAndAssignment() {
    query(
            Role.ANALYST,
            "{ weightProfiles { name version weights { name weight } thresholds { diehardAt stableAt"
                + " potentialChurnAt } caps { noPurchaseDays npsBelow npsMinResponses } }"
                + " profileAssignments { profileName industry segment } }")
        .jsonPath("$.data.weightProfiles.length()")
        .isEqualTo(2)
        .jsonPath("$.data.weightProfiles[0].name")
        .isEqualTo("default")
        .jsonPath("$.data.weightProfiles[0].weights[0].name")
        .isEqualTo("repurchase")
        .jsonPath("$.data.weightProfiles[0].weights[0].weight")
        .isEqualTo(30)
        .jsonPath("$.data.weightProfiles[0].thresholds.stableAt")
        .isEqualTo(75.0)
        .jsonPath("$.data.weightProfiles[0].caps.noPurchaseDays")
        .isEqualTo(90)
        .jsonPath("$.data.weightProfiles[0].caps.npsBelow")
        .isEqualTo(30.0)
        .jsonPath("$.data.weightProfiles[1].name")
        .isEqualTo("industrial-equipment")
        .jsonPath("$.data.weightProfiles[1].weights[5].name")
        .isEqualTo("tenure")
        .jsonPath("$.data.weightProfiles[1].weights[5].weight")
        .isEqualTo(15)
        .jsonPath("$.data.profileAssignments[0].industry")
        .isEqualTo("INDUSTRIAL_EQUIPMENT")
        .jsonPath("$.data.profileAssignments[0].profileName")
        .isEqualTo("industrial-equipment");
  }

  @Test
  void theAssignedProfilesLatestVersionScoresAndEveryScoreNamesIt() throws Exception {
    // v1 still caps C003 (121 days without an order); v2 only caps after 150 days
    query(
            Role.ADMIN,
            create(
                "retail-patient",
                "weights: [" + DEFAULT_WEIGHTS + "], caps: {noPurchaseDays: 100}"))
        .jsonPath("$.data.createWeightProfileVersion.profile.version")
        .isEqualTo(1)
        .jsonPath("$.data.createWeightProfileVersion.errors.length()")
        .isEqualTo(0);
    query(
            Role.ADMIN,
            create(
                "retail-patient",
                "weights: ["
                    + DEFAULT_WEIGHTS
                    + "], caps: {noPurchaseDays: 150},"
                    + " thresholds: {diehardAt: 95, stableAt: 80, potentialChurnAt: 65}"))
        .jsonPath("$.data.createWeightProfileVersion.profile.version")
        .isEqualTo(2)
        .jsonPath("$.data.createWeightProfileVersion.profile.caps.noPurchaseDays")
        .isEqualTo(150)
        .jsonPath("$.data.createWeightProfileVersion.profile.caps.npsMinResponses")
        .isEqualTo(3)
        .jsonPath("$.data.createWeightProfileVersion.profile.thresholds.stableAt")
        .isEqualTo(80.0);
    query(
            Role.ADMIN,
            "mutation { assignWeightProfile(input: {profileName: \"retail-patient\","
                + " industry: \"RETAIL\"}) { assignment { profileName industry segment }"
                + " errors { code } } }")
        .jsonPath("$.data.assignWeightProfile.assignment.industry")
        .isEqualTo("RETAIL")
        .jsonPath("$.data.assignWeightProfile.errors.length()")
        .isEqualTo(0);
    query(
            Role.ADMIN,
            "mutation { assignWeightProfile(input: {profileName: \"industrial-equipment\","
                + " segment: \"enterprise/key\"}) { assignment { profileName industry segment } } }")
        .jsonPath("$.data.assignWeightProfile.assignment.segment")
        .isEqualTo("ENTERPRISE/KEY")
        .jsonPath("$.data.assignWeightProfile.assignment.industry")
        .doesNotExist();

    rescoring.store(StoredScoresTest.workedExample(), AS_OF, null).block();

    Activity c001 =
        StoredScoresTest.workedExample().stream()
            .filter(a -> a.customerId().equals("C001"))
            .findFirst()
            .orElseThrow();
    double c001Industrial =
        ScoringEngine.assess(c001, WeightProfile.industrialEquipment(), AS_OF, null, 0.8).score();
    assertThat(c001Industrial).isNotEqualTo(88.8);
    query(
            Role.ANALYST,
            """
            { _entities(representations: [{__typename: "Customer", id: "C001"},
                {__typename: "Customer", id: "C002"}, {__typename: "Customer", id: "C003"},
                {__typename: "Customer", id: "C006"}]) {
                ... on Customer { id loyalty { score tier tierCaps profileName profileVersion
                  components { name weight } }
                  loyaltyHistory { profileName profileVersion } } } }
            """)
        // ENTERPRISE/KEY in INFORMATION_TECHNOLOGY: the segment's profile
        .jsonPath("$.data._entities[0].loyalty.profileName")
        .isEqualTo("industrial-equipment")
        .jsonPath("$.data._entities[0].loyalty.score")
        .isEqualTo(c001Industrial)
        .jsonPath("$.data._entities[0].loyalty.components[5].name")
        .isEqualTo("tenure")
        .jsonPath("$.data._entities[0].loyalty.components[5].weight")
        .isEqualTo(15)
        // unassigned: default, exactly the worked example
        .jsonPath("$.data._entities[1].loyalty.profileName")
        .isEqualTo("default")
        .jsonPath("$.data._entities[1].loyalty.profileVersion")
        .isEqualTo(1)
        .jsonPath("$.data._entities[1].loyalty.score")
        .isEqualTo(68.1)
        // RETAIL: version 2 lifts the cap, and 80.6 ≥ its stableAt 80
        .jsonPath("$.data._entities[2].loyalty.profileName")
        .isEqualTo("retail-patient")
        .jsonPath("$.data._entities[2].loyalty.profileVersion")
        .isEqualTo(2)
        .jsonPath("$.data._entities[2].loyalty.score")
        .isEqualTo(80.6)
        .jsonPath("$.data._entities[2].loyalty.tier")
        .isEqualTo("STABLE")
        .jsonPath("$.data._entities[2].loyalty.tierCaps.length()")
        .isEqualTo(0)
        .jsonPath("$.data._entities[2].loyaltyHistory[0].profileName")
        .isEqualTo("retail-patient")
        .jsonPath("$.data._entities[2].loyaltyHistory[0].profileVersion")
        .isEqualTo(2)
        // ENTERPRISE/KEY in RETAIL: the segment's assignment wins over the industry's
        .jsonPath("$.data._entities[3].loyalty.profileName")
        .isEqualTo("industrial-equipment");
    assertThat(count("assessment_history where profile_name = 'retail-patient'")).isEqualTo(2);
    query(
            Role.ANALYST,
            "{ weightProfileVersions(name: \"retail-patient\") { version caps { noPurchaseDays } } }")
        .jsonPath("$.data.weightProfileVersions[0].caps.noPurchaseDays")
        .isEqualTo(100)
        .jsonPath("$.data.weightProfileVersions[1].caps.noPurchaseDays")
        .isEqualTo(150);
  }

  /** Posts a profile that must be refused with exactly one error; nothing may be written. */
  void refused(String rest, String code, String field, String expected, String message) {
    long before = count("weight_profile");
    query(Role.ADMIN, create("bad", rest))
        .jsonPath("$.data.createWeightProfileVersion.profile")
        .doesNotExist()
        .jsonPath("$.data.createWeightProfileVersion.errors.length()")
        .isEqualTo(1)
        .jsonPath("$.data.createWeightProfileVersion.errors[0].code")
        .isEqualTo(code)
        .jsonPath("$.data.createWeightProfileVersion.errors[0].field")
        .isEqualTo(field)
        .jsonPath("$.data.createWeightProfileVersion.errors[0].expected")
        .isEqualTo(expected)
        .jsonPath("$.data.createWeightProfileVersion.errors[0].message")
        .isEqualTo(message);
    assertThat(count("weight_profile")).isEqualTo(before).isEqualTo(2);
  }

  @Test
  void aNegativeWeightIsRefused() {
    refused(
        "weights: [{name: \"repurchase\", weight: 40}, {name: \"stability\", weight: 20},"
            + " {name: \"frequency\", weight: 15}, {name: \"nps\", weight: 35},"
            + " {name: \"complaint\", weight: -10}]",
        "NEGATIVE_WEIGHT",
        "input.weights[4].weight",
        "a weight ≥ 0",
        "weight of 'complaint' is -10");
  }

  @Test
  void weightsNotSummingTo100AreRefused() {
    refused(
        "weights: [{name: \"repurchase\", weight: 30}, {name: \"stability\", weight: 20},"
            + " {name: \"frequency\", weight: 15}, {name: \"nps\", weight: 25}]",
        "WEIGHTS_NOT_100",
        "input.weights",
        "weights summing to 100",
        "weights sum to 90");
  }

  @Test
  void unorderedThresholdsAreRefused() {
    refused(
        "weights: ["
            + DEFAULT_WEIGHTS
            + "], thresholds: {diehardAt: 80, stableAt: 85, potentialChurnAt: 60}",
        "UNORDERED_THRESHOLDS",
        "input.thresholds",
        "0 < potentialChurnAt < stableAt < diehardAt ≤ 100",
        "thresholds diehardAt 80.0, stableAt 85.0, potentialChurnAt 60.0 are not ordered");
  }

  @Test
  void anUnknownMeasureIsRefused() {
    refused(
        "weights: [{name: \"repurchase\", weight: 30}, {name: \"stability\", weight: 20},"
            + " {name: \"frequency\", weight: 15}, {name: \"nps\", weight: 15},"
            + " {name: \"complaint\", weight: 10}, {name: \"loyalty\", weight: 10}]",
        "UNKNOWN_MEASURE",
        "input.weights[5].name",
        "one of repurchase, stability, frequency, nps, complaint, tenure",
        "unknown measure 'loyalty'");
  }

  @Test
  void assigningAnUnknownProfileOrToBothTargetsIsRefused() {
    query(
            Role.ADMIN,
            "mutation { assignWeightProfile(input: {profileName: \"nope\", industry: \"RETAIL\"})"
                + " { assignment { profileName } errors { code field expected } } }")
        .jsonPath("$.data.assignWeightProfile.assignment")
        .doesNotExist()
        .jsonPath("$.data.assignWeightProfile.errors[0].code")
        .isEqualTo("NOT_FOUND")
        .jsonPath("$.data.assignWeightProfile.errors[0].field")
        .isEqualTo("input.profileName");
    query(
            Role.ADMIN,
            "mutation { assignWeightProfile(input: {profileName: \"default\", industry: \"RETAIL\","
                + " segment: \"ENTERPRISE/KEY\"}) { errors { code field expected } } }")
        .jsonPath("$.data.assignWeightProfile.errors[0].code")
        .isEqualTo("AMBIGUOUS_TARGET")
        .jsonPath("$.data.assignWeightProfile.errors[0].expected")
        .isEqualTo("exactly one of industry or segment");
    assertThat(count("profile_assignment")).isEqualTo(1);
  }

  @Test
  void analystsMayNotEditProfiles() {
    query(Role.ANALYST, create("mine", "weights: [" + DEFAULT_WEIGHTS + "]"))
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("FORBIDDEN");
    assertThat(count("weight_profile")).isEqualTo(2);
  }
}
