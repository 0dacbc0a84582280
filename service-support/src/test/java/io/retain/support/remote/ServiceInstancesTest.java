package io.retain.support.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Two real HTTP servers behind one comma-separated setting: calls alternate between them; one is
 * stopped and every call goes to the other without a failure; started again, it gets its share back
 * once its back-off is over (a hand-moved clock).
 */
class ServiceInstancesTest {

  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final List<DisposableServer> servers = new ArrayList<>();

  DisposableServer serve(String name, int port) {
    DisposableServer s =
        HttpServer.create()
            .host("127.0.0.1")
            .port(port)
            .route(
                r ->
                    r.get("/who", (req, res) -> res.sendString(Mono.just(name)))
                        .post("/who", (req, res) -> res.sendString(Mono.just(name))))
            .bindNow();
    servers.add(s);
    return s;
  }

  @AfterEach
  void stop() {
    servers.forEach(DisposableServer::disposeNow);
  }

  static String url(DisposableServer s) {
    return "http://127.0.0.1:" + s.port();
  }

  static String get(WebClient client) {
    return client.get().uri("/who").retrieve().bodyToMono(String.class).block();
  }

  static String post(WebClient client) {
    return client.post().uri("/who").bodyValue("{}").retrieve().bodyToMono(String.class).block();
  }

  @Test
  void callsAlternateAndAStoppedInstanceIsLeftOutWithoutAFailedCall() {
    DisposableServer a = serve("a", 0);
    DisposableServer b = serve("b", 0);
    ServiceInstances instances =
        new ServiceInstances("customer", url(a) + ", " + url(b) + "/", false, now::get);
    WebClient client = WebClient.builder().baseUrl(instances.baseUrl()).filter(instances).build();

    assertThat(List.of(get(client), get(client), get(client), get(client)))
        .containsExactly("a", "b", "a", "b");

    int portA = a.port();
    a.disposeNow(); // the replica dies: its port refuses connections
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(get(client));
      answers.add(post(client)); // refused: moved on even though a POST is not resent otherwise
    }
    assertThat(answers).containsOnly("b").hasSize(6);

    serve("a", portA); // back on its port: left out until its back-off (1 s) is over
    assertThat(List.of(get(client), get(client))).containsExactly("b", "b");
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    List<String> after = new ArrayList<>();
    for (int i = 0; i < 4; i++) after.add(get(client));
    assertThat(after).containsExactlyInAnyOrder("a", "a", "b", "b");
  }

  @Test
  void withEveryInstanceDownTheCallFailsAsWithOneUrl() {
    DisposableServer a = serve("a", 0);
    DisposableServer b = serve("b", 0);
    ServiceInstances instances =
        new ServiceInstances("scoring", url(a) + "," + url(b), true, now::get);
    WebClient client = WebClient.builder().baseUrl(instances.baseUrl()).filter(instances).build();
    a.disposeNow();
    b.disposeNow();
    assertThatThrownBy(() -> get(client)).isInstanceOf(WebClientRequestException.class);
    // both are down now: the next call tries only the one due soonest, and fails the same way
    assertThatThrownBy(() -> get(client)).isInstanceOf(WebClientRequestException.class);
  }

  @Test
  void oneUrlWorksAsBeforeAndAnEmptySettingIsRefused() {
    DisposableServer a = serve("a", 0);
    ServiceInstances one = ServiceInstances.of("customer", url(a) + "/", true);
    assertThat(one.urls()).containsExactly(url(a));
    WebClient client = WebClient.builder().baseUrl(one.baseUrl()).filter(one).build();
    assertThat(List.of(get(client), get(client))).containsExactly("a", "a");
    assertThatThrownBy(() -> ServiceInstances.of("customer", " , ", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no URL for customer");
  }
}
