package io.retain.scoring;

import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import java.time.Duration;
import java.util.Map;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Posts a GraphQL document over HTTP as a caller with a role and a language. */
public final class GraphQlHttp {

  private GraphQlHttp() {}

  public static WebTestClient.BodyContentSpec post(
      WebTestClient http, String secret, Role role, String query, String lang) {
    return post(http, secret, role, query, Map.of(), lang);
  }

  /** With variables. */
  public static WebTestClient.BodyContentSpec post(
      WebTestClient http,
      String secret,
      Role role,
      String query,
      Map<String, Object> variables,
      String lang) {
    return http.post()
        .uri("/graphql")
        .header("Authorization", "Bearer " + Tokens.hs256(secret, "t", Duration.ofHours(1), role))
        .header("Accept-Language", lang)
        .bodyValue(Map.of("query", query, "variables", variables))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody();
  }
}
