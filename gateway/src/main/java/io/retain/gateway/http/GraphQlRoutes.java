package io.retain.gateway.http;

import io.retain.gateway.GatewayProperties;
import io.retain.gateway.GatewayState;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Routes /graphql, the GraphiQL page (when enabled) and the supergraph refresh endpoint (ADMIN
 * tokens only, checked by the bearer-token filter).
 */
@Configuration
public class GraphQlRoutes {

  private static final Logger log = LoggerFactory.getLogger(GraphQlRoutes.class);

  @Bean
  RouterFunction<ServerResponse> graphqlRoutes(
      GraphQlHttpHandler handler, GatewayState state, GatewayProperties props) {
    var routes =
        RouterFunctions.route()
            .POST("/graphql", handler::post)
            .GET("/graphql", handler::get)
            // GraphQL over HTTP has only GET and POST: another method is 405, not "not found"
            .route(
                RequestPredicates.path("/graphql")
                    .and(
                        RequestPredicates.methods(
                            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH)),
                req ->
                    ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED)
                        .header(HttpHeaders.ALLOW, "GET, POST")
                        .bodyValue(
                            Map.of(
                                "errors",
                                List.of(
                                    Map.of(
                                        "message",
                                        "only GET and POST on /graphql",
                                        "extensions",
                                        Map.of("code", "METHOD_NOT_ALLOWED"))))))
            .POST(
                "/admin/supergraph/refresh",
                req -> {
                  try {
                    state.refresh();
                    return ServerResponse.ok().bodyValue(Map.of("status", "refreshed"));
                  } catch (Exception e) {
                    // the reason is for the operator's log; the caller learns only that it failed
                    log.warn("supergraph refresh failed; keeping the loaded one", e);
                    return ServerResponse.status(HttpStatus.BAD_GATEWAY)
                        .bodyValue(
                            Map.of(
                                "status",
                                "failed",
                                "message",
                                "the supergraph could not be loaded; the previous one is kept"));
                  }
                });
    if (props.graphiql()) {
      // the page, its start script and styles; GraphiQL and React are WebJars (/webjars/**)
      ClassPathResource page = new ClassPathResource("graphiql/index.html");
      ClassPathResource start = new ClassPathResource("graphiql/start.js");
      ClassPathResource css = new ClassPathResource("graphiql/graphiql.css");
      routes
          .GET(
              "/graphiql",
              req -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(page))
          .GET(
              "/graphiql/start.js",
              req ->
                  ServerResponse.ok()
                      .contentType(MediaType.parseMediaType("text/javascript"))
                      .bodyValue(start))
          .GET(
              "/graphiql/graphiql.css",
              req ->
                  ServerResponse.ok()
                      .contentType(MediaType.parseMediaType("text/css"))
                      .bodyValue(css));
    }
    return routes.build();
  }
}
