package io.retain.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Each limit refuses at the gateway's HTTP edge with 400 and its code, before any planning. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "retain.gateway.limits.max-depth=3",
      "retain.gateway.limits.max-aliases=2",
      "retain.gateway.limits.max-complexity=100",
      "retain.gateway.limits.max-document-bytes=300",
      "retain.gateway.limits.max-body-bytes=4096"
    })
@AutoConfigureWebTestClient
class LimitsOverHttpTest {

  @Autowired WebTestClient http;

  void refused(String query, String code, int limit, int actual) {
    // CI shares two cores: a first request may take longer than the 5 s default
    http.mutate()
        .responseTimeout(java.time.Duration.ofSeconds(60))
        .build()
        .post()
        .uri("/graphql")
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.parseMediaType("application/graphql-response+json"))
        .bodyValue(Map.of("query", query))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo(code)
        .jsonPath("$.errors[0].extensions.limit")
        .isEqualTo(limit)
        .jsonPath("$.errors[0].extensions.actual")
        .isEqualTo(actual)
        .jsonPath("$.data")
        .doesNotExist();
  }

  @Test
  void tooDeep() {
    refused("{ a { b { c { d } } } }", "QUERY_TOO_DEEP", 3, 4);
  }

  @Test
  void tooManyAliases() {
    refused("{ x: a y: a z: a }", "TOO_MANY_ALIASES", 2, 3);
  }

  @Test
  void tooComplex() {
    refused("{ list(first: 50) { a b } }", "QUERY_TOO_COMPLEX", 100, 101);
  }

  @Test
  void tooLarge() {
    String q = "{ " + "a ".repeat(200) + "}";
    refused(q, "DOCUMENT_TOO_LARGE", 300, q.length());
  }

  @Test
  void aVariablesDefaultCountsAsItsPageSize() {
    refused("query($n: Int = 1000) { list(first: $n) { a } }", "QUERY_TOO_COMPLEX", 100, 1001);
  }

  @Test
  void aBodyOverTheLimitIs400DocumentTooLargeWithItsSizeAtAnySize() {
    for (int size : new int[] {5_000, 300_000, 5_000_000}) {
      Map<String, Object> body =
          Map.of("query", "{ a }", "variables", Map.of("v", "x".repeat(size)));
      int bytes = size + "{\"query\":\"{ a }\",\"variables\":{\"v\":\"\"}}".length();
      client()
          .post()
          .uri("/graphql")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(body)
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.errors[0].extensions.code")
          .isEqualTo("DOCUMENT_TOO_LARGE")
          .jsonPath("$.errors[0].extensions.limit")
          .isEqualTo(4096)
          .jsonPath("$.errors[0].extensions.actual")
          .value(
              actual ->
                  assertThat(((Number) actual).longValue()).isBetween(bytes - 2L, bytes + 2L));
    }
    // the gateway still reads and checks the next request
    refused("{ a { b { c { d } } } }", "QUERY_TOO_DEEP", 3, 4);
  }

  @Test
  void putAndDeleteAre405WithTheAllowedMethods() {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.PUT, HttpMethod.DELETE}) {
      client()
          .method(method)
          .uri("/graphql")
          .exchange()
          .expectStatus()
          .isEqualTo(405)
          .expectHeader()
          .valueEquals(HttpHeaders.ALLOW, "GET, POST")
          .expectBody()
          .jsonPath("$.errors[0].extensions.code")
          .isEqualTo("METHOD_NOT_ALLOWED");
    }
  }

  WebTestClient client() {
    return http.mutate().responseTimeout(java.time.Duration.ofSeconds(60)).build();
  }
}
