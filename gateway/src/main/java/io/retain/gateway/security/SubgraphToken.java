package io.retain.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The Authorization header the gateway sends when it reads a subgraph's {@code _service { sdl }}:
 * the subgraphs answer it only to SERVICE or ADMIN. A configured token wins (OIDC); with the HS256
 * secret a SERVICE token valid for five minutes is minted for each composition; otherwise none.
 */
@Component
public class SubgraphToken {

  static final Duration TTL = Duration.ofMinutes(5);

  /** The issuer of locally minted tokens, as the subgraphs' {@code Tokens} write it. */
  static final String LOCAL_ISSUER = "retain-local";

  private final EdgeSecurityProperties props;

  public SubgraphToken(EdgeSecurityProperties props) {
    this.props = props;
  }

  /** {@code Bearer …}, or null when neither a token nor a secret is configured. */
  public String authorization() {
    if (present(props.subgraphToken())) {
      return "Bearer " + props.subgraphToken().trim();
    }
    if (present(props.issuerUri()) || !present(props.jwtSecret())) {
      return null;
    }
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .subject("gateway")
            .issuer(present(props.issuer()) ? props.issuer() : LOCAL_ISSUER)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(TTL)))
            .claim("roles", List.of("SERVICE"));
    if (present(props.audience())) {
      claims.audience(props.audience());
    }
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
      jwt.sign(new MACSigner(props.jwtSecret().getBytes(StandardCharsets.UTF_8)));
      return "Bearer " + jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the subgraph token: " + e.getMessage(), e);
    }
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }
}
