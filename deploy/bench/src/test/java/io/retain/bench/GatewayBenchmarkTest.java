package io.retain.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The benchmark's answer check: same data passes, any real difference is named by its path. */
class GatewayBenchmarkTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String s) {
    return JSON.readTree(s);
  }

  @Test
  void numbersCompareByValueAsJsonDoes() {
    assertThat(GatewayBenchmark.difference(json("{\"a\":[2.0,1]}"), json("{\"a\":[2,1.00]}"), ""))
        .isNull();
  }

  @Test
  void theFirstRealDifferenceIsReportedWithItsPath() {
    assertThat(
            GatewayBenchmark.difference(
                json("{\"c\":{\"edges\":[{\"id\":\"C1\"},{\"id\":\"C2\"}]}}"),
                json("{\"c\":{\"edges\":[{\"id\":\"C1\"},{\"id\":\"C3\"}]}}"),
                ""))
        .isEqualTo("/c/edges/1/id: \"C2\" vs \"C3\"");
    assertThat(GatewayBenchmark.difference(json("{\"a\":null}"), json("{\"a\":0}"), ""))
        .isEqualTo("/a: null vs 0");
    assertThat(GatewayBenchmark.difference(json("[1,2]"), json("[1]"), ""))
        .isEqualTo(": 2 vs 1 elements");
  }

  @Test
  void eachRoundStartsOneTargetFurtherSoEveryTargetTakesEveryPosition() {
    var targets = java.util.List.of("retain", "second", "hive", "apollo");
    assertThat(GatewayBenchmark.rotated(targets, 0))
        .containsExactly("retain", "second", "hive", "apollo");
    assertThat(GatewayBenchmark.rotated(targets, 1))
        .containsExactly("second", "hive", "apollo", "retain");
    assertThat(GatewayBenchmark.rotated(targets, 3))
        .containsExactly("apollo", "retain", "second", "hive");
    assertThat(GatewayBenchmark.rotated(targets, 4))
        .containsExactly("retain", "second", "hive", "apollo");
  }
}
