package io.retain.launcher;

import io.retain.datagen.DemoData;
import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the demo data set on first start: about 2,000 generated customers with their history,
 * imported through customer-service's public import endpoint before the other services start (see
 * {@link Suite#start(Suite.Config, java.time.Duration, String, Suite.BeforeOthers)}), then scored
 * as of today by scoring-service; retention-service opens plans from the warnings on its own.
 */
public final class DemoLoader {

  private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);
  static final int CUSTOMERS = 2000;
  static final long SEED = 42;

  private DemoLoader() {}

  /** Whether the demo data is to be loaded: not yet loaded into this data folder, or --fresh. */
  static boolean needed(Path work, boolean fresh) throws Exception {
    Path marker = work.resolve("demo-loaded");
    if (fresh) {
      Files.deleteIfExists(marker);
    }
    if (Files.exists(marker)) {
      log.info("Demo data already loaded ({}); --fresh starts over", marker);
      return false;
    }
    return true;
  }

  /**
   * Generates the data as of today and imports every file into customer-service (importing the same
   * files again, after a start that did not finish, changes nothing).
   */
  static void importData(Suite suite, Path work) throws Exception {
    importData(suite, work.resolve("demo-data"), CUSTOMERS, LocalDate.now(ZoneOffset.UTC));
  }

  /**
   * Generates {@code customers} demo customers (the launcher's seed) as of {@code today} into
   * {@code dir} and imports them into the suite's customer-service: the same data for the same
   * arguments, so two suites can be compared (the replica end-to-end test does).
   */
  public static DemoData.Counts importData(Suite suite, Path dir, int customers, LocalDate today)
      throws Exception {
    DemoData.Counts counts = DemoData.write(dir, customers, SEED, today);
    log.info("Generated demo data {}", counts);
    String steward =
        Tokens.hs256(
            suite.config().jwtSecret(), "demo-loader", Duration.ofMinutes(30), Role.DATA_STEWARD);
    HttpClient http = HttpClient.newHttpClient();
    String customer = suite.service("customer-service").baseUrl();
    for (String file : DemoData.FILES) {
      String entity = file.substring(0, file.indexOf('.'));
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(customer + "/import/" + entity))
                  .timeout(Duration.ofMinutes(5))
                  .header("Content-Type", "application/x-ndjson")
                  .header("Authorization", "Bearer " + steward)
                  .POST(HttpRequest.BodyPublishers.ofFile(dir.resolve(file)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "Importing " + file + " failed: HTTP " + r.statusCode() + " " + r.body());
      }
      log.info("Imported {}: {}", file, r.body());
    }
    return counts;
  }

  /** Scores every customer as of today, then marks the data folder as loaded. */
  static void score(Suite suite, Path work) throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String admin =
        Tokens.hs256(suite.config().jwtSecret(), "demo-loader", Duration.ofMinutes(30), Role.ADMIN);
    HttpClient http = HttpClient.newHttpClient();
    String scoring = suite.service("scoring-service").baseUrl();
    String mutation =
        "{\"query\":\"mutation($asOf: Date!) { rescoreAll(input: {asOf: $asOf}) { scored } }\","
            + "\"variables\":{\"asOf\":\""
            + today
            + "\"}}";
    // Right after a large import, scoring's change-feed poller may have opened its circuit
    // breaker to customer-service; the breaker half-opens after a few seconds, so try again.
    HttpResponse<String> r = null;
    for (int attempt = 1; attempt <= 6; attempt++) {
      r =
          http.send(
              HttpRequest.newBuilder(URI.create(scoring + "/graphql"))
                  .timeout(Duration.ofMinutes(5))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + admin)
                  .POST(HttpRequest.BodyPublishers.ofString(mutation))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200 && !r.body().contains("\"errors\"")) {
        break;
      }
      log.info("Scoring the demo data not possible yet (attempt {}): {}", attempt, r.body());
      Thread.sleep(6000);
    }
    if (r.statusCode() != 200 || r.body().contains("\"errors\"")) {
      throw new IllegalStateException("Scoring the demo data failed: " + r.body());
    }
    log.info("Scored the demo data as of {}: {}", today, r.body());
    Files.writeString(work.resolve("demo-loaded"), today.toString());
  }
}
