package io.retain.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationNamesTest {

  @Test
  void unnamedIsAnonymousAndNamesPastTheCapAreOther() {
    OperationNames names = new OperationNames(2);
    assertThat(names.tag(null)).isEqualTo("anonymous");
    assertThat(names.tag("")).isEqualTo("anonymous");
    assertThat(names.tag("A")).isEqualTo("A");
    assertThat(names.tag("B")).isEqualTo("B");
    assertThat(names.tag("C")).isEqualTo("other");
    // names admitted earlier keep their tag after the cap is reached
    assertThat(names.tag("A")).isEqualTo("A");
    assertThat(names.tag("C")).isEqualTo("other");
  }

  @Test
  void aCapOfZeroTagsEveryNamedOperationOther() {
    assertThat(new OperationNames(0).tag("A")).isEqualTo("other");
    assertThatThrownBy(() -> new OperationNames(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBatchSizeCountsTheRepresentationsOfEveryEntitiesAlias() {
    String entities =
        "query($r0:[_Any!]!,$r1:[_Any!]!){r0:_entities(representations:$r0){__typename}}";
    assertThat(
            GatewayTelemetry.batchSize(
                entities, Map.of("r0", List.of(1, 2, 3), "r1", List.of(4), "first", 5)))
        .isEqualTo(4);
    assertThat(GatewayTelemetry.batchSize("query{users{id}}", Map.of("r0", List.of(1)))).isZero();
  }
}
