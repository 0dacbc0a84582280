package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Selections at the edge of what a supergraph can answer ({@code nodes.graphql}): an interface no
 * object type implements, known to one graph only as a non-resolvable {@code @interfaceObject}; a
 * shared {@code node} field whose key field is {@code @external} in one graph per type. What cannot
 * be planned is refused before any subgraph call; each request here is the first of its document.
 */
class UnsatisfiableQueriesTest extends SupergraphFileTest {

  static final TestSubgraph NODES =
      FederationGatewayTest.start(
          """
          type Query { a: Node  node(id: ID!): Entity @shareable  account(id: ID!): Account }
          interface Node @key(fields: "id") { id: ID! }
          interface Entity { id: ID! }
          type Account implements Entity @key(fields: "id") { id: ID!  username: String }
          type Chat implements Entity @key(fields: "id") { id: ID! @external  account: Account }
          """);
  static final TestSubgraph STANDINS =
      FederationGatewayTest.start(
          """
          type Query { b: Node  node(id: ID!): Entity @shareable }
          type Node @key(fields: "id", resolvable: false) @interfaceObject { id: ID!  field: String }
          interface Entity { id: ID! }
          type Account implements Entity @key(fields: "id") { id: ID! @external  chats: [Chat] }
          type Chat implements Entity @key(fields: "id") { id: ID!  text: String }
          """);

  static {
    NODES.fetch("Query", "a", e -> Map.of("__typename", "Node", "id", "n1"));
    NODES.fetch("Query", "node", e -> Map.of("__typename", "Account", "id", e.getArgument("id")));
    STANDINS.fetch("Query", "b", e -> Map.of("id", "n1", "field", "foo"));
    STANDINS.fetch(
        "Query",
        "node",
        e -> Map.of("__typename", "Chat", "id", e.getArgument("id"), "text", "hello"));
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    String file = supergraphFile("nodes.graphql", Map.of("NODES", NODES, "STANDINS", STANDINS));
    r.add("retain.gateway.supergraph", () -> file);
  }

  @Override
  List<TestSubgraph> subgraphs() {
    return List.of(NODES, STANDINS);
  }

  @Test
  void anInterfaceNoObjectTypeImplementsIsAnsweredWithItsOwnFields() {
    Map<String, Object> r = post("{ b { id field } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data")).isEqualTo(Map.of("b", Map.of("id", "n1", "field", "foo")));
    // no concrete type to ask the interface's owner for
    assertThat(NODES.received).isEmpty();
    assertThat(STANDINS.received).hasSize(1);
  }

  @Test
  void aFieldOnlyANonResolvableInterfaceObjectHasIsRefused() {
    Map<String, Object> r = post("{ a { field } }");
    assertThat(r).containsKey("errors").containsEntry("data", null);
    assertThat(r.get("errors").toString()).contains("code=UNSATISFIABLE_FIELD", "field=field");
    assertThat(NODES.received).isEmpty();
    assertThat(STANDINS.received).isEmpty();
  }

  @Test
  void aFieldWhoseKeyIsExternalWhereTheObjectIsFoundIsRefused() {
    // Chat.id is external in nodes, Account.id in standins: neither can give every type's id
    Map<String, Object> r = post("{ node(id: \"a1\") { id } }");
    assertThat(r).containsKey("errors").containsEntry("data", null);
    assertThat(NODES.received).isEmpty();
    assertThat(STANDINS.received).isEmpty();
    // asked of one type only, the graph where it is not external answers
    r = post("{ node(id: \"c1\") { ... on Chat { id text } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data")).isEqualTo(Map.of("node", Map.of("id", "c1", "text", "hello")));
    assertThat(STANDINS.received).hasSize(1);
  }
}
