package io.retain.gateway.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Bad tokens stop at the edge with 401 and a GraphQL error; good ones pass through. */
class BearerTokenFilterTest {

  static final String SECRET = "gateway-test-secret-gateway-test-secret-0123";

  @RestController
  static class Echo {
    @PostMapping("/graphql")
    Mono<String> graphql() {
      return Mono.just("{\"data\":{}}");
    }

    @GetMapping({"/actuator/prometheus", "/actuator/health/readiness", "/actuator"})
    Mono<String> actuator() {
      return Mono.just("ok");
    }

    @PostMapping("/admin/supergraph/refresh")
    Mono<String> refresh() {
      return Mono.just("{\"status\":\"refreshed\"}");
    }
  }

  static WebTestClient client(boolean requireToken) {
    return client(new EdgeSecurityProperties(SECRET, null, requireToken, null, null, null));
  }

  static WebTestClient client(EdgeSecurityProperties props) {
    return WebTestClient.bindToController(new Echo())
        .webFilter(new BearerTokenFilter(props))
        .build();
  }

  static String signed(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  static String token(String secret, long expiresInSeconds) throws Exception {
    return token(secret, expiresInSeconds, "ANALYST");
  }

  static String token(String secret, long expiresInSeconds, String... roles) throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject("t")
            .issueTime(Date.from(now.minusSeconds(600)))
            .expirationTime(Date.from(now.plusSeconds(expiresInSeconds)))
            .claim("roles", List.of(roles))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  @Test
  void validTokenPasses() throws Exception {
    client(true)
        .post()
        .uri("/graphql")
        .header("Authorization", "Bearer " + token(SECRET, 600))
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void forgedTokenIsRefusedWithUnauthenticated() throws Exception {
    client(false)
        .post()
        .uri("/graphql")
        .header("Authorization", "Bearer " + token("another-secret-another-secret-another-1", 600))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNAUTHORIZED)
        .expectBody()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("UNAUTHENTICATED")
        .jsonPath("$.errors[0].message")
        .isEqualTo("Invalid or expired bearer token");
  }

  @Test
  void expiredTokenIsRefused() throws Exception {
    client(false)
        .post()
        .uri("/graphql")
        .header("Authorization", "Bearer " + token(SECRET, -60))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void missingTokenPassesLocallyButNotWhenRequired() {
    client(false).post().uri("/graphql").exchange().expectStatus().isOk();
    client(true)
        .post()
        .uri("/graphql")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNAUTHORIZED)
        .expectBody()
        .jsonPath("$.errors[0].message")
        .isEqualTo("Authentication required: send Authorization: Bearer <token>");
  }

  @Test
  void nonBearerSchemeIsRefused() {
    client(false)
        .post()
        .uri("/graphql")
        .header("Authorization", "Basic dXNlcjpwYXNz")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void theRefreshEndpointNeedsAnAdminTokenEvenLocally() throws Exception {
    client(false)
        .post()
        .uri("/admin/supergraph/refresh")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNAUTHORIZED)
        .expectBody()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("UNAUTHENTICATED");
    client(false)
        .post()
        .uri("/admin/supergraph/refresh")
        .header("Authorization", "Bearer " + token(SECRET, 600, "ANALYST", "SERVICE"))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.FORBIDDEN)
        .expectBody()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("FORBIDDEN")
        .jsonPath("$.errors[0].message")
        .isEqualTo("This endpoint needs the ADMIN role");
    client(false)
        .post()
        .uri("/admin/supergraph/refresh")
        .header("Authorization", "Bearer " + token(SECRET, 600, "ADMIN"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("refreshed");
  }

  @Test
  void aTokenWithoutExpIsRefused() throws Exception {
    String noExp =
        signed(new JWTClaimsSet.Builder().subject("t").claim("roles", List.of("ADMIN")).build());
    client(false)
        .post()
        .uri("/graphql")
        .header("Authorization", "Bearer " + noExp)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNAUTHORIZED)
        .expectBody()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
    WebTestClient strict =
        client(new EdgeSecurityProperties(SECRET, null, true, "retain-local", "retain", null));
    Date later = Date.from(Instant.now().plusSeconds(600));
    String ok =
        signed(
            new JWTClaimsSet.Builder()
                .issuer("retain-local")
                .audience("retain")
                .expirationTime(later)
                .build());
    String otherIssuer =
        signed(
            new JWTClaimsSet.Builder()
                .issuer("elsewhere")
                .audience("retain")
                .expirationTime(later)
                .build());
    String otherAudience =
        signed(
            new JWTClaimsSet.Builder()
                .issuer("retain-local")
                .audience("other")
                .expirationTime(later)
                .build());
    strict
        .post()
        .uri("/graphql")
        .header("Authorization", "Bearer " + ok)
        .exchange()
        .expectStatus()
        .isOk();
    for (String refused : List.of(otherIssuer, otherAudience, token(SECRET, 600))) {
      strict
          .post()
          .uri("/graphql")
          .header("Authorization", "Bearer " + refused)
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.UNAUTHORIZED);
    }
  }

  @Test
  void actuatorButHealthNeedsAnAdminOrServiceToken() throws Exception {
    for (String path : List.of("/actuator", "/actuator/prometheus")) {
      client(false).get().uri(path).exchange().expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED);
      client(false)
          .get()
          .uri(path)
          .header("Authorization", "Bearer " + token(SECRET, 600, "ANALYST"))
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.FORBIDDEN)
          .expectBody()
          .jsonPath("$.errors[0].extensions.code")
          .isEqualTo("FORBIDDEN");
      for (String role : List.of("SERVICE", "ADMIN")) {
        client(false)
            .get()
            .uri(path)
            .header("Authorization", "Bearer " + token(SECRET, 600, role))
            .exchange()
            .expectStatus()
            .isOk();
      }
    }
    client(true).get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
  }
}
