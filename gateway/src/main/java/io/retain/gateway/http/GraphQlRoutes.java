package io.retain.gateway.http;

import io.retain.gateway.GatewayState;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes /graphql and the supergraph refresh endpoint. */
@Configuration
public class GraphQlRoutes {

  @Bean
  RouterFunction<ServerResponse> graphqlRoutes(GraphQlHttpHandler handler, GatewayState state) {
    return RouterFunctions.route()
        .POST("/graphql", handler::post)
        .GET("/graphql", handler::get)
        .POST(
            "/admin/supergraph/refresh",
            req -> {
              try {
                state.refresh();
                return ServerResponse.ok().bodyValue(java.util.Map.of("status", "refreshed"));
              } catch (Exception e) {
                return ServerResponse.status(500)
                    .bodyValue(java.util.Map.of("error", e.toString()));
              }
            })
        .build();
  }
}
