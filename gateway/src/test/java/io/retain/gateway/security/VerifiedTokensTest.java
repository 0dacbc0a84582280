package io.retain.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The verified-token cache answers only what the decoder would: the same text while it has not
 * expired; an expired, forged or different token goes to the real decoder.
 */
class VerifiedTokensTest {

  static final Instant T0 = Instant.parse("2026-12-07T21:00:00Z");

  /** A clock the test moves; the decoder's timestamp rule reads it too. */
  static final class Moving extends Clock {
    Instant now = T0;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  final Moving clock = new Moving();
  final AtomicInteger decoded = new AtomicInteger();

  /** The gateway's HS256 decoder with its timestamp rule on the test clock, counting its calls. */
  ReactiveJwtDecoder counting() {
    NimbusReactiveJwtDecoder nimbus =
        NimbusReactiveJwtDecoder.withSecretKey(
                new SecretKeySpec(
                    BearerTokenFilterTest.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    JwtTimestampValidator time = new JwtTimestampValidator(); // 60 s clock skew
    time.setAllowEmptyExpiryClaim(false);
    time.setClock(clock);
    nimbus.setJwtValidator(time);
    return token -> {
      decoded.incrementAndGet();
      return nimbus.decode(token);
    };
  }

  static String token(String subject, Instant exp) throws Exception {
    return BearerTokenFilterTest.signed(
        new JWTClaimsSet.Builder()
            .subject(subject)
            .issueTime(Date.from(T0.minusSeconds(60)))
            .expirationTime(Date.from(exp))
            .claim("roles", List.of("ANALYST"))
            .build());
  }

  @Test
  void theSameTokenIsVerifiedOnceWhileItHasNotExpired() throws Exception {
    VerifiedTokens tokens = new VerifiedTokens(counting(), clock, 100);
    String a = token("alice", T0.plusSeconds(300));

    Jwt first = tokens.decode(a).block();
    clock.now = T0.plusSeconds(299);
    Jwt second = tokens.decode(a).block();

    assertThat(first.getSubject()).isEqualTo("alice");
    assertThat(second).isSameAs(first);
    assertThat(decoded).hasValue(1);
  }

  @Test
  void anExpiredTokenGoesBackToTheDecoderAndIsRefusedAfterItsSkew() throws Exception {
    VerifiedTokens tokens = new VerifiedTokens(counting(), clock, 100);
    String a = token("alice", T0.plusSeconds(30));
    assertThat(tokens.decode(a).block().getSubject()).isEqualTo("alice");

    // at exp the cache no longer answers: the decoder does, and still accepts within its skew
    clock.now = T0.plusSeconds(30);
    assertThat(tokens.decode(a).block().getSubject()).isEqualTo("alice");
    assertThat(decoded).hasValue(2);
    assertThat(tokens.size()).isZero(); // not kept again once expired

    clock.now = T0.plusSeconds(91);
    assertThatThrownBy(() -> tokens.decode(a).block())
        .isInstanceOf(JwtValidationException.class)
        .hasMessageContaining("expired");
    assertThat(decoded).hasValue(3);
  }

  @Test
  void aDifferentTokenIsNeverAnsweredWithAnotherOnesClaims() throws Exception {
    VerifiedTokens tokens = new VerifiedTokens(counting(), clock, 100);
    String alice = token("alice", T0.plusSeconds(300));
    String bob = token("bob", T0.plusSeconds(300));

    assertThat(tokens.decode(alice).block().getSubject()).isEqualTo("alice");
    assertThat(tokens.decode(bob).block().getSubject()).isEqualTo("bob");
    assertThat(tokens.decode(alice).block().getSubject()).isEqualTo("alice");
    assertThat(decoded).hasValue(2);

    // alice's token with bob's signature: another text, so the decoder checks it and refuses
    String forged =
        alice.substring(0, alice.lastIndexOf('.')) + bob.substring(bob.lastIndexOf('.'));
    assertThatThrownBy(() -> tokens.decode(forged).block()).isInstanceOf(BadJwtException.class);
    assertThatThrownBy(() -> tokens.decode(forged).block()).isInstanceOf(BadJwtException.class);
    assertThat(decoded).hasValue(4); // refused tokens are never kept
  }

  @Test
  void itHoldsAtMostItsBoundDroppingExpiredTokensFirst() throws Exception {
    VerifiedTokens tokens = new VerifiedTokens(counting(), clock, 3);
    String shortLived = token("short", T0.plusSeconds(10));
    tokens.decode(shortLived).block();
    for (String s : List.of("a", "b")) tokens.decode(token(s, T0.plusSeconds(600))).block();
    assertThat(tokens.size()).isEqualTo(3);

    clock.now = T0.plusSeconds(20); // "short" has expired: it makes room
    String c = token("c", T0.plusSeconds(600));
    tokens.decode(c).block();
    assertThat(tokens.size()).isEqualTo(3);

    // full of live tokens: everything goes, the newcomer stays
    tokens.decode(token("d", T0.plusSeconds(600))).block();
    assertThat(tokens.size()).isEqualTo(1);
    int before = decoded.get();
    tokens.decode(c).block(); // dropped, so verified again
    assertThat(decoded.get()).isEqualTo(before + 1);
  }

  @Test
  void throughTheFilterAnExpiredTokenIsRefusedEvenRightAfterAValidOne() throws Exception {
    // the filter's own cache: a valid token twice, then an expired one (another text) is 401
    var client = BearerTokenFilterTest.client(true);
    String valid = BearerTokenFilterTest.token(BearerTokenFilterTest.SECRET, 300);
    for (int i = 0; i < 2; i++) {
      client
          .post()
          .uri("/graphql")
          .header("Authorization", "Bearer " + valid)
          .exchange()
          .expectStatus()
          .isOk();
    }
    client
        .post()
        .uri("/graphql")
        .header(
            "Authorization",
            "Bearer " + BearerTokenFilterTest.token(BearerTokenFilterTest.SECRET, -120))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNAUTHORIZED);
  }
}
