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
 * unchanged to the subgraphs, which check the roles again.
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

  static ReactiveJwtDecoder decoder(EdgeSecurityProperties props) {
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
    if (!exchange.getRequest().getPath().value().startsWith("/graphql")) {
      return chain.filter(exchange);
    }
    String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      return requireToken
          ? refuse(exchange, "Authentication required: send Authorization: Bearer <token>")
          : chain.filter(exchange);
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return refuse(exchange, "Authorization must be 'Bearer <token>'");
    }
    return decoder
        .decode(header.substring(7).trim())
        .flatMap(jwt -> chain.filter(exchange))
        .onErrorResume(
            org.springframework.security.oauth2.jwt.JwtException.class,
            e -> {
              log.debug("Refused a bearer token: {}", e.getMessage());
              return refuse(exchange, "Invalid or expired bearer token");
            });
  }

  private static Mono<Void> refuse(ServerWebExchange exchange, String message) {
    var response = exchange.getResponse();
    response.setStatusCode(HttpStatus.UNAUTHORIZED);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    String body =
        "{\"errors\":[{\"message\":\""
            + message.replace("\"", "'")
            + "\",\"extensions\":{\"code\":\"UNAUTHENTICATED\"}}]}";
    DataBuffer buf = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
    return response.writeWith(Mono.just(buf));
  }
}
