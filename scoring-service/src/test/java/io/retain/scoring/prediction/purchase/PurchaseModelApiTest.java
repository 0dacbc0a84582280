package io.retain.scoring.prediction.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.sun.net.httpserver.HttpServer;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import io.retain.testpg.PostgresTest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * fitPurchaseModel over HTTP on a real database, reading the CDNOW sample from a customer-service
 * stub as purchase summaries: the stored version carries the published parameters, and
 * Customer.purchaseForecast serves forecasts from it (batched); each kind of bad input gets its
 * typed error and stores nothing.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PurchaseModelApiTest {

  static final LocalDate AS_OF = Cdnow.CALIBRATION_END;

  /** What the stub streams: CDNOW as customer-service's lines, or nothing. */
  static final AtomicReference<byte[]> BODY = new AtomicReference<>(cdnowLines());

  static final HttpServer STUB = stub();

  @DynamicPropertySource
  static void customerService(DynamicPropertyRegistry registry) {
    registry.add(
        "retain.remote.customer.url", () -> "http://127.0.0.1:" + STUB.getAddress().getPort());
  }

  @AfterAll
  static void stopStub() {
    STUB.stop(0);
  }

  @Autowired DatabaseClient db;

  @Value("${retain.security.jwt-secret}")
  String secret;

  @LocalServerPort int port;

  HttpGraphQlTester as(Role role) {
    // a client of its own: the auto-configured one's URI factory overrides any base URL or url()
    return HttpGraphQlTester.builder(
            WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port + "/graphql")
                .responseTimeout(Duration.ofSeconds(60)))
        .header("Authorization", "Bearer " + Tokens.hs256(secret, "t", Duration.ofHours(1), role))
        .build();
  }

  @BeforeEach
  void cdnow() {
    BODY.set(cdnowLines());
  }

  long storedVersions() {
    return db.sql("select count(*) as n from purchase_model")
        .map((r, m) -> r.get("n", Long.class))
        .one()
        .block();
  }

  @Test
  @Order(1)
  void aDateWithoutPurchasesStoresNothingAndSaysWhy() {
    BODY.set(new byte[0]);
    as(Role.ADMIN)
        .documentName("fitPurchaseModel")
        .variable("asOf", "1996-12-31")
        .execute()
        .path("fitPurchaseModel.model")
        .valueIsNull()
        .path("fitPurchaseModel.errors[0].code")
        .entity(String.class)
        .isEqualTo("NO_PURCHASES")
        .path("fitPurchaseModel.errors[0].field")
        .entity(String.class)
        .isEqualTo("asOf");
    // only first purchases: nothing to fit spend on
    BODY.set("[\"C1\",0,\"1997-01-01\",\"1997-01-01\",null]\n".getBytes(StandardCharsets.UTF_8));
    as(Role.ADMIN)
        .documentName("fitPurchaseModel")
        .variable("asOf", "1997-01-31")
        .execute()
        .path("fitPurchaseModel.errors[0].code")
        .entity(String.class)
        .isEqualTo("NO_REPEAT_BUYERS");
    assertThat(storedVersions()).isZero();
  }

  @Test
  @Order(2)
  void onlyAnAdminFits() {
    as(Role.ANALYST)
        .documentName("fitPurchaseModel")
        .variable("asOf", AS_OF.toString())
        .execute()
        .errors()
        .satisfy(
            errors -> {
              assertThat(errors).hasSize(1);
              assertThat(errors.get(0).getExtensions()).containsEntry("code", "FORBIDDEN");
            });
    assertThat(storedVersions()).isZero();
  }

  @Test
  @Order(3)
  @SuppressWarnings("unchecked")
  void fitsCdnowToThePublishedParametersAndStoresTheVersion() {
    Map<String, Object> model = fitWithoutErrors();
    assertThat(model).containsEntry("version", 1).containsEntry("asOf", "1997-09-30");
    assertThat(model).containsEntry("customers", 2357).containsEntry("repeatBuyers", 946);
    assertThat((Double) model.get("r")).isCloseTo(0.2426, withinPercentage(0.1));
    assertThat((Double) model.get("alpha")).isCloseTo(4.4136, withinPercentage(0.1));
    assertThat((Double) model.get("a")).isCloseTo(0.7929, withinPercentage(0.1));
    assertThat((Double) model.get("b")).isCloseTo(2.4260, withinPercentage(0.1));
    assertThat((Double) model.get("bgNbdLogLikelihood"))
        .isCloseTo(-9582.43, withinPercentage(0.01));
    assertThat((Double) model.get("p")).isCloseTo(6.2487, withinPercentage(0.1));
    assertThat((Double) model.get("q")).isCloseTo(3.7446, withinPercentage(0.1));
    assertThat((Double) model.get("gamma")).isCloseTo(15.4481, withinPercentage(0.1));
    assertThat(
            db.sql("select count(*) as n from purchase_prediction where model_version = 1")
                .map((r, m) -> r.get("n", Long.class))
                .one()
                .block())
        .isEqualTo(2357L);
  }

  @Test
  @Order(4)
  void servesForecastsFromTheStoredVersionInOneBatch() {
    // CDNOW customer 1 (x = 2, tx = 213 d, T = 272 d) and 3 (x = 0), and an unknown id
    var response =
        as(Role.ANALYST)
            .documentName("purchaseForecast")
            .variable(
                "ids",
                List.of(
                    Map.of("__typename", "Customer", "id", "0001"),
                    Map.of("__typename", "Customer", "id", "0003"),
                    Map.of("__typename", "Customer", "id", "NOPE")))
            .variable("horizonDays", 273)
            .variable("margin", 0.3)
            .execute();
    response.path("_entities[0].purchaseForecast.modelVersion").entity(Integer.class).isEqualTo(1);
    response
        .path("_entities[0].purchaseForecast.repeatPurchases")
        .entity(Integer.class)
        .isEqualTo(2);
    response.path("_entities[0].purchaseForecast.recencyDays").entity(Integer.class).isEqualTo(213);
    response.path("_entities[0].purchaseForecast.ageDays").entity(Integer.class).isEqualTo(272);
    response
        .path("_entities[0].purchaseForecast.pAlive")
        .entity(Double.class)
        .satisfies(p -> assertThat(p).isCloseTo(0.7266, withinPercentage(0.1)));
    // 273 days = 39 weeks: the published conditional expectation
    response
        .path("_entities[0].purchaseForecast.expectedPurchases")
        .entity(Double.class)
        .satisfies(e -> assertThat(e).isCloseTo(1.226, withinPercentage(0.1)));
    response
        .path("_entities[0].purchaseForecast.clv")
        .entity(Double.class)
        .satisfies(v -> assertThat(v).isCloseTo(10.889, withinPercentage(0.2)));
    response.path("_entities[1].purchaseForecast.pAlive").entity(Double.class).isEqualTo(1.0);
    response.path("_entities[2].purchaseForecast").valueIsNull();
  }

  @Test
  @Order(5)
  void theMarginDefaultsToTheDefaultProfilesAndBadArgumentsAreTypedErrors() {
    as(Role.ANALYST)
        .documentName("purchaseForecast")
        .variable("ids", List.of(Map.of("__typename", "Customer", "id", "0001")))
        .execute()
        .path("_entities[0].purchaseForecast.margin")
        .entity(Double.class)
        .isEqualTo(0.3);
    for (var bad :
        List.of(
            Map.<String, Object>of("horizonDays", 0),
            Map.<String, Object>of("horizonDays", -5),
            Map.<String, Object>of("clvMonths", 0),
            Map.<String, Object>of("margin", 1.5))) {
      String field = bad.keySet().iterator().next();
      var tester =
          as(Role.ANALYST)
              .documentName("purchaseForecast")
              .variable("ids", List.of(Map.of("__typename", "Customer", "id", "0001")));
      tester
          .variable(field, bad.get(field))
          .execute()
          .errors()
          .satisfy(
              errors -> {
                assertThat(errors).hasSize(1);
                assertThat(errors.get(0).getExtensions())
                    .containsEntry("code", "BAD_USER_INPUT")
                    .containsEntry("field", field)
                    .containsKey("expected");
              })
          .path("_entities[0].purchaseForecast")
          .valueIsNull();
    }
  }

  @Test
  @Order(6)
  @SuppressWarnings("unchecked")
  void whenSpendCannotBeFittedBgNbdIsStoredAloneAndSpendAndClvAreNullWithTheReason() {
    BODY.set(lines(SpendRefusalTest.heavyTailedSpend()));
    Map<String, Object> model = fitWithoutErrors();
    assertThat(model).containsEntry("version", 2).containsEntry("repeatBuyers", 946);
    assertThat((Double) model.get("r")).isCloseTo(0.2426, withinPercentage(0.1));
    assertThat(model.get("p")).isNull();
    assertThat(model.get("q")).isNull();
    assertThat(model.get("gamma")).isNull();
    assertThat(model.get("populationMeanSpend")).isNull();
    Map<String, Object> refusal = (Map<String, Object>) model.get("spendModelRefusal");
    assertThat(refusal).containsEntry("code", "NO_FINITE_SPEND");
    assertThat((String) refusal.get("message")).contains("infinite");

    var response =
        as(Role.ANALYST)
            .documentName("purchaseForecast")
            .variable("ids", List.of(Map.of("__typename", "Customer", "id", "0001")))
            .variable("horizonDays", 273)
            .execute();
    response.path("_entities[0].purchaseForecast.modelVersion").entity(Integer.class).isEqualTo(2);
    response
        .path("_entities[0].purchaseForecast.pAlive")
        .entity(Double.class)
        .satisfies(p -> assertThat(p).isCloseTo(0.7266, withinPercentage(0.1)));
    response
        .path("_entities[0].purchaseForecast.expectedPurchases")
        .entity(Double.class)
        .satisfies(e -> assertThat(e).isCloseTo(1.226, withinPercentage(0.1)));
    response.path("_entities[0].purchaseForecast.expectedAverageSpend").valueIsNull();
    response.path("_entities[0].purchaseForecast.clv").valueIsNull();
  }

  /** Fits as of the calibration end; asserts no errors and returns the stored model. */
  @SuppressWarnings("unchecked")
  Map<String, Object> fitWithoutErrors() {
    return as(Role.ADMIN)
        .documentName("fitPurchaseModel")
        .variable("asOf", AS_OF.toString())
        .execute()
        .path("fitPurchaseModel.errors")
        .entityList(Object.class)
        .hasSize(0)
        .path("fitPurchaseModel.model")
        .entity(Map.class)
        .get();
  }

  /** CDNOW as customer-service would stream it: ids 0001…, dates from the calibration end. */
  static byte[] cdnowLines() {
    return lines(Cdnow.histories());
  }

  static byte[] lines(List<PurchaseHistory> histories) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < histories.size(); i++) {
      PurchaseHistory h = histories.get(i);
      LocalDate first = AS_OF.minusDays(h.ageDays());
      out.append(
          String.format(
              "[\"%04d\",%d,\"%s\",\"%s\",%s]%n",
              i + 1,
              h.repeatPurchases(),
              first,
              first.plusDays(h.recencyDays()),
              h.repeatPurchases() > 0 ? Double.toString(h.meanRepeatSpend()) : "null"));
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static HttpServer stub() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/internal/purchase-summaries",
          exchange -> {
            byte[] body = BODY.get();
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
              // in pieces, so that lines span reads
              for (int i = 0; i < body.length; i += 1000) {
                out.write(body, i, Math.min(1000, body.length - i));
                out.flush();
              }
            }
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
