package io.retain.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bearer tokens at the gateway.
 *
 * @param jwtSecret HS256 secret (local runs; env {@code RETAIN_JWT_SECRET})
 * @param issuerUri OIDC issuer (production; env {@code RETAIN_JWT_ISSUER}); wins over the secret
 * @param requireToken refuse requests without a token (production); locally anonymous requests pass
 *     and the subgraphs refuse what needs a role
 * @param issuer the {@code iss} every token must carry (env {@code RETAIN_TOKEN_ISSUER}); blank
 *     checks none, the issuer URI is checked when set
 * @param audience a value every token's {@code aud} must contain (env {@code
 *     RETAIN_TOKEN_AUDIENCE}); blank checks none
 * @param subgraphToken the token sent to read the subgraphs' SDL when tokens come from an OIDC
 *     issuer (env {@code RETAIN_GATEWAY_SUBGRAPH_TOKEN}, SERVICE or ADMIN role); with the secret
 *     the gateway mints a short-lived SERVICE token itself
 */
@ConfigurationProperties("retain.gateway.security")
public record EdgeSecurityProperties(
    String jwtSecret,
    String issuerUri,
    boolean requireToken,
    String issuer,
    String audience,
    String subgraphToken) {}
