package io.retain.gateway.execute;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.transport.RequestReplySenderContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.retain.gateway.observe.GatewayTelemetry;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.ObjectMapper;

/**
 * The subgraph HTTP path without WebClient (ADR 0021): one POST on Reactor Netty's {@link
 * HttpClient} over a pooled connection, the body encoded once to bytes, the answer read into one
 * byte array (bounded) and parsed once into the map the executor merges into. WebClient's exchange
 * machinery (request builder, codecs, message readers, its filter chain) cost gateway CPU on every
 * subgraph call of every request for nothing this gateway uses.
 *
 * <p>Kept from the WebClient path, so the guards and instances behave the same: a failure before
 * the answer's status arrived (refused, dropped) is a {@link WebClientRequestException} with the
 * Netty cause ({@link SubgraphInstances} fails over on it); an answer over the size limit fails
 * with {@link DataBufferLimitException}; a {@code http.client.requests} observation (a CLIENT span
 * whose id goes out in {@code traceparent}) nests under the fetch's observation, except for an
 * unsampled request, whose {@code traceparent} is written as is (ADR 0016).
 */
final class DirectHttp {

  /** Shared by every subgraph client: one pool of keep-alive connections per host. */
  private static final ConnectionProvider POOL =
      ConnectionProvider.builder("subgraphs")
          .maxConnections(512)
          .pendingAcquireMaxCount(-1)
          .maxIdleTime(Duration.ofSeconds(30))
          .build();

  private static final HttpClient CLIENT = HttpClient.create(POOL).keepAlive(true).compress(false);

  static final String OBSERVATION = "http.client.requests";

  private final ObjectMapper json;
  private final ObservationRegistry observations;
  private final int maxResponseBytes;

  DirectHttp(ObjectMapper json, ObservationRegistry observations, int maxResponseBytes) {
    this.json = json;
    this.observations = observations;
    this.maxResponseBytes = maxResponseBytes;
  }

  /** The JSON request body, encoded once. */
  byte[] encode(String query, @Nullable Map<String, Object> variables) {
    return json.writeValueAsBytes(
        Map.of("query", query, "variables", variables == null ? Map.of() : variables));
  }

  /**
   * POSTs the body to the URL and hands the status and the parsed answer to {@code answer}: an
   * empty map for an empty body, null for a 5xx (its body is not read) and for a 4xx whose body is
   * no JSON. A 2xx that is no JSON fails the call, as a decoding error did with WebClient.
   */
  <T> Mono<T> post(
      String url,
      byte[] body,
      @Nullable String authorization,
      GatewayTelemetry.@Nullable Unsampled unsampled,
      BiFunction<Integer, @Nullable Map<String, Object>, Mono<T>> answer) {
    return Mono.deferContextual(
        ctx -> {
          HttpHeaders headers = new DefaultHttpHeaders();
          Observation obs;
          if (unsampled != null) {
            // no span to record: the request's trace id still reaches the subgraph (ADR 0016)
            obs = Observation.NOOP;
            if (unsampled.traceparent() != null) {
              headers.set(TRACEPARENT, unsampled.traceparent());
            }
          } else {
            obs = clientObservation(url, headers, ctx.getOrDefault(PARENT, null));
          }
          headers
              .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
              .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
          if (authorization != null) headers.set(HttpHeaderNames.AUTHORIZATION, authorization);
          AtomicBoolean answered = new AtomicBoolean();
          AtomicBoolean stopped = new AtomicBoolean();
          return CLIENT
              .headers(h -> h.add(headers))
              .post()
              .uri(url)
              .send((req, out) -> out.sendByteArray(Mono.just(body)))
              .response(
                  (res, content) -> {
                    answered.set(true);
                    int status = res.status().code();
                    obs.lowCardinalityKeyValue("status", String.valueOf(status));
                    if (status >= 500) return content.then(answer.apply(status, null));
                    long length = res.responseHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
                    if (length > maxResponseBytes) {
                      return Mono.error(new DataBufferLimitException(tooLarge()));
                    }
                    return content
                        .reduceWith(() -> new Bytes(length > 0 ? (int) length : 1024), this::append)
                        .defaultIfEmpty(new Bytes(0))
                        .flatMap(b -> answer.apply(status, parse(b, status)));
                  })
              .singleOrEmpty()
              .onErrorMap(
                  e -> !answered.get(),
                  e ->
                      new WebClientRequestException(
                          e,
                          HttpMethod.POST,
                          URI.create(url),
                          new org.springframework.http.HttpHeaders()))
              .doOnEach(
                  signal -> {
                    if (signal.isOnError() && stopped.compareAndSet(false, true)) {
                      obs.error(signal.getThrowable());
                      obs.stop();
                    } else if (!signal.isOnError() && stopped.compareAndSet(false, true)) {
                      obs.stop();
                    }
                  })
              .doOnCancel(
                  () -> {
                    if (stopped.compareAndSet(false, true)) obs.stop();
                  });
        });
  }

  private static final Object PARENT = ObservationThreadLocalAccessor.KEY;

  private static final String TRACEPARENT = "traceparent";

  /**
   * Started here, so the tracing handler writes {@code traceparent} into the headers before they
   * are sent; a no-op when nothing observes (the registry of clients built outside Spring).
   */
  private Observation clientObservation(
      String url, HttpHeaders headers, @Nullable Observation parent) {
    if (observations.isNoop()) return Observation.NOOP;
    RequestReplySenderContext<HttpHeaders, Object> context =
        new RequestReplySenderContext<>((carrier, key, value) -> carrier.set(key, value));
    context.setCarrier(headers);
    URI uri = URI.create(url);
    context.setRemoteServiceName(uri.getHost());
    Observation obs =
        Observation.createNotStarted(OBSERVATION, () -> context, observations)
            .contextualName("http post")
            .lowCardinalityKeyValue("method", "POST")
            .lowCardinalityKeyValue("uri", uri.getRawPath() == null ? "/" : uri.getRawPath())
            .lowCardinalityKeyValue("client.name", String.valueOf(uri.getHost()))
            .highCardinalityKeyValue("http.url", url)
            .parentObservation(parent);
    if (parent == null || observations.getCurrentObservation() == parent) return obs.start();
    // the tracer takes its current span over the parent observation when they differ, and with
    // limited context propagation the current one here is the operation's, not the fetch's
    try (Observation.Scope ignored = parent.openScope()) {
      return obs.start();
    }
  }

  private Bytes append(Bytes into, io.netty.buffer.ByteBuf chunk) {
    int n = chunk.readableBytes();
    if (into.length + n > maxResponseBytes) throw new DataBufferLimitException(tooLarge());
    if (into.length + n > into.data.length) {
      into.data =
          Arrays.copyOf(into.data, (int) Math.min(maxResponseBytes, (into.length + n) * 2L));
    }
    chunk.readBytes(into.data, into.length, n);
    into.length += n;
    return into;
  }

  @SuppressWarnings("unchecked")
  private @Nullable Map<String, Object> parse(Bytes b, int status) {
    if (b.length == 0) return Map.of();
    try {
      Map<String, Object> m = json.readValue(b.data, 0, b.length, Map.class);
      return m == null ? Map.of() : m;
    } catch (tools.jackson.core.JacksonException e) {
      if (status >= 400) return null; // a proxy's error page: the caller answers it by status
      throw e;
    }
  }

  private String tooLarge() {
    return "Exceeded limit on max bytes to buffer : " + maxResponseBytes;
  }

  /** The answer's bytes so far (a growing array: one copy per chunk, no pooled buffers held). */
  private static final class Bytes {
    byte[] data;
    int length;

    Bytes(int capacity) {
      data = new byte[capacity];
    }
  }
}
