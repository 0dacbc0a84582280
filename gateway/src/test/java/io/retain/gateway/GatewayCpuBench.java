package io.retain.gateway;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Gateway CPU per client request on a varied workload, old and new behaviour side by side in one
 * JVM (docs/benchmarks/gateway-cpu-2026-12-07.md, issue 23). The whole gateway application runs
 * against three subgraphs whose every answer is fixed JSON: a Reactor Netty stub per subgraph asks
 * a {@link TestSubgraph} (graphql-java) once per distinct request body and then answers those bytes
 * from memory, so steady state costs the stubs a map lookup. A seeded set of requests (operation
 * names, page sizes, field sets, an error, a few bearer tokens) goes through at 16 in flight; each
 * round runs both modes (order alternating) and prints process CPU per request and the gateway's
 * share (process CPU minus the bench's own client and stub threads, which run on their own loops).
 *
 * <p>Modes: {@code old} switches the cheap paths off ({@link GatewayCpuBenchModes}), {@code new}
 * on. Run with the module's test classpath: {@code java -cp <cp> io.retain.gateway.GatewayCpuBench
 * [rounds] [requests per round] [jfr dir|-] [parts]}; with a JFR directory two more rounds' worth
 * per mode are recorded to {@code <dir>/gateway-old.jfr} and {@code gateway-new.jfr}; {@code parts}
 * (comma-separated {@code spans,tokens,propagation}, default all) limits what {@code new} switches
 * on, to attribute the difference.
 */
public final class GatewayCpuBench {

  private GatewayCpuBench() {}

  /** The bench's own threads (client, stubs): not the gateway's CPU. */
  private static final String LOOP = "bench-loop";

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    Path jfr = args.length > 2 && !args[2].equals("-") ? Path.of(args[2]) : null;
    System.setProperty(GatewayApplication.QUIET_PERIOD, "0");

    TestSubgraph accounts =
        new TestSubgraph(
            """
            type Query { users(first: Int): [User!]!  secretive: String }
            type User @key(fields: "id") { id: ID!  name: String!  email: String }
            """);
    TestSubgraph reviews =
        new TestSubgraph(
            """
            type Query { reviewsVersion: String }
            type Review { body: String!  stars: Int }
            type User @key(fields: "id") { id: ID!  reviews: [Review!]! }
            """);
    TestSubgraph inventory =
        new TestSubgraph(
            """
            type Query { inventoryVersion: String }
            type User @key(fields: "id") { id: ID!  rank: Int  tier: String }
            """);
    accounts
        .fetch("Query", "users", e -> GatewayTests.users(e.getArgument("first"), true))
        .fetch("Query", "secretive", GatewayTests.FORBIDDEN);
    reviews.entities(
        (t, r) ->
            Map.of(
                "reviews",
                List.of(
                    Map.of("body", "about " + r.get("id"), "stars", 4),
                    Map.of("body", "again " + r.get("id"), "stars", 2))));
    inventory.entities((t, r) -> Map.of("rank", 1, "tier", "GOLD"));

    LoopResources loops = LoopResources.create(LOOP, 2, true);
    List<DisposableServer> stubs = new ArrayList<>();
    Map<String, String> urls = new java.util.LinkedHashMap<>();
    for (var e :
        Map.of("accounts", accounts, "reviews", reviews, "inventory", inventory).entrySet()) {
      DisposableServer stub = memo(e.getValue(), loops);
      stubs.add(stub);
      urls.put(e.getKey(), "http://127.0.0.1:" + stub.port() + "/graphql");
    }

    // command-line arguments: they win over application.yml (builder properties would not)
    List<String> props = new ArrayList<>();
    props.add("--server.port=0");
    props.add("--retain.gateway.subgraphs.customer=");
    props.add("--retain.gateway.subgraphs.scoring=");
    props.add("--retain.gateway.subgraphs.retention=");
    props.add("--logging.level.root=WARN");
    urls.forEach((k, v) -> props.add("--retain.gateway.subgraphs." + k + "=" + v));
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(GatewayApplication.class).run(props.toArray(String[]::new));
    GatewayState state = app.getBean(GatewayState.class);
    long until = System.currentTimeMillis() + 30_000;
    while (state.engine() == null && System.currentTimeMillis() < until) Thread.sleep(50);
    if (state.engine() == null) throw new IllegalStateException("supergraph not loaded");
    int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    GatewayCpuBenchModes modes =
        new GatewayCpuBenchModes(
            app, args.length > 3 ? java.util.Set.of(args[3].split(",")) : GatewayCpuBenchModes.ALL);

    List<byte[]> requests = requests(new Random(20261207));
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 8; i++) tokens.add("Bearer " + token("user-" + i));
    HttpClient client =
        HttpClient.create(ConnectionProvider.create("bench-client", 64))
            .runOn(loops)
            .baseUrl("http://127.0.0.1:" + port)
            .keepAlive(true);

    System.out.printf(
        "%d distinct requests, %d tokens, 16 in flight, %d per round%n",
        requests.size(), tokens.size(), perRound);
    for (String mode : List.of("old", "new", "old", "new")) { // warm-up, both paths
      modes.set(mode);
      run(client, requests, tokens, perRound);
    }
    Map<String, double[]> sums = new java.util.TreeMap<>();
    for (int r = 0; r < rounds; r++) {
      for (String mode : r % 2 == 0 ? List.of("old", "new") : List.of("new", "old")) {
        modes.set(mode);
        double[] m = run(client, requests, tokens, perRound);
        double[] s = sums.computeIfAbsent(mode, k -> new double[3]);
        for (int i = 0; i < 3; i++) s[i] += m[i];
        System.out.printf(
            "round %d %-3s process cpu %7.1f us/req  gateway cpu %7.1f us/req  wall %6.1f us/req%n",
            r + 1, mode, m[0], m[1], m[2]);
      }
    }
    double[] o = sums.get("old");
    double[] n = sums.get("new");
    System.out.printf(
        "mean over %d rounds: old process %.1f gateway %.1f us/req; new process %.1f gateway %.1f"
            + " us/req; new/old process %.3f, gateway %.3f%n",
        rounds,
        o[0] / rounds,
        o[1] / rounds,
        n[0] / rounds,
        n[1] / rounds,
        n[0] / o[0],
        n[1] / o[1]);
    if (jfr != null) {
      for (String mode : List.of("old", "new")) {
        modes.set(mode);
        try (jdk.jfr.Recording rec =
            new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
          rec.start();
          run(client, requests, tokens, perRound * 2);
          rec.stop();
          rec.dump(jfr.resolve("gateway-" + mode + ".jfr"));
        }
      }
    }
    app.close();
    stubs.forEach(DisposableServer::disposeNow);
    System.exit(0);
  }

  /**
   * A Reactor Netty stub in front of the test subgraph: each distinct body is asked once (off the
   * event loop) and its answer's bytes are kept, so the measured rounds are fixed-JSON answers.
   */
  private static DisposableServer memo(TestSubgraph subgraph, LoopResources loops) {
    Map<String, Mono<byte[]>> answers = new ConcurrentHashMap<>();
    java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
    return HttpServer.create()
        .host("127.0.0.1")
        .port(0)
        .runOn(loops)
        .handle(
            (req, res) ->
                req.receive()
                    .aggregate()
                    .asString(StandardCharsets.UTF_8)
                    .flatMap(
                        body ->
                            answers.computeIfAbsent(
                                body,
                                b ->
                                    Mono.fromCallable(
                                            () ->
                                                jdk.send(
                                                        HttpRequest.newBuilder(
                                                                URI.create(subgraph.url()))
                                                            .header(
                                                                "content-type", "application/json")
                                                            .POST(
                                                                HttpRequest.BodyPublishers.ofString(
                                                                    b))
                                                            .build(),
                                                        HttpResponse.BodyHandlers.ofByteArray())
                                                    .body())
                                        .subscribeOn(
                                            reactor.core.scheduler.Schedulers.boundedElastic())
                                        .cache()))
                    .flatMap(
                        bytes ->
                            res.header("content-type", "application/json")
                                .sendByteArray(Mono.just(bytes))
                                .then()))
        .bindNow();
  }

  /**
   * The varied set: named operations (30 names, some over the gateway's limit of distinct names),
   * page sizes 1-12, one to three subgraphs per request, and now and then an error.
   */
  static List<byte[]> requests(Random random) {
    String[] shapes = {
      "users(first: %d) { name }",
      "users(first: %d) { name email }",
      "users(first: %d) { name rank }",
      "users(first: %d) { name reviews { body } }",
      "users(first: %d) { id reviews { body stars } rank tier }",
      "users(first: %d) { name email reviews { stars } tier }",
      "a: users(first: %d) { name } b: users(first: 2) { rank }",
    };
    var json = new tools.jackson.databind.json.JsonMapper();
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      String shape = shapes[random.nextInt(shapes.length)];
      String body = String.format(shape, 1 + random.nextInt(12));
      if (random.nextInt(20) == 0) body += " secretive";
      String name = "Op" + random.nextInt(130);
      out.add(json.writeValueAsBytes(Map.of("query", "query " + name + " { " + body + " }")));
    }
    return out;
  }

  /** Process CPU, gateway CPU and wall µs per request over {@code n} requests, 16 in flight. */
  private static double[] run(HttpClient client, List<byte[]> requests, List<String> tokens, int n)
      throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Semaphore inFlight = new Semaphore(16);
    AtomicReference<Object> bad = new AtomicReference<>();
    long bench0 = benchThreadsCpu();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      byte[] body = requests.get(i % requests.size());
      String token = tokens.get(i % tokens.size());
      client
          .headers(h -> h.set("content-type", "application/json").set("authorization", token))
          .post()
          .uri("/graphql")
          .send(
              reactor.netty.ByteBufFlux.fromString(
                  Mono.just(new String(body, StandardCharsets.UTF_8))))
          .responseSingle(
              (res, content) ->
                  content
                      .asString()
                      .defaultIfEmpty("")
                      .map(s -> res.status().code() == 200 && s.contains("\"data\"") ? "" : s))
          .subscribe(
              s -> {
                if (!s.isEmpty()) bad.compareAndSet(null, s);
                inFlight.release();
              },
              e -> {
                bad.compareAndSet(null, e);
                inFlight.release();
              });
    }
    inFlight.acquire(16);
    inFlight.release(16);
    if (bad.get() != null) throw new IllegalStateException("bad answer: " + bad.get());
    long cpu = os.getProcessCpuTime() - cpu0;
    long bench = benchThreadsCpu() - bench0;
    long wall = System.nanoTime() - wall0;
    return new double[] {cpu / 1e3 / n, (cpu - bench) / 1e3 / n, wall / 1e3 / n};
  }

  private static long benchThreadsCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith(LOOP)) {
        long c = threads.getThreadCpuTime(t.getThreadId());
        if (c > 0) sum += c;
      }
    }
    return sum;
  }

  /**
   * An ANALYST token signed with the tests' secret (as {@code FederationGatewayTest.token}, which
   * this main class does not load: its JUnit annotations are not on the bench's classpath).
   */
  static String token(String subject) throws Exception {
    var claims =
        new com.nimbusds.jwt.JWTClaimsSet.Builder()
            .subject(subject)
            .expirationTime(new java.util.Date(System.currentTimeMillis() + 3_600_000))
            .claim("roles", List.of("ANALYST"))
            .build();
    var jwt =
        new com.nimbusds.jwt.SignedJWT(
            new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims);
    jwt.sign(
        new com.nimbusds.jose.crypto.MACSigner(
            "gateway-test-secret-gateway-test-secret-0123".getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }
}
