package io.retain.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

/** The token the gateway sends for the subgraphs' SDL. */
class SubgraphTokenTest {

  static final String SECRET = BearerTokenFilterTest.SECRET;

  @Test
  void withTheSecretAShortLivedServiceTokenWithTheConfiguredIssuerAndAudienceIsMinted() {
    EdgeSecurityProperties props =
        new EdgeSecurityProperties(SECRET, null, false, "retain-local", "retain", null);
    String header = new SubgraphToken(props).authorization();
    assertThat(header).startsWith("Bearer ");
    // the gateway's own rules (exp, iss, aud) accept it, as the subgraphs' do
    Jwt jwt = BearerTokenFilter.decoder(props).decode(header.substring(7)).block();
    assertThat(jwt.getClaimAsStringList("roles")).containsExactly("SERVICE");
    assertThat(jwt.getClaimAsString("iss")).isEqualTo("retain-local");
    assertThat(jwt.getAudience()).containsExactly("retain");
    assertThat(jwt.getExpiresAt()).isBefore(Instant.now().plus(Duration.ofMinutes(6)));
  }

  @Test
  void withoutAConfiguredIssuerTheLocalIssuerIsWritten() {
    EdgeSecurityProperties props =
        new EdgeSecurityProperties(SECRET, null, false, null, null, null);
    String header = new SubgraphToken(props).authorization();
    Jwt jwt = BearerTokenFilter.decoder(props).decode(header.substring(7)).block();
    assertThat(jwt.getClaimAsString("iss")).isEqualTo("retain-local");
  }

  @Test
  void aConfiguredTokenWinsAndAnOidcIssuerWithoutOneSendsNone() {
    assertThat(
            new SubgraphToken(
                    new EdgeSecurityProperties(SECRET, null, false, null, null, " abc.def.ghi "))
                .authorization())
        .isEqualTo("Bearer abc.def.ghi");
    assertThat(
            new SubgraphToken(
                    new EdgeSecurityProperties(
                        null, "https://issuer.example", false, null, null, null))
                .authorization())
        .isNull();
  }
}
