package io.retain.gateway.security;

import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Validates the bearer token on {@code /graphql} before any planning: a bad or expired token is
 * refused with 401 and a GraphQL error ({@code UNAUTHENTICATED}). A valid token is forwarded
 * unchanged to the subgraphs, which check the roles again. {@code /admin/**} always needs a valid
 * token with the ADMIN role (403 {@code FORBIDDEN} otherwise).
 */
@Component
public class BearerTokenFilter implements WebFilter, Ordered {

  private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);
  private final ReactiveJwtDecoder decoder;
  private final boolean requireToken;

  public BearerTokenFilter(EdgeSecurityProperties props) {
    this.decoder = decoder(props);
    this.requireToken = props.requireToken();
  }

  /** The token decoder for these settings (also used by the WebSocket endpoint). */
  public static ReactiveJwtDecoder decoder(EdgeSecurityProperties props) {
    if (props.issuerUri() != null && !props.issuerUri().isBlank()) {
      return ReactiveJwtDecoders.fromIssuerLocation(props.issuerUri());
    }
    String secret = props.jwtSecret();
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new IllegalStateException(
          "retain.gateway.security.jwt-secret (env RETAIN_JWT_SECRET) must be at least 32 bytes,"
              + " or retain.gateway.security.issuer-uri an OIDC issuer");
    }
    return NimbusReactiveJwtDecoder.withSecretKey(
            new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
        .macAlgorithm(MacAlgorithm.HS256)
        .build();
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().value();
    boolean admin = path.startsWith("/admin/");
    if (!admin && !path.startsWith("/graphql")) {
      return chain.filter(exchange);
    }
    String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      if (!admin && "websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade())) {
        // browsers cannot set headers on a WebSocket: graphql-ws checks connection_init's token
        return chain.filter(exchange);
      }
      return requireToken || admin
          ? refuse(exchange, "Authentication required: send Authorization: Bearer <token>")
          : chain.filter(exchange);
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return refuse(exchange, "Authorization must be 'Bearer <token>'");
    }
    return decoder
        .decode(header.substring(7).trim())
        .flatMap(
            jwt ->
                admin && !hasRole(jwt, "ADMIN")
                    ? deny(exchange, "This endpoint needs the ADMIN role")
                    : chain.filter(exchange))
        .onErrorResume(
            org.springframework.security.oauth2.jwt.JwtException.class,
            e -> {
              log.debug("Refused a bearer token: {}", e.getMessage());
              return refuse(exchange, "Invalid or expired bearer token");
            });
  }

  private static boolean hasRole(org.springframework.security.oauth2.jwt.Jwt jwt, String role) {
    java.util.List<String> roles = jwt.getClaimAsStringList("roles");
    return roles != null && roles.contains(role);
  }

  private static Mono<Void> refuse(ServerWebExchange exchange, String message) {
    exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    return write(exchange, HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", message);
  }

  private static Mono<Void> deny(ServerWebExchange exchange, String message) {
    return write(exchange, HttpStatus.FORBIDDEN, "FORBIDDEN", message);
  }

  private static Mono<Void> write(
      ServerWebExchange exchange, HttpStatus status, String code, String message) {
    var response = exchange.getResponse();
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    String body =
        "{\"errors\":[{\"message\":\""
            + message.replace("\"", "'")
            + "\",\"extensions\":{\"code\":\""
            + code
            + "\"}}]}";
    DataBuffer buf = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
    return response.writeWith(Mono.just(buf));
  }
}
