package io.retain.gateway.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Validates the bearer token on {@code /graphql} before any planning: a bad or expired token is
 * refused with 401 and a GraphQL error ({@code UNAUTHENTICATED}). A valid token is forwarded
 * unchanged to the subgraphs, which check the roles again. A token needs {@code exp}, and the
 * configured issuer and audience. {@code /admin/**} always needs a valid token with the ADMIN role,
 * {@code /actuator/**} (but health) one with ADMIN or SERVICE (403 {@code FORBIDDEN} otherwise).
 */
@Component
public class BearerTokenFilter implements WebFilter, Ordered {

  private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);
  private final VerifiedTokens decoder;
  private final boolean requireToken;

  public BearerTokenFilter(EdgeSecurityProperties props) {
    this.decoder = new VerifiedTokens(decoder(props));
    this.requireToken = props.requireToken();
  }

  /** The verified-token cache, on by default (switched off only to measure without it). */
  public VerifiedTokens verifiedTokens() {
    return decoder;
  }

  /** The token decoder for these settings (also used by the WebSocket endpoint). */
  public static ReactiveJwtDecoder decoder(EdgeSecurityProperties props) {
    NimbusReactiveJwtDecoder decoder;
    String issuer = props.issuer();
    if (props.issuerUri() != null && !props.issuerUri().isBlank()) {
      decoder = NimbusReactiveJwtDecoder.withIssuerLocation(props.issuerUri()).build();
      issuer = issuer == null || issuer.isBlank() ? props.issuerUri() : issuer;
    } else {
      String secret = props.jwtSecret();
      if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
        throw new IllegalStateException(
            "retain.gateway.security.jwt-secret (env RETAIN_JWT_SECRET) must be at least 32 bytes,"
                + " or retain.gateway.security.issuer-uri an OIDC issuer");
      }
      decoder =
          NimbusReactiveJwtDecoder.withSecretKey(
                  new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
              .macAlgorithm(MacAlgorithm.HS256)
              .build();
    }
    decoder.setJwtValidator(rules(issuer, props.audience()));
    return decoder;
  }

  /** A token needs {@code exp} (else valid for ever), and the configured {@code iss} and aud. */
  static OAuth2TokenValidator<Jwt> rules(String issuer, String audience) {
    List<OAuth2TokenValidator<Jwt>> rules = new ArrayList<>();
    JwtTimestampValidator time = new JwtTimestampValidator();
    time.setAllowEmptyExpiryClaim(false);
    rules.add(time);
    if (issuer != null && !issuer.isBlank()) rules.add(new JwtIssuerValidator(issuer));
    if (audience != null && !audience.isBlank()) rules.add(new JwtAudienceValidator(audience));
    return new DelegatingOAuth2TokenValidator<>(rules);
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().value();
    // actuator answers only ADMIN or SERVICE, but health (probes, load balancers)
    boolean actuator =
        (path.equals("/actuator") || path.startsWith("/actuator/"))
            && !path.equals("/actuator/health")
            && !path.startsWith("/actuator/health/");
    if (actuator) {
      return guarded(exchange, chain, "ADMIN", "SERVICE");
    }
    if (path.startsWith("/admin/")) {
      return guarded(exchange, chain, "ADMIN");
    }
    if (!path.startsWith("/graphql")) {
      return chain.filter(exchange);
    }
    String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      if ("websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade())) {
        // browsers cannot set headers on a WebSocket: graphql-ws checks connection_init's token
        return chain.filter(exchange);
      }
      return requireToken
          ? refuse(exchange, "Authentication required: send Authorization: Bearer <token>")
          : chain.filter(exchange);
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return refuse(exchange, "Authorization must be 'Bearer <token>'");
    }
    return verified(
        exchange,
        header,
        jwt -> {
          exchange.getAttributes().put(TOKEN_ATTRIBUTE, jwt);
          return chain.filter(exchange);
        });
  }

  /** The request's verified token, for handlers that grant more to some roles. */
  public static final String TOKEN_ATTRIBUTE = BearerTokenFilter.class.getName() + ".token";

  /** Whether the request carried a verified token with this role. */
  public static boolean hasRole(ServerWebExchange exchange, String role) {
    return exchange.getAttribute(TOKEN_ATTRIBUTE) instanceof Jwt jwt && hasRole(jwt, role);
  }

  /**
   * Passes only a valid token holding one of {@code roles}: 401 without one, 403 without a role.
   */
  private Mono<Void> guarded(ServerWebExchange exchange, WebFilterChain chain, String... roles) {
    String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return refuse(exchange, "Authentication required: send Authorization: Bearer <token>");
    }
    return verified(
        exchange,
        header,
        jwt ->
            Arrays.stream(roles).anyMatch(r -> hasRole(jwt, r))
                ? chain.filter(exchange)
                : deny(
                    exchange, "This endpoint needs the " + String.join(" or ", roles) + " role"));
  }

  /** Runs {@code then} with the verified token; 401 for a token that does not verify. */
  private Mono<Void> verified(
      ServerWebExchange exchange, String header, Function<Jwt, Mono<Void>> then) {
    return decoder
        .decode(header.substring(7).trim())
        .flatMap(then)
        .onErrorResume(
            org.springframework.security.oauth2.jwt.JwtException.class,
            e -> {
              log.debug("Refused a bearer token: {}", e.getMessage());
              return refuse(exchange, "Invalid or expired bearer token");
            });
  }

  private static boolean hasRole(Jwt jwt, String role) {
    List<String> roles = jwt.getClaimAsStringList("roles");
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
