package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A union whose members differ per graph below shareable fields ({@code partial-unions.graphql}):
 * {@code Ticket.thread} and {@code Thread.entries} resolve in desk and mail alike, {@code Entry} is
 * {@code Note | Call} in desk and {@code Note | Email} in mail; {@code Ticket.mailThread} only in
 * mail.
 */
class PartialUnionsTest extends SupergraphFileTest {

  static final TestSubgraph DESK =
      FederationGatewayTest.start(
          """
          type Query { ticket: Ticket }
          type Ticket @key(fields: "id") { id: ID!  thread: Thread @shareable }
          type Thread @shareable { entries: [Entry!]! @shareable }
          union Entry = Note | Call
          type Note @shareable { text: String }
          type Call { minutes: Int }
          """);
  static final TestSubgraph MAIL =
      FederationGatewayTest.start(
          """
          type Query { unused: Int }
          type Ticket @key(fields: "id") { id: ID!  thread: Thread @shareable  mailThread: Thread }
          type Thread @shareable { entries: [Entry!]! @shareable }
          union Entry = Note | Email
          type Note @shareable { text: String }
          type Email { subject: String }
          """);

  static final String ENTRIES =
      "entries { __typename ... on Note { text } ... on Call { minutes }"
          + " ... on Email { subject } }";

  static {
    List<Map<String, Object>> deskEntries =
        List.of(
            Map.of("__typename", "Note", "text", "called back"),
            Map.of("__typename", "Call", "minutes", 12));
    List<Map<String, Object>> mailEntries =
        List.of(
            Map.of("__typename", "Note", "text", "wrote back"),
            Map.of("__typename", "Email", "subject", "Your refund"));
    DESK.fetch(
        "Query", "ticket", e -> Map.of("id", "t1", "thread", Map.of("entries", deskEntries)));
    MAIL.entities(
        (t, r) ->
            Map.of(
                "thread", Map.of("entries", mailEntries),
                "mailThread", Map.of("entries", mailEntries)));
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    String file = supergraphFile("partial-unions.graphql", Map.of("DESK", DESK, "MAIL", MAIL));
    r.add("retain.gateway.supergraph", () -> file);
  }

  @Override
  List<TestSubgraph> subgraphs() {
    return List.of(DESK, MAIL);
  }

  @Test
  void aMemberNotSharedByEveryGraphResolvingTheShareablePathComesBackWithNullFields() {
    Map<String, Object> r = post("{ ticket { thread { " + ENTRIES + " } } }");
    assertThat(r).doesNotContainKey("errors");
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("__typename", "Call");
    call.put("minutes", null);
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "ticket",
                Map.of(
                    "thread",
                    Map.of(
                        "entries",
                        List.of(Map.of("__typename", "Note", "text", "called back"), call)))));
    // mail could resolve the same path and has no Call: the fragment on Call is not sent
    assertThat(DESK.received).hasSize(1);
    assertThat(DESK.received.get(0))
        .contains("text")
        .doesNotContain("Call")
        .doesNotContain("minutes");
    assertThat(MAIL.received).isEmpty();
  }

  @Test
  void aFieldOnlyOneGraphResolvesKeepsThatGraphsMembers() {
    Map<String, Object> r = post("{ ticket { mailThread { " + ENTRIES + " } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "ticket",
                Map.of(
                    "mailThread",
                    Map.of(
                        "entries",
                        List.of(
                            Map.of("__typename", "Note", "text", "wrote back"),
                            Map.of("__typename", "Email", "subject", "Your refund"))))));
    assertThat(MAIL.received).hasSize(1);
    assertThat(MAIL.received.get(0)).contains("Email").contains("subject");
  }
}
