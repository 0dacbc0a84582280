package io.retain.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.test.StepVerifier;

/** Tokens minted here are read back with the roles they imply, and only with the right secret. */
class RolesTest {

  static final String SECRET = "0123456789abcdef0123456789abcdef-test";

  static ReactiveJwtDecoder decoder(String secret) {
    return NimbusReactiveJwtDecoder.withSecretKey(
            new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
        .macAlgorithm(MacAlgorithm.HS256)
        .build();
  }

  static List<String> authorities(Jwt jwt) {
    return SubgraphSecurityAutoConfiguration.authorities(jwt).stream()
        .map(GrantedAuthority::getAuthority)
        .sorted()
        .toList();
  }

  @Test
  void adminImpliesEveryRole() {
    Jwt jwt =
        decoder(SECRET)
            .decode(Tokens.hs256(SECRET, "ada", Duration.ofMinutes(5), Role.ADMIN))
            .block();
    assertThat(authorities(jwt))
        .containsExactly(
            "ROLE_ADMIN",
            "ROLE_ANALYST",
            "ROLE_CAMPAIGN_MANAGER",
            "ROLE_DATA_STEWARD",
            "ROLE_SERVICE");
  }

  @Test
  void campaignManagerReadsButDoesNotReadPii() {
    Jwt jwt =
        decoder(SECRET)
            .decode(Tokens.hs256(SECRET, "cm", Duration.ofMinutes(5), Role.CAMPAIGN_MANAGER))
            .block();
    assertThat(authorities(jwt)).containsExactly("ROLE_ANALYST", "ROLE_CAMPAIGN_MANAGER");
  }

  @Test
  void unknownRoleGrantsNothing() {
    Jwt jwt =
        Jwt.withTokenValue("t").header("alg", "HS256").claim("roles", List.of("SUPERUSER")).build();
    assertThat(authorities(jwt)).isEmpty();
  }

  @Test
  void tokenSignedWithAnotherSecretIsRejected() {
    String forged =
        Tokens.hs256(
            "another-secret-another-secret-another", "mallory", Duration.ofMinutes(5), Role.ADMIN);
    StepVerifier.create(decoder(SECRET).decode(forged))
        .expectError(org.springframework.security.oauth2.jwt.BadJwtException.class)
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void expiredTokenIsRejected() throws Exception {
    var now = java.time.Instant.now();
    var claims =
        new com.nimbusds.jwt.JWTClaimsSet.Builder()
            .subject("old")
            .issueTime(java.util.Date.from(now.minusSeconds(600)))
            .expirationTime(java.util.Date.from(now.minusSeconds(300)))
            .claim("roles", List.of("ANALYST"))
            .build();
    var jwt =
        new com.nimbusds.jwt.SignedJWT(
            new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims);
    jwt.sign(new com.nimbusds.jose.crypto.MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    String expired = jwt.serialize();
    StepVerifier.create(decoder(SECRET).decode(expired))
        .expectError(JwtValidationException.class)
        .verify(Duration.ofSeconds(5));
  }
}
