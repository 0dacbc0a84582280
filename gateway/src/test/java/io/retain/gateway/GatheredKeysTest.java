package io.retain.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.testsubgraph.TestSubgraph;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Keys whose fields come from several graphs ({@code gathered-keys.graphql}): crm has the
 * portfolio, its accounts' ids and regions; ledger gives an account's number by its id; billing
 * needs {@code id number region { id code }} for the balance, risk {@code accounts { id number }}
 * for the riskiest account. Neither key can be filled where the objects are found.
 */
class GatheredKeysTest extends SupergraphFileTest {

  static final TestSubgraph CRM =
      FederationGatewayTest.start(
          """
          type Query { portfolio: Portfolio! }
          type Portfolio @key(fields: "accounts { id }") { accounts: [Account!]! }
          type Account @key(fields: "id") { id: ID!  region: Region @shareable }
          type Region @key(fields: "id") { id: ID!  code: String @shareable }
          """);
  static final TestSubgraph LEDGER =
      FederationGatewayTest.start(
          """
          type Query { unused: Int }
          type Account @key(fields: "id") @key(fields: "id number") { id: ID!  number: String! }
          """);
  static final TestSubgraph BILLING =
      FederationGatewayTest.start(
          """
          type Query { unused: Int }
          type Account @key(fields: "id number region { id code }") {
            id: ID!  number: String  region: Region @shareable  balance: Float
          }
          type Region @key(fields: "id code") { id: ID!  code: String @shareable }
          """);
  static final TestSubgraph RISK =
      FederationGatewayTest.start(
          """
          type Query { unused: Int }
          type Portfolio @key(fields: "accounts { id number }") {
            accounts: [Account!]!  riskiest: Account
          }
          type Account @key(fields: "id number") { id: ID!  number: String }
          """);

  static {
    CRM.fetch(
        "Query",
        "portfolio",
        e ->
            Map.of(
                "accounts",
                List.of(
                    Map.of("id", "a1", "region", Map.of("id", "r1", "code", "EU")),
                    Map.of("id", "a2", "region", Map.of("id", "r2", "code", "US")))));
    LEDGER.entities((t, r) -> Map.of("number", "N-" + r.get("id")));
    // the balance is only given for a complete key: every part of it gathered from its graph
    BILLING.entities(
        (t, r) -> {
          Map<?, ?> region = (Map<?, ?>) r.get("region");
          boolean complete =
              ("N-" + r.get("id")).equals(r.get("number"))
                  && region != null
                  && region.get("id") != null
                  && region.get("code") != null;
          Map<String, Object> out = new HashMap<>();
          out.put("balance", complete ? (r.get("id").equals("a1") ? 120.5 : 80.0) : null);
          return out;
        });
    RISK.entities(
        (t, r) -> {
          List<?> accounts = (List<?>) r.get("accounts");
          Map<?, ?> last = (Map<?, ?>) accounts.get(accounts.size() - 1);
          Map<String, Object> riskiest = new HashMap<>();
          riskiest.put("id", last.get("number") == null ? null : last.get("id"));
          return Map.of("riskiest", riskiest);
        });
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    String file =
        supergraphFile(
            "gathered-keys.graphql",
            Map.of("CRM", CRM, "LEDGER", LEDGER, "BILLING", BILLING, "RISK", RISK));
    r.add("retain.gateway.supergraph", () -> file);
  }

  @Override
  List<TestSubgraph> subgraphs() {
    return List.of(CRM, LEDGER, BILLING, RISK);
  }

  @Test
  void aKeyWhoseFieldsComeFromSeveralGraphsIsGatheredBeforeTheKeyedFetch() {
    Map<String, Object> r = post("{ portfolio { accounts { id balance } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(
            Map.of(
                "portfolio",
                Map.of(
                    "accounts",
                    List.of(
                        Map.of("id", "a1", "balance", 120.5),
                        Map.of("id", "a2", "balance", 80.0)))));
    // crm gives ids and regions (never the number it lacks); ledger the numbers; billing is
    // asked once, after ledger answered, with the whole key
    assertThat(CRM.received).hasSize(1);
    assertThat(CRM.received.get(0)).contains("region{id code").doesNotContain("number");
    assertThat(LEDGER.received).hasSize(1);
    assertThat(LEDGER.received.get(0)).contains("number");
    assertThat(BILLING.received).hasSize(1);
    assertThat(BILLING.received.get(0)).contains("balance");
  }

  @Test
  void aNestedKeyFieldTheGraphLacksIsFetchedFromItsOwnerNotAskedOfTheGraph() {
    Map<String, Object> r = post("{ portfolio { riskiest { id } } }");
    assertThat(r).doesNotContainKey("errors");
    assertThat(r.get("data"))
        .isEqualTo(Map.of("portfolio", Map.of("riskiest", Map.of("id", "a2"))));
    // risk's key is accounts { id number }: crm is asked for the ids only, ledger for numbers
    assertThat(CRM.received).hasSize(1);
    assertThat(CRM.received.get(0)).contains("accounts{id").doesNotContain("number");
    assertThat(LEDGER.received).hasSize(1);
    assertThat(RISK.received).hasSize(1);
    assertThat(RISK.received.get(0)).contains("riskiest");
  }
}
