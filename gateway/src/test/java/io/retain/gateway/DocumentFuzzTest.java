package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.limits.Bombs;
import io.retain.gateway.testsubgraph.TestSubgraph;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.ObjectMapper;

/**
 * Random documents, valid and hostile, against the running gateway over HTTP: nested fragments and
 * spreads (bombs included), aliases, variables with defaults, deep selections, garbage tokens and
 * strings near the size caps. Each is answered 200 or 400 within a CPU bound, the heap stays
 * bounded after many unique documents, and a plain query still answers afterwards. jqwik prints the
 * seed.
 */
class DocumentFuzzTest {

  static final String SDL =
      """
      type Query { node(id: ID): Node  list(first: Int = 10): [Node!]!  status: String }
      type Node { id: ID!  name: String  child: Node  children(first: Int = 3): [Node!]! }
      """;

  static TestSubgraph nodes;
  static ConfigurableApplicationContext gateway;
  static HttpClient http;
  static URI endpoint;
  static final ObjectMapper JSON = new ObjectMapper();
  static final AtomicInteger unique = new AtomicInteger();

  /** CPU of the whole gateway JVM (this one): the documents' parse, checks and planning. */
  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  @BeforeContainer
  static void start() throws Exception {
    nodes = new TestSubgraph(SDL);
    nodes
        .fetch("Query", "node", e -> node(String.valueOf(e.getArgument("id"))))
        .fetch("Query", "list", e -> List.of(node("1"), node("2")))
        .fetch("Query", "status", e -> "ok")
        .fetch("Node", "child", e -> node("c"))
        .fetch("Node", "children", e -> List.of(node("k1"), node("k2")));
    gateway =
        new SpringApplicationBuilder(GatewayApplication.class)
            .run( // arguments, so they win over application.yml
                "--server.port=0",
                "--retain.gateway.subgraphs.customer=",
                "--retain.gateway.subgraphs.scoring=",
                "--retain.gateway.subgraphs.retention=",
                "--retain.gateway.subgraphs.nodes=" + nodes.url(),
                "--retain.gateway.limits.document-cache=16MB",
                "--logging.level.root=WARN");
    GatewayTests.awaitSupergraph(gateway.getBean(GatewayState.class));
    String port = gateway.getEnvironment().getProperty("local.server.port");
    endpoint = URI.create("http://127.0.0.1:" + port + "/graphql");
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  }

  @AfterContainer
  static void stop() {
    if (gateway != null) gateway.close();
    if (nodes != null) nodes.close();
  }

  static Map<String, Object> node(String id) {
    return Map.of("id", id, "name", "n" + id);
  }

  /** Status and body of one POST; the CPU the JVM spent meanwhile must stay under the bound. */
  static HttpResponse<String> post(String query, Map<String, Object> variables) throws Exception {
    String body = JSON.writeValueAsString(Map.of("query", query, "variables", variables));
    long cpu = OS.getProcessCpuTime();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(120)) // only catches hangs; CPU is the bound
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long spent = OS.getProcessCpuTime() - cpu;
    // 2 s of CPU: two cores fully busy for a whole second on one document
    assertThat(spent)
        .as("CPU ns for a %d-byte document", query.length())
        .isLessThan(2_000_000_000L);
    return r;
  }

  @Property(tries = 120)
  void everyDocumentIsAnsweredOrRefusedQuickly(@ForAll("documents") String document)
      throws Exception {
    // a unique comment keeps every try a new cache entry
    String query = "# " + unique.incrementAndGet() + "\n" + document;
    HttpResponse<String> r = post(query, Map.of("n", 2));

    assertThat(r.statusCode()).as(r.body()).isIn(200, 400);
    assertThat(r.body()).startsWith("{");
  }

  @Example
  void theHeapStaysBoundedAfterManyUnique60KbDocuments() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    for (int d = 0; d < 150; d++) {
      StringBuilder q = new StringBuilder("{ a" + d + ": __typename");
      while (q.length() < 60_000) q.append(" __typename");
      HttpResponse<String> r = post(q.append(" }").toString(), Map.of());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    System.gc();
    long grown = memory.getHeapMemoryUsage().getUsed() - before;
    // a 16 MB cache budget; each of these held ~1.1 MB before the cache was bounded by bytes
    assertThat(grown).as("heap growth").isLessThan(64L << 20);
    assertThat(post("{ status }", Map.of()).body()).isEqualTo("{\"data\":{\"status\":\"ok\"}}");
  }

  @Example
  void aPlainQueryAnswersAfterTheBombs() throws Exception {
    for (int n : new int[] {16, 20, 40}) {
      HttpResponse<String> r = post(Bombs.bomb(n), Map.of());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("QUERY_TOO_COMPLEX");
    }
    assertThat(post("{ status }", Map.of()).body()).isEqualTo("{\"data\":{\"status\":\"ok\"}}");
  }

  // ---- generators ----

  @Provide
  Arbitrary<String> documents() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, validish()),
        Tuple.of(2, fragmentDags()),
        Tuple.of(2, garbled()),
        Tuple.of(1, hugeStrings()));
  }

  /** Selections over Node: fields, aliases, arguments from variables, nesting, inline fragments. */
  Arbitrary<String> selection(int depth) {
    Arbitrary<String> leaf = Arbitraries.of("id", "name", "__typename");
    if (depth == 0) return leaf;
    Arbitrary<String> nested =
        Combinators.combine(
                Arbitraries.of("child", "children", "children(first: $n)", "children(first: 40)"),
                selectionSet(depth - 1))
            .as((f, s) -> f + " " + s);
    Arbitrary<String> aliased =
        Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4), leaf)
            .as((a, f) -> "x" + a + ": " + f);
    Arbitrary<String> inline = selectionSet(depth - 1).map(s -> "... on Node " + s);
    Arbitrary<String> skipped = leaf.map(f -> f + " @skip(if: true)");
    return Arbitraries.oneOf(leaf, nested, aliased, inline, skipped);
  }

  Arbitrary<String> selectionSet(int depth) {
    return selection(depth)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(l -> "{ " + String.join(" ", l) + " }");
  }

  Arbitrary<String> validish() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 14),
            Arbitraries.of("node(id: \"1\")", "list", "list(first: $n)", "list(first: 1000)"),
            Arbitraries.integers().between(1, 3))
        .flatAs(
            (depth, root, times) ->
                selectionSet(Math.min(depth, 4))
                    .map(
                        s -> {
                          StringBuilder q =
                              new StringBuilder("query Q($n: Int = " + depth * 97 + ") {");
                          for (int k = 0; k < times; k++) {
                            q.append(" r")
                                .append(k)
                                .append(": ")
                                .append(root)
                                .append(' ')
                                .append(s);
                          }
                          return q.append(" }").toString();
                        }));
  }

  /** Named fragments spreading earlier ones 1-4 times each: from harmless to exponential. */
  Arbitrary<String> fragmentDags() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 45), Arbitraries.integers().between(1, 4))
        .as(
            (n, fan) -> {
              StringBuilder b =
                  new StringBuilder("{ list { ...F" + n + " } }\nfragment F0 on Node { id }\n");
              for (int i = 1; i <= n; i++) {
                b.append("fragment F").append(i).append(" on Node { child { id } ");
                for (int k = 0; k < fan; k++) b.append("...F").append(i - 1).append(' ');
                b.append("}\n");
              }
              return b.toString();
            });
  }

  /** A valid document with garbage spliced in: unbalanced braces, stray tokens, bad escapes. */
  Arbitrary<String> garbled() {
    return Combinators.combine(
            validish(),
            Arbitraries.of(
                "{",
                "}",
                "(((",
                "$",
                "...",
                "@",
                "\"\\u00",
                "#",
                "query",
                "fragment",
                "!!",
                "\u0000",
                ":",
                "on",
                "[",
                "]",
                "1e999999",
                "\"" + "\\".repeat(50)),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.integers().between(1, 3000))
        .as(
            (doc, junk, at, times) -> {
              int i = Math.min(at, doc.length());
              return doc.substring(0, i) + junk.repeat(times) + doc.substring(i);
            });
  }

  /** String arguments near the document cap (64 KB), under and over it. */
  Arbitrary<String> hugeStrings() {
    return Arbitraries.integers()
        .between(60_000, 70_000)
        .map(n -> "{ node(id: \"" + "x".repeat(n) + "\") { id } }");
  }
}
