package io.retain.support.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;

/**
 * What a token must carry besides a valid signature: an {@code exp} (a token without one would be
 * valid for ever), and the configured {@code iss} and {@code aud}.
 */
public final class TokenRules {

  private TokenRules() {}

  /** The validator for a decoder; a blank {@code issuer} or {@code audience} is not checked. */
  public static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
    List<OAuth2TokenValidator<Jwt>> rules = new ArrayList<>();
    JwtTimestampValidator time = new JwtTimestampValidator();
    time.setAllowEmptyExpiryClaim(false);
    rules.add(time);
    if (issuer != null && !issuer.isBlank()) {
      rules.add(new JwtIssuerValidator(issuer));
    }
    if (audience != null && !audience.isBlank()) {
      rules.add(new JwtAudienceValidator(audience));
    }
    return new DelegatingOAuth2TokenValidator<>(rules);
  }
}
