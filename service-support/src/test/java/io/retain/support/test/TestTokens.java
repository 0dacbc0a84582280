package io.retain.support.test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** Tokens with claims {@code Tokens} never writes (no {@code exp}, another issuer), for tests. */
public final class TestTokens {

  private TestTokens() {}

  /** An HS256 token with exactly the claims {@code claims} builds. */
  public static String signed(String secret, UnaryOperator<JWTClaimsSet.Builder> claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader(JWSAlgorithm.HS256), claims.apply(new JWTClaimsSet.Builder()).build());
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
