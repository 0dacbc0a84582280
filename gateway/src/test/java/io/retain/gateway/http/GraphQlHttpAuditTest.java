package io.retain.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.retain.gateway.GatewayState;
import io.retain.gateway.testsubgraph.TestSubgraph;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** The graphql-http npm package's server audit passes every MUST against the running gateway. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GraphQlHttpAuditTest {

  static final TestSubgraph SUBGRAPH = start();

  static TestSubgraph start() {
    try {
      TestSubgraph s =
          new TestSubgraph(
              "type Query { hello: String }\ntype Thing @key(fields: \"id\") { id: ID! }\n");
      s.fetch("Query", "hello", e -> "world");
      return s;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("retain.gateway.subgraphs.customer", () -> "");
    r.add("retain.gateway.subgraphs.scoring", () -> "");
    r.add("retain.gateway.subgraphs.retention", () -> "");
    r.add("retain.gateway.subgraphs.only", SUBGRAPH::url);
  }

  @AfterAll
  static void stop() {
    SUBGRAPH.close();
  }

  @LocalServerPort int port;
  @Autowired GatewayState state;

  @Test
  @SuppressWarnings("unchecked")
  void everyMustOfTheGraphqlOverHttpAuditPasses() throws Exception {
    assumeTrue(onPath("npm") && onPath("node"), "npm is not installed");
    Path dir = Path.of("target", "node").toAbsolutePath();
    Files.createDirectories(dir);
    if (!Files.isDirectory(dir.resolve("node_modules/graphql-http"))) {
      run(
          dir,
          300,
          "npm",
          "install",
          "--prefix",
          dir.toString(),
          "--no-audit",
          "--no-fund",
          "graphql-http@1",
          "graphql@16");
    }
    try (var in = getClass().getResourceAsStream("/graphql-http-audit.js")) {
      Files.write(dir.resolve("audit.js"), in.readAllBytes());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> state.engine() != null);

    String out = run(dir, 120, "node", "audit.js", "http://127.0.0.1:" + port + "/graphql");
    String last = out.trim().lines().reduce((a, b) -> b).orElse("[]");
    List<Map<String, Object>> results = JsonMapper.builder().build().readValue(last, List.class);
    assertThat(results).isNotEmpty();
    Map<Object, Long> byStatus = new TreeMap<>();
    results.forEach(r -> byStatus.merge(r.get("status"), 1L, Long::sum));
    System.out.println("graphql-http audit: " + results.size() + " audits " + byStatus);
    List<String> failedMusts =
        results.stream()
            .filter(r -> String.valueOf(r.get("name")).startsWith("MUST"))
            .filter(r -> !"ok".equals(r.get("status")))
            .map(r -> r.get("name") + ": " + r.get("reason"))
            .toList();
    assertThat(failedMusts).isEmpty();
  }

  private static boolean onPath(String cmd) {
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(p, cmd))) return true;
    }
    return false;
  }

  private static String run(Path dir, int seconds, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] bytes = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).isTrue();
    String out = new String(bytes, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
