package io.retain.gateway.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.retain.gateway.supergraph.Supergraph;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Subgraph SDLs merge by type name; conflicts name the type, field and subgraphs. */
class ComposerTest {

  private static Map<String, String> urls(String... names) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String n : names) m.put(n, "http://" + n + "/graphql");
    return m;
  }

  @Test
  void aFieldResolvedByTwoSubgraphsWithoutShareableStopsComposition() {
    Map<String, String> sdls = new LinkedHashMap<>();
    sdls.put("a", "type Query { a: T } type T @key(fields: \"id\") { id: ID! name: String }");
    sdls.put("b", "type Query { b: T } type T @key(fields: \"id\") { id: ID! name: String }");
    assertThatThrownBy(() -> Composer.compose(sdls, urls("a", "b")))
        .isInstanceOf(Composer.CompositionException.class)
        .hasMessageContaining("T.name")
        .hasMessageContaining("a")
        .hasMessageContaining("b");
  }

  @Test
  void shareableKeyExternalAndOverrideCompose() {
    Map<String, String> sdls = new LinkedHashMap<>();
    sdls.put(
        "a",
        "type Query { a: T } type T @key(fields: \"id\") { id: ID! name: String @shareable"
            + " old: Int price: Int }");
    sdls.put(
        "b",
        "type Query { b: T } type T @key(fields: \"id\") { id: ID! name: String @shareable"
            + " old: Int @override(from: \"a\") price: Int @external tax: Int @requires(fields:"
            + " \"price\") }");
    Supergraph sg = Supergraph.parse(Composer.compose(sdls, urls("a", "b")));
    assertThat(sg.owners("T", "name")).containsExactly("A", "B");
    assertThat(sg.owners("T", "old")).containsExactly("B");
    assertThat(sg.owners("T", "price")).containsExactly("A");
    assertThat(sg.type("T").fields().get("tax").requires()).containsEntry("B", "price");
    assertThat(sg.key("T", "B").fields()).isEqualTo("id");
    assertThat(sg.urls()).containsEntry("A", "http://a/graphql");
  }

  @Test
  void differingFieldTypesStopComposition() {
    Map<String, String> sdls = new LinkedHashMap<>();
    sdls.put("a", "type Query { a: T } type T { x: Int @shareable }");
    sdls.put("b", "type Query { b: T } type T { x: String @shareable }");
    assertThatThrownBy(() -> Composer.compose(sdls, urls("a", "b")))
        .hasMessageContaining("T.x")
        .hasMessageContaining("a")
        .hasMessageContaining("b");
  }

  @Test
  void theSdlIsReadWithTheSubgraphToken() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/graphql",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          seen.add(String.valueOf(auth));
          byte[] body =
              ("Bearer s3rvice".equals(auth)
                      ? "{\"data\":{\"_service\":{\"sdl\":\"type Query { a: Int }\"}}}"
                      : "{\"data\":null,\"errors\":[{\"extensions\":{\"code\":\"UNAUTHENTICATED\"}}]}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      Map<String, String> subgraphs =
          Map.of("a", "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql");
      Supergraph sg = Supergraph.parse(Composer.compose(subgraphs, "Bearer s3rvice"));
      assertThat(sg.urls()).containsKey("A");
      assertThatThrownBy(() -> Composer.compose(subgraphs, (String) null))
          .hasMessageContaining("gave no SDL")
          .hasMessageContaining("UNAUTHENTICATED");
      assertThat(seen).containsExactly("Bearer s3rvice", "null");
    } finally {
      server.stop(0);
    }
  }
}
