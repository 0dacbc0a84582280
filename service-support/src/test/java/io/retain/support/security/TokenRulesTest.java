package io.retain.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.retain.support.test.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;

/** A token needs {@code exp}, and the configured {@code iss} and {@code aud}. */
class TokenRulesTest {

  static final String SECRET = "0123456789abcdef0123456789abcdef-rules";
  static final Date IN_AN_HOUR = Date.from(Instant.now().plus(Duration.ofHours(1)));

  static NimbusReactiveJwtDecoder decoder(String issuer, String audience) {
    NimbusReactiveJwtDecoder d =
        NimbusReactiveJwtDecoder.withSecretKey(
                new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    d.setJwtValidator(TokenRules.validator(issuer, audience));
    return d;
  }

  /** The validation failure's description, or "valid". */
  static String check(NimbusReactiveJwtDecoder d, String token) {
    return d.decode(token)
        .map(Jwt::getSubject)
        .map(s -> "valid")
        .onErrorResume(
            JwtValidationException.class,
            e -> reactor.core.publisher.Mono.just(e.getErrors().iterator().next().getDescription()))
        .block();
  }

  @Test
  void aTokenWithoutExpIsRefused() {
    String noExp =
        TestTokens.signed(
            SECRET, c -> c.subject("x").issuer("retain-local").claim("roles", List.of("ADMIN")));
    assertThat(check(decoder(null, null), noExp)).containsIgnoringCase("exp");
  }

  @Test
  void theLaunchersTokensPassWhenTheirIssuerIsConfigured() {
    String token = Tokens.hs256(SECRET, "local-admin", Duration.ofMinutes(5), Role.ADMIN);
    assertThat(check(decoder("retain-local", null), token)).isEqualTo("valid");
    assertThat(check(decoder(null, null), token)).isEqualTo("valid");
  }

  @Test
  void anotherIssuerIsRefusedWhenOneIsConfigured() {
    String other =
        TestTokens.signed(
            SECRET, c -> c.subject("x").issuer("elsewhere").expirationTime(IN_AN_HOUR));
    String none = TestTokens.signed(SECRET, c -> c.subject("x").expirationTime(IN_AN_HOUR));
    assertThat(check(decoder("retain-local", null), other)).contains("iss");
    assertThat(check(decoder("retain-local", null), none)).contains("iss");
    assertThat(check(decoder(null, null), other)).isEqualTo("valid");
  }

  @Test
  void theAudienceMustBeNamedWhenOneIsConfigured() {
    String forUs =
        TestTokens.signed(
            SECRET,
            c -> c.subject("x").audience(List.of("retain", "other")).expirationTime(IN_AN_HOUR));
    String forOthers =
        TestTokens.signed(SECRET, c -> c.subject("x").audience("other").expirationTime(IN_AN_HOUR));
    String noAud = TestTokens.signed(SECRET, c -> c.subject("x").expirationTime(IN_AN_HOUR));
    assertThat(check(decoder(null, "retain"), forUs)).isEqualTo("valid");
    assertThat(check(decoder(null, "retain"), forOthers)).contains("aud");
    assertThat(check(decoder(null, "retain"), noAud)).contains("aud");
  }
}
