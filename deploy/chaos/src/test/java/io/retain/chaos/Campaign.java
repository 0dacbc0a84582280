package io.retain.chaos;

import static io.retain.chaos.ChaosRun.CUSTOMER;
import static io.retain.chaos.ChaosRun.GATEWAY;
import static io.retain.chaos.ChaosRun.SCORING;

import io.retain.datagen.DemoData;
import io.retain.support.security.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * The campaign's phases on one {@link ChaosRun}. Each phase injects its faults at seeded moments (a
 * trigger that says the work is under way, e.g. a write transaction open in the service's database,
 * plus a seeded delay), recovers, and records the invariants of what it did.
 */
final class Campaign {

  static final String CUSTOMER_DB = "chaos_customer";
  static final String SCORING_DB = "chaos_scoring";
  static final String RETENTION_DB = "chaos_retention";
  static final Duration SETTLE = Duration.ofMinutes(4);

  /** The tables scoring writes when it scores (feed batches and full rescorings). */
  static final String SCORES = "assessment_latest|assessment_history|feed_cursor|warning";

  /** Each import file's table, to count what a killed import left. */
  static final Map<String, String> TABLES =
      Map.of(
          "customers", "customer",
          "orders", "customer_order",
          "tickets", "service_ticket",
          "surveys", "survey_response",
          "churn", "churn_record");

  private final ChaosRun run;
  private final int customers;
  private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
  private final Path dataDir;
  private final Map<String, Integer> badLines = new LinkedHashMap<>();
  private final Map<String, Long> linesIn = new LinkedHashMap<>();

  Campaign(ChaosRun run, int customers) throws IOException {
    this.run = run;
    this.customers = customers;
    this.dataDir = run.work.resolve("data");
    writeData();
  }

  /** {@code -Dchaos.seed}, or a new one each run (printed, so a failure can be re-run). */
  static long seed() {
    String s = System.getProperty("chaos.seed", "");
    return s.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(s.trim());
  }

  /**
   * The demo generator's files for this seed, each with a few distinct broken lines (not JSON) put
   * at seeded places: every import then has rows for the quarantine.
   */
  private void writeData() throws IOException {
    DemoData.Counts counts = DemoData.write(dataDir, customers, run.seed, today);
    run.log("data: " + counts + " as of " + today);
    for (String file : DemoData.FILES) {
      Path p = dataDir.resolve(file);
      List<String> lines = new ArrayList<>(Files.readAllLines(p));
      int bad = run.pick(1, 4);
      for (int i = 0; i < bad; i++) {
        lines.add(run.pick(0, lines.size()), "{\"chaos-broken-line\": " + i + ", seed " + run.seed);
      }
      Files.write(p, lines);
      badLines.put(file, bad);
      linesIn.put(file, (long) lines.size());
    }
  }

  static String entity(String file) {
    return file.substring(0, file.indexOf('.'));
  }

  // ---------------------------------------------------------------- import and the change feed

  /**
   * Imports every file while {@code importer} (customer-service) is killed during the largest
   * import, PostgreSQL during a seeded later one, and {@code feedConsumer} (scoring-service) while
   * it applies the change feed the first import produced; then imports everything again.
   */
  void importUnderFaults(String importer, String feedConsumer, String warningConsumer)
      throws Exception {
    // down from the start, so the warnings the import causes wait for it as a backlog
    run.kill9(warningConsumer, "idle, before the import");
    String killServiceIn = "orders.ndjson";
    String killPostgresIn = run.pick(0, 1) == 0 ? "tickets.ndjson" : "surveys.ndjson";
    Map<String, long[]> beforeAndMid = new LinkedHashMap<>();
    for (String file : DemoData.FILES) {
      String table = TABLES.get(entity(file));
      long before = run.scalar(CUSTOMER_DB, "select count(*) from " + table);
      long batchesBefore = run.scalar(CUSTOMER_DB, "select count(*) from import_batch");
      CompletableFuture<HttpResponse<String>> answer = importAsync(file);
      if (file.equals(killServiceIn) || file.equals(killPostgresIn)) {
        boolean inside =
            run.awaitMoment(
                answer::isDone, () -> run.writing(CUSTOMER_DB, "."), 400, Duration.ofMinutes(2));
        String during = "the import of " + file + (inside ? "" : " (it had already answered)");
        if (file.equals(killServiceIn)) {
          run.kill9(importer, during);
        } else {
          run.killPostgres(during);
        }
        long mid = run.scalar(CUSTOMER_DB, "select count(*) from " + table);
        long batchesMid = run.scalar(CUSTOMER_DB, "select count(*) from import_batch");
        beforeAndMid.put(file, new long[] {before, mid, batchesBefore, batchesMid});
        settle(answer);
        if (file.equals(killServiceIn)) {
          run.restart(importer);
        } else {
          run.suite.awaitReady(ChaosRun.READY, run.suite.service(CUSTOMER));
        }
      } else {
        HttpResponse<String> r = answer.get();
        checkImportAnswer(file, r, "first import");
      }
      if (file.equals("customers.ndjson")) {
        killWhileConsumingTheChangeFeed(feedConsumer);
      }
    }
    // the recovery import: every file again, as an operator would after an outage
    Map<String, String> afterRecovery = importAll("recovery import");
    for (Map.Entry<String, long[]> e : beforeAndMid.entrySet()) {
      String file = e.getKey();
      long[] v = e.getValue();
      long finalCount = run.scalar(CUSTOMER_DB, "select count(*) from " + TABLES.get(entity(file)));
      boolean whole = v[1] == v[0] || v[1] == finalCount;
      boolean batchAgrees = (v[3] == v[2]) == (v[1] == v[0]) || v[0] == finalCount;
      run.invariants.check(
          "killed import of " + file + " committed wholly or not at all",
          whole && batchAgrees,
          "rows before "
              + v[0]
              + ", right after the kill "
              + v[1]
              + ", after recovery "
              + finalCount
              + "; import batches before "
              + v[2]
              + ", after the kill "
              + v[3]);
    }
    long feedRows = run.scalar(CUSTOMER_DB, "select count(*) from activity_change");
    Map<String, String> again = importAll("re-run import");
    long feedRowsAgain = run.scalar(CUSTOMER_DB, "select count(*) from activity_change");
    run.invariants.check(
        "re-running the import gives the same final state",
        again.equals(afterRecovery) && feedRowsAgain == feedRows,
        "table digests "
            + (again.equals(afterRecovery) ? "equal" : "differ: " + afterRecovery + " vs " + again)
            + "; change-feed rows "
            + feedRows
            + " then "
            + feedRowsAgain);
    Map<String, String> open =
        run.rows(
            CUSTOMER_DB,
            "select entity, count(*) from quarantine_row where resolved_at is null group by entity");
    Map<String, String> expected = new LinkedHashMap<>();
    badLines.forEach((f, n) -> expected.put(entity(f), String.valueOf(n)));
    run.invariants.check(
        "each broken line is one open quarantine row, however often imported",
        open.equals(expected),
        "open " + open + ", broken lines put in " + expected);
  }

  /** Imports every file, checks each answer and returns each table's digest afterwards. */
  Map<String, String> importAll(String what) throws Exception {
    for (String file : DemoData.FILES) {
      HttpResponse<String> r = importAsync(file).get();
      checkImportAnswer(file, r, what);
    }
    Map<String, String> digests = new LinkedHashMap<>();
    for (String table : TABLES.values()) {
      digests.put(
          table,
          run.rows(
                  CUSTOMER_DB,
                  "select 'd', count(*), md5(coalesce(string_agg(t::text, ',' order by t::text),"
                      + " '')) from "
                      + table
                      + " t")
              .get("d"));
    }
    return digests;
  }

  private void checkImportAnswer(String file, HttpResponse<String> r, String what) {
    JsonNode b = r.statusCode() == 200 ? ChaosRun.json(r.body()) : null;
    long in = b == null ? -1 : b.get("rowsIn").asLong();
    long accepted = b == null ? -1 : b.get("accepted").asLong();
    long quarantined = b == null ? -1 : b.get("quarantined").asLong();
    run.invariants.check(
        what + " of " + file + ": rows in = accepted + quarantined",
        r.statusCode() == 200
            && in == linesIn.get(file)
            && in == accepted + quarantined
            && quarantined == badLines.get(file),
        "HTTP "
            + r.statusCode()
            + ", lines "
            + linesIn.get(file)
            + ", in "
            + in
            + " = accepted "
            + accepted
            + " + quarantined "
            + quarantined
            + " (broken lines put in: "
            + badLines.get(file)
            + ")");
  }

  private CompletableFuture<HttpResponse<String>> importAsync(String file) throws IOException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(run.url(CUSTOMER) + "/import/" + entity(file)))
            .timeout(Duration.ofMinutes(5))
            .header("Content-Type", "application/x-ndjson")
            .header("Authorization", "Bearer " + run.token(Role.DATA_STEWARD))
            .POST(HttpRequest.BodyPublishers.ofFile(dataDir.resolve(file)))
            .build();
    return run.http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
  }

  /** Waits for an answer a fault cut off (an error, or a 5xx): never a hang. */
  private void settle(CompletableFuture<HttpResponse<String>> answer) {
    try {
      HttpResponse<String> r = answer.get(6, java.util.concurrent.TimeUnit.MINUTES);
      run.log("the interrupted request answered HTTP " + r.statusCode() + " " + head(r.body()));
    } catch (ExecutionException e) {
      run.log("the interrupted request failed: " + e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("the interrupted request neither answered nor failed", e);
    }
  }

  private void killWhileConsumingTheChangeFeed(String feedConsumer) throws Exception {
    boolean inside =
        run.awaitMoment(
            this::changeFeedCaughtUp,
            () -> run.writing(SCORING_DB, SCORES),
            300,
            Duration.ofMinutes(2));
    run.kill9(
        feedConsumer,
        "its consumption of the change feed" + (inside ? "" : " (it had already caught up)"));
    run.restart(feedConsumer);
    ChaosRun.awaitTrue("the change feed consumed", SETTLE, this::changeFeedCaughtUp);
  }

  private boolean changeFeedCaughtUp() {
    try {
      long head = run.scalar(CUSTOMER_DB, "select coalesce(max(seq), 0) from activity_change");
      long cursor =
          run.scalar(
              SCORING_DB,
              "select coalesce(max(position), 0) from feed_cursor where name = 'customer-activity'");
      return head > 0 && cursor == head;
    } catch (SQLException e) {
      return false;
    }
  }

  private boolean warningFeedCaughtUp() {
    try {
      long head = run.scalar(SCORING_DB, "select coalesce(max(seq), 0) from warning");
      long cursor =
          run.scalar(
              RETENTION_DB, "select last_seq from feed_cursor where feed = 'scoring.warningFeed'");
      return cursor == head;
    } catch (SQLException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------------------ warning feed

  /**
   * Starts {@code consumer} (retention-service, killed before the import) again and kills it while
   * it works through the warning backlog, opening plans.
   */
  void warningFeedUnderFaults(String consumer) throws Exception {
    ChaosRun.awaitTrue("the change feed consumed", SETTLE, this::changeFeedCaughtUp);
    long warnings = run.scalar(SCORING_DB, "select count(*) from warning");
    run.launch(consumer);
    boolean inside =
        run.awaitMoment(
            this::warningFeedCaughtUp,
            () -> run.writing(RETENTION_DB, "action_plan|feed_cursor"),
            300,
            ChaosRun.READY);
    run.kill9(
        consumer,
        "its consumption of the warning feed ("
            + warnings
            + " warnings)"
            + (inside ? "" : " (it had already caught up)"));
    run.restart(consumer);
    ChaosRun.awaitTrue("the warning feed consumed", SETTLE, this::warningFeedCaughtUp);
  }

  // -------------------------------------------------------------------------------- rescoring

  /** Each customer's latest score with the inputs it came from (kept in its history row, V7). */
  private static final String SCORE_COLUMNS =
      "select l.customer_id, l.as_of, l.score, l.tier, l.risk_codes, l.high_codes,"
          + " h.inputs::text, l.profile_name, l.profile_version from assessment_latest l"
          + " left join assessment_history h on h.customer_id = l.customer_id and h.as_of = l.as_of"
          + " order by l.customer_id";

  /**
   * The scores the change feed left are compared with a clean full rescoring of the same data; then
   * two rescorings are cut by {@code kill -9} of {@code scorer} and of PostgreSQL, and a last one
   * must give the clean run's scores again, with no second warning.
   */
  void rescoringUnderFaults(String scorer) throws Exception {
    Map<String, String> byFeed = run.rows(SCORING_DB, SCORE_COLUMNS);
    long warningsByFeed = run.scalar(SCORING_DB, "select count(*) from warning");
    JsonNode clean = rescoreAll().get();
    Map<String, String> reference = run.rows(SCORING_DB, SCORE_COLUMNS);
    Map<String, String> ids = run.rows(CUSTOMER_DB, "select id, 1 from customer order by id");
    run.invariants.check(
        "a clean full rescoring scores every customer",
        clean.at("/data/rescoreAll/scored").asLong() == ids.size()
            && reference.keySet().equals(ids.keySet()),
        "scored "
            + clean.at("/data/rescoreAll/scored")
            + ", customers "
            + ids.size()
            + ", stored scores "
            + reference.size());
    run.invariants.check(
        "the change feed scored every change (its scores equal a clean run's: none missing, none"
            + " with a stale input)",
        byFeed.equals(reference),
        differences(byFeed, reference));
    long warningsClean = run.scalar(SCORING_DB, "select count(*) from warning");
    run.invariants.check(
        "scoring an unchanged state again writes no warning",
        warningsClean == warningsByFeed,
        "warnings after the feed " + warningsByFeed + ", after a clean rescoring " + warningsClean);

    CompletableFuture<JsonNode> cut = rescoreAll();
    boolean inside =
        run.awaitMoment(
            cut::isDone, () -> run.writing(SCORING_DB, SCORES), 150, Duration.ofMinutes(2));
    run.kill9(scorer, "a full rescoring" + (inside ? "" : " (it had already finished)"));
    settleJson(cut);
    run.restart(scorer);
    // the killed replica's job stays RUNNING until it has been silent for stale-after (12 s in a
    // chaos run); until then another rescoring is refused with JOB_RUNNING (ADR 0020)
    ChaosRun.awaitTrue(
        "the killed replica's rescoring job marked FAILED", SETTLE, () -> openJobs() == 0);
    run.invariants.check(
        "a rescoring job cut by kill -9 ends FAILED (interrupted), none left RUNNING",
        openJobs() == 0
            && (!inside || count("select count(*) from rescoring_job where status = 'FAILED'") > 0),
        "open jobs " + openJobs() + ", the kill landed " + (inside ? "inside" : "after") + " it");

    cut = rescoreAll();
    inside =
        run.awaitMoment(
            cut::isDone, () -> run.writing(SCORING_DB, SCORES), 150, Duration.ofMinutes(2));
    run.killPostgres("a full rescoring" + (inside ? "" : " (it had already finished)"));
    settleJson(cut);
    run.suite.awaitReady(ChaosRun.READY, run.suite.service(SCORING));

    JsonNode last = rescoreAllUntilItSucceeds();
    Map<String, String> after = run.rows(SCORING_DB, SCORE_COLUMNS);
    run.invariants.check(
        "after rescorings cut by kill -9, a full rescoring gives the clean run's scores",
        last.at("/data/rescoreAll/scored").asLong() == ids.size() && after.equals(reference),
        "scored " + last.at("/data/rescoreAll/scored") + "; " + differences(after, reference));
    long warningsAfter = run.scalar(SCORING_DB, "select count(*) from warning");
    run.invariants.check(
        "each customer scored once per change: no warning from rescoring unchanged data",
        warningsAfter == warningsClean,
        "warnings before the cut rescorings " + warningsClean + ", after " + warningsAfter);
    long history =
        run.scalar(
            SCORING_DB, "select count(*) from assessment_history where as_of = '" + today + "'");
    run.invariants.check(
        "one history row per customer for today",
        history == ids.size(),
        "history rows for " + today + ": " + history + ", customers " + ids.size());
    long setAside = run.scalar(SCORING_DB, "select count(*) from scoring_set_aside");
    run.invariants.check("no customer set aside", setAside == 0, setAside + " set aside");
  }

  /** Rescoring jobs queued or running (rescoreAll runs as one, ADR 0020). */
  private long openJobs() {
    return count("select count(*) from rescoring_job where status in ('QUEUED', 'RUNNING')");
  }

  private long count(String sql) {
    try {
      return run.scalar(SCORING_DB, sql);
    } catch (java.sql.SQLException e) {
      return -1;
    }
  }

  private CompletableFuture<JsonNode> rescoreAll() {
    HttpRequest req =
        run.graphqlRequest(
            SCORING,
            run.token(Role.ADMIN),
            "mutation($asOf: Date!) { rescoreAll(input: {asOf: $asOf}) { scored } }",
            Map.of("asOf", today.toString()),
            Duration.ofMinutes(5));
    return run.http
        .sendAsync(req, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r -> {
              JsonNode b = ChaosRun.json(r.body());
              if (r.statusCode() != 200 || b.has("errors")) {
                throw new IllegalStateException(
                    "rescoreAll: HTTP " + r.statusCode() + " " + head(r.body()));
              }
              return b;
            });
  }

  /**
   * Right after an outage, scoring's breaker to customer-service may still be open for a few
   * seconds: the rescoring is asked again until it succeeds or a deadline passes.
   */
  JsonNode rescoreAllUntilItSucceeds() {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      try {
        return rescoreAll().get();
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("rescoreAll never succeeded after the faults", e);
        }
        run.log("rescoreAll not possible yet: " + e.getMessage());
        ChaosRun.pause(1000);
      }
    }
  }

  private void settleJson(CompletableFuture<JsonNode> cut) {
    try {
      cut.get(6, java.util.concurrent.TimeUnit.MINUTES);
      run.log("the cut rescoring still answered (it finished before the kill)");
    } catch (ExecutionException e) {
      run.log("the cut rescoring failed: " + head(String.valueOf(e.getCause())));
    } catch (Exception e) {
      throw new IllegalStateException("the cut rescoring neither answered nor failed", e);
    }
  }

  static String differences(Map<String, String> got, Map<String, String> want) {
    List<String> diffs = new ArrayList<>();
    int missing = 0;
    int extra = 0;
    int differ = 0;
    for (Map.Entry<String, String> e : want.entrySet()) {
      String g = got.get(e.getKey());
      if (g == null) {
        missing++;
      } else if (!g.equals(e.getValue())) {
        differ++;
        if (diffs.size() < 3) {
          diffs.add(e.getKey() + ": " + g + " ≠ " + e.getValue());
        }
      }
    }
    for (String k : got.keySet()) {
      if (!want.containsKey(k)) {
        extra++;
      }
    }
    return want.size()
        + " customers compared: "
        + missing
        + " missing, "
        + extra
        + " extra, "
        + differ
        + " different"
        + (diffs.isEmpty() ? "" : " e.g. " + diffs);
  }

  // ------------------------------------------------------------------------- cursors and plans

  /** After every fault: both feeds consumed to their heads, no warning or plan twice. */
  void feedsAndPlans() throws Exception {
    ChaosRun.awaitTrue("the change feed consumed", SETTLE, this::changeFeedCaughtUp);
    ChaosRun.awaitTrue("the warning feed consumed", SETTLE, this::warningFeedCaughtUp);
    long head = run.scalar(CUSTOMER_DB, "select coalesce(max(seq), 0) from activity_change");
    long cursor =
        run.scalar(SCORING_DB, "select position from feed_cursor where name = 'customer-activity'");
    run.invariants.check(
        "scoring's change-feed cursor reached the last outbox row",
        cursor == head,
        "activity_change head " + head + ", cursor " + cursor);
    long warningHead = run.scalar(SCORING_DB, "select coalesce(max(seq), 0) from warning");
    long warningCursor =
        run.scalar(
            RETENTION_DB, "select last_seq from feed_cursor where feed = 'scoring.warningFeed'");
    run.invariants.check(
        "retention's warning-feed cursor reached the last warning",
        warningCursor == warningHead,
        "warning head " + warningHead + ", cursor " + warningCursor);
    // the same transition recorded twice in a row for a customer is a replayed batch
    long dupWarnings =
        run.scalar(
            SCORING_DB,
            "select count(*) from (select customer_id, as_of, from_tier, to_tier, score_before,"
                + " score_after, lag(array[as_of::text, from_tier, to_tier, score_before::text,"
                + " score_after::text]) over (partition by customer_id order by seq) prev from"
                + " warning) w where prev is not distinct from array[as_of::text, from_tier,"
                + " to_tier, score_before::text, score_after::text]");
    run.invariants.check(
        "no warning recorded twice",
        dupWarnings == 0,
        dupWarnings + " warnings repeat the one before them; " + warningHead + " in all");
    long plans = run.scalar(RETENTION_DB, "select count(*) from action_plan");
    long dupPlans =
        run.scalar(
            RETENTION_DB,
            "select count(*) from (select customer_id, problem_code from action_plan"
                + " group by 1, 2 having count(*) > 1) d");
    long dupPerWarning =
        run.scalar(
            RETENTION_DB,
            "select count(*) from (select warning_seq, problem_code from action_plan where"
                + " warning_seq is not null group by 1, 2 having count(*) > 1) d");
    run.invariants.check(
        "no plan opened twice",
        dupPlans == 0 && dupPerWarning == 0 && plans > 0,
        plans
            + " plans; "
            + dupPlans
            + " (customer, problem) pairs with more than one; "
            + dupPerWarning
            + " (warning, problem) pairs with more than one");
  }

  // ------------------------------------------------------------------------------- the gateway

  static final String CARD_QUERY =
      """
      { customersByLoyalty(filter: {tiers: [HIGH_RISK, POTENTIAL_CHURN]}, first: 20) {
          totalCount
          edges { node { id name loyalty { score tier } actionPlans(status: PLANNED) {
            problem { code } dueDate } } } } }
      """;

  /**
   * A stream of gateway requests (one every 50 ms) while {@code subgraphService} and then the
   * gateway itself are killed and restarted: 200 with partial data naming the subgraph while it is
   * down, the full answer once it is back; while the gateway is down nothing answers, and after its
   * restart the full answer again.
   */
  void gatewayStreamUnderFaults(String subgraphService, String gateway) throws Exception {
    String subgraph = subgraphService.equals(CUSTOMER) ? "customer" : "retention";
    String ownField = subgraphService.equals(CUSTOMER) ? "name" : "actionPlans";
    String token = run.token(Role.ANALYST);
    JsonNode full = ChaosRun.json(run.graphql(GATEWAY, token, CARD_QUERY, Map.of()).body());
    run.invariants.check(
        "the gateway's answer before the faults is full",
        !full.has("errors") && full.at("/data/customersByLoyalty/edges").size() > 0,
        full.at("/data/customersByLoyalty/totalCount") + " at-risk customers");
    AtomicReference<String> phase = new AtomicReference<>("up");
    Map<String, List<Object>> byPhase = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicBoolean asking = new AtomicBoolean(true);
    ScheduledExecutorService stream = Executors.newSingleThreadScheduledExecutor();
    stream.scheduleWithFixedDelay(
        () -> {
          if (!asking.get()) {
            return;
          }
          String p = phase.get();
          Object answer;
          try {
            HttpResponse<String> r =
                run.http.send(
                    run.graphqlRequest(
                        GATEWAY, token, CARD_QUERY, Map.of(), Duration.ofSeconds(30)),
                    HttpResponse.BodyHandlers.ofString());
            answer = r;
          } catch (IOException e) {
            answer = e; // the gateway itself is down: no answer at all
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          byPhase.computeIfAbsent(p, k -> new CopyOnWriteArrayList<>()).add(answer);
        },
        0,
        50,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    try {
      awaitAnswers(byPhase, "up", run.pick(3, 12));
      phase.set("killing " + subgraph);
      awaitAnswers(byPhase, "killing " + subgraph, 1);
      run.kill9(subgraphService, "a stream of gateway requests");
      phase.set(subgraph + " down");
      awaitAnswers(byPhase, subgraph + " down", 10);
      phase.set("restarting " + subgraph);
      run.restart(subgraphService);
      phase.set(subgraph + " back");
      ChaosRun.awaitTrue(
          "full answers after " + subgraph + " is back",
          Duration.ofSeconds(90),
          () -> lastEquals(byPhase.get(subgraph + " back"), full));

      phase.set("before killing the gateway");
      awaitAnswers(byPhase, "before killing the gateway", run.pick(1, 8));
      // the stream is sequential: an answer begun in this phase means no earlier request is in
      // flight, so only requests of a "gateway …" phase can meet the kill (run 5 counted one)
      phase.set("gateway being killed");
      awaitAnswers(byPhase, "gateway being killed", 1);
      run.kill9(gateway, "a stream of gateway requests");
      phase.set("gateway down");
      awaitAnswers(byPhase, "gateway down", 5);
      phase.set("restarting gateway");
      run.restart(gateway);
      phase.set("gateway back");
      ChaosRun.awaitTrue(
          "full answers after the gateway is back",
          Duration.ofSeconds(90),
          () -> lastEquals(byPhase.get("gateway back"), full));
    } finally {
      asking.set(false);
      stream.shutdown();
      stream.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    List<Object> down = byPhase.get(subgraph + " down");
    int partial = 0;
    List<String> wrong = new ArrayList<>();
    for (Object a : down) {
      String why = partialAnswerProblem(a, subgraph, ownField);
      if (why == null) {
        partial++;
      } else if (wrong.size() < 3) {
        wrong.add(why);
      }
    }
    run.invariants.check(
        "while " + subgraph + " is down the gateway answers 200 with partial data naming it",
        partial == down.size() && !down.isEmpty(),
        partial
            + "/"
            + down.size()
            + " answers partial as expected"
            + (wrong.isEmpty() ? "" : " " + wrong));
    List<String> statuses = new ArrayList<>();
    byPhase.forEach(
        (p, answers) -> {
          if (!p.startsWith("gateway") && !p.equals("restarting gateway")) {
            for (Object a : answers) {
              if (!(a instanceof HttpResponse<?> r) || r.statusCode() != 200) {
                statuses.add(
                    p + ": " + (a instanceof HttpResponse<?> resp ? resp.statusCode() : a));
              }
            }
          }
        });
    run.invariants.check(
        "every gateway answer while the gateway itself ran was HTTP 200",
        statuses.isEmpty(),
        count(byPhase) + " answers; not 200: " + statuses);
    run.invariants.check(
        "the full answer after " + subgraph + " and the gateway came back",
        lastEquals(byPhase.get(subgraph + " back"), full)
            && lastEquals(byPhase.get("gateway back"), full),
        byPhase.get("gateway down").size() + " requests found the gateway down");
  }

  /**
   * Null when {@code a} is a 200 with data, the subgraph's own field null on every customer and
   * every error {@code SUBGRAPH_UNAVAILABLE} naming it; otherwise what is wrong.
   */
  static String partialAnswerProblem(Object a, String subgraph, String ownField) {
    if (!(a instanceof HttpResponse<?> r)) {
      return "no answer: " + a;
    }
    if (r.statusCode() != 200) {
      return "HTTP " + r.statusCode();
    }
    JsonNode b = ChaosRun.json(String.valueOf(r.body()));
    JsonNode edges = b.at("/data/customersByLoyalty/edges");
    if (edges.isMissingNode() || edges.size() == 0) {
      return "no data: " + head(b.toString());
    }
    for (JsonNode e : edges) {
      JsonNode node = e.get("node");
      if (!node.get(ownField).isNull() || node.at("/loyalty/tier").asString("").isBlank()) {
        return "not partial as expected: " + head(node.toString());
      }
    }
    if (!b.has("errors") || b.get("errors").size() == 0) {
      return "no error";
    }
    for (JsonNode e : b.get("errors")) {
      if (!"SUBGRAPH_UNAVAILABLE".equals(e.at("/extensions/code").asString(""))
          || !subgraph.equals(e.at("/extensions/subgraph").asString(""))) {
        return "error not naming " + subgraph + ": " + head(e.toString());
      }
    }
    return null;
  }

  private static boolean lastEquals(List<Object> answers, JsonNode full) {
    if (answers == null || answers.isEmpty()) {
      return false;
    }
    Object last = answers.get(answers.size() - 1);
    return last instanceof HttpResponse<?> r
        && r.statusCode() == 200
        && ChaosRun.json(String.valueOf(r.body())).equals(full);
  }

  private static void awaitAnswers(Map<String, List<Object>> byPhase, String phase, int n) {
    ChaosRun.awaitTrue(
        n + " answers in phase " + phase,
        Duration.ofSeconds(120),
        () -> byPhase.getOrDefault(phase, List.of()).size() >= n);
  }

  private static int count(Map<String, List<Object>> byPhase) {
    return byPhase.values().stream().mapToInt(List::size).sum();
  }

  static String head(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
