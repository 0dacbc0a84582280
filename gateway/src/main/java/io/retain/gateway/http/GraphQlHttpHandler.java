package io.retain.gateway.http;

import graphql.ExecutionResult;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import io.retain.gateway.GatewayState;
import io.retain.gateway.document.DocumentCache;
import io.retain.gateway.execute.GatewayEngine;
import io.retain.gateway.observe.GatewayTelemetry;
import io.retain.gateway.security.BearerTokenFilter;
import io.retain.gateway.trusted.TrustedDocuments;
import java.util.*;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** GraphQL over HTTP (POST and GET) with the status codes of the GraphQL-over-HTTP spec. */
@Component
public class GraphQlHttpHandler {

  /**
   * A request with this header (any value) and an ADMIN token gets the plan it ran in {@code
   * extensions.queryPlan}: the fetches per subgraph, so a front-end team sees what a query costs.
   */
  public static final String QUERY_PLAN_HEADER = "Retain-Query-Plan";

  public static final MediaType GRAPHQL_RESPONSE =
      MediaType.parseMediaType("application/graphql-response+json");

  private static final ParameterizedTypeReference<Map<String, Object>> MAP =
      new ParameterizedTypeReference<>() {};

  private final GatewayState state;
  private final ObjectMapper json;
  private final io.retain.gateway.limits.QueryLimits limits;
  private final DocumentCache documents;
  private final TrustedDocuments trusted;
  private final GatewayTelemetry telemetry;
  private final boolean introspection;
  private final int maxBodyBytes;

  public GraphQlHttpHandler(
      GatewayState state,
      ObjectMapper json,
      io.retain.gateway.limits.QueryLimits limits,
      DocumentCache documents,
      TrustedDocuments trusted,
      GatewayTelemetry telemetry,
      io.retain.gateway.GatewayProperties props,
      @Value("${retain.gateway.limits.max-body-bytes:262144}") int maxBodyBytes) {
    this.state = state;
    this.json = json;
    this.limits = limits;
    this.documents = documents;
    this.trusted = trusted;
    this.telemetry = telemetry;
    this.introspection = props.introspection();
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Handles POST /graphql with a JSON body. */
  public Mono<ServerResponse> post(ServerRequest req) {
    MediaType accept = negotiate(req);
    if (accept == null)
      return drained(req, ServerResponse.status(HttpStatus.NOT_ACCEPTABLE).build());
    MediaType ct = req.headers().contentType().orElse(null);
    if (ct == null || !ct.isCompatibleWith(MediaType.APPLICATION_JSON)) {
      return drained(req, ServerResponse.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).build());
    }
    return RequestBody.read(req, maxBodyBytes)
        .flatMap(
            read -> {
              if (read.tooLarge()) {
                return tooLarge(
                    accept,
                    "The request body is "
                        + read.size()
                        + " bytes; at most "
                        + maxBodyBytes
                        + " are accepted",
                    maxBodyBytes,
                    read.size());
              }
              String text = read.text();
              Object body;
              try {
                body = json.readValue(text, Object.class);
              } catch (Exception e) {
                return requestError(accept, "request body is not JSON");
              }
              if (!(body instanceof Map<?, ?> m))
                return requestError(accept, "body must be a JSON object");
              return run(
                  req,
                  accept,
                  m.get("query"),
                  m.get("operationName"),
                  m.get("variables"),
                  m.get("extensions"),
                  false);
            });
  }

  /** Handles GET /graphql with query parameters; mutations are refused. */
  public Mono<ServerResponse> get(ServerRequest req) {
    return drained(req, Mono.defer(() -> getQuery(req)));
  }

  private Mono<ServerResponse> getQuery(ServerRequest req) {
    MediaType accept = negotiate(req);
    if (accept == null) return ServerResponse.status(HttpStatus.NOT_ACCEPTABLE).build();
    Object vars;
    Object extensions;
    try {
      vars = jsonParam(req, "variables");
      extensions = jsonParam(req, "extensions");
    } catch (IllegalArgumentException e) {
      return requestError(accept, e.getMessage());
    }
    return run(
        req,
        accept,
        req.queryParam("query").orElse(null),
        req.queryParam("operationName").orElse(null),
        vars,
        extensions,
        true);
  }

  private @Nullable Object jsonParam(ServerRequest req, String name) {
    Optional<String> v = req.queryParam(name);
    if (v.isEmpty()) return null;
    try {
      return json.readValue(v.get(), Object.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(name + " is not JSON");
    }
  }

  private Mono<ServerResponse> run(
      ServerRequest req,
      MediaType accept,
      @Nullable Object query,
      @Nullable Object opName,
      @Nullable Object vars,
      @Nullable Object extensions,
      boolean get) {
    TrustedDocuments.Resolution resolved = trusted.resolve(query, extensions);
    if (resolved instanceof TrustedDocuments.Refused no) {
      HttpStatus status =
          no.badRequest() || accept.equals(GRAPHQL_RESPONSE)
              ? HttpStatus.BAD_REQUEST
              : HttpStatus.OK;
      return ServerResponse.status(status)
          .contentType(accept)
          .bodyValue(errorBody(no.message(), no.code()));
    }
    String q = ((TrustedDocuments.Run) resolved).query();
    boolean explain = req.headers().firstHeader(QUERY_PLAN_HEADER) != null;
    if (explain && !BearerTokenFilter.hasRole(req.exchange(), "ADMIN")) {
      return ServerResponse.status(HttpStatus.FORBIDDEN)
          .contentType(accept)
          .bodyValue(errorBody(QUERY_PLAN_HEADER + " needs an ADMIN token", "FORBIDDEN"));
    }
    if (opName != null && !(opName instanceof String))
      return requestError(accept, "operationName must be a string");
    if (vars != null && !(vars instanceof Map))
      return requestError(accept, "variables must be an object");
    @SuppressWarnings("unchecked")
    Map<String, Object> limitVars = (Map<String, Object>) vars;
    GatewayEngine engine = state.engine();
    // with the schema, a page size left to the argument's default counts as that default
    var violation =
        limits.check(q, (String) opName, limitVars, engine == null ? null : engine.schema());
    if (violation.isPresent()) {
      var v = violation.get();
      return refused(accept, v.message(), v.code(), v.limit(), v.actual());
    }
    if (engine == null) {
      return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
          .contentType(accept)
          .bodyValue(errorBody("supergraph not loaded yet", "SUPERGRAPH_NOT_LOADED"));
    }
    if (get) {
      Document doc = documents.get(q).document(); // null: execution reports the syntax error
      if (doc != null) {
        for (OperationDefinition op : doc.getDefinitionsOfType(OperationDefinition.class)) {
          boolean selected = opName == null || opName.equals(op.getName());
          if (selected && op.getOperation() != OperationDefinition.Operation.QUERY) {
            return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED)
                .header(HttpHeaders.ALLOW, "POST")
                .contentType(accept)
                .bodyValue(errorBody("only queries over GET", "METHOD_NOT_ALLOWED"));
          }
        }
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> variables = (Map<String, Object>) vars;
    String auth = req.headers().firstHeader(HttpHeaders.AUTHORIZATION);
    OperationDefinition op = selected(documents.get(q).document(), (String) opName);
    return telemetry
        .operation(
            op == null ? null : op.getName(),
            op == null ? "unknown" : op.getOperation().name().toLowerCase(Locale.ROOT),
            () -> engine.execute(q, (String) opName, variables, auth, introspection),
            r -> !r.getErrors().isEmpty())
        .flatMap(
            r ->
                respond(
                    accept, r, explain ? engine.explain(q, (String) opName).orElse(null) : null));
  }

  /** The operation a request runs (null when the document does not parse or has no such one). */
  private static @Nullable OperationDefinition selected(
      @Nullable Document doc, @Nullable String opName) {
    if (doc == null) return null;
    List<OperationDefinition> ops = doc.getDefinitionsOfType(OperationDefinition.class);
    for (OperationDefinition op : ops) {
      if (opName == null ? ops.size() == 1 : opName.equals(op.getName())) return op;
    }
    return null;
  }

  /**
   * The response once the request has been read to its end. A request answered without reading it
   * (a GET mutation refused with 405 right after its headers) now and then left the server not
   * reading the next request on that keep-alive connection until the client gave up: a test's next
   * POST hung 30 s in about one module run in four under load (the gateway logged it received only
   * when the client closed); none in 8 runs with this.
   */
  private static Mono<ServerResponse> drained(ServerRequest req, Mono<ServerResponse> response) {
    return req.exchange().getRequest().getBody().doOnNext(DataBufferUtils::release).then(response);
  }

  private Mono<ServerResponse> respond(
      MediaType accept, ExecutionResult r, @Nullable Map<String, Object> plan) {
    Map<String, Object> spec = r.toSpecification();
    if (plan != null) {
      spec = new LinkedHashMap<>(spec);
      @SuppressWarnings("unchecked")
      Map<String, Object> ext =
          spec.get("extensions") instanceof Map<?, ?> e
              ? new LinkedHashMap<>((Map<String, Object>) e)
              : new LinkedHashMap<>();
      ext.put("queryPlan", plan);
      spec.put("extensions", ext);
    }
    boolean requestError = !r.isDataPresent();
    HttpStatus status =
        requestError && accept.equals(GRAPHQL_RESPONSE) ? HttpStatus.BAD_REQUEST : HttpStatus.OK;
    return ServerResponse.status(status).contentType(accept).bodyValue(spec);
  }

  private Mono<ServerResponse> tooLarge(MediaType accept, String message, long limit, long actual) {
    return refused(accept, message, "DOCUMENT_TOO_LARGE", limit, actual);
  }

  /** A refused limit: 400 with its code, the limit and what the request needed. */
  private Mono<ServerResponse> refused(
      MediaType accept, String message, String code, long limit, long actual) {
    return ServerResponse.status(HttpStatus.BAD_REQUEST)
        .contentType(accept)
        .bodyValue(
            Map.of(
                "errors",
                List.of(error(message, Map.of("code", code, "limit", limit, "actual", actual)))));
  }

  private Mono<ServerResponse> requestError(MediaType accept, String message) {
    return ServerResponse.status(HttpStatus.BAD_REQUEST)
        .contentType(accept)
        .bodyValue(errorBody(message, "BAD_REQUEST"));
  }

  /** A request error: the gateway's own message and code, nothing from an exception. */
  private static Map<String, Object> errorBody(String message, String code) {
    return Map.of("errors", List.of(error(message, Map.of("code", code))));
  }

  /** One error, "message" first as the GraphQL spec shows it (a fixed order clients can diff). */
  private static Map<String, Object> error(String message, Map<String, Object> extensions) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("extensions", extensions);
    return error;
  }

  /** Picks the response media type; null when the client accepts neither JSON type. */
  private static MediaType negotiate(ServerRequest req) {
    List<MediaType> accepts = req.headers().accept();
    if (accepts.isEmpty()) return MediaType.APPLICATION_JSON;
    for (MediaType a : accepts) {
      if (a.isCompatibleWith(GRAPHQL_RESPONSE) && !a.isWildcardType()) return GRAPHQL_RESPONSE;
      if (a.isCompatibleWith(MediaType.APPLICATION_JSON)) return MediaType.APPLICATION_JSON;
    }
    return null;
  }
}
