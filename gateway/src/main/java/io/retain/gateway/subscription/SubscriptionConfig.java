package io.retain.gateway.subscription;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.support.WebSocketUpgradeHandlerPredicate;

/** Maps WebSocket upgrades of {@code /graphql} to graphql-ws; plain HTTP stays with the router. */
@Configuration
class SubscriptionConfig {

  @Bean
  HandlerMapping graphqlWebSocketMapping(GraphQlWsHandler handler) {
    SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(Map.of("/graphql", handler), -2);
    mapping.setHandlerPredicate(new WebSocketUpgradeHandlerPredicate());
    return mapping;
  }
}
