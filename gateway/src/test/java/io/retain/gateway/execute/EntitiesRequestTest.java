package io.retain.gateway.execute;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.GraphQLError;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import io.retain.gateway.plan.QueryPlanner;
import io.retain.gateway.plan.Step;
import io.retain.gateway.supergraph.Supergraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The parts of a plan's execution without subgraphs: representations found in merged data, the
 * batched {@code _entities} document and its pruned variables, answers merged back and errors
 * re-pathed to client paths.
 */
class EntitiesRequestTest {

  private static final String QUERY =
      "query ($n: Int, $unused: String) { product { upc maker { name country } } }";

  private final OperationDefinition op =
      (OperationDefinition) Parser.parse(QUERY).getDefinitions().get(0);
  private final Step makerStep;

  EntitiesRequestTest() throws Exception {
    Supergraph sg =
        Supergraph.parse(Files.readString(Path.of("src/test/resources/supergraph/chain.graphql")));
    GatewayEngine engine = new GatewayEngine(sg, g -> null);
    List<Step> plan =
        new QueryPlanner(sg, engine.schema())
            .plan(
                engine.schema().getQueryType().getName(),
                op.getSelectionSet().getSelections(),
                Map.of());
    makerStep = plan.get(0).children().get(0);
  }

  private static Map<String, Object> product(String upc) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("__typename", "Product");
    p.put("upc", upc);
    p.put("maker", new LinkedHashMap<>(Map.of("__typename", "Maker", "name", "m-" + upc)));
    return p;
  }

  @Test
  void oneBatchedDocumentWithRepresentationsAndOnlyTheVariablesItUses() {
    Map<String, Object> data = new LinkedHashMap<>(Map.of("product", product("u1")));
    EntitiesRequest.Part part =
        new Representations(Set.of()).part(makerStep, List.of(new Anchor(data, List.of())));

    assertThat(part.entities()).extracting(Anchor::path).containsExactly(List.of("product"));
    assertThat(part.representations())
        .containsExactly(Map.of("__typename", "Product", "upc", "u1"));
    EntitiesRequest request = new EntitiesRequest(List.of(part, part));
    assertThat(request.document(op))
        .isEqualTo(
            "query($r0:[_Any!]!,$r1:[_Any!]!){"
                + " r0:_entities(representations:$r0){__typename ... on Product {maker{country"
                + " __typename}}}"
                + " r1:_entities(representations:$r1){__typename ... on Product {maker{country"
                + " __typename}}}}");
    assertThat(request.variables(op, Map.of("n", 3, "unused", "x")))
        .containsOnlyKeys("r0", "r1")
        .containsEntry("r0", List.of(Map.of("__typename", "Product", "upc", "u1")));
  }

  @Test
  void objectsOfOtherTypesOrWithoutTheirKeyGetNoRepresentation() {
    Map<String, Object> noKey = product("u1");
    noKey.remove("upc");
    Map<String, Object> data = new LinkedHashMap<>(Map.of("product", noKey));
    assertThat(new Representations(Set.of()).part(makerStep, List.of(new Anchor(data, List.of()))))
        .isNull();
    Map<String, Object> other = product("u2");
    other.put("__typename", "Shelf");
    data.put("product", other);
    assertThat(new Representations(Set.of()).part(makerStep, List.of(new Anchor(data, List.of()))))
        .isNull();
  }

  @Test
  void errorsArePathedToTheObjectTheyConcernOrToWhereTheDataWouldHaveGone() {
    Map<String, Object> data =
        new LinkedHashMap<>(Map.of("list", new ArrayList<>(List.of(product("a"), product("b")))));
    List<Anchor> anchors =
        List.of(
            new Anchor(product("a"), List.of("list", 0, "product")),
            new Anchor(product("b"), List.of("list", 1, "product")));
    EntitiesRequest request =
        new EntitiesRequest(
            List.of(new EntitiesRequest.Part(makerStep, anchors, List.of(Map.of(), Map.of()))));

    assertThat(request.clientPath(List.of("r0", 1, "maker", "country")))
        .containsExactly("list", 1, "product", "maker", "country");
    assertThat(request.clientPath(List.of("r0", 2, "maker"))).isNull();
    assertThat(request.clientPath(List.of("product"))).isNull();
    assertThat(request.unavailablePaths()).containsExactly(List.of("list"));

    List<GraphQLError> errors = new ArrayList<>();
    Map<String, Object> resp =
        Map.of(
            "errors",
            List.of(
                Map.of("message", "boom", "path", List.of("r0", 0, "maker")),
                Map.of(
                    "message",
                    "down",
                    "extensions",
                    Map.of("code", SubgraphClient.UNAVAILABLE, "subgraph", "b"))));
    ErrorPaths.addErrors(resp, errors, request::clientPath, request.unavailablePaths());
    assertThat(errors)
        .extracting(GraphQLError::getMessage, GraphQLError::getPath)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("boom", List.of("list", 0, "product", "maker")),
            org.assertj.core.groups.Tuple.tuple("down", List.of("list")));
    assertThat(errors.get(1).getExtensions()).containsEntry("code", SubgraphClient.UNAVAILABLE);
    assertThat(data).containsOnlyKeys("list");
  }

  @Test
  void answersMergeDeeplyWithoutNullsOrInterfaceNamesOverwritingAndAliasesMappedBack() {
    ResponseMerger merger = new ResponseMerger(Set.of("Node"));
    Map<String, Object> into = product("u1");
    into.put("tags", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("a", 1)))));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("__typename", "Node");
    answer.put("upc", null);
    answer.put("maker", Map.of("country", "NL"));
    answer.put("tags", List.of(Map.of("b", 2)));
    answer.put("name__alias_0", "renamed");
    merger.mergeAnswer(into, answer, true);

    assertThat(into)
        .containsEntry("__typename", "Product")
        .containsEntry("upc", "u1")
        .containsEntry("maker", Map.of("__typename", "Maker", "name", "m-u1", "country", "NL"))
        .containsEntry("tags", List.of(Map.of("a", 1, "b", 2)))
        .containsEntry("name", "renamed")
        .doesNotContainKey("name__alias_0");
  }

  @Test
  void onlyVariablesTheBodyReallyUsesAreDeclaredWithTheirDefaults() {
    OperationDefinition withDefaults =
        (OperationDefinition)
            Parser.parse("query ($n: Int = 2, $nn: String, $m: [ID!]!) { a }")
                .getDefinitions()
                .get(0);
    assertThat(OperationVariables.uses("{a(x:$nn)}", "n")).isFalse();
    assertThat(OperationVariables.uses("{a(x:$n,y:$nn)}", "n")).isTrue();
    assertThat(OperationVariables.definitions(withDefaults, "{a(x:$n)}", "$r0:[_Any!]!"))
        .isEqualTo("($r0:[_Any!]!,$n:Int=2)");
    assertThat(OperationVariables.definitions(withDefaults, "{a}", "")).isEmpty();
    assertThat(
            OperationVariables.used(
                withDefaults, "{a(x:$nn,y:$m)}", Map.of("n", 1, "nn", "s", "m", List.of())))
        .containsOnlyKeys("nn", "m");
  }
}
