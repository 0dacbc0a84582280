package io.retain.support.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.proxy.callback.ProxyConfigHolder;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import io.retain.support.r2dbc.GuardedConnectionFactory;
import io.retain.support.r2dbc.GuardedConnectionTest;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * What every subgraph promises, inherited by a {@code SubgraphContractTest} in each service: it
 * starts on real PostgreSQL, is ready, exposes Prometheus metrics, and answers {@code _service {
 * sdl }} as a federation v2 subgraph whose {@code Customer} is keyed by {@code id}, and its
 * database pool survives a query cancelled while its rows arrive, with the statement spans on (the
 * cancel guard right under the pool, r2dbc-proxy under it). Its edge is closed: the federation
 * fields, introspection and actuator (but health) need a token with the right role, a token needs
 * {@code exp} and the configured issuer, and bad input never reaches SQL.
 */
@PostgresTest
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "retain.security.issuer=retain-local",
      // the riskier pool shape (what every exporting service runs): the cancel case below must
      // pass through r2dbc-proxy's statement spans too
      "retain.tracing.database-spans=true",
      // first calls of an endpoint (metrics listing, introspection) on a loaded build machine
      "spring.test.webtestclient.timeout=30s"
    })
@AutoConfigureWebTestClient
@ActiveProfiles("test")
public abstract class SubgraphContractTests {

  @Autowired protected WebTestClient http;
  @Autowired ConnectionFactory connections;

  @Value("${retain.security.jwt-secret}")
  String secret;

  static final String ENTITIES =
      "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }";
  static final Map<String, Object> ONE_CUSTOMER =
      Map.of("r", List.of(Map.of("__typename", "Customer", "id", "C0000001")));

  protected String token(Role... roles) {
    return Tokens.hs256(secret, "contract", Duration.ofMinutes(5), roles);
  }

  /** POSTs a document with an optional token. */
  protected WebTestClient.ResponseSpec graphql(
      String token, String query, Map<String, Object> variables) {
    return http.post()
        .uri("/graphql")
        .headers(
            h -> {
              if (token != null) h.setBearerAuth(token);
            })
        .bodyValue(Map.of("query", query, "variables", variables))
        .exchange();
  }

  @Test
  void aQueryCancelledWhileItsRowsArriveLeavesNoConnectionOfThePoolBlocked() {
    GuardedConnectionTest.cancelWhileRowsArrive(connections).block(Duration.ofSeconds(10));
    int size = 4; // spring.r2dbc.pool.max-size in tests
    DatabaseClient db = DatabaseClient.create(connections);
    Long answered =
        Flux.range(0, size)
            .flatMap(x -> db.sql("select pg_sleep(0.2)").fetch().rowsUpdated(), size)
            .count()
            .block(Duration.ofSeconds(20));
    assertThat(answered).isEqualTo(size);
  }

  @Test
  void thePoolHandsOutTheCancelGuardWithTheStatementSpansUnderIt() {
    // over the guard, the proxy's connections (not a Lifecycle) would hide its preRelease
    Object underPool = ((Wrapped<?>) connections).unwrap();
    assertThat(underPool).isInstanceOf(GuardedConnectionFactory.class);
    assertThat(((GuardedConnectionFactory) underPool).unwrap())
        .isInstanceOf(ProxyConfigHolder.class);
  }

  @Test
  void serviceSdlDeclaresCustomerEntityWithFederationV2() {
    graphql(token(Role.SERVICE), "{ _service { sdl } }", Map.of())
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.data._service.sdl")
        .value(
            String.class,
            sdl ->
                assertThat(sdl)
                    .contains("https://specs.apollo.dev/federation/v2.7")
                    .containsPattern("type Customer @key\\(fields ?: ?\"id\""));
  }

  /** No data and exactly one error, with {@code code}. */
  static WebTestClient.BodyContentSpec onlyError(WebTestClient.ResponseSpec response, String code) {
    return response
        .expectBody()
        .jsonPath("$.data")
        .value(d -> assertThat(d).isNull())
        .jsonPath("$.errors.length()")
        .isEqualTo(1)
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo(code);
  }

  @Test
  void serviceSdlNeedsAServiceOrAdminToken() {
    onlyError(graphql(null, "{ _service { sdl } }", Map.of()), "UNAUTHENTICATED");
    graphql(token(Role.CAMPAIGN_MANAGER), "{ _service { sdl } }", Map.of())
        .expectBody()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("FORBIDDEN");
    graphql(token(Role.ADMIN), "{ _service { sdl } }", Map.of())
        .expectBody()
        .jsonPath("$.data._service.sdl")
        .value(String.class, sdl -> assertThat(sdl).contains("Customer"));
  }

  @Test
  void entitiesWithoutATokenAnswerOneUnauthenticatedErrorAndNoData() {
    // one error: no "wrongly returned a null value" echo for the non-null _entities
    onlyError(graphql(null, ENTITIES, ONE_CUSTOMER).expectStatus().isOk(), "UNAUTHENTICATED")
        .jsonPath("$.errors[0].path[0]")
        .isEqualTo("_entities");
  }

  @Test
  void entitiesWithATokenWithoutAReadRoleAreForbidden() {
    onlyError(graphql(token(), ENTITIES, ONE_CUSTOMER), "FORBIDDEN");
  }

  @Test
  void entitiesAnswerAServiceToken() {
    graphql(token(Role.SERVICE), ENTITIES, Map.of("r", List.of()))
        .expectBody()
        .jsonPath("$.errors")
        .doesNotExist()
        .jsonPath("$.data._entities.length()")
        .isEqualTo(0);
  }

  @Test
  void aNulCharacterInAnArgumentIsBadInputBeforeAnySql() {
    graphql(
            token(Role.SERVICE),
            ENTITIES,
            Map.of("r", List.of(Map.of("__typename", "Customer", "id", "C\u0000001"))))
        .expectBody()
        .jsonPath("$.errors.length()")
        .isEqualTo(1)
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("BAD_USER_INPUT")
        .jsonPath("$.errors[0].extensions.field")
        .isEqualTo("representations.id");
  }

  @Test
  void introspectionNeedsAToken() {
    String query = "{ __schema { queryType { name } } }";
    graphql(null, query, Map.of())
        .expectBody()
        .jsonPath("$.data")
        .doesNotExist()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("UNAUTHENTICATED");
    graphql(token(Role.ANALYST), query, Map.of())
        .expectBody()
        .jsonPath("$.data.__schema.queryType.name")
        .isEqualTo("Query");
    graphql(null, "{ __typename }", Map.of())
        .expectBody()
        .jsonPath("$.data.__typename")
        .isEqualTo("Query");
  }

  @Test
  void tokensNeedExpAndTheConfiguredIssuer() {
    String noExp =
        TestTokens.signed(
            secret, c -> c.subject("x").issuer("retain-local").claim("roles", List.of("SERVICE")));
    String otherIssuer =
        TestTokens.signed(
            secret,
            c ->
                c.subject("x")
                    .issuer("elsewhere")
                    .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                    .claim("roles", List.of("SERVICE")));
    graphql(noExp, "{ __typename }", Map.of()).expectStatus().isUnauthorized();
    graphql(otherIssuer, "{ __typename }", Map.of()).expectStatus().isUnauthorized();
    graphql(token(Role.SERVICE), "{ __typename }", Map.of()).expectStatus().isOk();
  }

  @Test
  void otherMethodsOnGraphqlAre405() {
    http.put()
        .uri("/graphql")
        .bodyValue(Map.of("query", "{ __typename }"))
        .exchange()
        .expectStatus()
        .isEqualTo(405)
        .expectHeader()
        .valueEquals("Allow", "GET, POST")
        .expectBody()
        .jsonPath("$.errors[0].extensions.code")
        .isEqualTo("METHOD_NOT_ALLOWED");
  }

  @Test
  void actuatorButHealthNeedsAnAdminOrServiceToken() {
    for (String path : List.of("/actuator", "/actuator/metrics", "/actuator/prometheus")) {
      http.get().uri(path).exchange().expectStatus().isUnauthorized();
      http.get()
          .uri(path)
          .headers(h -> h.setBearerAuth(token(Role.ANALYST)))
          .exchange()
          .expectStatus()
          .isForbidden();
    }
    http.get()
        .uri("/actuator/metrics")
        .headers(h -> h.setBearerAuth(token(Role.ADMIN)))
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void readinessLivenessAndMetricsAnswer() {
    http.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    http.get()
        .uri("/actuator/prometheus")
        .headers(h -> h.setBearerAuth(token(Role.SERVICE)))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
  }
}
