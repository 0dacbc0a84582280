package io.retain.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replicas in the launcher: ports, ids, shared databases and the URLs each instance is given. */
class ReplicasTest {

  final List<ServiceSpec> services =
      ServiceSpec.withReplicas(
          ServiceSpec.defaults(8080), ServiceSpec.parseReplicas("scoring-service=2, gateway=2"));

  @Test
  void replicasGetPortsTenApartTheSameDatabaseAndTheirOwnIds() {
    assertThat(services)
        .extracting(ServiceSpec::id, ServiceSpec::port, ServiceSpec::database)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("customer-service", 8081, "retain_customer"),
            org.assertj.core.groups.Tuple.tuple("scoring-service", 8082, "retain_scoring"),
            org.assertj.core.groups.Tuple.tuple("scoring-service-2", 8092, "retain_scoring"),
            org.assertj.core.groups.Tuple.tuple("retention-service", 8083, "retain_retention"),
            org.assertj.core.groups.Tuple.tuple("gateway", 8080, null),
            org.assertj.core.groups.Tuple.tuple("gateway-2", 8090, null));
  }

  @Test
  void everyServiceGetsEveryInstanceFirstReplicaFirst() {
    assertThat(Suite.urls(services))
        .containsEntry("SCORING_URL", "http://127.0.0.1:8082,http://127.0.0.1:8092")
        .containsEntry("CUSTOMER_URL", "http://127.0.0.1:8081")
        .containsEntry("RETENTION_URL", "http://127.0.0.1:8083")
        .containsEntry("GATEWAY_URL", "http://127.0.0.1:8080,http://127.0.0.1:8090");
  }

  @Test
  void aBadReplicaSettingIsRefusedWithWhatWasExpected() {
    assertThat(ServiceSpec.parseReplicas("")).isEqualTo(Map.of());
    assertThatThrownBy(() -> ServiceSpec.parseReplicas("scoring-service=0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "RETAIN_REPLICAS: expected service=count (count 1-99), got 'scoring-service=0'");
    assertThatThrownBy(() -> ServiceSpec.parseReplicas("scoring-service"))
        .hasMessageContaining("got 'scoring-service'");
    assertThatThrownBy(
            () -> ServiceSpec.withReplicas(ServiceSpec.defaults(8080), Map.of("scoring", 2)))
        .hasMessage(
            "RETAIN_REPLICAS: no service 'scoring'; expected one of [customer-service,"
                + " scoring-service, retention-service, gateway]");
    assertThatThrownBy(() -> new ServiceSpec("gateway", 1, null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
