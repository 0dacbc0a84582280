package io.retain.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import io.retain.gateway.document.DocumentCache;
import io.retain.gateway.document.ParserLimits;
import io.retain.gateway.limits.QueryLimits.Limits;
import io.retain.gateway.limits.QueryLimits.Violation;
import java.time.Duration;
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

  @Test
  void fragmentBombsAreMeasuredOncePerFragmentAndRefused() {
    QueryLimits defaults = new QueryLimits(Limits.defaults());
    assertThat(Bombs.bomb(16)).hasSize(760); // the probe's 759 bytes and a final newline
    // expanding every spread took 2.8 s of CPU at n=16 and grows 3x per level: n=40 never ends
    Violation v16 =
        assertTimeoutPreemptively(
                Duration.ofSeconds(20), () -> defaults.check(Bombs.bomb(16), null, Map.of()))
            .orElseThrow();
    Violation v40 =
        assertTimeoutPreemptively(
                Duration.ofSeconds(20), () -> defaults.check(Bombs.bomb(40), null, Map.of()))
            .orElseThrow();

    assertThat(v16.code()).isEqualTo("QUERY_TOO_COMPLEX");
    assertThat(v16.actual()).isEqualTo(43_046_721L); // 3^16 fields once expanded
    assertThat(v40.code()).isEqualTo("QUERY_TOO_COMPLEX");
    assertThat(v40.actual()).isEqualTo(Long.MAX_VALUE); // 3^40 saturates
  }

  @Test
  void aliasesAndDepthInsideFragmentsCountWhereSpread() {
    // F has 2 aliases and 2 levels; spread twice at depth 2 → 4 aliases, depth 3
    String q = "{ a { ...F ...F } } fragment F on A { x: b { c } y: d }";
    Violation v = limits.check(q, null, Map.of()).orElseThrow();
    assertThat(v.code()).isEqualTo("TOO_MANY_ALIASES");
    assertThat(v.actual()).isEqualTo(4);
  }

  @Test
  void aVariablesDefaultIsItsPageSizeWhenNoneIsSupplied() {
    String q = "query($n: Int = 1000) { a: customersByLoyalty(first: $n) { id } }";
    Violation v = limits.check(q, null, Map.of()).orElseThrow();
    assertThat(v.code()).isEqualTo("QUERY_TOO_COMPLEX");
    assertThat(v.actual()).isEqualTo(1_001);
    assertThat(limits.check(q, null, Map.of("n", 10))).isEmpty(); // supplied wins
  }

  @Test
  void anArgumentsDefaultInTheSchemaIsItsPageSize() {
    GraphQLSchema schema =
        UnExecutableSchemaGenerator.makeUnExecutableSchema(
            new SchemaParser()
                .parse("type Query { items(first: Int = 800): [Item] }  type Item { id: ID }"));
    String q = "{ items { id } }";
    Violation v = limits.check(q, null, Map.of(), schema).orElseThrow();
    assertThat(v.code()).isEqualTo("QUERY_TOO_COMPLEX");
    assertThat(v.actual()).isEqualTo(801);
    assertThat(limits.check(q, null, Map.of())).isEmpty(); // without the schema: 2
  }

  @Test
  void theParsersTokenAndNestingLimitsAreRefusedWithTheirCodes() {
    QueryLimits small =
        new QueryLimits(
            new Limits(64 * 1024, 100, 100, 1_000_000),
            new DocumentCache(new ParserLimits(64 * 1024, 1_000, 1_000, 60), 1 << 20));

    Violation tokens = small.check("{ " + "a ".repeat(1_200) + "}", null, Map.of()).orElseThrow();
    assertThat(tokens.code()).isEqualTo("DOCUMENT_TOO_LARGE");
    assertThat(tokens.limit()).isEqualTo(1_000);
    assertThat(tokens.actual()).isEqualTo(1_001);

    Violation spaces = small.check("{ a" + " ".repeat(1_200) + "}", null, Map.of()).orElseThrow();
    assertThat(spaces.code()).isEqualTo("DOCUMENT_TOO_LARGE");
    assertThat(spaces.message()).contains("whitespace");

    Violation deep = small.check("{ a ".repeat(40) + "}".repeat(40), null, Map.of()).orElseThrow();
    assertThat(deep.code()).isEqualTo("QUERY_TOO_DEEP");
    assertThat(deep.limit()).isEqualTo(60);
  }
}
