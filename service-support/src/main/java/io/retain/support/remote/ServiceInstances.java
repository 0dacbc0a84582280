package io.retain.support.remote;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * The instances of a service that another service calls, from a comma-separated URL setting ({@code
 * CUSTOMER_URL=http://a:8081,http://b:8081}), for deployments without a Service address in front of
 * them (the launcher's replicas, VMs). A {@code WebClient} filter: the client is built on {@link
 * #baseUrl()} and each request is sent to the next reachable instance in turn instead. A refused
 * connection marks the instance down and the same request goes to the next one at once; a
 * connection dropped before the answer moves on only for requests that may be sent twice ({@code
 * readsOnly}, or GET). A down instance gets a live request again after a back-off (1 s doubling to
 * 30 s), which probes it. HTTP errors and timeouts are answers: the caller's breaker counts them.
 * The gateway's {@code SubgraphInstances} applies the same policy to its subgraph calls (ADR 0014,
 * 0023).
 */
public final class ServiceInstances implements ExchangeFilterFunction {

  private static final Logger log = LoggerFactory.getLogger(ServiceInstances.class);
  static final long FIRST_BACKOFF_MS = 1_000;
  static final long MAX_BACKOFF_MS = 30_000;

  private final String service;
  private final List<String> bases;
  private final boolean readsOnly;
  private final LongSupplier nanoClock;
  private final AtomicInteger next = new AtomicInteger();
  // per instance, guarded by this: failures in a row and the nanoTime it may be tried again
  private final int[] failures;
  private final long[] retryAt;

  ServiceInstances(String service, String urls, boolean readsOnly, LongSupplier nanoClock) {
    this.bases = new ArrayList<>();
    for (String u : urls == null ? new String[0] : urls.split(",")) {
      if (!u.isBlank()) bases.add(u.trim().replaceFirst("/+$", ""));
    }
    if (bases.isEmpty()) {
      throw new IllegalArgumentException("no URL for " + service + ": '" + urls + "'");
    }
    bases.forEach(URI::create); // a malformed entry fails at startup, not on the first call
    this.service = service;
    this.readsOnly = readsOnly;
    this.nanoClock = nanoClock;
    this.failures = new int[bases.size()];
    this.retryAt = new long[bases.size()];
  }

  /**
   * The instances of {@code service} in {@code urls}; {@code readsOnly} when every call the client
   * makes may be sent twice (queries only), so a dropped connection moves on as a refused one does.
   */
  public static ServiceInstances of(String service, String urls, boolean readsOnly) {
    return new ServiceInstances(service, urls, readsOnly, System::nanoTime);
  }

  /** The first instance's URL: the client's base URL, which the filter replaces per request. */
  public String baseUrl() {
    return bases.get(0);
  }

  /** The instances' base URLs, in configuration order. */
  public List<String> urls() {
    return List.copyOf(bases);
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction exchange) {
    String url = request.url().toString();
    if (!url.startsWith(baseUrl())) return exchange.exchange(request); // another host: as it is
    String rest = url.substring(baseUrl().length());
    boolean resend = readsOnly || HttpMethod.GET.equals(request.method());
    return Mono.defer(() -> send(order(), 0, request, rest, resend, exchange));
  }

  private Mono<ClientResponse> send(
      int[] order, int k, ClientRequest request, String rest, boolean resend, ExchangeFunction ex) {
    int i = order[k];
    ClientRequest moved = ClientRequest.from(request).url(URI.create(bases.get(i) + rest)).build();
    return ex.exchange(moved)
        .doOnNext(r -> up(i))
        .onErrorResume(
            WebClientRequestException.class,
            e -> {
              down(i, e);
              boolean refused = e.getCause() instanceof ConnectException;
              return k + 1 < order.length && (refused || resend)
                  ? send(order, k + 1, request, rest, resend, ex)
                  : Mono.error(e);
            });
  }

  /**
   * The instances to try for one request: those up (or due for a probe) from the round-robin
   * position on; when every one is down, only the one due soonest (the request fails as with one
   * URL, and the caller's breaker counts it).
   */
  synchronized int[] order() {
    long now = nanoClock.getAsLong();
    int n = bases.size();
    int start = Math.floorMod(next.getAndIncrement(), n);
    int[] up = new int[n];
    int count = 0;
    int soonest = 0;
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      if (failures[i] == 0 || now - retryAt[i] >= 0) up[count++] = i;
      if (retryAt[i] - retryAt[soonest] < 0) soonest = i;
    }
    return count == 0 ? new int[] {soonest} : java.util.Arrays.copyOf(up, count);
  }

  private void up(int i) {
    boolean wasDown;
    synchronized (this) {
      wasDown = failures[i] > 0;
      failures[i] = 0;
    }
    if (wasDown) log.info("{} instance {} is reachable again", service, bases.get(i));
  }

  private void down(int i, Throwable e) {
    long backoffMs;
    synchronized (this) {
      failures[i]++;
      backoffMs = Math.min(FIRST_BACKOFF_MS << Math.min(failures[i] - 1, 20), MAX_BACKOFF_MS);
      retryAt[i] = nanoClock.getAsLong() + Duration.ofMillis(backoffMs).toNanos();
    }
    log.warn(
        "{} instance {} unreachable ({}); next try in {} ms",
        service,
        bases.get(i),
        e.getMessage(),
        backoffMs);
  }
}
