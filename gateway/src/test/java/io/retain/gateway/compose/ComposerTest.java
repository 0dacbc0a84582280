package io.retain.gateway.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retain.gateway.supergraph.Supergraph;
import java.util.LinkedHashMap;
import java.util.Map;
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
}
