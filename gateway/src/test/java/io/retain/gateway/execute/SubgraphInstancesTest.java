package io.retain.gateway.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/** The balancing and health policy of several URLs per subgraph, on a hand-moved clock. */
class SubgraphInstancesTest {

  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final Set<String> down = ConcurrentHashMap.newKeySet();
  final List<String> tried = new ArrayList<>();
  final SubgraphInstances instances =
      new SubgraphInstances("scoring", List.of("http://a/graphql", "http://b/graphql"), now::get);

  Mono<String> send(String url) {
    tried.add(url);
    return down.contains(url) ? Mono.error(refused(url)) : Mono.just("answer from " + url);
  }

  static WebClientRequestException refused(String url) {
    return new WebClientRequestException(
        new ConnectException("Connection refused"),
        HttpMethod.POST,
        URI.create(url),
        new HttpHeaders());
  }

  String call(boolean idempotent) {
    return instances.call(this::send, idempotent).block();
  }

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void parsesOneOrSeveralUrlsAndGivesPathlessEntriesTheConfiguredPath() {
    assertThat(SubgraphInstances.parse("http://a:1/graphql")).containsExactly("http://a:1/graphql");
    // application.yml appends /graphql to CUSTOMER_URL, so only the last entry carries it
    assertThat(SubgraphInstances.parse("http://a:1, http://b:2/graphql"))
        .containsExactly("http://a:1/graphql", "http://b:2/graphql");
    assertThat(SubgraphInstances.parse("http://a:1/gql,http://b:2/graphql"))
        .containsExactly("http://a:1/gql", "http://b:2/graphql");
    assertThat(SubgraphInstances.parse(" , ")).isEmpty();
    assertThatThrownBy(() -> new SubgraphInstances("x", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subgraph x has no URL");
  }

  @Test
  void spreadsCallsRoundRobinOverHealthyInstances() {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) answers.add(call(true));
    assertThat(answers)
        .containsExactly(
            "answer from http://a/graphql",
            "answer from http://b/graphql",
            "answer from http://a/graphql",
            "answer from http://b/graphql");
  }

  @Test
  void aRefusedInstanceIsSkippedAtOnceAndLeftOutUntilItsBackoffEnds() {
    down.add("http://a/graphql");

    // the call that finds it down still answers, from b
    for (int i = 0; i < 6; i++) assertThat(call(true)).isEqualTo("answer from http://b/graphql");
    assertThat(tried.stream().filter(u -> u.contains("//a/"))).hasSize(1);

    // after its 1 s back-off one call probes it again, falls over, and the back-off doubles
    advance(Duration.ofMillis(1001));
    tried.clear();
    for (int i = 0; i < 4; i++) assertThat(call(true)).isEqualTo("answer from http://b/graphql");
    assertThat(tried.stream().filter(u -> u.contains("//a/"))).hasSize(1);
    advance(Duration.ofMillis(1500));
    tried.clear();
    call(true);
    call(true);
    assertThat(tried).doesNotContain("http://a/graphql");

    // back up: after the 2 s back-off it gets its share again
    down.clear();
    advance(Duration.ofMillis(600));
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) answers.add(call(true));
    assertThat(answers).contains("answer from http://a/graphql", "answer from http://b/graphql");
  }

  @Test
  void withEveryInstanceDownTheCallFailsOnTheOneDueSoonest() {
    down.addAll(List.of("http://a/graphql", "http://b/graphql"));
    assertThatThrownBy(() -> call(true)).isInstanceOf(WebClientRequestException.class);
    assertThat(tried).containsExactly("http://a/graphql", "http://b/graphql");
    tried.clear();
    // both backing off: one attempt only, on the one due soonest (a tie goes to the first listed)
    assertThatThrownBy(() -> call(true)).isInstanceOf(WebClientRequestException.class);
    assertThat(tried).containsExactly("http://a/graphql");
  }

  @Test
  void aDroppedConnectionIsRetriedElsewhereOnlyForQueries() {
    WebClientRequestException dropped =
        new WebClientRequestException(
            new IOException("Connection prematurely closed BEFORE response"),
            HttpMethod.POST,
            URI.create("http://a/graphql"),
            new HttpHeaders());
    Mono<String> mutation =
        instances.call(
            url -> {
              tried.add(url);
              return url.contains("//a/") ? Mono.error(dropped) : Mono.just("b");
            },
            false);
    // a mutation may have reached a: not sent again
    assertThatThrownBy(mutation::block).isSameAs(dropped);
    assertThat(tried).containsExactly("http://a/graphql");
  }

  @Test
  void anInstanceThatAnswersWithAnErrorStaysUpForTheBreakerToJudge() {
    SubgraphGuards.SubgraphHttpException http503 = new SubgraphGuards.SubgraphHttpException(503);
    Mono<String> call =
        instances.call(
            url -> {
              tried.add(url);
              return Mono.error(http503);
            },
            true);
    assertThatThrownBy(call::block).isSameAs(http503);
    assertThat(tried).hasSize(1);
    tried.clear();
    assertThat(call(true)).isEqualTo("answer from http://b/graphql");
    assertThat(call(true)).isEqualTo("answer from http://a/graphql");
  }

  @Test
  void backoffDoublesFromOneSecondUpToThirty() {
    assertThat(SubgraphInstances.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(SubgraphInstances.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(SubgraphInstances.backoff(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(SubgraphInstances.backoff(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(SubgraphInstances.backoff(60)).isEqualTo(Duration.ofSeconds(30));
  }
}
