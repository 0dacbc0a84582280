package io.retain.e2e;

import io.retain.launcher.ServiceSpec;
import io.retain.launcher.Suite;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PgServer;
import io.retain.testpg.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The four services as real processes on the tests' PostgreSQL, with databases of their own and
 * free ports, for one test class. Dropped and stopped at the end.
 */
final class RunningSuite implements AutoCloseable {

  static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
  static final ObjectMapper JSON = new ObjectMapper();
  final String secret = "e2e-" + UUID.randomUUID() + "-" + UUID.randomUUID();
  final Suite suite;
  final PgServer pg;
  final List<String> databases;
  final HttpClient http = HttpClient.newHttpClient();

  RunningSuite(String name, Map<String, String> extraEnv) throws IOException {
    this(name, extraEnv, Map.of(), null);
  }

  /**
   * With {@code replicas.get(service)} instances of a service (1 when absent, 0 leaves it out; each
   * on a free port, the same database) and, when {@code first} is given, customer-service started
   * alone and {@code first} run against it before every other instance starts.
   */
  RunningSuite(
      String name,
      Map<String, String> extraEnv,
      Map<String, Integer> replicas,
      Suite.BeforeOthers first)
      throws IOException {
    pg = TestPostgres.server();
    int base = LocalRunTest.freePortBlock();
    String prefix =
        "e2e_" + name.toLowerCase() + "_" + UUID.randomUUID().toString().substring(0, 6);
    List<ServiceSpec> services = new ArrayList<>();
    for (ServiceSpec s :
        List.of(
            new ServiceSpec("customer-service", base + 1, prefix + "_customer"),
            new ServiceSpec("scoring-service", base + 2, prefix + "_scoring"),
            new ServiceSpec("retention-service", base + 3, prefix + "_retention"),
            new ServiceSpec("gateway", base, null))) {
      if (replicas.getOrDefault(s.name(), 1) > 0) services.add(s);
      for (int r = 2; r <= replicas.getOrDefault(s.name(), 1); r++) {
        services.add(s.replica(r, LocalRunTest.freePort()));
      }
    }
    databases =
        services.stream().map(ServiceSpec::database).filter(d -> d != null).distinct().toList();
    Suite.Config config =
        new Suite.Config(
            ROOT,
            ROOT.resolve("deploy/e2e/target/suite-logs/" + name),
            pg,
            services,
            secret,
            extraEnv);
    // RETAIN_READY_TIMEOUT (seconds), as for run-local: raise it on a busy machine
    Duration ready =
        Duration.ofSeconds(
            Long.parseLong(System.getenv().getOrDefault("RETAIN_READY_TIMEOUT", "360")));
    suite =
        first == null
            ? Suite.start(config, ready)
            : Suite.start(config, ready, "customer-service", first);
  }

  String url(String service) {
    return suite.service(service).baseUrl();
  }

  String token(Role... roles) {
    return Tokens.hs256(secret, "e2e", Duration.ofHours(1), roles);
  }

  /** POSTs a GraphQL document; returns the whole response body as JSON. */
  JsonNode graphql(String service, String token, String query, Map<String, Object> variables)
      throws Exception {
    return JSON.readTree(graphqlResponse(service, token, query, variables).body());
  }

  /** POSTs a GraphQL document; returns the HTTP response (status and body). */
  HttpResponse<String> graphqlResponse(
      String service, String token, String query, Map<String, Object> variables) throws Exception {
    return graphqlResponse(service, token, query, variables, Map.of());
  }

  /** POSTs a GraphQL document with more headers (a {@code traceparent}, say). */
  HttpResponse<String> graphqlResponse(
      String service,
      String token,
      String query,
      Map<String, Object> variables,
      Map<String, String> headers)
      throws Exception {
    String body = JSON.writeValueAsString(Map.of("query", query, "variables", variables));
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(url(service) + "/graphql"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    headers.forEach(req::header);
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs a raw body to a path of a service. */
  HttpResponse<String> post(
      String service, String path, String token, String contentType, String body) throws Exception {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(url(service) + path))
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    suite.close();
    try (Connection c =
            DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      for (String db : databases) {
        s.execute("drop database if exists \"" + db + "\" with (force)");
      }
    } catch (Exception e) {
      // best effort; TestPostgres drops nothing here because Suite created these
    }
  }
}
