package io.retain.support.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/** Mints HS256 tokens for local runs, service-to-service calls and tests. */
public final class Tokens {

  /** The claim that lists a token's roles. */
  public static final String ROLES_CLAIM = "roles";

  private Tokens() {}

  /** A token for {@code subject} with {@code roles}, valid for {@code ttl}. */
  public static String hs256(String secret, String subject, Duration ttl, Role... roles) {
    try {
      Instant now = Instant.now();
      List<String> names = Arrays.stream(roles).map(Role::name).toList();
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .subject(subject)
              .issuer("retain-local")
              .issueTime(Date.from(now))
              .expirationTime(Date.from(now.plus(ttl)))
              .claim(ROLES_CLAIM, names)
              .build();
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot sign token: " + e.getMessage(), e);
    }
  }
}
