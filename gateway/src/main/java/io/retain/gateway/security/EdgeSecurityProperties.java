package io.retain.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bearer tokens at the gateway.
 *
 * @param jwtSecret HS256 secret (local runs; env {@code RETAIN_JWT_SECRET})
 * @param issuerUri OIDC issuer (production; env {@code RETAIN_JWT_ISSUER}); wins over the secret
 * @param requireToken refuse requests without a token (production); locally anonymous requests pass
 *     and the subgraphs refuse what needs a role
 */
@ConfigurationProperties("retain.gateway.security")
public record EdgeSecurityProperties(String jwtSecret, String issuerUri, boolean requireToken) {}
