package io.retain.launcher;

import io.retain.testpg.PgServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The four services as separate processes on one PostgreSQL server. Used by the local launcher and
 * by the end-to-end tests, so both run the suite the same way.
 */
public final class Suite implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Suite.class);

  /**
   * How to run the suite.
   *
   * @param repoRoot the checkout (jars are read from {@code <module>/target/<module>.jar})
   * @param logDir where each service logs ({@code <service>.log})
   * @param pg the PostgreSQL server the databases are created on
   * @param services which services, ports and databases
   * @param jwtSecret the HS256 secret every service checks tokens with
   * @param extraEnv more environment for every service (e.g. Spring properties)
   */
  public record Config(
      Path repoRoot,
      Path logDir,
      PgServer pg,
      List<ServiceSpec> services,
      String jwtSecret,
      Map<String, String> extraEnv) {}

  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private final Config config;
  // written by the launcher thread and the supervisor's; insertion order is the stop order
  private final Map<String, Process> processes =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());

  private Suite(Config config) {
    this.config = config;
  }

  /** Creates missing databases, starts every service and waits until all are ready. */
  public static Suite start(Config config, Duration readyTimeout) {
    return startStages(config, readyTimeout, List.of(config.services()), null);
  }

  /** Work done against the first service before the others start. */
  @FunctionalInterface
  public interface BeforeOthers {
    void run(Suite suite) throws Exception;
  }

  /**
   * Starts {@code first} alone, runs {@code beforeOthers} once it is ready, then starts the other
   * services and waits for them. The launcher loads its demo data into customer-service this way:
   * scoring-service then reads the whole import from its change feed as one state, instead of
   * scoring customers imported without their orders yet (at risk, with warnings, and plans opened
   * for tiers they would not keep). A failure of {@code beforeOthers} stops nothing; it is logged.
   */
  public static Suite start(
      Config config, Duration readyTimeout, String first, BeforeOthers beforeOthers) {
    return start(config, readyTimeout, List.of(List.of(first)), beforeOthers);
  }

  /**
   * Starts the suite in stages: each stage's instances (by {@link ServiceSpec#id}) in parallel and
   * ready before the next stage starts, {@code afterFirst} once the first stage is ready, and every
   * instance in no stage last. With replicas this decides which instance takes a job lease first
   * (e.g. {@code [[customer-service], [scoring-service-2]]}).
   */
  public static Suite start(
      Config config, Duration readyTimeout, List<List<String>> stages, BeforeOthers afterFirst) {
    Map<String, ServiceSpec> byId = new LinkedHashMap<>();
    config.services().forEach(s -> byId.put(s.id(), s));
    List<List<ServiceSpec>> specs = new ArrayList<>();
    for (List<String> stage : stages) {
      specs.add(
          stage.stream()
              .map(
                  id -> {
                    ServiceSpec s = byId.remove(id);
                    if (s == null) throw new IllegalArgumentException("no service " + id);
                    return s;
                  })
              .toList());
    }
    specs.add(List.copyOf(byId.values()));
    return startStages(config, readyTimeout, specs, afterFirst);
  }

  private static Suite startStages(
      Config config, Duration readyTimeout, List<List<ServiceSpec>> stages, BeforeOthers between) {
    Suite suite = new Suite(config);
    try {
      suite.createDatabases();
      for (int i = 0; i < stages.size(); i++) {
        suite.launchAndAwait(stages.get(i), readyTimeout);
        if (i == 0 && between != null && stages.size() > 1) {
          try {
            between.run(suite);
          } catch (Exception e) {
            log.warn("Before starting the other services: {}", e.getMessage());
          }
        }
      }
      return suite;
    } catch (RuntimeException | IOException e) {
      suite.close();
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  private void launchAndAwait(List<ServiceSpec> services, Duration readyTimeout)
      throws IOException {
    for (ServiceSpec s : services) {
      launch(s);
    }
    awaitReady(readyTimeout, services);
  }

  public Config config() {
    return config;
  }

  /** The instance with this id: a service's name is its first instance ({@link ServiceSpec#id}). */
  public ServiceSpec service(String id) {
    return config.services().stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no service " + id));
  }

  /** Every instance of a service, first replica first. */
  public List<ServiceSpec> replicas(String name) {
    return config.services().stream().filter(s -> s.name().equals(name)).toList();
  }

  /** Process ids of the running instances by id (for tests and for cleaning up after a crash). */
  public Map<String, Long> pids() {
    Map<String, Long> out = new LinkedHashMap<>();
    synchronized (processes) {
      processes.forEach((n, p) -> out.put(n, p.pid()));
    }
    return out;
  }

  /** The process running this instance, if the suite runs it now (not stopped through it). */
  public java.util.Optional<Process> process(String id) {
    return java.util.Optional.ofNullable(processes.get(id));
  }

  void createDatabases() {
    PgServer pg = config.pg();
    Properties p = new Properties();
    p.setProperty("user", pg.user());
    p.setProperty("password", pg.password());
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), p);
        Statement st = c.createStatement()) {
      for (ServiceSpec s : config.services()) {
        if (s.database() == null) {
          continue;
        }
        try (ResultSet rs =
            st.executeQuery("select 1 from pg_database where datname = '" + s.database() + "'")) {
          if (rs.next()) {
            continue;
          }
        }
        st.execute("create database \"" + s.database() + "\"");
        log.info("Created database {}", s.database());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create the suite's databases on " + pg, e);
    }
  }

  /** Starts one service (also used to restart a stopped one). */
  public void launch(ServiceSpec s) throws IOException {
    Path jar = config.repoRoot().resolve(s.name()).resolve("target").resolve(s.name() + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build first with ./mvnw -DskipTests package");
    }
    Files.createDirectories(config.logDir());
    Path logFile = config.logDir().resolve(s.id() + ".log");
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(SETPRIV)) {
      // the kernel stops the service if this JVM dies without running its shutdown hook
      cmd.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "TERM", "--"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String opts = config.extraEnv().getOrDefault("RETAIN_JAVA_OPTS", "-XX:+UseSerialGC -Xmx768m");
    cmd.addAll(List.of(opts.trim().split("\\s+")));
    cmd.add("-Dretain.parent-pid=" + ProcessHandle.current().pid());
    cmd.add("-jar");
    cmd.add(jar.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("PORT", String.valueOf(s.port()));
    env.put("RETAIN_JWT_SECRET", config.jwtSecret());
    // loopback only; tokens must carry the issuer Tokens writes; GraphiQL on the subgraphs
    env.put("SERVER_ADDRESS", "127.0.0.1");
    env.put("RETAIN_TOKEN_ISSUER", "retain-local");
    env.put("SPRING_PROFILES_ACTIVE", "local");
    PgServer pg = config.pg();
    if (s.database() != null) {
      env.put("DB_R2DBC_URL", pg.r2dbcUrl(s.database()));
      env.put("DB_JDBC_URL", pg.jdbcUrl(s.database()));
      env.put("DB_USER", pg.user());
      env.put("DB_PASSWORD", pg.password());
    }
    env.putAll(urls(config.services()));
    // the job-lease owner (job_lease.owner), so tests and operators see which instance holds what
    env.put("RETAIN_JOBS_OWNER", s.id());
    env.putAll(config.extraEnv());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Process proc = pb.start();
    processes.put(s.id(), proc);
    log.info("Started {} (pid {}) on port {}, log {}", s.id(), proc.pid(), s.port(), logFile);
  }

  /**
   * The URL variables every service gets: every instance of each service, comma-separated, first
   * replica first. The gateway balances its subgraph calls over them (gateway README), scoring and
   * retention their calls to customer- and scoring-service ({@code ServiceInstances}, ADR 0023), so
   * a killed replica fails no call, as behind one Service address in Kubernetes.
   */
  static Map<String, String> urls(List<ServiceSpec> services) {
    Map<String, String> env = new LinkedHashMap<>();
    for (ServiceSpec other : services) {
      String key =
          switch (other.name()) {
            case "customer-service" -> "CUSTOMER_URL";
            case "scoring-service" -> "SCORING_URL";
            case "retention-service" -> "RETENTION_URL";
            default -> "GATEWAY_URL";
          };
      env.merge(key, other.baseUrl(), (a, b) -> a + "," + b);
    }
    return env;
  }

  /** Waits until every service answers UP on its readiness endpoint. */
  public void awaitReady(Duration timeout) {
    awaitReady(timeout, config.services());
  }

  /** Waits until one service answers UP on its readiness endpoint. */
  public void awaitReady(Duration timeout, ServiceSpec service) {
    awaitReady(timeout, List.of(service));
  }

  private void awaitReady(Duration timeout, List<ServiceSpec> services) {
    Instant deadline = Instant.now().plus(timeout);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (ServiceSpec s : services) {
      URI uri = URI.create(s.baseUrl() + "/actuator/health/readiness");
      while (true) {
        Process p = processes.get(s.id());
        if (p != null && !p.isAlive()) {
          Path logFile = config.logDir().resolve(s.id() + ".log");
          throw new IllegalStateException(
              s.id()
                  + " exited with code "
                  + p.exitValue()
                  + "; see "
                  + logFile
                  + "; its last lines:\n"
                  + tail(logFile, 40));
        }
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            log.info("{} is ready", s.id());
            break;
          }
        } catch (IOException e) {
          // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + s.id(), e);
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              s.id()
                  + " not ready after "
                  + timeout.toSeconds()
                  + " s; see "
                  + config.logDir().resolve(s.id() + ".log"));
        }
        sleep(500);
      }
    }
  }

  /** Stops one instance (for fault tests); {@link #launch} starts it again. */
  public void stop(String id) {
    Process p = processes.remove(id);
    if (p != null) {
      terminate(id, p);
    }
  }

  /**
   * Kills one instance at once (SIGKILL, as {@code kill -9}): no shutdown hook, no lease released,
   * transactions in flight cut off. Returns once the process is gone; {@link #launch} starts it
   * again.
   */
  public void kill(String id) {
    Process p = processes.remove(id);
    if (p == null) {
      throw new IllegalArgumentException(id + " is not running in this suite");
    }
    List<ProcessHandle> children = p.descendants().toList();
    p.destroyForcibly(); // SIGKILL on Linux
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException(id + " (pid " + p.pid() + ") still alive after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    log.info("Killed {} (pid {})", id, p.pid());
  }

  /** Stops every service it started, newest first; no process is left behind. */
  @Override
  public void close() {
    List<String> names;
    synchronized (processes) {
      names = new ArrayList<>(processes.keySet());
    }
    java.util.Collections.reverse(names);
    for (String n : names) {
      stop(n);
    }
  }

  private static void terminate(String name, Process p) {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy(); // SIGTERM: Spring shuts down gracefully
    try {
      if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
        log.warn("{} did not stop in 15 s; killing it", name);
        p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
    log.info("Stopped {}", name);
  }

  /** The last lines of a log, so a failure report says why without the file at hand. */
  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(could not read " + file + ": " + e + ")";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
