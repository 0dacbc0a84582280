package io.retain.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.gateway.limits.QueryLimits.Limits;
import io.retain.gateway.limits.QueryLimits.Violation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each limit refuses with its own code, the limit and what the operation needed. */
class QueryLimitsTest {

  final QueryLimits limits = new QueryLimits(new Limits(2_000, 4, 3, 500));

  @Test
  void acceptsAnOrdinaryScreenQuery() {
    assertThat(
            limits.check(
                "{ customer(id: \"C001\") { name loyalty { score tier riskFactors { code } } } }",
                null,
                Map.of()))
        .isEmpty();
  }

  @Test
  void refusesADocumentThatIsTooLarge() {
    String big = "{ a " + "b ".repeat(1_500) + "}";
    Violation v = limits.check(big, null, Map.of()).orElseThrow();
    assertThat(v.code()).isEqualTo("DOCUMENT_TOO_LARGE");
    assertThat(v.limit()).isEqualTo(2_000);
    assertThat(v.actual()).isEqualTo(big.length());
  }

  @Test
  void refusesNestingDeeperThanTheLimitCountingFragmentsWhereSpread() {
    String q = "query { a { b { ...F } } } fragment F on B { c { d { e } } }";
    Violation v = limits.check(q, null, Map.of()).orElseThrow();
    assertThat(v.code()).isEqualTo("QUERY_TOO_DEEP");
    assertThat(v.actual()).isEqualTo(5);
    assertThat(v.message()).isEqualTo("The query nests 5 levels; at most 4 are allowed");
  }

  @Test
  void refusesTooManyAliases() {
    String q = "{ a1: customer(id: 1) { id } a2: customer(id: 2) { id } a3: x a4: y }";
    Violation v = limits.check(q, null, Map.of()).orElseThrow();
    assertThat(v.code()).isEqualTo("TOO_MANY_ALIASES");
    assertThat(v.actual()).isEqualTo(4);
  }

  @Test
  void complexityMultipliesByPageSizeIncludingFromVariables() {
    // customers(first: $n) { id name } costs 1 + n × 2
    String q = "query($n: Int) { customers(first: $n) { id name } }";
    assertThat(limits.check(q, null, Map.of("n", 249))).isEmpty(); // 1 + 498 = 499
    Violation v = limits.check(q, null, Map.of("n", 250)).orElseThrow(); // 1 + 500 = 501
    assertThat(v.code()).isEqualTo("QUERY_TOO_COMPLEX");
    assertThat(v.actual()).isEqualTo(501);
  }

  @Test
  void onlyTheSelectedOperationCounts() {
    String q = "query Small { a } query Deep { a { b { c { d { e } } } } }";
    assertThat(limits.check(q, "Small", Map.of())).isEmpty();
    assertThat(limits.check(q, "Deep", Map.of())).isPresent();
  }

  @Test
  void fragmentCyclesDoNotLoopForever() {
    String q = "{ a { ...F } } fragment F on A { b { ...F } }";
    assertThat(limits.check(q, null, Map.of())).isEmpty();
  }
}
