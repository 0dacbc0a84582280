package io.retain.launcher;

import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command for a local run: PostgreSQL (embedded unless {@code RETAIN_PG_URL} is set), the three
 * databases, the four services as separate processes, demo data on first start; Ctrl-C stops
 * everything it started. A service that exits while the suite runs is restarted ({@link
 * Supervisor}).
 *
 * <p>Options: {@code --fresh} starts from empty data; {@code --no-demo} skips demo data; {@code
 * --exit-when-ready} stops again once everything is up (a smoke test). {@code
 * RETAIN_REPLICAS=scoring-service=2,gateway=2} runs more instances of a service (same database,
 * ports 10 apart; see {@link ServiceSpec#withReplicas}). {@code RETAIN_EVENTS=kafka} runs the
 * events on Kafka: {@code KAFKA_BOOTSTRAP_SERVERS}, or an embedded broker ({@link LocalKafka}).
 */
public final class Launcher {

  private static final Logger log = LoggerFactory.getLogger(Launcher.class);
  static final int EMBEDDED_PG_PORT = 54329;

  private Launcher() {}

  public static void main(String[] args) throws Exception {
    List<String> opts = List.of(args);
    boolean fresh = opts.contains("--fresh");
    boolean demo = !opts.contains("--no-demo");
    boolean exitWhenReady = opts.contains("--exit-when-ready");
    Path root = Path.of(System.getProperty("retain.root", ".")).toAbsolutePath().normalize();
    Path work =
        Path.of(envOr("RETAIN_WORK_DIR", root.resolve(".local").toString())).toAbsolutePath();
    int basePort = Integer.parseInt(envOr("RETAIN_BASE_PORT", "8080"));
    int pgPort = Integer.parseInt(envOr("RETAIN_PG_PORT", String.valueOf(EMBEDDED_PG_PORT)));
    Files.createDirectories(work);
    Pids.killLeftovers(work.resolve("pids"));

    String externalPg = System.getenv("RETAIN_PG_URL");
    LocalPostgres pg =
        externalPg != null && !externalPg.isBlank()
            ? LocalPostgres.external(externalPg)
            : LocalPostgres.embedded(work.resolve("pgdata"), pgPort, fresh);
    Pids.record(work.resolve("pids"), "postgres", pg.postmasterPid());
    PostgresWatch pgWatch = new PostgresWatch(pg, RestartBackoff.DEFAULT, work.resolve("pids"));

    // RETAIN_EVENTS=kafka: the services' events on Kafka (yours, or an embedded broker here)
    LocalKafka kafka =
        LocalKafka.selected(System.getenv()) ? LocalKafka.start(System.getenv()) : null;
    if (kafka != null && !fresh) {
      log.warn(
          "Kafka mode without --fresh: an embedded broker starts empty while the services keep"
              + " their offsets from the last run; use --fresh or KAFKA_BOOTSTRAP_SERVERS");
    }
    String secret = secret(work.resolve("jwt-secret"), fresh);
    Suite.Config config =
        new Suite.Config(
            root,
            work.resolve("logs"),
            pg.server(),
            // RETAIN_REPLICAS=scoring-service=2,retention-service=2,gateway=2: more instances
            ServiceSpec.withReplicas(
                ServiceSpec.defaults(basePort),
                ServiceSpec.parseReplicas(System.getenv("RETAIN_REPLICAS"))),
            secret,
            kafka == null ? Map.of() : kafka.serviceEnv());
    CountDownLatch stopped = new CountDownLatch(1);
    Suite[] suite = new Suite[1];
    Supervisor[] supervisor = new Supervisor[1];
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Stopping the suite…");
                  pgWatch.close();
                  if (supervisor[0] != null) {
                    supervisor[0].close();
                  }
                  if (suite[0] != null) {
                    suite[0].close();
                  }
                  if (kafka != null) {
                    kafka.close();
                  }
                  try {
                    pg.close();
                  } catch (IOException e) {
                    log.warn("PostgreSQL did not stop cleanly: {}", e.getMessage());
                  }
                  Pids.clear(work.resolve("pids"));
                  stopped.countDown();
                },
                "suite-stop"));

    log.info("PostgreSQL: {}", pg.server());
    // a busy machine (a build beside it) can take minutes to start four JVMs
    Duration ready = Duration.ofSeconds(Long.parseLong(envOr("RETAIN_READY_TIMEOUT", "240")));
    boolean load = demo && DemoLoader.needed(work, fresh);
    // demo data goes into customer-service before scoring-service reads its change feed
    boolean[] imported = {false};
    suite[0] =
        load
            ? Suite.start(
                config,
                ready,
                "customer-service",
                s -> {
                  DemoLoader.importData(s, work);
                  imported[0] = true;
                })
            : Suite.start(config, ready);
    suite[0].pids().forEach((n, pid) -> Pids.record(work.resolve("pids"), n, pid));
    supervisor[0] = new Supervisor(suite[0], RestartBackoff.DEFAULT, work.resolve("pids"), ready);
    supervisor[0].start();
    pgWatch.start(Duration.ofSeconds(1));
    if (load && imported[0]) {
      try {
        DemoLoader.score(suite[0], work);
      } catch (Exception e) {
        // the suite is still useful without scores; say why they are missing
        log.warn("Demo data not scored: {}", e.getMessage());
      }
    } else if (load) {
      log.warn("Demo data not loaded (see the warning above); the next start tries again");
    }
    String token = Tokens.hs256(secret, "local-admin", Duration.ofHours(12), Role.ADMIN);
    System.out.println();
    System.out.println("  retain is running.");
    String gw = suite[0].service("gateway").baseUrl();
    System.out.println("  Gateway (GraphQL):  " + gw + "/graphql");
    System.out.println("  Cockpit (console):  " + gw + "/cockpit/  (sign in with the token below)");
    System.out.println("  GraphiQL:           " + gw + "/graphiql");
    System.out.println(
        "  Subgraphs:          customer :"
            + (basePort + 1)
            + "  scoring :"
            + (basePort + 2)
            + "  retention :"
            + (basePort + 3));
    for (ServiceSpec s : config.services()) {
      if (s.replica() > 1) {
        System.out.println("  Replica:            " + s.id() + " :" + s.port());
      }
    }
    System.out.println(
        "  Events:             "
            + (kafka == null ? "HTTP feeds" : "Kafka at " + kafka.bootstrapServers()));
    System.out.println("  Logs:               " + config.logDir());
    System.out.println("  ADMIN token (12 h): " + token);
    System.out.println("  Header:             Authorization: Bearer <token>");
    System.out.println(
        "  A service that exits is restarted (kill <pid> from "
            + work.resolve("pids")
            + " restarts one).");
    System.out.println("  Ctrl-C stops everything.");
    System.out.println();
    if (exitWhenReady) {
      System.exit(0);
    }
    stopped.await();
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** The HS256 secret for this data folder: kept so tokens survive a restart. */
  static String secret(Path file, boolean fresh) throws IOException {
    if (!fresh && Files.isRegularFile(file)) {
      return Files.readString(file).trim();
    }
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    String s = HexFormat.of().formatHex(b);
    Files.writeString(file, s);
    return s;
  }
}
