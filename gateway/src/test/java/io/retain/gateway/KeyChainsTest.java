package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Keys that the graph where an object is found cannot give ({@code keys.graphql}): {@code
 * Customer.segment} is shared by desk and model, which both hold {@code Customer.id} only as
 * {@code @external}; {@code Segment} has a key only in segments, and its {@code id} comes only from
 * model, where {@code Segment} has no key.
 */
class KeyChainsTest extends SupergraphFileTest {

  static final TestSubgraph CRM =
      FederationGatewayTest.start(
          """
          type Query { customer(id: ID!): Customer }
          type Customer @key(fields: "id") { id: ID  name: String }
          """);
  static final TestSubgraph DESK =
      FederationGatewayTest.start(
          """
          type Query { unused: Int }
          type Customer @key(fields: "id") { id: ID @external  segment: Segment @shareable }
          type Segment { details: String }
          """);
  static final TestSubgraph MODEL =
      FederationGatewayTest.start(
          """
          type Query { unused: Int }
          type Customer @key(fields: "id") { id: ID @external  segment: Segment @shareable }
          type Segment { id: ID @shareable }
          """);
  static final TestSubgraph SEGMENTS =
      FederationGatewayTest.start(
          """
          type Query { unused: Int }
          type Segment @key(fields: "id") { id: ID  label: String }
          """);

  static {
    CRM.fetch(
        "Query",
        "customer",
        e -> Map.of("id", e.getArgument("id"), "name", "Customer " + e.getArgument("id")));
    DESK.entities((t, r) -> Map.of("segment", Map.of("details", "details of " + r.get("id"))));
    MODEL.entities((t, r) -> Map.of("segment", Map.of("id", "s-" + r.get("id"))));
    SEGMENTS.entities((t, r) -> Map.of("label", "Segment " + r.get("id")));
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    String file =
        supergraphFile(
            "keys.graphql", Map.of("CRM", CRM, "DESK", DESK, "MODEL", MODEL, "SEGMENTS", SEGMENTS));
    r.add("retain.gateway.supergraph", () -> file);
  }

  @Override
  List<TestSubgraph> subgraphs() {
    return List.of(CRM, DESK, MODEL, SEGMENTS);
  }

  @Test
  void aKeyOnlyAnEnclosingEntityFetchSuppliesIsFetchedThereBeforeTheKeyedFetch() {
    Map<String, Object> r =
        post("{ customer(id: \"c1\") { id name segment { details id label } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "customer",
                Map.of(
                    "id",
                    "c1",
                    "name",
                    "Customer c1",
                    "segment",
                    Map.of("details", "details of c1", "id", "s-c1", "label", "Segment s-c1"))));
    // desk gets the segment, its customer's external id not asked of it; model, by that
    // customer's id, gives the segment's id; segments is asked by that id after model answered
    assertThat(DESK.received).hasSize(1);
    assertThat(DESK.received.get(0)).contains("segment{details").doesNotContainPattern("\\bid\\b");
    assertThat(MODEL.received).hasSize(1);
    assertThat(MODEL.received.get(0)).contains("segment{id");
    assertThat(SEGMENTS.received).hasSize(1);
    assertThat(SEGMENTS.received.get(0)).contains("... on Segment {label}");
    assertThat(CRM.received).hasSize(1);
  }
}
