package io.retain.gateway.execute;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.language.Document;
import graphql.language.NodeUtil;
import graphql.parser.Parser;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeRuntimeWiring;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway completes query responses itself ({@link ResultShaper}) instead of running
 * graphql-java's execution over the merged data. Each case here runs both on the same schema and
 * merged data and requires the same response: data equal, errors at the same paths.
 */
class ResultShaperTest {

  private static final String SDL =
      """
      type Query {
        customers: [Customer!]!
        customer(id: ID): Customer
        strict: Customer!
        search: [Result]
        node: Node
        count: Int
      }
      interface Node { id: ID! }
      type Customer implements Node {
        id: ID!
        name: String
        tier: Tier
        score: Float
        tags: [String!]
        plans: [Plan!]
        owner: Person!
      }
      type Person implements Node { id: ID! name: String! }
      type Plan { code: String! due: String }
      union Result = Customer | Person
      enum Tier { LOYAL AT_RISK }
      """;

  private static final GraphQLSchema SCHEMA = schema();

  static List<Object[]> cases() {
    Map<String, Object> plan = map("code", "P1", "due", null);
    Map<String, Object> ann =
        map(
            "__typename",
            "Customer",
            "id",
            "C1",
            "name",
            "Ann",
            "tier",
            "LOYAL",
            "score",
            54.4,
            "tags",
            List.of("a", "b"),
            "plans",
            List.of(plan),
            "owner",
            map("id", "P9", "name", "Olga"));
    Map<String, Object> bob =
        map(
            "__typename",
            "Customer",
            "id",
            "C2",
            "name",
            null,
            "tier",
            "AT_RISK",
            "score",
            12,
            "plans",
            List.of(map("code", null)),
            "owner",
            map("id", "P8", "name", null));
    Map<String, Object> person = map("__typename", "Person", "id", "P1", "name", "Pia");
    return List.of(
        new Object[] {
          "plain fields, aliases, __typename and an enum",
          "{ c: customer { __typename id n: name tier score tags } count }",
          Map.of(),
          map("c", ann, "count", 3)
        },
        new Object[] {
          "a null in a non-null list item nulls the nearest nullable parent, with one error",
          "{ customer { id plans { code due } } }",
          Map.of(),
          map("customer", bob)
        },
        new Object[] {
          "a null bubbling through non-null fields up to the root makes data null",
          "{ strict { owner { name } } }",
          Map.of(),
          map("strict", bob)
        },
        new Object[] {
          "a null in a non-null list of non-null items: the list's nullable parent is null",
          "{ customers { id owner { name } } count }",
          Map.of(),
          map("customers", List.of(ann, bob), "count", 1)
        },
        new Object[] {
          "fragments on a union and an interface, by concrete type",
          """
          query { search { __typename ...C ... on Person { pname: name } ... on Node { id } } node { id ... on Person { name } } }
          fragment C on Customer { name tier }
          """,
          Map.of(),
          map("search", List.of(ann, person), "node", person)
        },
        new Object[] {
          "@skip and @include with literals, variables and defaults",
          """
          query($s: Boolean!, $i: Boolean = false) {
            customer { id name @skip(if: $s) tier @include(if: $i) score @include(if: true)
              ... @skip(if: true) { tags } owner @include(if: $s) { id } }
          }
          """,
          Map.of("s", true),
          map("customer", ann)
        },
        new Object[] {
          "the same response key selected twice merges its sub-selections",
          "{ customer { owner { id } owner { name } } }",
          Map.of(),
          map("customer", ann)
        },
        new Object[] {
          "an unknown enum value and a wrong typename are errors with null",
          "{ customer { tier } search { __typename } }",
          Map.of(),
          map(
              "customer",
              map("tier", "GOLD"),
              "search",
              List.of(map("__typename", "Robot"), map("__typename", "Node"), person))
        },
        new Object[] {
          "missing root data is null", "{ customer { id } customers { id } }", Map.of(), map()
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void completesLikeGraphqlJava(
      String name, String query, Map<String, Object> vars, Map<String, Object> data) {
    ExecutionResult expected = reference(query, vars, data);
    assertThat(expected.getErrors())
        .as("the case is a valid request")
        .noneMatch(e -> e.getErrorType() == graphql.ErrorType.ValidationError);
    ExecutionResult actual = shaped(query, vars, data);

    Object want = expected.getData();
    Object got = actual.getData();
    assertThat(got).as("data").isEqualTo(want);
    assertThat(paths(actual.getErrors())).as("error paths").isEqualTo(paths(expected.getErrors()));
  }

  @Test
  void nullPropagationWithValues() {
    Map<String, Object> bob =
        map("__typename", "Customer", "id", "C2", "plans", List.of(map("code", null)));

    ExecutionResult r =
        shaped("{ customer { id plans { code } } }", Map.of(), map("customer", bob));

    // plans is [Plan!]: the null code nulls its Plan, which nulls the list, which is nullable
    assertThat(r.toSpecification().get("data"))
        .isEqualTo(map("customer", map("id", "C2", "plans", null)));
    assertThat(r.getErrors()).hasSize(1);
    assertThat(r.getErrors().get(0).getPath()).containsExactly("customer", "plans", 0, "code");
    assertThat(r.getErrors().get(0).getMessage()).contains("non null");
  }

  private static ExecutionResult shaped(
      String query, Map<String, Object> vars, Map<String, Object> data) {
    Document doc = Parser.parse(query);
    NodeUtil.GetOperationResult op = NodeUtil.getOperation(doc, null);
    // coerced as the gateway does it (defaults applied)
    Map<String, Object> coerced =
        graphql.execution.ValuesResolver.coerceVariableValues(
                SCHEMA,
                op.operationDefinition.getVariableDefinitions(),
                graphql.execution.RawVariables.of(vars),
                graphql.GraphQLContext.getDefault(),
                java.util.Locale.getDefault())
            .toMap();
    List<GraphQLError> errors = new ArrayList<>();
    Map<String, Object> out =
        new ResultShaper(SCHEMA, op.fragmentsByName, coerced, errors)
            .shape(SCHEMA.getQueryType(), op.operationDefinition.getSelectionSet(), data);
    return ExecutionResult.newExecutionResult().data(out).errors(errors).build();
  }

  private static ExecutionResult reference(
      String query, Map<String, Object> vars, Map<String, Object> data) {
    return GraphQL.newGraphQL(SCHEMA)
        .build()
        .execute(ExecutionInput.newExecutionInput(query).variables(vars).root(data).build());
  }

  private static List<List<Object>> paths(List<GraphQLError> errors) {
    return errors.stream()
        .map(e -> e.getPath() == null ? List.<Object>of() : e.getPath())
        .sorted((a, b) -> Objects.toString(a).compareTo(Objects.toString(b)))
        .toList();
  }

  private static GraphQLSchema schema() {
    DataFetcher<Object> byKey =
        env -> ((Map<?, ?>) env.getSource()).get(env.getField().getResultKey());
    TypeResolver byTypename =
        env ->
            env.getObject() instanceof Map<?, ?> m
                    && m.get("__typename") instanceof String t
                    && env.getSchema().getType(t) instanceof graphql.schema.GraphQLObjectType o
                ? o
                : null;
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .codeRegistry(
                graphql.schema.GraphQLCodeRegistry.newCodeRegistry()
                    .defaultDataFetcher(env -> byKey))
            .type(TypeRuntimeWiring.newTypeWiring("Node").typeResolver(byTypename))
            .type(TypeRuntimeWiring.newTypeWiring("Result").typeResolver(byTypename))
            .build();
    return new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL), wiring);
  }

  /** A map that keeps order and allows null values. */
  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }
}
