package io.retain.scoring.warning;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.scoring.rescoring.RescoringService;
import io.retain.scoring.rescoring.StoredScoresTest;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.client.ClientGraphQlResponse;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Mono;

/**
 * The warnings subscription over graphql-ws with a real WebSocket client: live warnings as
 * rescoring writes them, a resume from a seq with a tier filter, and the role check (token in
 * connection_init).
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "retain.scoring.warning-stream.interval=100ms")
@ActiveProfiles("test")
class WarningSubscriptionTest {

  private static final Logger log = LoggerFactory.getLogger(WarningSubscriptionTest.class);

  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");
  static final String QUERY =
      "subscription($t: [Tier!], $a: Long) { warningRaised(toTiers: $t, after: $a) {"
          + " seq customerId toTier customer { id } } }";

  @LocalServerPort int port;
  @Autowired RescoringService rescoring;
  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @BeforeEach
  void noScoresYet() {
    db.sql("truncate assessment_latest, assessment_history, assessment_rfm, warning")
        .fetch()
        .rowsUpdated()
        .block();
  }

  WebSocketGraphQlClient client(Role role) {
    Map<String, Object> init =
        role == null
            ? Map.of()
            : Map.of(
                "Authorization", "Bearer " + Tokens.hs256(secret, "t", Duration.ofHours(1), role));
    return WebSocketGraphQlClient.builder(
            URI.create("ws://127.0.0.1:" + port + "/graphql"),
            // a connection of its own, as the gateway opens them (see the gateway's SubgraphClient)
            new ReactorNettyWebSocketClient(reactor.netty.http.client.HttpClient.newConnection()))
        .interceptor(
            new WebSocketGraphQlClientInterceptor() {
              @Override
              public Mono<Object> connectionInitPayload() {
                return Mono.just(init);
              }
            })
        .build();
  }

  /**
   * A client whose connection_ack arrived. In the shared test JVM a subscription hung with no log
   * line in 2 of 4 full runs (the ack once, the events once), never in 6 runs of the class alone;
   * the class now runs in a JVM of its own (scoring's pom). As graphql-ws clients do
   * (connectionAckWaitTimeout), a connection not acked in 10 s is closed and a new one opened, and
   * a timed-out wait logs the threads, so a next occurrence shows what held it.
   */
  WebSocketGraphQlClient started(Role role) {
    for (int attempt = 1; ; attempt++) {
      WebSocketGraphQlClient client = client(role);
      try {
        client.start().block(Duration.ofSeconds(10));
        return client;
      } catch (IllegalStateException timedOut) {
        if (attempt == 3) {
          throw timedOut;
        }
        log.warn("no connection_ack in 10 s (attempt {}); threads:\n{}", attempt, threadDump());
        client.stop().onErrorComplete().block(Duration.ofSeconds(5));
      }
    }
  }

  static String threadDump() {
    StringBuilder out = new StringBuilder();
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      out.append(t);
    }
    return out.toString();
  }

  static List<String> summary(List<ClientGraphQlResponse> events) {
    return events.stream()
        .map(
            e ->
                e.field("warningRaised.customerId").getValue()
                    + "/"
                    + e.field("warningRaised.toTier").getValue()
                    + "/"
                    + e.field("warningRaised.customer.id").getValue())
        .toList();
  }

  @Test
  void warningsArriveLiveAsRescoringWritesThem() throws Exception {
    WebSocketGraphQlClient client = started(Role.ANALYST);
    // from the newest seq, named explicitly: without `after` the server starts at the newest seq
    // it reads when the subscribe arrives, which may be after the rescoring below
    long newest =
        db.sql("select coalesce(max(seq), 0) as s from warning")
            .map((r, m) -> r.get("s", Long.class))
            .one()
            .block();
    var events =
        client
            .document(QUERY)
            .variable("a", newest)
            .executeSubscription()
            .take(3)
            .collectList()
            .toFuture();
    rescoring.store(StoredScoresTest.workedExample(), AS_OF, null).block();

    try {
      assertThat(summary(events.get(60, java.util.concurrent.TimeUnit.SECONDS)))
          .containsExactly(
              "C002/POTENTIAL_CHURN/C002", "C003/HIGH_RISK/C003", "C005/HIGH_RISK/C005");
    } finally {
      client.stop().block();
    }
  }

  @Test
  void aClientResumesAfterASeqAndFiltersByTier() throws Exception {
    rescoring.store(StoredScoresTest.workedExample(), AS_OF, null).block();
    List<String> stored =
        db.sql("select customer_id || '/' || to_tier as w from warning order by seq")
            .map((r, m) -> r.get("w", String.class))
            .all()
            .collectList()
            .block();
    assertThat(stored).containsExactly("C002/POTENTIAL_CHURN", "C003/HIGH_RISK", "C005/HIGH_RISK");
    WebSocketGraphQlClient client = client(Role.ANALYST);
    try {
      List<ClientGraphQlResponse> events =
          client
              .document(QUERY)
              .variable("t", List.of("HIGH_RISK"))
              .variable("a", 0)
              .executeSubscription()
              .take(2)
              .collectList()
              .doOnCancel(() -> log.warn("no events in 60 s; threads:\n{}", threadDump()))
              .block(Duration.ofSeconds(60));
      assertThat(summary(events)).containsExactly("C003/HIGH_RISK/C003", "C005/HIGH_RISK/C005");
    } finally {
      client.stop().block();
    }
  }

  @Test
  void withoutAnAnalystTokenTheSubscriptionIsRefused() {
    WebSocketGraphQlClient client = client(null);
    Throwable error =
        client
            .document(QUERY)
            .variable("a", 0)
            .executeSubscription()
            .then(Mono.<Throwable>empty())
            .onErrorResume(Mono::just)
            .block(Duration.ofSeconds(20));
    assertThat(error).isInstanceOf(SubscriptionErrorException.class);
    assertThat(((SubscriptionErrorException) error).getErrors().get(0).getExtensions())
        .containsEntry("code", "FORBIDDEN");
    client.stop().block();
  }
}
