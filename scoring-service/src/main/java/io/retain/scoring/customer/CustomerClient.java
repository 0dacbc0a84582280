package io.retain.scoring.customer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.retain.scoring.engine.Activity;
import io.retain.support.graphql.RemoteDocuments;
import io.retain.support.remote.ServiceInstances;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.graphql.client.FieldAccessException;
import org.springframework.graphql.client.HttpGraphQlClient;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The one way scoring talks to customer-service: activity aggregates (by ids, and the streamed bulk
 * form), the activity change feed. GraphQL calls go through {@link HttpGraphQlClient} with the
 * documents of {@code graphql-documents/}, the {@code customer} circuit breaker and time limiter
 * (application.yml); the bulk stream through the breaker and an idle timeout; when customer-service
 * is down they fail fast, and callers keep serving stored scores. Every failure of a call is a
 * {@link CustomerServiceException}.
 */
@Component
public class CustomerClient {

  /** A churn record's dates, as customer-service's churnEvents answers them. */
  public record ChurnDates(String customerId, LocalDate churnedAt, @Nullable LocalDate wonBackAt) {}

  /** One entry of the activity change feed. */
  public record ActivityChange(long seq, String customerId) {}

  private static final String ACTIVITY = RemoteDocuments.load("customerActivity");
  private static final String CHANGES = RemoteDocuments.load("activityChanges");
  private static final String CHURN_EVENTS = RemoteDocuments.load("churnEvents");

  private final WebClient http;
  private final HttpGraphQlClient graphQl;
  private final CircuitBreaker breaker;
  private final TimeLimiter limiter;
  private final String secret;
  private final Duration streamIdle;
  private final ObjectMapper json = new ObjectMapper();
  private volatile String token;
  private volatile Instant tokenRenewAt = Instant.EPOCH;

  CustomerClient(
      WebClient.Builder builder,
      CircuitBreakerRegistry breakers,
      TimeLimiterRegistry limiters,
      @Value("${retain.remote.customer.url}") String urls,
      @Value("${retain.remote.customer.stream-idle-timeout:2m}") Duration streamIdle,
      @Value("${retain.security.jwt-secret}") String secret) {
    // one URL, or every replica's (comma-separated): balanced, a dead one skipped; scoring only
    // reads from customer-service, so a dropped call may go to the next instance as well
    ServiceInstances instances = ServiceInstances.of("customer-service", urls, true);
    String baseUrl = instances.baseUrl();
    this.http =
        builder
            .baseUrl(baseUrl)
            .filter(instances)
            .codecs(c -> c.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
            .build();
    this.graphQl =
        HttpGraphQlClient.builder(
                http.mutate()
                    .baseUrl(baseUrl + "/graphql")
                    .filter(
                        (request, next) ->
                            next.exchange(
                                ClientRequest.from(request)
                                    .headers(h -> h.set("Authorization", bearer()))
                                    .build()))
                    .build())
            .build();
    this.breaker = breakers.circuitBreaker("customer");
    this.limiter = limiters.timeLimiter("customer");
    this.secret = secret;
    this.streamIdle = streamIdle;
  }

  /** A SERVICE token, renewed a minute before it expires. */
  String bearer() {
    if (Instant.now().isAfter(tokenRenewAt)) {
      token = Tokens.hs256(secret, "scoring-service", Duration.ofMinutes(10), Role.SERVICE);
      tokenRenewAt = Instant.now().plus(Duration.ofMinutes(9));
    }
    return "Bearer " + token;
  }

  /** Aggregates for these ids as of a date (one call, one SQL statement on the other side). */
  public Flux<Activity> activity(List<String> ids, LocalDate asOf, int windowMonths) {
    return graphql(
            ACTIVITY,
            Map.of("ids", ids, "asOf", asOf.toString(), "w", windowMonths),
            "customerActivity",
            Activity.class)
        .flatMapMany(Flux::fromIterable);
  }

  /**
   * Every customer's aggregates, streamed as customer-service produces them, each with the array
   * line it was read from.
   */
  public Flux<ActivityLine> allActivity(LocalDate asOf, int windowMonths) {
    return http.get()
        .uri(
            u ->
                u.path("/internal/activity")
                    .queryParam("asOf", asOf)
                    .queryParam("windowMonths", windowMonths)
                    .queryParam("shape", "array")
                    .build())
        .header("Authorization", bearer())
        .accept(MediaType.APPLICATION_NDJSON)
        .retrieve()
        .bodyToFlux(DataBuffer.class)
        // a stream that stops sending (its server stalled once in a benchmark: rows read from
        // PostgreSQL, nothing written) fails the rescoring rather than hanging it for ever
        .timeout(streamIdle)
        .onErrorMap(
            TimeoutException.class,
            e ->
                new IllegalStateException(
                    "customer-service's activity stream sent nothing for " + streamIdle, e))
        .transform(
            buffers ->
                Flux.defer(
                    () -> {
                      NdjsonLines lines = new NdjsonLines();
                      return buffers
                          .concatMapIterable(lines::next)
                          .concatWith(Flux.defer(() -> Flux.fromIterable(lines.rest())));
                    }))
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        .onErrorMap(CustomerServiceException::wrap);
  }

  /**
   * Cuts the NDJSON body into lines and reads each with the blocking parser: on a stream of
   * 100,000s of small objects WebFlux's non-blocking tokenizer (tokens buffered, then bound) cost
   * several times as much CPU.
   */
  private final class NdjsonLines {
    private byte[] carry = new byte[0];

    List<ActivityLine> next(DataBuffer buffer) {
      byte[] bytes;
      try {
        bytes = new byte[carry.length + buffer.readableByteCount()];
        System.arraycopy(carry, 0, bytes, 0, carry.length);
        buffer.read(bytes, carry.length, bytes.length - carry.length);
      } finally {
        DataBufferUtils.release(buffer);
      }
      List<ActivityLine> out = new ArrayList<>();
      int start = 0;
      for (int i = carry.length; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          read(bytes, start, i, out);
          start = i + 1;
        }
      }
      carry = Arrays.copyOfRange(bytes, start, bytes.length);
      return out;
    }

    List<ActivityLine> rest() {
      List<ActivityLine> out = new ArrayList<>();
      read(carry, 0, carry.length, out);
      return out;
    }

    private void read(byte[] bytes, int from, int to, List<ActivityLine> out) {
      while (from < to && Character.isWhitespace(bytes[from])) {
        from++;
      }
      while (to > from && Character.isWhitespace(bytes[to - 1])) {
        to--;
      }
      if (from == to) {
        return;
      }
      if (bytes[from] == '[') {
        out.add(
            new ActivityLine(
                ActivityAsArray.JSON.readValue(bytes, from, to - from, Activity.class),
                new String(bytes, from, to - from, StandardCharsets.UTF_8)));
      } else {
        // objects from a customer-service older than shape=array (which ignores the parameter)
        out.add(new ActivityLine(json.readValue(bytes, from, to - from, Activity.class), null));
      }
    }
  }

  /**
   * One customer's purchase summary as of a date (customer-service's /internal/purchase-summaries
   * line): x, first and last purchase day, mean spend of the repeat days (null when x = 0).
   */
  public record PurchaseSummary(
      String customerId,
      int repeatPurchases,
      LocalDate firstPurchase,
      LocalDate lastPurchase,
      @org.jspecify.annotations.Nullable Double meanRepeatSpend) {}

  /** Every customer's purchase summary as of a date, streamed in id order. */
  public Flux<PurchaseSummary> purchaseSummaries(LocalDate asOf) {
    return http.get()
        .uri(u -> u.path("/internal/purchase-summaries").queryParam("asOf", asOf).build())
        .header("Authorization", bearer())
        .accept(MediaType.APPLICATION_NDJSON)
        .retrieve()
        .bodyToFlux(String.class) // one line each (StringDecoder splits at new lines)
        .timeout(streamIdle)
        .filter(line -> !line.isBlank())
        .map(
            line -> {
              JsonNode a = json.readTree(line);
              return new PurchaseSummary(
                  a.get(0).asString(),
                  a.get(1).asInt(),
                  LocalDate.parse(a.get(2).asString()),
                  LocalDate.parse(a.get(3).asString()),
                  a.get(4).isNull() ? null : a.get(4).asDouble());
            })
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        .onErrorMap(CustomerServiceException::wrap);
  }

  /**
   * Every churn record dated on or before {@code to} (one call, one statement on the other side).
   */
  public Flux<ChurnDates> churnEvents(LocalDate to) {
    return graphql(CHURN_EVENTS, Map.of("to", to.toString()), "churnEvents", ChurnDates.class)
        .flatMapMany(Flux::fromIterable);
  }

  /** The change feed after a cursor. */
  public Flux<ActivityChange> changes(long after, int limit) {
    return graphql(CHANGES, Map.of("a", after, "l", limit), "activityChanges", ActivityChange.class)
        .flatMapMany(Flux::fromIterable);
  }

  /**
   * The list at {@code data.<field>}: through the {@code customer} time limiter and circuit
   * breaker; errors, no data and every failure are a {@link CustomerServiceException}.
   */
  private <T> Mono<List<T>> graphql(
      String document, Map<String, Object> variables, String field, Class<T> type) {
    return Mono.defer(
            () ->
                graphQl.document(document).variables(variables).retrieve(field).toEntityList(type))
        .onErrorMap(
            FieldAccessException.class,
            e ->
                new CustomerServiceException(
                    "customer-service refused: " + e.getResponse().getErrors(), e))
        .transformDeferred(TimeLimiterOperator.of(limiter))
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        .onErrorMap(CustomerServiceException::wrap);
  }
}
