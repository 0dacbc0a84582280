package io.retain.support.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Bearer-token security for a subgraph. The HTTP layer authenticates (and guards actuator); each
 * resolver authorises with {@code @PreAuthorize}, because the owner of the data decides who may
 * read it; the federation fields are guarded here ({@link FederationAccess}).
 */
@AutoConfiguration(
    beforeName =
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration")
@EnableConfigurationProperties(SecurityProperties.class)
@EnableWebFluxSecurity
@EnableReactiveMethodSecurity
public class SubgraphSecurityAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ReactiveJwtDecoder jwtDecoder(SecurityProperties props) {
    NimbusReactiveJwtDecoder decoder;
    String issuer = props.issuer();
    if (props.issuerUri() != null && !props.issuerUri().isBlank()) {
      decoder = NimbusReactiveJwtDecoder.withIssuerLocation(props.issuerUri()).build();
      issuer = issuer == null || issuer.isBlank() ? props.issuerUri() : issuer;
    } else {
      String secret = props.jwtSecret();
      if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
        throw new IllegalStateException(
            "retain.security.jwt-secret (env RETAIN_JWT_SECRET) must be set to at least 32 bytes,"
                + " or retain.security.issuer-uri to an OIDC issuer");
      }
      var key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
      decoder =
          NimbusReactiveJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
    }
    decoder.setJwtValidator(TokenRules.validator(issuer, props.audience()));
    return decoder;
  }

  @Bean
  @ConditionalOnMissingBean
  SecurityWebFilterChain subgraphSecurity(ServerHttpSecurity http) {
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        // only health is open; metrics name URIs, pools and breakers (see the README)
        .authorizeExchange(
            ex ->
                ex.pathMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .pathMatchers("/actuator", "/actuator/**")
                    .hasAnyRole(Role.ADMIN.name(), Role.SERVICE.name())
                    .anyExchange()
                    .permitAll())
        .oauth2ResourceServer(rs -> rs.jwt(jwt -> jwt.jwtAuthenticationConverter(rolesConverter())))
        .build();
  }

  /** Tokens for graphql-ws connections (subscriptions), from connection_init or the upgrade. */
  @Bean
  @ConditionalOnMissingBean
  WebSocketTokenInterceptor webSocketTokenInterceptor(ReactiveJwtDecoder decoder) {
    return new WebSocketTokenInterceptor(decoder);
  }

  /** {@code _entities} and {@code _service} need a token whatever the controllers declare. */
  @Bean
  GraphQlSourceBuilderCustomizer federationAccess() {
    return builder -> builder.typeVisitors(List.of(new FederationAccess()));
  }

  /** Introspection only with a valid token; after the WebSocket interceptor, which sets it. */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  IntrospectionGuard introspectionGuard() {
    return new IntrospectionGuard();
  }

  /** Reads the {@code roles} claim and adds the roles each one implies. */
  public static Converter<Jwt, Mono<AbstractAuthenticationToken>> rolesConverter() {
    return jwt -> Mono.just(new JwtAuthenticationToken(jwt, authorities(jwt), jwt.getSubject()));
  }

  static Collection<GrantedAuthority> authorities(Jwt jwt) {
    Object claim = jwt.getClaim(Tokens.ROLES_CLAIM);
    Set<Role> roles = EnumSet.noneOf(Role.class);
    if (claim instanceof Collection<?> names) {
      for (Object n : names) {
        try {
          roles.addAll(Role.valueOf(String.valueOf(n)).withImplied());
        } catch (IllegalArgumentException unknown) {
          // an unknown role grants nothing
        }
      }
    }
    List<GrantedAuthority> out = new ArrayList<>();
    roles.forEach(r -> out.add(new SimpleGrantedAuthority(r.authority())));
    return out;
  }
}
