package io.retain.chaos;

import io.retain.launcher.ServiceSpec;
import io.retain.launcher.Suite;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One campaign's world: its own PostgreSQL, the four services as real processes on it (through the
 * launcher's {@link Suite}), a seeded {@link Random} that decides every fault (what, and how long
 * after its trigger), and the checks' log. Single-threaded decisions: the same seed gives the same
 * schedule; the processes' timing does not repeat exactly, so each fault reports where it landed.
 */
final class ChaosRun implements AutoCloseable {

  static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CUSTOMER = "customer-service";
  static final String SCORING = "scoring-service";
  static final String RETENTION = "retention-service";
  static final String GATEWAY = "gateway";
  static final Duration READY =
      Duration.ofSeconds(
          Long.parseLong(System.getenv().getOrDefault("RETAIN_READY_TIMEOUT", "360")));

  final long seed;
  final Random random;
  final Path work;
  final ChaosPostgres pg;
  final Suite suite;
  private final String secret;
  final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  final Invariants invariants;
  private final List<String> faults = new ArrayList<>();

  private ChaosRun(long seed, Path work, ChaosPostgres pg, Suite suite, String secret) {
    this.seed = seed;
    this.secret = secret;
    this.random = new Random(seed);
    this.work = work;
    this.pg = pg;
    this.suite = suite;
    this.invariants = new Invariants(seed);
  }

  /**
   * Starts a PostgreSQL of its own and the four services on free ports. {@code javaOpts} are the
   * services' JVM options (small heaps: five JVMs share the machine).
   */
  static ChaosRun start(String name, long seed, Map<String, String> extraEnv) throws Exception {
    Path work =
        ROOT.resolve("deploy/chaos/target/" + name + "-" + seed + "-" + System.currentTimeMillis());
    ChaosPostgres pg = ChaosPostgres.fresh(work.resolve("pgdata"), freePort());
    int base = freePortBlock();
    List<ServiceSpec> services =
        List.of(
            new ServiceSpec(CUSTOMER, base + 1, "chaos_customer"),
            new ServiceSpec(SCORING, base + 2, "chaos_scoring"),
            new ServiceSpec(RETENTION, base + 3, "chaos_retention"),
            new ServiceSpec(GATEWAY, base, null));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RETAIN_JAVA_OPTS", "-XX:+UseSerialGC -Xmx384m -XX:TieredStopAtLevel=1");
    // retention reads the warning feed every second instead of every 15 s
    env.put("WARNING_FEED_POLL_INTERVAL", "1s");
    // a killed replica's rescoring job is marked interrupted after 12 s of silence, not 30
    env.put("RETAIN_SCORING_JOBS_STALE_AFTER", "12s");
    // 1,500 customers in batches of 20: a full rescoring is 75 transactions, so the kill that
    // waits for one to be writing (then up to 150 ms more) lands inside the rescoring (in batches
    // of 1,000 it was two, and the run often finished before the kill; in 50s the PostgreSQL kill
    // still came after it once)
    env.put("RETAIN_SCORING_RESCORING_BATCH_SIZE", "20");
    env.putAll(extraEnv);
    String secret = "chaos-" + UUID.randomUUID() + "-" + UUID.randomUUID();
    Suite suite;
    try {
      suite =
          Suite.start(
              new Suite.Config(ROOT, work.resolve("logs"), pg.server(), services, secret, env),
              READY);
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
    return new ChaosRun(seed, work, pg, suite, secret);
  }

  String token(Role... roles) {
    return Tokens.hs256(secret, "chaos", Duration.ofHours(2), roles);
  }

  String url(String service) {
    return suite.service(service).baseUrl();
  }

  /** A seeded whole number in [min, max]. */
  int pick(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  /** {@code kill -9} of a service; returns once the process is gone. */
  void kill9(String service, String during) {
    Process p =
        suite
            .process(service)
            .orElseThrow(() -> new IllegalStateException(service + " is not running"));
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful close of anything
    try {
      p.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
    } catch (RuntimeException e) {
      throw new IllegalStateException(service + " survived kill -9", e);
    }
    fault("kill -9 " + service + " (pid " + p.pid() + ") during " + during);
  }

  /** Starts a killed service again without waiting for it (its work begins as it starts). */
  void launch(String service) throws IOException {
    suite.launch(suite.service(service));
    log(service + " started again");
  }

  /** Starts a killed service again and waits until it is ready. */
  void restart(String service) throws IOException {
    Instant t0 = Instant.now();
    suite.launch(suite.service(service));
    suite.awaitReady(READY, suite.service(service));
    log(
        service
            + " restarted and ready in "
            + Duration.between(t0, Instant.now()).toMillis()
            + " ms");
  }

  /** {@code kill -9} of the postmaster, then a start on the same data (WAL recovery). */
  void killPostgres(String during) throws Exception {
    long pid = pg.postmasterPid();
    pg.kill9();
    fault("kill -9 PostgreSQL (postmaster pid " + pid + ") during " + during);
    Instant t0 = Instant.now();
    pg.restart(Duration.ofSeconds(120));
    awaitTrue("PostgreSQL accepts connections again", Duration.ofSeconds(120), pg::accepts);
    log(
        "PostgreSQL restarted (pid "
            + pg.postmasterPid()
            + ") in "
            + Duration.between(t0, Instant.now()).toMillis()
            + " ms");
  }

  void fault(String what) {
    faults.add(what);
    log("FAULT " + what);
  }

  List<String> faults() {
    return faults;
  }

  void log(String line) {
    System.out.println("[chaos seed=" + seed + "] " + line);
  }

  /**
   * Waits until the trigger holds or the operation is {@code done}, then a seeded extra delay of
   * {@code 0..maxExtraMs}; returns whether the operation was still running at that moment (the
   * fault lands "inside" it).
   */
  boolean awaitMoment(
      BooleanSupplier done, BooleanSupplier trigger, int maxExtraMs, Duration timeout) {
    int extra = pick(0, maxExtraMs);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean() && !trigger.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the fault's trigger did not come in " + timeout);
      }
      Thread.onSpinWait();
      pause(20);
    }
    long until = System.nanoTime() + extra * 1_000_000L;
    while (!done.getAsBoolean() && System.nanoTime() < until) {
      pause(5);
    }
    return !done.getAsBoolean();
  }

  /**
   * Whether a client transaction of a service is writing one of {@code tables} (a regular
   * expression) in {@code database} now (an import, a scoring batch, a feed batch): the moment a
   * kill lands in the middle of durable work. Reads, and writes to other tables (lease renewals),
   * are not the work.
   */
  boolean writing(String database, String tables) {
    try {
      return scalar(
              database,
              "select count(*) from pg_stat_activity where datname = current_database()"
                  + " and pid <> pg_backend_pid() and xact_start is not null"
                  + " and query ~* '^\\s*(insert|copy|update|delete|with)'"
                  + " and query ~* '"
                  + tables
                  + "'")
          > 0;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Polls {@code condition} (every 100 ms) until it holds, or fails naming what was awaited. */
  static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
      }
      pause(100);
    }
  }

  /** A short wait between polls of a condition (never in place of the condition itself). */
  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(pg.server().jdbcUrl(database), "postgres", "");
  }

  long scalar(String database, String sql) throws SQLException {
    try (Connection c = connect(database);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Every row of a query as its columns joined by '|', keyed by the first column. */
  Map<String, String> rows(String database, String sql) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = connect(database);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 2; i <= n; i++) {
          b.append(i > 2 ? "|" : "").append(rs.getString(i));
        }
        out.put(rs.getString(1), b.toString());
      }
    }
    return out;
  }

  /** POSTs a GraphQL document to a service (60 s limit); the HTTP response. */
  HttpResponse<String> graphql(String service, String token, String query, Map<String, ?> vars)
      throws IOException, InterruptedException {
    return http.send(
        graphqlRequest(service, token, query, vars, Duration.ofSeconds(60)),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest graphqlRequest(
      String service, String token, String query, Map<String, ?> vars, Duration timeout) {
    String body = JSON.writeValueAsString(Map.of("query", query, "variables", vars));
    return HttpRequest.newBuilder(URI.create(url(service) + "/graphql"))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static JsonNode json(String body) {
    return JSON.readTree(body);
  }

  @Override
  public void close() throws Exception {
    try {
      suite.close();
    } finally {
      pg.close();
    }
  }

  /**
   * A free port below the kernel's ephemeral range: a killed server's port is bound again on
   * restart, and a port from the ephemeral range may meanwhile be the local end of some outgoing
   * connection (seen: "Port … was already in use" after a kill -9).
   */
  static int freePort() {
    return freePorts(1);
  }

  /** Four consecutive free ports (gateway, customer, scoring, retention). */
  static int freePortBlock() {
    return freePorts(4);
  }

  private static int freePorts(int n) {
    int low = ephemeralLow();
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      // below the ephemeral range when it leaves room (Linux default 32768), else 15000-29999
      int top = low > 16000 + n ? low - n : 30000;
      int base = r.nextInt(15000, top);
      boolean all = true;
      for (int i = 0; i < n && all; i++) {
        all = free(base + i);
      }
      if (all) {
        return base;
      }
    }
    throw new IllegalStateException("no block of " + n + " free ports below " + low);
  }

  private static int ephemeralLow() {
    try {
      String range =
          java.nio.file.Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
      return Integer.parseInt(range.trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
