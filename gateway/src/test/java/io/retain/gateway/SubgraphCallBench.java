package io.retain.gateway;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.retain.gateway.execute.SubgraphClient;
import io.retain.gateway.execute.SubgraphGuards;
import io.retain.gateway.observe.GatewayTelemetry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The CPU one subgraph call costs on each HTTP path ({@link SubgraphClient.Http}), side by side in
 * one JVM (docs/benchmarks/gateway-varied-2026-12-07-2.md): a Reactor Netty stub answers every POST
 * with the same 2 KB GraphQL answer; each round sends {@code calls} requests, 16 in flight, through
 * the direct path and through WebClient (order alternating per round), both behind the same guards,
 * and prints process CPU (client and stub together) per call. Run with the module's test classpath:
 * {@code java -cp <cp> io.retain.gateway.SubgraphCallBench [rounds] [calls]}.
 */
public final class SubgraphCallBench {

  private SubgraphCallBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    StringBuilder answer = new StringBuilder("{\"data\":{\"_entities\":[");
    for (int i = 0; i < 20; i++) {
      answer.append(i == 0 ? "" : ",");
      answer.append("{\"__typename\":\"Customer\",\"id\":\"c-").append(i);
      answer.append("\",\"score\":0.").append(i).append(",\"tier\":\"AT_RISK\",\"name\":\"Name ");
      answer.append(i).append(" Surname\",\"factors\":[\"recency\",\"frequency\"]}");
    }
    byte[] body = answer.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    DisposableServer stub =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (req, res) ->
                    req.receive()
                        .aggregate()
                        .then(
                            res.header("content-type", "application/json")
                                .sendByteArray(Mono.just(body))
                                .then()))
            .bindNow();
    String url = "http://127.0.0.1:" + stub.port() + "/graphql";
    Map<SubgraphClient.Http, SubgraphClient> clients = new EnumMap<>(SubgraphClient.Http.class);
    SubgraphGuards guards =
        new SubgraphGuards(
            CircuitBreakerRegistry.ofDefaults(),
            BulkheadRegistry.ofDefaults(),
            // a loaded machine's scheduling delays are not what this measures
            TimeLimiterRegistry.of(
                io.github.resilience4j.timelimiter.TimeLimiterConfig.custom()
                    .timeoutDuration(java.time.Duration.ofSeconds(60))
                    .build()));
    for (SubgraphClient.Http http : SubgraphClient.Http.values()) {
      clients.put(
          http,
          new SubgraphClient(
              "bench-" + http,
              url,
              WebClient.builder(),
              guards,
              false,
              SubgraphClient.DEFAULT_MAX_RESPONSE_BYTES,
              GatewayTelemetry.NONE,
              http));
    }
    for (SubgraphClient c : clients.values()) run(c, calls); // warm-up
    Map<SubgraphClient.Http, long[]> sums = new EnumMap<>(SubgraphClient.Http.class);
    for (int r = 0; r < rounds; r++) {
      List<SubgraphClient.Http> order =
          r % 2 == 0
              ? List.of(SubgraphClient.Http.DIRECT, SubgraphClient.Http.WEBCLIENT)
              : List.of(SubgraphClient.Http.WEBCLIENT, SubgraphClient.Http.DIRECT);
      for (SubgraphClient.Http http : order) {
        long[] m = run(clients.get(http), calls);
        long[] s = sums.computeIfAbsent(http, h -> new long[2]);
        s[0] += m[0];
        s[1] += m[1];
        System.out.printf(
            "round %d %-9s cpu %6.1f us/call  wall %6.1f us/call%n",
            r + 1, http, m[0] / 1e3 / calls, m[1] / 1e3 / calls);
      }
    }
    double direct = sums.get(SubgraphClient.Http.DIRECT)[0];
    double web = sums.get(SubgraphClient.Http.WEBCLIENT)[0];
    System.out.printf(
        "total over %d rounds of %d calls: DIRECT %.1f us/call, WEBCLIENT %.1f us/call CPU;"
            + " WEBCLIENT/DIRECT = %.2fx%n",
        rounds, calls, direct / 1e3 / rounds / calls, web / 1e3 / rounds / calls, web / direct);
    stub.disposeNow();
    System.exit(0);
  }

  /** Process CPU ns and wall ns for {@code calls} calls, 16 in flight; every answer checked. */
  private static long[] run(SubgraphClient client, int calls) throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Semaphore inFlight = new Semaphore(16);
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    // no answer is kept: holding every call's tree would measure the garbage collector instead
    java.util.concurrent.atomic.AtomicReference<Object> bad =
        new java.util.concurrent.atomic.AtomicReference<>();
    for (int i = 0; i < calls; i++) {
      inFlight.acquire();
      client
          .execute(
              "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }",
              Map.of("r", List.of(Map.of("__typename", "Customer", "id", "c-" + i))),
              "Bearer bench")
          .whenComplete(
              (a, e) -> {
                if (e != null || !a.containsKey("data")) bad.compareAndSet(null, e != null ? e : a);
                inFlight.release();
              });
    }
    inFlight.acquire(16); // every call answered
    inFlight.release(16);
    if (bad.get() != null) throw new IllegalStateException("bad answer: " + bad.get());
    return new long[] {os.getProcessCpuTime() - cpu0, System.nanoTime() - wall0};
  }
}
