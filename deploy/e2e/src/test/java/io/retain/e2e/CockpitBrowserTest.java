package io.retain.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * Issue 21: the cockpit in a real browser (Debian's headless Chromium, no network but loopback)
 * against the four services as processes, with the worked example imported and scored as of
 * 2026-06-30. One suite and one browser for the whole class; the tests run in order like a user's
 * session: sign in, board, customer card, a plan moved, language, import, GraphiQL, every other
 * screen, and last retention-service stopped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CockpitBrowserTest {

  RunningSuite suite;
  Browser browser;
  String gateway;

  @BeforeAll
  void start() throws Exception {
    Browser.assumeInstalled();
    suite =
        new RunningSuite(
            "cockpit",
            Map.of(
                "RETAIN_SCORING_CHANGEFEED_ENABLED", "false", "WARNING_FEED_POLL_INTERVAL", "1s"));
    gateway = suite.url("gateway");
    for (var f : WorkedExampleEndToEndTest.importFiles().entrySet()) {
      HttpResponse<String> r =
          suite.post(
              "customer-service",
              "/import/" + f.getKey(),
              suite.token(Role.DATA_STEWARD),
              "application/x-ndjson",
              f.getValue());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    rescore("2026-06-30", "C001", "C002", "C003", "C004", "C005", "C006");
    // retention opens C005's three plans from the warning feed
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> plans("C005").size() == 3 && plans("C003").size() == 2);
    browser = new Browser();
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.close();
    if (suite != null) suite.close();
  }

  /** No page may break its Content-Security-Policy (a CDN or inline script would). */
  @AfterEach
  void noPolicyViolation() {
    if (browser == null) return;
    List<String> violations = new ArrayList<>();
    for (LogEntry e : browser.driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getMessage().contains("Content Security Policy")) {
        violations.add(e.getMessage());
      }
    }
    assertThat(violations).isEmpty();
  }

  void rescore(String asOf, String... ids) throws Exception {
    JsonNode r =
        suite.graphql(
            "scoring-service",
            suite.token(Role.ADMIN),
            "mutation($asOf: Date!, $ids: [ID!]!) { rescore(input: {asOf: $asOf, customerIds:"
                + " $ids}) { scored } }",
            Map.of("asOf", asOf, "ids", List.of(ids)));
    assertThat(r.at("/data/rescore/scored").asInt()).as(r.toString()).isEqualTo(ids.length);
  }

  /** A customer's plans through the gateway: id → status. */
  Map<String, String> plans(String id) throws Exception {
    JsonNode r =
        suite.graphql(
            "gateway",
            suite.token(Role.ANALYST),
            "query($id: ID!) { customer(id: $id) { actionPlans { id status } } }",
            Map.of("id", id));
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (JsonNode p : r.at("/data/customer/actionPlans")) {
      out.put(p.get("id").asString(), p.get("status").asString());
    }
    return out;
  }

  String userToken() {
    return suite.token(Role.ANALYST, Role.CAMPAIGN_MANAGER, Role.DATA_STEWARD);
  }

  void signIn(String token) {
    WebElement box = browser.untilPresent(By.id("token"));
    box.clear();
    box.sendKeys(token);
    browser.driver.findElement(By.id("signin-submit")).click();
  }

  @Test
  @Order(1)
  void aRefusedTokenGetsThe401NoticeAndAValidOneShowsItsRoles() throws Exception {
    browser.open(gateway + "/cockpit/");
    // a well-formed token signed with another secret: the gateway answers 401
    signIn(
        Tokens.hs256(
            "another-secret-another-secret-another-secret",
            "e2e",
            Duration.ofHours(1),
            Role.ANALYST));
    browser.untilText(
        By.cssSelector("#board .notice.error"),
        "Your token was refused (401): sign in again with a valid token.");
    browser.driver.findElement(By.id("signout")).click();

    signIn(userToken());
    assertThat(browser.untilPresent(By.id("roles")).getText())
        .startsWith("Signed in with roles: ANALYST, CAMPAIGN_MANAGER, DATA_STEWARD");
    browser.untilText(By.id("board-total"), "3 customers match");
  }

  @Test
  @Order(2)
  void theBoardFiltersToHighRiskWithRiskFactorsAndOpenPlansAndHighlightsALiveWarning()
      throws Exception {
    new Select(browser.untilPresent(By.id("f-tier"))).selectByValue("HIGH_RISK");
    browser.driver.findElement(By.id("f-apply")).click();
    browser.untilText(By.id("board-total"), "2 customers match");
    List<String> rows =
        browser.driver.findElements(By.cssSelector("#board-table tbody tr")).stream()
            .map(r -> r.getAttribute("id"))
            .toList();
    // sorted by score, lowest first: C005 (52.9) then C003 (80.6, HIGH_RISK by its NO_PURCHASE cap)
    assertThat(rows).containsExactly("row-C005", "row-C003");
    String c005 = browser.driver.findElement(By.id("row-C005")).getText();
    assertThat(c005)
        .contains("52.9", "High churn risk", "FREQUENCY_DROP", "HIGH_COMPLAINT_RATE", "LOW_NPS")
        .contains("FREQUENCY_DROP · Planned", "LOW_NPS · Planned");
    assertThat(browser.driver.findElement(By.id("row-C003")).getText())
        .contains("NO_RECENT_PURCHASE · Planned");
    browser.screenshot("board");

    // a warning raised now (a customer scored a year later, no purchase since: HIGH_RISK)
    // arrives over graphql-ws. The gateway subscribes to scoring a moment after the browser's
    // subscribe, and scoring starts at its newest warning then; so a warning raised in that
    // moment is missed by design, and the next customer is tried (each raises a new warning)
    browser.untilText(By.id("live"), "(connected)");
    WebElement live = null;
    for (String id : List.of("C001", "C004", "C006")) {
      rescore("2027-06-30", id);
      try {
        live =
            new org.openqa.selenium.support.ui.WebDriverWait(
                    browser.driver, Duration.ofSeconds(10), Duration.ofMillis(100))
                .until(
                    d ->
                        d.findElements(By.cssSelector("#live li.flash")).stream()
                            .filter(li -> li.getText().startsWith(id + " "))
                            .findFirst()
                            .orElse(null));
        break;
      } catch (org.openqa.selenium.TimeoutException missedWhileSubscribing) {
        // next customer
      }
    }
    assertThat(live).as("a live warning on the board").isNotNull();
    assertThat(live.getText()).endsWith("→ High risk");
  }

  @Test
  @Order(3)
  void theCustomerCardShowsTheWhyAndThePlansAndMovesAPlanToInProgress() throws Exception {
    browser.driver.findElement(By.linkText("C005")).click();
    browser.untilText(By.id("customer-title"), "Customer C005");
    assertThat(browser.driver.findElement(By.id("score")).getText()).isEqualTo("52.9");
    String risks = browser.driver.findElement(By.id("risks")).getText();
    assertThat(risks).contains("FREQUENCY_DROP", "HIGH_COMPLAINT_RATE", "LOW_NPS");
    // the components table: one row per component the API gives, each named
    JsonNode components =
        suite
            .graphql(
                "gateway",
                suite.token(Role.ANALYST),
                "{ customer(id: \"C005\") { loyalty { components { name } } } }",
                Map.of())
            .at("/data/customer/loyalty/components");
    List<WebElement> componentRows =
        browser.driver.findElements(By.cssSelector("#components tbody tr th"));
    assertThat(componentRows).hasSize(components.size()).hasSizeGreaterThanOrEqualTo(5);
    for (int i = 0; i < components.size(); i++) {
      assertThat(componentRows.get(i).getText())
          .isEqualTo(components.get(i).get("name").asString());
    }
    Map<String, String> before = plans("C005");
    assertThat(browser.driver.findElements(By.cssSelector("#plans tbody tr"))).hasSize(3);
    browser.screenshot("customer-card");

    String planId = before.keySet().iterator().next();
    assertThat(before.get(planId)).isEqualTo("PLANNED");
    browser.driver.findElement(By.id("plan-" + planId + "-IN_PROGRESS")).click();
    browser.untilText(By.id("plan-message"), "Plan " + planId + " is now In progress.");
    browser.untilText(By.cssSelector("#plan-" + planId + " td.status"), "In progress");
    assertThat(plans("C005").get(planId)).isEqualTo("IN_PROGRESS");
    // IN_PROGRESS allows DONE and CANCELLED, no longer IN_PROGRESS
    assertThat(browser.driver.findElements(By.id("plan-" + planId + "-IN_PROGRESS"))).isEmpty();
    assertThat(browser.driver.findElements(By.id("plan-" + planId + "-DONE"))).hasSize(1);
  }

  @Test
  @Order(4)
  void switchingToChineseTranslatesLabelsAndAsksTheServicesForChineseMessages() throws Exception {
    new Select(browser.driver.findElement(By.id("lang"))).selectByValue("zh-CN");
    browser.untilText(By.id("customer-title"), "客户 C005");
    assertThat(browser.driver.findElement(By.cssSelector("html")).getAttribute("lang"))
        .isEqualTo("zh-CN");
    assertThat(browser.driver.findElement(By.id("nav-board")).getText()).isEqualTo("风险客户看板");
    JsonNode zh =
        suite.graphql(
            "gateway",
            suite.token(Role.ANALYST),
            "{ customer(id: \"C005\") { loyalty { riskFactors { message(locale: \"zh-CN\") } } } }",
            Map.of());
    browser.untilText(
        By.id("risks"), zh.at("/data/customer/loyalty/riskFactors/0/message").asString());
    for (JsonNode f : zh.at("/data/customer/loyalty/riskFactors")) {
      assertThat(browser.driver.findElement(By.id("risks")).getText())
          .contains(f.get("message").asString());
    }
    browser.screenshot("customer-card-zh");
    // every label exists in both languages
    Object missing =
        browser.driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + " import('/cockpit/i18n.js').then(m => done(m.missingKeys()));");
    assertThat((List<?>) missing).isEmpty();
    new Select(browser.driver.findElement(By.id("lang"))).selectByValue("en");
    browser.untilText(By.id("customer-title"), "Customer C005");
  }

  @Test
  @Order(5)
  void aCsvWithABadRowIsImportedAndTheRowCorrectedAndResubmitted() throws Exception {
    Path csv = Files.createTempFile("cockpit-import-", ".csv");
    Files.writeString(
        csv,
        "id,name,kind,industry,valueTier,since\n"
            + "C100,Good Row Ltd,ENTERPRISE,RETAIL,MAJOR,2024-01-15\n"
            + "C101,Bad Row Ltd,ENTERPRISE,RETAIL,GIANT,2024-02-01\n");
    browser.driver.findElement(By.id("nav-import")).click();
    new Select(browser.untilPresent(By.id("i-entity"))).selectByValue("customers");
    browser.driver.findElement(By.id("i-file")).sendKeys(csv.toString());
    browser.driver.findElement(By.id("i-upload")).click();
    browser.untilText(By.id("import-result"), "2 rows: 1 accepted, 1 quarantined");
    WebElement row = browser.untilPresent(By.cssSelector("#quarantine tbody tr"));
    assertThat(row.findElement(By.cssSelector("td.reason")).getText()).contains("GIANT");
    browser.screenshot("import-quarantine");

    WebElement fix = row.findElement(By.tagName("textarea"));
    String corrected = fix.getAttribute("value").replace("GIANT", "KEY");
    fix.clear();
    fix.sendKeys(corrected);
    row.findElement(By.tagName("button")).click();
    browser.untilText(By.id("resubmit-result"), "accepted and removed from the quarantine");
    browser.untilPresent(By.id("quarantine-empty"));
    JsonNode c101 =
        suite.graphql(
            "gateway",
            suite.token(Role.ANALYST),
            "{ customer(id: \"C101\") { name valueTier } }",
            Map.of());
    assertThat(c101.at("/data/customer/valueTier").asString()).isEqualTo("KEY");
    assertThat(c101.at("/data/customer/name").asString()).isEqualTo("Bad Row Ltd");
    Files.delete(csv);
  }

  @Test
  @Order(6)
  void graphiqlLoadsFromTheGatewayAloneAndRunsTheQuery() throws Exception {
    browser.open(gateway + "/graphiql");
    browser.untilPresent(By.cssSelector(".graphiql-execute-button")).click();
    browser.untilText(By.cssSelector(".result-window"), "customersByLoyalty");
    // the at-risk customers' ids (the editor draws only the lines in view)
    assertThat(browser.driver.findElement(By.cssSelector(".result-window")).getText())
        .contains("\"totalCount\"", "\"id\": \"C00");
    // everything the page loaded came from the gateway (and the browser has no other network)
    @SuppressWarnings("unchecked")
    List<String> loaded =
        (List<String>)
            browser.script(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                    + ".concat([location.href]);");
    assertThat(loaded).isNotEmpty().allMatch(u -> u.startsWith(gateway + "/"));
    browser.screenshot("graphiql");
  }

  @Test
  @Order(7)
  void aCampaignCreatedAndLaunchedInTheBrowserSplitsTheHighRiskCustomers() throws Exception {
    browser.open(gateway + "/cockpit/#/campaigns");
    browser.untilPresent(By.id("campaigns-title"));
    browser.untilPresent(By.id("cp-name")).sendKeys("Win back high risk");
    browser.driver.findElement(By.id("cp-offer")).sendKeys("10% off the next order");
    browser.driver.findElement(By.id("cp-create")).click();
    WebElement row =
        browser.untilText(By.cssSelector("#campaign-list tbody tr"), "Win back high risk");
    assertThat(row.getText()).contains("DRAFT");
    String id = row.getAttribute("id").substring("campaign-".length());
    browser.driver.findElement(By.id("launch-" + id)).click();
    browser.untilText(By.id("campaign-" + id), "LAUNCHED");
    JsonNode api =
        suite.graphql(
            "gateway",
            suite.token(Role.ANALYST),
            "query($id: ID!) { campaign(id: $id) { status treatmentCount holdoutCount }"
                + " customersByLoyalty(filter: {tiers: [HIGH_RISK]}) { totalCount } }",
            Map.of("id", id));
    assertThat(api.at("/data/campaign/status").asString()).isEqualTo("LAUNCHED");
    int treatment = api.at("/data/campaign/treatmentCount").asInt();
    int holdout = api.at("/data/campaign/holdoutCount").asInt();
    assertThat(treatment + holdout)
        .isEqualTo(api.at("/data/customersByLoyalty/totalCount").asInt())
        .isPositive();
    assertThat(browser.driver.findElement(By.id("campaign-" + id)).getText())
        .contains(treatment + " / " + holdout);
  }

  @Test
  @Order(8)
  void overviewCampaignsAndChurnReportRenderWithoutAnError() throws Exception {
    for (String screen : List.of("overview", "campaigns", "churn")) {
      browser.open(gateway + "/cockpit/#/" + screen);
      browser.untilPresent(By.id(screen + "-title"));
      // each screen's query passes the gateway's default limits and every service's checks
      browser.until(d -> d.findElements(By.cssSelector("p[role=status]")).isEmpty());
      assertThat(browser.driver.findElements(By.cssSelector(".notice.error"))).isEmpty();
      browser.screenshot(screen);
    }
    // the last one, the churn report: the cohort heatmap and the timing are drawn
    assertThat(browser.driver.findElements(By.id("cohorts"))).hasSize(1);
    assertThat(browser.driver.findElement(By.id("timing")).getText())
        .contains("Under 3 months ago");
  }

  @Test
  @Order(9)
  void withRetentionServiceStoppedTheCardStillRendersWithANotice() throws Exception {
    suite.suite.stop("retention-service");
    browser.open(gateway + "/cockpit/#/customer/C002");
    browser.untilText(By.id("customer-title"), "Customer C002");
    browser.untilText(
        By.cssSelector(".notice.warning"),
        "retention is unavailable: the fields it provides are missing; the rest of the page is"
            + " shown.");
    assertThat(browser.driver.findElement(By.id("score")).getText()).isEqualTo("68.1");
    assertThat(browser.driver.findElement(By.id("risks")).getText())
        .contains("HIGH_COMPLAINT_RATE");
    assertThat(browser.driver.findElement(By.id("h-plans")).findElement(By.xpath("..")).getText())
        .contains("not available");
    browser.screenshot("customer-card-retention-down");
  }
}
