package io.retain.gateway.execute;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * The instances (URLs) of one subgraph, for deployments without a service mesh: calls go round
 * robin over the healthy ones; an instance that cannot be reached (refused or dropped connection)
 * is marked down and the call goes to the next one, so clients do not see it. A down instance gets
 * live traffic again after a back-off (1 s, doubling per failed retry, at most 30 s): the first
 * call after it probes it, and falls over again if it is still down. With every instance down the
 * call goes to the one due soonest and fails as a single URL would, which is what the subgraph's
 * breaker counts (see the gateway README, "Several URLs per subgraph").
 */
public final class SubgraphInstances {

  private static final Logger log = LoggerFactory.getLogger(SubgraphInstances.class);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** One URL and its health. */
  static final class Instance {
    final String url;
    // guarded by this
    private int failures;
    private long downUntil;

    Instance(String url) {
      this.url = url;
    }

    synchronized boolean upAt(long now) {
      return failures == 0 || now >= downUntil;
    }

    synchronized long downUntil() {
      return downUntil;
    }

    synchronized int failures() {
      return failures;
    }
  }

  private final String subgraph;
  private final List<Instance> all;
  private final LongSupplier nanoClock;
  private final AtomicInteger next = new AtomicInteger();

  public SubgraphInstances(String subgraph, String urls) {
    this(subgraph, parse(urls), System::nanoTime);
  }

  SubgraphInstances(String subgraph, List<String> urls, LongSupplier nanoClock) {
    if (urls.isEmpty()) throw new IllegalArgumentException("subgraph " + subgraph + " has no URL");
    this.subgraph = subgraph;
    this.all = urls.stream().map(Instance::new).toList();
    this.nanoClock = nanoClock;
  }

  /**
   * The URLs in a subgraph setting: one URL, or several separated by commas. An entry without a
   * path takes the path of the last entry that has one, so {@code CUSTOMER_URL=http://a:8081,
   * http://b:8081} with application.yml's {@code ${CUSTOMER_URL}/graphql} means both at {@code
   * /graphql}.
   */
  public static List<String> parse(String urls) {
    List<String> entries = new ArrayList<>();
    String path = "";
    for (String raw : urls == null ? new String[0] : urls.split(",")) {
      String u = raw.trim();
      if (u.isEmpty()) continue;
      entries.add(u);
      String p = URI.create(u).getRawPath();
      if (p != null && !p.isEmpty() && !"/".equals(p)) path = p;
    }
    List<String> out = new ArrayList<>(entries.size());
    for (String u : entries) {
      String p = URI.create(u).getRawPath();
      boolean noPath = p == null || p.isEmpty() || "/".equals(p);
      out.add(noPath ? u.replaceFirst("/$", "") + path : u);
    }
    return out;
  }

  /** The URLs, in configuration order. */
  public List<String> urls() {
    return all.stream().map(i -> i.url).toList();
  }

  /**
   * The instances to try for one call, in order: the healthy ones (and those whose back-off is
   * over) starting at the round-robin position; when none is, only the one due soonest.
   */
  List<Instance> order() {
    long now = nanoClock.getAsLong();
    List<Instance> up = new ArrayList<>(all.size());
    for (Instance i : all) if (i.upAt(now)) up.add(i);
    if (up.isEmpty()) {
      return List.of(all.stream().min(Comparator.comparingLong(Instance::downUntil)).orElseThrow());
    }
    int start = Math.floorMod(next.getAndIncrement(), up.size());
    List<Instance> out = new ArrayList<>(up.size());
    for (int k = 0; k < up.size(); k++) out.add(up.get((start + k) % up.size()));
    return out;
  }

  /** The URL for a call that cannot fail over by itself (a subscription's WebSocket). */
  public String pick() {
    return order().get(0).url;
  }

  /**
   * Sends the call to one instance after another until one is reached. A call that may have reached
   * a server (the connection dropped after sending) is only sent again when {@code idempotent}
   * (queries; never a mutation); a refused connection always moves on.
   */
  public <T> Mono<T> call(Function<String, Mono<T>> send, boolean idempotent) {
    return Mono.defer(() -> attempt(order(), 0, send, idempotent));
  }

  private <T> Mono<T> attempt(
      List<Instance> order, int k, Function<String, Mono<T>> send, boolean idempotent) {
    Instance instance = order.get(k);
    return send.apply(instance.url)
        .doOnSuccess(v -> reached(instance))
        .onErrorResume(
            e -> {
              if (!(e instanceof WebClientRequestException)) {
                reached(instance); // it answered (e.g. HTTP 5xx): the breaker's business
                return Mono.error(e);
              }
              unreachable(instance, e);
              boolean refused = e.getCause() instanceof ConnectException;
              if (k + 1 < order.size() && (idempotent || refused)) {
                return attempt(order, k + 1, send, idempotent);
              }
              return Mono.error(e);
            });
  }

  void reached(Instance i) {
    boolean wasDown;
    synchronized (i) {
      wasDown = i.failures > 0;
      i.failures = 0;
      i.downUntil = 0;
    }
    if (wasDown) log.info("subgraph {} instance {} is reachable again", subgraph, i.url);
  }

  void unreachable(Instance i, Throwable e) {
    long backoff;
    synchronized (i) {
      i.failures++;
      backoff = backoff(i.failures).toNanos();
      i.downUntil = nanoClock.getAsLong() + backoff;
    }
    log.warn(
        "subgraph {} instance {} unreachable ({}); next try in {} ms",
        subgraph,
        i.url,
        SubgraphGuards.reason(e),
        backoff / 1_000_000);
  }

  /** 1 s after the first failure, doubling per failed retry, at most 30 s. */
  static Duration backoff(int failures) {
    long ms = FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 20);
    return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
  }
}
