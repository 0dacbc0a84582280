package io.retain.gateway.testsubgraph;

import com.sun.net.httpserver.HttpServer;
import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.language.ObjectTypeDefinition;
import graphql.schema.Coercing;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.idl.*;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A small federation subgraph: plain graphql-java behind the JDK HTTP server, on a random port. */
public final class TestSubgraph implements AutoCloseable {

  private static final String FED =
      """
      scalar _Any
      type _Service { sdl: String }
      directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
      directive @external on FIELD_DEFINITION | OBJECT
      directive @requires(fields: String!) on FIELD_DEFINITION
      directive @provides(fields: String!) on FIELD_DEFINITION
      directive @shareable repeatable on OBJECT | FIELD_DEFINITION
      directive @override(from: String!) on FIELD_DEFINITION
      directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ENUM | ENUM_VALUE | SCALAR | INPUT_OBJECT | INPUT_FIELD_DEFINITION | ARGUMENT_DEFINITION
      directive @interfaceObject on OBJECT
      """;

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The GraphQL context key of the call's Authorization header ("" when none). */
  public static final String AUTHORIZATION = "authorization";

  private volatile HttpServer server;
  private final int port;
  private volatile long delayMillis;
  private final Map<String, Map<String, DataFetcher<?>>> fetchers = new HashMap<>();
  private volatile String sdl;
  private volatile GraphQL graphql;
  private BiFunction<String, Map<String, Object>, Object> entityResolver = (t, r) -> null;

  /** Queries received, in order. */
  public final List<String> received = new CopyOnWriteArrayList<>();

  /** The variables of the queries received, in order ({@code {}} without any). */
  public final List<Map<String, Object>> receivedVariables = new CopyOnWriteArrayList<>();

  /** Authorization headers received, in order. */
  public final List<String> authorizations = new CopyOnWriteArrayList<>();

  /** W3C traceparent headers received, in order. */
  public final List<String> traceparents = new CopyOnWriteArrayList<>();

  public TestSubgraph(String sdl) throws IOException {
    this.sdl = sdl;
    server = listen(0);
    port = server.getAddress().getPort();
  }

  private HttpServer listen(int port) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    s.createContext("/graphql", this::handle);
    s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    s.start();
    return s;
  }

  /** Stops listening: the gateway's next calls are refused, as with a stopped process. */
  public void stop() {
    server.stop(0);
  }

  /** Listens again on the same port, like the process coming back. */
  public void restart() throws IOException {
    server = listen(port);
  }

  /** Answers every request only after this delay (to exceed the gateway's time limit). */
  public void delay(java.time.Duration d) {
    delayMillis = d.toMillis();
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/graphql";
  }

  /** Registers a data fetcher for type.field. */
  public TestSubgraph fetch(String type, String field, DataFetcher<?> f) {
    fetchers.computeIfAbsent(type, k -> new HashMap<>()).put(field, f);
    graphql = null;
    return this;
  }

  /** Resolves entity representations: (typename, representation) to a map or null. */
  public TestSubgraph entities(BiFunction<String, Map<String, Object>, Object> resolver) {
    this.entityResolver = resolver;
    return this;
  }

  /** Replaces the schema (to show schema changes reaching the gateway). */
  public void setSdl(String sdl) {
    this.sdl = sdl;
    graphql = null;
  }

  /** Number of received requests whose document contains the text. */
  public long count(String text) {
    return received.stream().filter(q -> q.contains(text)).count();
  }

  GraphQL graphql() {
    GraphQL built = graphql;
    if (built != null) return built;
    TypeDefinitionRegistry reg = new SchemaParser().parse(FED + sdl);
    List<String> entities = new ArrayList<>();
    for (ObjectTypeDefinition o : reg.getTypes(ObjectTypeDefinition.class)) {
      if (o.hasDirective("key")) entities.add(o.getName());
    }
    for (var ext : reg.objectTypeExtensions().values()) {
      for (var o : ext)
        if (o.hasDirective("key") && !entities.contains(o.getName())) entities.add(o.getName());
    }
    String extra =
        (entities.isEmpty() ? "" : "union _Entity = " + String.join(" | ", entities) + "\n")
            + "extend type Query { _service: _Service! "
            + (entities.isEmpty() ? "" : "_entities(representations: [_Any!]!): [_Entity]! ")
            + "}";
    reg.merge(new SchemaParser().parse(extra));
    RuntimeWiring.Builder w = RuntimeWiring.newRuntimeWiring();
    w.scalar(
        GraphQLScalarType.newScalar()
            .name("_Any")
            .coercing(
                new Coercing<Object, Object>() {
                  @Override
                  public Object serialize(Object o) {
                    return o;
                  }

                  @Override
                  public Object parseValue(Object o) {
                    return o;
                  }

                  @Override
                  public Object parseLiteral(Object o) {
                    return o;
                  }
                })
            .build());
    String currentSdl = sdl;
    w.type(
        "Query",
        b -> {
          b.dataFetcher("_service", e -> Map.of("sdl", currentSdl));
          b.dataFetcher(
              "_entities",
              e -> {
                List<Map<String, Object>> reps = e.getArgument("representations");
                List<Object> out = new ArrayList<>();
                for (Map<String, Object> r : reps) {
                  Object o = entityResolver.apply((String) r.get("__typename"), r);
                  if (o instanceof Map<?, ?> m) {
                    Map<String, Object> copy = new LinkedHashMap<>(r);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> mm = (Map<String, Object>) m;
                    copy.putAll(mm);
                    out.add(copy);
                  } else out.add(o);
                }
                return out;
              });
          fetchers.getOrDefault("Query", Map.of()).forEach(b::dataFetcher);
          return b;
        });
    fetchers.forEach(
        (type, fs) -> {
          if (!type.equals("Query")) w.type(type, b -> b.dataFetchers(new HashMap<>(fs)));
        });
    for (String abstractType : abstractTypes(reg)) {
      w.type(
          abstractType,
          b ->
              b.typeResolver(
                  env ->
                      (GraphQLObjectType)
                          env.getSchema()
                              .getType((String) ((Map<?, ?>) env.getObject()).get("__typename"))));
    }
    w.type(
        "_Entity",
        b ->
            b.typeResolver(
                env -> {
                  Map<?, ?> m = (Map<?, ?>) env.getObject();
                  return (GraphQLObjectType) env.getSchema().getType((String) m.get("__typename"));
                }));
    graphql =
        GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(reg, w.build())).build();
    return graphql;
  }

  private static List<String> abstractTypes(TypeDefinitionRegistry reg) {
    List<String> out = new ArrayList<>();
    reg.getTypes(graphql.language.UnionTypeDefinition.class).stream()
        .map(u -> u.getName())
        .filter(n -> !n.equals("_Entity"))
        .forEach(out::add);
    reg.getTypes(graphql.language.InterfaceTypeDefinition.class).forEach(i -> out.add(i.getName()));
    return out;
  }

  private void handle(com.sun.net.httpserver.HttpExchange ex) throws IOException {
    // every request gets an answer: an exchange closed without one leaves the gateway waiting
    // for its own time limit, which a test reports as a bare client timeout
    int status = 200;
    byte[] out;
    try {
      // simulated latency of a slow subgraph (what the gateway's time limits are tested against),
      // not a test waiting for a signal
      if (delayMillis > 0) Thread.sleep(delayMillis);
      Map<?, ?> body = JSON.readValue(ex.getRequestBody().readAllBytes(), Map.class);
      String q = (String) body.get("query");
      received.add(q);
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth != null) authorizations.add(auth);
      String traceparent = ex.getRequestHeaders().getFirst("traceparent");
      if (traceparent != null) traceparents.add(traceparent);
      @SuppressWarnings("unchecked")
      Map<String, Object> vars =
          body.get("variables") == null ? Map.of() : (Map<String, Object>) body.get("variables");
      receivedVariables.add(vars);
      var result =
          graphql()
              .execute(
                  ExecutionInput.newExecutionInput()
                      .query(q)
                      .variables(vars)
                      // what a data fetcher may read: the Authorization header of this call
                      .graphQLContext(Map.of(AUTHORIZATION, auth == null ? "" : auth))
                      .build());
      out = JSON.writeValueAsBytes(result.toSpecification());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = 500;
      out = "{\"errors\":[{\"message\":\"interrupted\"}]}".getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException | Error e) {
      status = 500;
      out = JSON.writeValueAsBytes(Map.of("errors", List.of(Map.of("message", String.valueOf(e)))));
    }
    try (ex) {
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, out.length);
      ex.getResponseBody().write(out);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
