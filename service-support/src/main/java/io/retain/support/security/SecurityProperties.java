package io.retain.support.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How bearer tokens are checked.
 *
 * @param jwtSecret HS256 shared secret (local runs and tests; at least 32 bytes), from the
 *     environment ({@code RETAIN_JWT_SECRET}), never from the repository
 * @param issuerUri an OIDC issuer (production); used instead of the secret when set
 * @param issuer the {@code iss} every token must carry; blank checks none (the issuer URI is
 *     checked when set)
 * @param audience a value the token's {@code aud} must contain; blank checks none
 */
@ConfigurationProperties("retain.security")
public record SecurityProperties(
    String jwtSecret, String issuerUri, String issuer, String audience) {}
