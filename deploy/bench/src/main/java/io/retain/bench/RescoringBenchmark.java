package io.retain.bench;

import io.retain.datagen.DemoData;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeping scores current, measured (issue 4), in one run against a running customer-service and
 * scoring-service:
 *
 * <ol>
 *   <li>full rescoring: the deterministic demo data set ({@link DemoData}) is imported into
 *       customer-service, then scoring's {@code rescoreAll} runs (the aggregates streamed in pages
 *       from customer-service's bulk NDJSON form, stored in batches); in the same run the floor:
 *       the bare aggregate statement (every aggregate computed in PostgreSQL, the reference
 *       customer-service's reads are tested against) run once over all customers directly in
 *       PostgreSQL, every row read;
 *   <li>freshness: under a light steady load of new orders written through customer-service's
 *       {@code recordOrder}, the time from sending the write until scoring's stored assessment
 *       counts the order (read from scoring's database), p50 and p95.
 * </ol>
 *
 * <p>Usage (normally through {@code deploy/bench/rescoring-bench}): {@code RescoringBenchmark
 * --customers N --customer-url U --scoring-url U --secret-file F --customer-jdbc URL --scoring-jdbc
 * URL --scoring-pid PID [--customer-pid PID] --aggregates-sql activity-aggregates.sql [--work DIR]
 * [--out FILE] [--rescore-runs 2] [--fresh-orders 120] [--fresh-rate 4] [--fresh-scoring]
 * [--no-floor] [--warning-lock-compare]}. Both databases must be empty. With {@code
 * --fresh-scoring} scoring's assessment tables are emptied before every round, so that every round
 * measures the first rescoring into an empty scoring database (inserts, a first-assessment warning
 * per customer at risk) on customer data imported once. With {@code --warning-lock-compare} the
 * warning seq lock (ADR 0015) is on in odd rounds and off in even ones, so with {@code
 * --fresh-scoring} (every round writes the same warnings) its cost is one ratio of one run.
 *
 * <p>Over 400 lines on purpose: a command-line tool outside the services whose phases (import,
 * floor, rescoring, freshness) share one set-up and one report; it is read top to bottom.
 */
public final class RescoringBenchmark {

  // ordersAllTime of a customer's latest assessment: the 18th field of the stored inputs, kept
  // positionally in the history row of the latest date (scoring-service V6, V7)
  static final String LATEST_ORDERS_ALL_TIME =
      "select l.customer_id, (h.inputs->>17)::bigint from assessment_latest l"
          + " join assessment_history h using (customer_id, as_of) where l.customer_id = any(?)";

  private RescoringBenchmark() {}

  public static void main(String[] args) throws Exception {
    int customers = 100_000;
    long seed = 42;
    String customerUrl = null;
    String scoringUrl = null;
    String secret = null;
    String customerJdbc = null;
    String scoringJdbc = null;
    long scoringPid = -1;
    long customerPid = -1;
    Path aggregatesSql = null;
    Path work = Path.of(".local-bench/rescoring");
    Path out = null;
    int rescoreRuns = 2;
    int freshOrders = 120;
    double freshRate = 4;
    boolean freshScoring = false;
    boolean warningLockCompare = false;
    boolean withFloor = true;
    boolean churnCompare = false;
    String servicesJvm = "java on the PATH";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--customers" -> customers = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--customer-url" -> customerUrl = args[++i];
        case "--scoring-url" -> scoringUrl = args[++i];
        case "--secret-file" -> secret = Files.readString(Path.of(args[++i])).trim();
        case "--customer-jdbc" -> customerJdbc = args[++i];
        case "--scoring-jdbc" -> scoringJdbc = args[++i];
        case "--scoring-pid" -> scoringPid = Long.parseLong(args[++i]);
        case "--customer-pid" -> customerPid = Long.parseLong(args[++i]);
        case "--aggregates-sql" -> aggregatesSql = Path.of(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--rescore-runs" -> rescoreRuns = Integer.parseInt(args[++i]);
        case "--fresh-orders" -> freshOrders = Integer.parseInt(args[++i]);
        case "--fresh-rate" -> freshRate = Double.parseDouble(args[++i]);
        case "--fresh-scoring" -> freshScoring = true;
        case "--warning-lock-compare" -> warningLockCompare = true;
        // a profiling run: rescoring only, the floor's minutes skipped (no ratio)
        case "--no-floor" -> withFloor = false;
        // rescoring with an active churn model in even rounds, without one in odd rounds
        case "--churn-compare" -> churnCompare = true;
        case "--services-jvm" -> servicesJvm = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (customerUrl == null
        || scoringUrl == null
        || secret == null
        || customerJdbc == null
        || scoringJdbc == null
        || aggregatesSql == null) {
      throw new IllegalArgumentException(
          "need --customer-url, --scoring-url, --secret-file, --customer-jdbc, --scoring-jdbc"
              + " and --aggregates-sql");
    }
    String steward =
        Tokens.hs256(secret, "rescoring-bench", Duration.ofHours(4), Role.DATA_STEWARD);
    String admin = Tokens.hs256(secret, "rescoring-bench", Duration.ofHours(4), Role.ADMIN);
    String service = Tokens.hs256(secret, "rescoring-bench", Duration.ofHours(4), Role.SERVICE);
    LocalDate generatedFor = LocalDate.now(ZoneOffset.UTC);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    StringBuilder report = new StringBuilder();

    // 1. data: generated once per size, seed and date, imported through the public endpoints
    Path data = work.resolve("data-" + customers + "-" + seed + "-" + generatedFor);
    if (!Files.exists(data.resolve("done"))) {
      long g0 = System.nanoTime();
      DemoData.Counts c = DemoData.write(data, customers, seed, generatedFor);
      Files.writeString(data.resolve("done"), c.toString());
      System.out.printf(Locale.ROOT, "generated %s in %.1f s%n", c, (System.nanoTime() - g0) / 1e9);
    }
    long i0 = System.nanoTime();
    long present;
    try (Connection db = DriverManager.getConnection(customerJdbc)) {
      present = ImportBenchmark.count(db, "select count(*) from customer");
    }
    for (String file : present == customers ? List.<String>of() : DemoData.FILES) {
      String entity = file.substring(0, file.indexOf('.'));
      JsonNode r =
          ImportBenchmark.post(
              http,
              customerUrl + "/import/" + entity,
              steward,
              data.resolve(file),
              "application/x-ndjson");
      System.out.println("imported " + file + ": " + r);
    }
    // NaN: the databases of an earlier run were reused (RESCORING_BENCH_REUSE=1)
    double importSeconds = present == customers ? Double.NaN : (System.nanoTime() - i0) / 1e9;
    long orders;
    try (Connection db = DriverManager.getConnection(customerJdbc)) {
      orders = ImportBenchmark.count(db, "select count(*) from customer_order");
      // the full rescoring below covers every imported row: the change feed starts empty, as
      // after a nightly run, so that the freshness part measures new writes only
      ImportBenchmark.exec(db, "truncate activity_change");
      ImportBenchmark.exec(db, "vacuum analyze");
      ImportBenchmark.exec(db, "checkpoint");
    }
    System.out.printf(
        Locale.ROOT,
        "%,d customers and %,d orders imported in %.1f s%n",
        customers,
        orders,
        importSeconds);
    // The date is read after the import: scoring's change feed scores imported customers as of its
    // own today while the import runs, and a rescoring as of an earlier date never moves "latest"
    // backwards, so an import that crossed midnight (UTC) failed the check below for every
    // customer the feed had scored after it.
    LocalDate asOf = LocalDate.now(ZoneOffset.UTC);

    // 2. the floor and full rescoring, alternating so that neither has the warmer cache
    String floorSql = floorStatement(Files.readString(aggregatesSql));
    List<double[]> floors = new ArrayList<>();
    List<double[]> rescores = new ArrayList<>();
    List<String> cpus = new ArrayList<>();
    List<String> lockRows = new ArrayList<>();
    List<String> churnRows = new ArrayList<>();
    List<double[]> churnTimes = new ArrayList<>();
    ChurnModelSetup churnModel =
        churnCompare ? trainChurnModel(http, scoringUrl, admin, scoringJdbc, asOf) : null;
    for (int run = 1; run <= rescoreRuns; run++) {
      if (freshScoring) {
        emptyScoring(scoringJdbc);
      }
      // odd rounds with the warning seq lock (V18, ADR 0015), even rounds without it
      boolean lock = run % 2 == 1;
      if (warningLockCompare) {
        warningLock(scoringJdbc, lock);
      }
      // even rounds with the active churn model (predictions stored in each batch), odd without
      boolean withChurn = churnModel != null && run % 2 == 0;
      if (churnModel != null) {
        churnModelActive(scoringJdbc, withChurn ? churnModel.version() : null);
      }
      Instant roundStart = Instant.now();
      double[] f =
          withFloor
              ? floor(customerJdbc, floorSql, asOf, customers)
              : new double[] {Double.NaN, Double.parseDouble(ImportBenchmark.loadAverage())};
      floors.add(f);
      System.out.printf(Locale.ROOT, "floor %d: %.1f s (load %s)%n", run, f[0], f[1]);
      CpuTime.Reading s0 = CpuTime.Reading.now(scoringPid, customerPid);
      // the stream alone is the issue-4 comparison; the churn comparison needs only its two sides
      double streamSeconds =
          churnModel != null ? Double.NaN : stream(http, customerUrl, service, asOf, customers);
      double[] streamCpu = CpuTime.Reading.now(scoringPid, customerPid).since(s0);
      System.out.printf(Locale.ROOT, "stream alone %d: %.1f s%n", run, streamSeconds);
      String loadBefore = ImportBenchmark.loadAverage();
      ImportBenchmark.Sampler sampler =
          scoringPid > 0 ? new ImportBenchmark.Sampler(scoringPid, scoringUrl, service) : null;
      if (sampler != null) {
        sampler.start();
      }
      CpuTime.Reading c0 = CpuTime.Reading.now(scoringPid, customerPid);
      long r0 = System.nanoTime();
      long scored = rescoreAll(http, scoringUrl, admin, asOf);
      double seconds = (System.nanoTime() - r0) / 1e9;
      double[] cpu = CpuTime.Reading.now(scoringPid, customerPid).since(c0);
      cpus.add(
          String.format(
              Locale.ROOT,
              "| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |",
              run,
              streamCpu[1],
              streamCpu[2],
              cpu[0],
              cpu[1],
              cpu[2],
              cpu[0] + cpu[1] + cpu[2]));
      System.out.println("CPU s " + cpus.get(cpus.size() - 1));
      if (sampler != null) {
        sampler.stop();
      }
      if (scored != customers) {
        throw new IllegalStateException("rescoreAll scored " + scored + ", not " + customers);
      }
      long stored;
      try (Connection db = DriverManager.getConnection(scoringJdbc)) {
        stored =
            ImportBenchmark.count(
                db, "select count(*) from assessment_latest where as_of = '" + asOf + "'");
      }
      if (stored != customers) {
        throw new IllegalStateException("scoring stored " + stored + " assessments");
      }
      rescores.add(
          new double[] {
            seconds,
            streamSeconds,
            Double.parseDouble(loadBefore),
            sampler == null ? 0 : sampler.peakRssKb.get() >> 10,
            sampler == null ? 0 : sampler.peakHeap.get() >> 20
          });
      System.out.printf(
          Locale.ROOT, "rescoreAll %d: %.1f s, ratio %.2f%n", run, seconds, seconds / f[0]);
      if (churnModel != null) {
        long predicted = predictionsSince(scoringJdbc, churnModel.version(), asOf, roundStart);
        if (predicted != (withChurn ? customers : 0)) {
          throw new IllegalStateException(
              "round "
                  + run
                  + " (churn model "
                  + withChurn
                  + ") stored "
                  + predicted
                  + " predictions");
        }
        churnTimes.add(new double[] {seconds, cpu[0]});
        churnRows.add(
            String.format(
                Locale.ROOT,
                "| %d | %s | %,d | %.1f | %.1f | %s |",
                run,
                withChurn ? "active" : "none",
                predicted,
                seconds,
                cpu[0],
                loadBefore));
      }
      if (warningLockCompare) {
        long warned;
        try (Connection db = DriverManager.getConnection(scoringJdbc)) {
          warned = ImportBenchmark.count(db, "select count(*) from warning");
        }
        lockRows.add(
            String.format(
                Locale.ROOT,
                "| %d | %s | %,d | %.1f | %.1f | %.2f |",
                run,
                lock ? "on" : "off",
                warned,
                f[0],
                seconds,
                seconds / f[0]));
      }
    }
    if (warningLockCompare) {
      warningLock(scoringJdbc, true);
    }
    report.append(
        String.format(
            Locale.ROOT,
            "Run %s: full rescoring of %,d customers / %,d orders (demo data, seed %d, as of %s),"
                + " imported in %.0f s; scoring-service rescoreAll (NDJSON stream of id-range pages"
                + " from customer-service, batches stored set-based) against the floor"
                + " (the bare aggregate statement, activity-aggregates.sql, over all customers, run directly in"
                + " PostgreSQL, every row read); both services on %s%s%n%n"
                + "| run | floor s | load before floor | bulk stream alone s | rescoreAll s |"
                + " load before rescoring | rescoreAll / floor | scoring peak RSS MB |"
                + " scoring peak heap MB |%n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n",
            LocalDateTime.now().withNano(0),
            customers,
            orders,
            seed,
            asOf,
            importSeconds,
            servicesJvm,
            freshScoring
                ? "; scoring's assessment tables emptied before every round (--fresh-scoring:"
                    + " every round is a first rescoring into an empty scoring database)"
                : ""));
    for (int run = 0; run < rescores.size(); run++) {
      double[] f = floors.get(run);
      double[] r = rescores.get(run);
      report.append(
          String.format(
              Locale.ROOT,
              "| %d | %.1f | %.2f | %.1f | %.1f | %.2f | %.2f | %.0f | %.0f |%n",
              run + 1,
              f[0],
              f[1],
              r[1],
              r[0],
              r[2],
              r[0] / f[0],
              r[3],
              r[4]));
    }

    report
        .append(
            "\nCPU seconds used (user + system, from /proc): by customer-service and PostgreSQL"
                + " while the bulk stream was read alone, and by each side during rescoreAll"
                + " (PostgreSQL: every postgres process)\n\n"
                + "| run | stream alone: customer | stream alone: PostgreSQL |"
                + " rescoreAll: scoring | rescoreAll: customer | rescoreAll: PostgreSQL |"
                + " rescoreAll: all |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|\n")
        .append(String.join("\n", cpus))
        .append('\n');
    if (warningLockCompare) {
      report
          .append(
              "\nWarning seq lock (ADR 0015) on in odd rounds, off in even rounds"
                  + " (--warning-lock-compare)\n\n"
                  + "| run | lock | warnings written | floor s | rescoreAll s |"
                  + " rescoreAll / floor |\n|---:|---|---:|---:|---:|---:|\n")
          .append(String.join("\n", lockRows))
          .append('\n');
    }

    if (churnModel != null) {
      report.append(churnReport(churnModel, customers, churnRows, churnTimes));
    }

    // 3. freshness under a light steady write load
    if (freshOrders > 0) {
      report
          .append('\n')
          .append(
              freshness(
                  measureFreshness(
                      http,
                      customerUrl,
                      steward,
                      scoringJdbc,
                      customers,
                      freshOrders,
                      freshRate,
                      seed),
                  freshOrders,
                  freshRate));
    }
    System.out.println(report);
    if (out != null) {
      Files.writeString(out, report + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  /**
   * Turns the warning seq lock (V18's trigger, ADR 0015) on or off, for {@code
   * --warning-lock-compare}: the same rescoring with and without it, alternating rounds.
   */
  static void warningLock(String jdbc, boolean on) throws Exception {
    try (Connection db = DriverManager.getConnection(jdbc);
        java.sql.Statement st = db.createStatement()) {
      st.execute(
          "alter table warning "
              + (on ? "enable" : "disable")
              + " trigger warning_seq_in_commit_order");
    }
  }

  /**
   * Empties scoring's assessment tables (whichever of them the deployed schema has), as in a
   * scoring database that has never rescored: profiles, their assignments and the change-feed
   * cursor stay. Runs before the round's floor, so its I/O is not inside either timing.
   */
  static void emptyScoring(String jdbc) throws Exception {
    try (Connection db = DriverManager.getConnection(jdbc);
        PreparedStatement q =
            db.prepareStatement(
                "select string_agg(quote_ident(tablename), ', ') from pg_tables"
                    + " where schemaname = current_schema() and tablename = any(?)")) {
      q.setArray(
          1,
          db.createArrayOf(
              "text",
              new String[] {
                "assessment_latest", "assessment_history", "assessment_rfm", "warning"
              }));
      String tables;
      try (ResultSet r = q.executeQuery()) {
        r.next();
        tables = r.getString(1);
      }
      ImportBenchmark.exec(db, "truncate " + tables + " restart identity");
      ImportBenchmark.exec(db, "checkpoint");
      System.out.println("emptied " + tables);
    }
  }

  /** The churn model the comparison activates: its version, and how it was trained. */
  record ChurnModelSetup(
      int version, LocalDate from, LocalDate to, double trainSeconds, String activation) {}

  /**
   * Trains a churn model on the imported data through scoring's {@code trainChurnModel} (12 monthly
   * observation dates ending 4 months before {@code asOf}, 90-day horizon), then activates it with
   * {@code activateChurnModel}. When the gate refuses it (it does not beat the baselines on this
   * data), it is activated in the database instead: the comparison measures what an active model
   * costs rescoring, not how good it is; the report says which happened.
   */
  static ChurnModelSetup trainChurnModel(
      HttpClient http, String scoringUrl, String admin, String scoringJdbc, LocalDate asOf)
      throws Exception {
    LocalDate to = asOf.minusMonths(4).withDayOfMonth(1);
    LocalDate from = to.minusMonths(11);
    long t0 = System.nanoTime();
    JsonNode trained =
        graphql(
                http,
                scoringUrl,
                admin,
                "mutation($from: Date!, $to: Date!) { trainChurnModel(input: {from: $from, to: $to,"
                    + " horizonDays: 90}) { model { version report { verdict } } errors { code"
                    + " message } } }",
                Map.of("from", from.toString(), "to", to.toString()))
            .get("data")
            .get("trainChurnModel");
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    if (trained.get("model").isNull()) {
      throw new IllegalStateException("trainChurnModel stored nothing: " + trained.get("errors"));
    }
    int version = trained.get("model").get("version").asInt();
    System.out.printf(
        Locale.ROOT,
        "churn model %d trained in %.1f s: %s%n",
        version,
        trainSeconds,
        trained.get("model").get("report").get("verdict").asString());
    JsonNode activated =
        graphql(
                http,
                scoringUrl,
                admin,
                "mutation($v: Int!) { activateChurnModel(input: {version: $v}) { model { active }"
                    + " errors { code } } }",
                Map.of("v", version))
            .get("data")
            .get("activateChurnModel");
    String activation;
    if (activated.get("errors").isEmpty()) {
      activation = "activated through activateChurnModel";
    } else {
      activation =
          "refused by activateChurnModel ("
              + activated.get("errors").get(0).get("code").asString()
              + "), activated in the database for the measurement";
      churnModelActive(scoringJdbc, version);
    }
    System.out.println("churn model " + version + " " + activation);
    return new ChurnModelSetup(version, from, to, trainSeconds, activation);
  }

  /** Makes {@code version} the one active churn model, or none when null. */
  static void churnModelActive(String jdbc, Integer version) throws Exception {
    int v = version == null ? -1 : version;
    try (Connection db = DriverManager.getConnection(jdbc)) {
      ImportBenchmark.exec(
          db,
          "update churn_model set active = (version = " + v + ") where active or version = " + v);
    }
  }

  /** Predictions of {@code version} as of {@code asOf} written since {@code since}. */
  static long predictionsSince(String jdbc, int version, LocalDate asOf, Instant since)
      throws Exception {
    try (Connection db = DriverManager.getConnection(jdbc)) {
      return ImportBenchmark.count(
          db,
          "select count(*) from churn_prediction where model_version = "
              + version
              + " and as_of = '"
              + asOf
              + "' and computed_at >= '"
              + since
              + "'::timestamptz");
    }
  }

  /**
   * The churn comparison's table and its ratio: each round with the model against the round before
   * it (without), and the median of those ratios (wall time and scoring's CPU).
   */
  static String churnReport(
      ChurnModelSetup m, int customers, List<String> rows, List<double[]> times) {
    List<Double> wall = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    for (int i = 1; i < times.size(); i += 2) {
      wall.add(times.get(i)[0] / times.get(i - 1)[0]);
      cpu.add(times.get(i)[1] / times.get(i - 1)[1]);
    }
    double wallRatio = median(wall);
    double cpuRatio = median(cpu);
    String line =
        String.format(
            Locale.ROOT,
            "prediction-rescoring-e2e customers=%d pairs=%d ratio=%.2f scoring-cpu-ratio=%.2f"
                + " ratios=%s",
            customers,
            wall.size(),
            wallRatio,
            cpuRatio,
            wall.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
    System.out.println(line);
    return String.format(
            Locale.ROOT,
            "%nFull rescoring with and without an active churn model (--churn-compare): model %d"
                + " trained by trainChurnModel on 12 monthly dates %s…%s (90-day horizon) in"
                + " %.0f s, %s; odd rounds with no active model, even rounds with it (every"
                + " customer's prediction stored in its batch's transaction)%n%n"
                + "| run | churn model | predictions stored | rescoreAll s | scoring CPU s |"
                + " load before |%n|---:|---|---:|---:|---:|---:|%n",
            m.version(),
            m.from(),
            m.to(),
            m.trainSeconds(),
            m.activation())
        + String.join("\n", rows)
        + "\n\n`"
        + line
        + "`\n";
  }

  private static double median(List<Double> v) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = v.stream().sorted().toList();
    return s.size() % 2 == 1
        ? s.get(s.size() / 2)
        : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }

  /**
   * The bare aggregate statement (customer-service's test resource {@code activity-aggregates.sql},
   * the reference its reads are checked against) over every customer; its comment lines are dropped
   * and its {@code $n} parameters become JDBC {@code ?} in order of appearance.
   */
  static String floorStatement(String sql) {
    String body = sql.lines().filter(l -> !l.startsWith("--")).collect(Collectors.joining("\n"));
    if (!body.contains("select")) {
      throw new IllegalStateException("no statement in the aggregates file");
    }
    return "with ids as (select id from customer),\n" + body;
  }

  /** Runs the floor statement and reads every row; returns {seconds, load average before}. */
  static double[] floor(String jdbc, String sql, LocalDate asOf, int customers) throws Exception {
    Matcher m = Pattern.compile("\\$(\\d+)").matcher(sql);
    List<Integer> order = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    while (m.find()) {
      order.add(Integer.parseInt(m.group(1)));
      m.appendReplacement(text, "?");
    }
    m.appendTail(text);
    double load = Double.parseDouble(ImportBenchmark.loadAverage());
    try (Connection db = DriverManager.getConnection(jdbc)) {
      db.setAutoCommit(false); // a cursor: rows fetched in pages, not all held
      long t0 = System.nanoTime();
      long rows = 0;
      try (PreparedStatement s = db.prepareStatement(text.toString())) {
        s.setFetchSize(5000);
        for (int i = 0; i < order.size(); i++) {
          switch (order.get(i)) {
            case 2 -> s.setObject(i + 1, asOf);
            case 3 -> s.setInt(i + 1, 12);
            default -> throw new IllegalStateException("unexpected parameter $" + order.get(i));
          }
        }
        try (ResultSet rs = s.executeQuery()) {
          int cols = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int c = 1; c <= cols; c++) {
              rs.getObject(c); // decoded, as the service decodes every column
            }
            rows++;
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      db.commit();
      if (rows != customers) {
        throw new IllegalStateException("the floor statement gave " + rows + " rows");
      }
      return new double[] {seconds, load};
    }
  }

  /**
   * Reads customer-service's bulk NDJSON form whole, storing nothing, in the shape scoring reads
   * (arrays): what rescoreAll waits for at least, to tell the two services' shares apart.
   */
  static double stream(HttpClient http, String url, String token, LocalDate asOf, int customers)
      throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create(url + "/internal/activity?windowMonths=12&shape=array&asOf=" + asOf))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/x-ndjson")
            .timeout(Duration.ofHours(1))
            .build();
    long t0 = System.nanoTime();
    HttpResponse<java.util.stream.Stream<String>> res =
        http.send(req, HttpResponse.BodyHandlers.ofLines());
    long lines;
    try (java.util.stream.Stream<String> body = res.body()) {
      lines = body.filter(l -> !l.isBlank()).count();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (res.statusCode() != 200 || lines != customers) {
      throw new IllegalStateException(
          "the bulk stream answered " + res.statusCode() + " with " + lines + " lines");
    }
    return seconds;
  }

  static long rescoreAll(HttpClient http, String url, String admin, LocalDate asOf)
      throws Exception {
    JsonNode body =
        graphql(
            http,
            url,
            admin,
            "mutation($asOf: Date!) { rescoreAll(input: {asOf: $asOf}) { scored } }",
            Map.of("asOf", asOf.toString()));
    return body.get("data").get("rescoreAll").get("scored").asLong();
  }

  /** The report of one freshness measurement of {@code n} orders at {@code rate} a second. */
  static String freshness(Freshness f, int n, double rate) {
    double[] lat = f.latenciesMillis();
    double[] writes = f.writeMillis();
    return String.format(
        Locale.ROOT,
        "Freshness, same run: %d new orders through customer-service's recordOrder at %.1f/s, each"
            + " for another customer (the first %d a warm-up, not counted); time from sending the"
            + " write until scoring's stored assessment counts the order (change feed polled every"
            + " 500 ms, scoring's database read every 20 ms); load average (1 min) %s before%n%n"
            + "| orders counted | p50 ms | p95 ms | max ms | not reflected after 60 s |"
            + " write p50 ms | write p95 ms |%n"
            + "|---:|---:|---:|---:|---:|---:|---:|%n"
            + "| %d | %.0f | %.0f | %.0f | %d | %.0f | %.0f |%n",
        n,
        rate,
        n / 10,
        f.loadBefore(),
        lat.length,
        pct(lat, 0.50),
        pct(lat, 0.95),
        lat[lat.length - 1],
        f.missing(),
        pct(writes, 0.50),
        pct(writes, 0.95));
  }

  /**
   * One freshness measurement: latencies (sorted, warm-up left out, a missing one as infinity), how
   * many were not reflected after 60 s, write latencies (sorted), the load average before.
   */
  record Freshness(
      double[] latenciesMillis, int missing, double[] writeMillis, String loadBefore) {}

  /**
   * Writes {@code n} orders (placed now, COMPLETED) at {@code rate} a second, each for a different
   * customer, and polls scoring's stored assessments every 20 ms until each counts its order. The
   * first tenth are a warm-up and not counted. {@link #freshness} reports it; the
   * freshness-with-replicas bench pools several.
   */
  static Freshness measureFreshness(
      HttpClient http,
      String customerUrl,
      String steward,
      String scoringJdbc,
      int customers,
      int n,
      double rate,
      long seed)
      throws Exception {
    SplittableRandom r = new SplittableRandom(seed + 1);
    List<String> picked = new ArrayList<>();
    while (picked.size() < n) {
      String id = String.format(Locale.ROOT, "C%07d", 1 + r.nextInt(customers));
      if (!picked.contains(id)) {
        picked.add(id);
      }
    }
    Map<String, Long> before = new HashMap<>();
    try (Connection db = DriverManager.getConnection(scoringJdbc);
        PreparedStatement s = db.prepareStatement(LATEST_ORDERS_ALL_TIME)) {
      s.setArray(1, db.createArrayOf("text", picked.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          before.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Map<String, Long> seenAt = new ConcurrentHashMap<>();
    Thread watcher =
        new Thread(
            () -> {
              try (Connection db = DriverManager.getConnection(scoringJdbc);
                  PreparedStatement s = db.prepareStatement(LATEST_ORDERS_ALL_TIME)) {
                while (!Thread.currentThread().isInterrupted()) {
                  List<String> pending =
                      sentAt.keySet().stream().filter(id -> !seenAt.containsKey(id)).toList();
                  if (!pending.isEmpty()) {
                    s.setArray(1, db.createArrayOf("text", pending.toArray()));
                    try (ResultSet rs = s.executeQuery()) {
                      long now = System.nanoTime();
                      while (rs.next()) {
                        if (rs.getLong(2) > before.getOrDefault(rs.getString(1), 0L)) {
                          seenAt.putIfAbsent(rs.getString(1), now);
                        }
                      }
                    }
                  }
                  Thread.sleep(20);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Exception e) {
                e.printStackTrace();
              }
            },
            "freshness-watcher");
    watcher.setDaemon(true);
    watcher.start();
    long periodNanos = (long) (1e9 / rate);
    long start = System.nanoTime();
    String loadBefore = ImportBenchmark.loadAverage();
    double[] writeMs = new double[n];
    for (int i = 0; i < n; i++) {
      long due = start + i * periodNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      String id = picked.get(i);
      long t = System.nanoTime();
      sentAt.put(id, t);
      JsonNode res =
          graphql(
              http,
              customerUrl,
              steward,
              "mutation($o: OrderInput!) { recordOrder(input: $o) { errors { code message } } }",
              Map.of(
                  "o",
                  Map.of(
                      "id",
                      "FRESH-" + id + "-" + Instant.now().toEpochMilli(),
                      "customerId",
                      id,
                      "placedAt",
                      Instant.now().toString(),
                      "amount",
                      120.5,
                      "channel",
                      "ONLINE")));
      writeMs[i] = (System.nanoTime() - t) / 1e6;
      if (!res.get("data").get("recordOrder").get("errors").isEmpty()) {
        throw new IllegalStateException("recordOrder refused: " + res);
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (seenAt.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    watcher.interrupt();
    int warm = n / 10;
    double[] lat = new double[n - warm];
    int missing = 0;
    for (int i = warm; i < n; i++) {
      String id = picked.get(i);
      Long seen = seenAt.get(id);
      if (seen == null) {
        missing++;
        lat[i - warm] = Double.POSITIVE_INFINITY;
      } else {
        lat[i - warm] = (seen - sentAt.get(id)) / 1e6;
      }
    }
    Arrays.sort(lat);
    double[] writes = Arrays.copyOfRange(writeMs, warm, n);
    Arrays.sort(writes);
    return new Freshness(lat, missing, writes, loadBefore);
  }

  /** Nearest-rank percentile of a sorted array. */
  static double pct(double[] sorted, double p) {
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }

  static JsonNode graphql(
      HttpClient http, String url, String token, String query, Map<String, Object> variables)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url + "/graphql"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofHours(1))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    json.writeValueAsString(Map.of("query", query, "variables", variables))))
            .build();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
    JsonNode body = json.readTree(res.body());
    if (res.statusCode() != 200 || (body.has("errors") && !body.get("errors").isEmpty())) {
      throw new IllegalStateException(url + " answered " + res.statusCode() + ": " + res.body());
    }
    return body;
  }
}
