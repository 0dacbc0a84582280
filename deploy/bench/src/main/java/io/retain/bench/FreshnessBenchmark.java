package io.retain.bench;

import io.retain.launcher.DemoLoader;
import io.retain.launcher.ServiceSpec;
import io.retain.launcher.Suite;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PgServer;
import io.retain.testpg.TestPostgres;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * End-to-end freshness with scoring replicas: from sending an order to customer-service until
 * scoring's stored assessment counts it ({@link RescoringBenchmark#measureFreshness}, the same
 * measurement as the rescoring bench), under a steady write load, with one and with two scoring
 * replicas on the same database, interleaved in one run (rounds alternate the order; the second
 * replica is stopped, releasing its leases, and started again between phases). Events over the HTTP
 * change feed (the default) or Kafka ({@code --kafka BOOTSTRAP}). Prints a Markdown table.
 *
 * <p>Usage: {@code deploy/bench/freshness-bench [--customers 300] [--rate 2] [--seconds 40]
 * [--rounds 3]}
 */
public final class FreshnessBenchmark {

  private FreshnessBenchmark() {}

  public static void main(String[] args) throws Exception {
    int customers = 300;
    double rate = 2;
    int seconds = 40;
    int rounds = 3;
    String kafka = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--customers" -> customers = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--kafka" -> kafka = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path root = Path.of(System.getProperty("retain.root", ".")).toAbsolutePath().normalize();
    Path work = root.resolve(".local-bench/freshness");
    Files.createDirectories(work);
    PgServer pg = TestPostgres.server();
    String prefix = "bench_fresh_" + UUID.randomUUID().toString().substring(0, 6);
    ServiceSpec scoring = new ServiceSpec("scoring-service", freePort(), prefix + "_scoring");
    List<ServiceSpec> services =
        List.of(
            new ServiceSpec("customer-service", freePort(), prefix + "_customer"),
            scoring,
            scoring.replica(2, freePort()));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RETAIN_JAVA_OPTS", "-XX:+UseSerialGC -Xmx512m");
    // a stopped replica's lease is released at shutdown, so the handover costs no ttl
    env.put("RETAIN_JOBS_LEASE_TTL", "10s");
    env.put("RETAIN_JOBS_LEASE_RENEW_EVERY", "2s");
    if (kafka != null) {
      env.put("RETAIN_EVENTS", "kafka");
      env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
    }
    String secret = UUID.randomUUID() + "-" + UUID.randomUUID();
    Suite.Config config = new Suite.Config(root, work.resolve("logs"), pg, services, secret, env);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    int n = customers;
    try (Suite suite =
        Suite.start(
            config,
            Duration.ofMinutes(10),
            "customer-service",
            s -> DemoLoader.importData(s, work.resolve("data"), n, today))) {
      Bench b = new Bench(suite, pg);
      b.awaitCaughtUp(Duration.ofMinutes(10));
      Map<String, List<Double>> byConfig = new LinkedHashMap<>();
      Map<String, Integer> missing = new LinkedHashMap<>();
      String jdbc =
          pg.jdbcUrl(scoring.database()) + "?user=" + pg.user() + "&password=" + pg.password();
      String customerUrl = suite.service("customer-service").baseUrl();
      String steward = Tokens.hs256(secret, "bench", Duration.ofHours(4), Role.DATA_STEWARD);
      HttpClient http = HttpClient.newHttpClient();
      int orders = (int) Math.round(rate * seconds);
      for (int round = 0; round < rounds; round++) {
        List<Integer> order = round % 2 == 0 ? List.of(2, 1) : List.of(1, 2);
        for (int replicas : order) {
          b.replicas(replicas);
          String key = replicas + (replicas == 1 ? " replica" : " replicas");
          // another seed per phase: other customers each time
          RescoringBenchmark.Freshness f =
              RescoringBenchmark.measureFreshness(
                  http, customerUrl, steward, jdbc, n, orders, rate, 1000L * round + replicas);
          List<Double> l = byConfig.computeIfAbsent(key, k -> new ArrayList<>());
          for (double ms : f.latenciesMillis()) if (!Double.isInfinite(ms)) l.add(ms);
          missing.merge(key, f.missing(), Integer::sum);
          System.out.printf(
              Locale.ROOT,
              "round %d %-10s orders %d  p50 %6.0f ms  p95 %6.0f ms  not reflected in 60 s: %d"
                  + "  load %s%n",
              round + 1,
              key,
              orders,
              RescoringBenchmark.pct(f.latenciesMillis(), 0.50),
              RescoringBenchmark.pct(f.latenciesMillis(), 0.95),
              f.missing(),
              f.loadBefore());
        }
      }
      System.out.println();
      System.out.println(
          "| transport | scoring replicas | orders counted | p50 ms | p95 ms | max ms |"
              + " not reflected |");
      System.out.println("|---|---|---:|---:|---:|---:|---:|");
      for (var e : byConfig.entrySet()) {
        double[] l = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %d | %.0f | %.0f | %.0f | %d |%n",
            kafka == null ? "HTTP feed" : "Kafka",
            e.getKey(),
            l.length,
            RescoringBenchmark.pct(l, 0.50),
            RescoringBenchmark.pct(l, 0.95),
            l[l.length - 1],
            missing.get(e.getKey()));
      }
    }
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The running suite: its databases, and the second scoring replica switched on and off. */
  static final class Bench {
    final Suite suite;
    final PgServer pg;

    Bench(Suite suite, PgServer pg) {
      this.suite = suite;
      this.pg = pg;
    }

    Connection db(String service) throws Exception {
      return DriverManager.getConnection(
          pg.jdbcUrl(suite.service(service).database()), pg.user(), pg.password());
    }

    long value(String service, String sql) throws Exception {
      try (Connection c = db(service);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    /** Waits until scoring has read the import's whole change feed (the HTTP feed's cursor). */
    void awaitCaughtUp(Duration timeout) throws Exception {
      Instant deadline = Instant.now().plus(timeout);
      long last = value("customer-service", "select coalesce(max(seq), 0) from activity_change");
      while (value(
              "scoring-service",
              "select coalesce(max(position), 0) from feed_cursor where name = 'customer-activity'")
          < last) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("scoring did not score the import in " + timeout);
        }
        Thread.sleep(500); // polling the database, bounded by the deadline
      }
    }

    /** Runs scoring-service-2 or not; a stopped one releases its leases on the way out. */
    void replicas(int n) throws Exception {
      boolean running = suite.process("scoring-service-2").isPresent();
      if (n == 2 && !running) {
        suite.launch(suite.service("scoring-service-2"));
        suite.awaitReady(Duration.ofMinutes(10), suite.service("scoring-service-2"));
      } else if (n == 1 && running) {
        suite.stop("scoring-service-2");
      }
    }
  }
}
