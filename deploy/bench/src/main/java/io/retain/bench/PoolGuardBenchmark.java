package io.retain.bench;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.retain.support.r2dbc.GuardedConnectionFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The cancel guard under the R2DBC pool (service-support's {@link GuardedConnectionFactory})
 * against the bare pool, side by side in one JVM on the same PostgreSQL, pools of 10 as the
 * services have:
 *
 * <ol>
 *   <li>no cancels: one-row queries at a fixed concurrency, rounds alternating bare, guarded,
 *       guarded, bare: queries/s, and CPU microseconds per query of this JVM and of PostgreSQL;
 *   <li>with cancels: the same load where one query in N reads 2,000 rows and is cancelled at a
 *       random moment (a client that went away): queries answered, and queries that waited past 3 s
 *       (a connection left blocked).
 * </ol>
 *
 * A round stops issuing queries at its deadline and lets the ones in flight finish, so the bare
 * pool is not harmed by the benchmark's own cancels.
 */
public final class PoolGuardBenchmark {

  static final Duration QUERY_BUDGET = Duration.ofSeconds(3);

  record Round(
      String target, long answered, long late, double seconds, double jvmCpu, double pgCpu) {
    double perSecond() {
      return answered / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    Set<String> options =
        Set.of(
            "host",
            "port",
            "database",
            "user",
            "password",
            "concurrency",
            "seconds",
            "rounds",
            "cancel-every",
            "check-timeout",
            "out");
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].replaceFirst("^--", "");
      if (!options.contains(name) || i + 1 == args.length) {
        throw new IllegalArgumentException("unknown option or no value: " + args[i]);
      }
      a.put(name, args[i + 1]);
    }
    String host = a.getOrDefault("host", "127.0.0.1");
    int port = Integer.parseInt(a.getOrDefault("port", "5432"));
    int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "16"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "10"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "2"));
    int cancelEvery = Integer.parseInt(a.getOrDefault("cancel-every", "100"));
    Duration check = Duration.parse("PT" + a.getOrDefault("check-timeout", "2S"));
    Path out = Path.of(a.getOrDefault("out", "docs/benchmarks/pool-guard.md"));

    ConnectionFactory driver =
        new PostgresqlConnectionFactory(
            PostgresqlConnectionConfiguration.builder()
                .host(host)
                .port(port)
                .database(a.getOrDefault("database", "postgres"))
                .username(a.getOrDefault("user", "postgres"))
                .password(a.getOrDefault("password", ""))
                .build());

    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "%n## Run %s: concurrency %d, %d s rounds, pools of 10, check timeout %d ms, %d cores%n",
            Instant.now().toString().substring(0, 19),
            concurrency,
            seconds,
            check.toMillis(),
            Runtime.getRuntime().availableProcessors()));

    // warm both paths (JIT, connections) before anything is counted
    run("bare", driver, concurrency, 3, 0);
    run("guarded", new GuardedConnectionFactory(driver, check), concurrency, 3, 0);

    List<Round> plain = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (String target : List.of("bare", "guarded", "guarded", "bare")) {
        ConnectionFactory f =
            target.equals("bare") ? driver : new GuardedConnectionFactory(driver, check);
        Round round = run(target, f, concurrency, seconds, 0);
        plain.add(round);
        System.out.println(round);
      }
    }
    report.append(
        "\n### No cancels: one-row queries (`select $1::int + 1`)\n\n"
            + "| target | rounds | queries/s | JVM CPU µs/query | PostgreSQL CPU µs/query |"
            + " late (> 3 s) |\n|---|---:|---:|---:|---:|---:|\n");
    for (String target : List.of("bare", "guarded")) {
      List<Round> rs = plain.stream().filter(x -> x.target().equals(target)).toList();
      long answered = rs.stream().mapToLong(Round::answered).sum();
      double secs = rs.stream().mapToDouble(Round::seconds).sum();
      report.append(
          String.format(
              "| %s | %d | %.0f | %.1f | %.1f | %d |%n",
              target,
              rs.size(),
              answered / secs,
              rs.stream().mapToDouble(Round::jvmCpu).sum() * 1e6 / answered,
              rs.stream().mapToDouble(Round::pgCpu).sum() * 1e6 / answered,
              rs.stream().mapToLong(Round::late).sum()));
    }
    double bare = rate(plain, "bare");
    double guarded = rate(plain, "guarded");
    report.append(
        String.format(
            "%nguarded ÷ bare throughput: **%.3f** (per round: %s)%n",
            guarded / bare, perRoundRatios(plain)));

    report.append(cancelsHeading(cancelEvery));
    for (String target : List.of("guarded", "bare")) {
      ConnectionFactory f =
          target.equals("bare") ? driver : new GuardedConnectionFactory(driver, check);
      Round round = run(target, f, concurrency, seconds * 2, cancelEvery);
      System.out.println(round + " with cancels");
      report.append(
          String.format(
              "| %s | %d | %.0f | %d |%n",
              target, round.answered(), round.perSecond(), round.late()));
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.println(report);
  }

  /** The heading and table head of the rounds with cancels (one row per target). */
  static String cancelsHeading(int cancelEvery) {
    return String.format(
        "%n### One query in %d reads 2,000 rows and is cancelled at a random moment (0-3 ms)%n%n"
            + "| target | queries answered | queries/s | late (> 3 s, a blocked connection) |%n"
            + "|---|---:|---:|---:|%n",
        cancelEvery);
  }

  static double rate(List<Round> rounds, String target) {
    List<Round> rs = rounds.stream().filter(x -> x.target().equals(target)).toList();
    return rs.stream().mapToLong(Round::answered).sum()
        / rs.stream().mapToDouble(Round::seconds).sum();
  }

  /** Each A B B A group: its two guarded rounds ÷ its two bare rounds. */
  static String perRoundRatios(List<Round> rounds) {
    List<String> ratios = new ArrayList<>();
    for (int i = 0; i + 3 < rounds.size(); i += 4) {
      double b = rounds.get(i).perSecond() + rounds.get(i + 3).perSecond();
      double g = rounds.get(i + 1).perSecond() + rounds.get(i + 2).perSecond();
      ratios.add(String.format("%.3f", g / b));
    }
    return String.join(", ", ratios);
  }

  static Round run(
      String target, ConnectionFactory factory, int concurrency, int seconds, int cancelEvery)
      throws IOException {
    ConnectionPool pool =
        new ConnectionPool(
            ConnectionPoolConfiguration.builder(factory).initialSize(10).maxSize(10).build());
    try {
      pool.warmup().block(Duration.ofSeconds(30));
      AtomicLong answered = new AtomicLong();
      AtomicLong late = new AtomicLong();
      double pg0 = pgCpu();
      long jvm0 = jvmCpuNanos();
      long start = System.nanoTime();
      long deadline = start + Duration.ofSeconds(seconds).toNanos();
      Flux.range(0, Integer.MAX_VALUE)
          .takeWhile(i -> System.nanoTime() < deadline)
          .flatMap(
              i ->
                  (cancelEvery > 0 && i % cancelEvery == cancelEvery - 1
                          ? cancelled(pool)
                          : oneRow(pool, i).doOnNext(v -> answered.incrementAndGet()).then())
                      .timeout(QUERY_BUDGET)
                      .onErrorResume(
                          TimeoutException.class,
                          e -> {
                            late.incrementAndGet();
                            return Mono.empty();
                          }),
              concurrency)
          .blockLast();
      double elapsed = (System.nanoTime() - start) / 1e9;
      return new Round(
          target, answered.get(), late.get(), elapsed, (jvmCpuNanos() - jvm0) / 1e9, pgCpu() - pg0);
    } finally {
      pool.disposeLater().block(Duration.ofSeconds(30));
    }
  }

  static Mono<Integer> oneRow(ConnectionFactory pool, int i) {
    return Mono.usingWhen(
        pool.create(),
        c ->
            Flux.from(c.createStatement("select $1::int + 1 as v").bind("$1", i).execute())
                .flatMap(r -> r.map((row, m) -> row.get("v", Integer.class)))
                .last(),
        Connection::close);
  }

  /** 2,000 rows, given up after 0-3 ms: usually while the rows arrive. */
  static Mono<Void> cancelled(ConnectionFactory pool) {
    Duration after = Duration.ofNanos(ThreadLocalRandom.current().nextLong(3_000_000));
    return Flux.usingWhen(
            pool.create(),
            (Connection c) ->
                Flux.from(c.createStatement("select g from generate_series(1, 2000) g").execute())
                    .flatMap(r -> r.map((row, m) -> row.get(0))),
            Connection::close)
        .take(after)
        .then();
  }

  static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static double pgCpu() {
    return CpuTime.ofCommand("postgres").values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private PoolGuardBenchmark() {}
}
