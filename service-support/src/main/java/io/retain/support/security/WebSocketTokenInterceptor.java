package io.retain.support.security;

import java.util.Map;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Authenticates graphql-ws connections (subscriptions): the bearer token comes in the
 * connection_init payload ({@code {"Authorization": "Bearer …"}}, what browsers and the gateway
 * send) or in the upgrade request's header. The roles then hold for every operation on the
 * connection, checked by the same {@code @PreAuthorize} as over HTTP. A token that does not verify
 * refuses the connection; no token leaves it anonymous.
 */
public class WebSocketTokenInterceptor implements WebSocketGraphQlInterceptor {

  private static final String AUTHENTICATION = WebSocketTokenInterceptor.class.getName();
  private final ReactiveJwtDecoder decoder;

  public WebSocketTokenInterceptor(ReactiveJwtDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public Mono<Object> handleConnectionInitialization(
      WebSocketSessionInfo session, Map<String, Object> payload) {
    Object fromPayload =
        payload.get("Authorization") != null
            ? payload.get("Authorization")
            : payload.get("authorization");
    String header =
        fromPayload instanceof String s
            ? s
            : session.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) return Mono.empty();
    String token = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7) : header;
    return decoder
        .decode(token.trim())
        .flatMap(SubgraphSecurityAutoConfiguration.rolesConverter()::convert)
        .doOnNext(auth -> session.getAttributes().put(AUTHENTICATION, auth))
        .then(Mono.empty());
  }

  @Override
  public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
    if (request instanceof WebSocketGraphQlRequest ws
        && ws.getSessionInfo().getAttributes().get(AUTHENTICATION) instanceof Authentication a) {
      return chain.next(request).contextWrite(ReactiveSecurityContextHolder.withAuthentication(a));
    }
    return chain.next(request);
  }
}
