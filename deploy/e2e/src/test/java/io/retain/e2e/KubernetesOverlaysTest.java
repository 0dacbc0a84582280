package io.retain.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.retain.support.events.kafka.KafkaEventListener;
import io.retain.support.events.kafka.KafkaEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders every Kustomize overlay under {@code deploy/k8s/overlays} with {@code kubectl kustomize}
 * (offline) and checks the objects an operator relies on: probes, resources, pinned images, secrets
 * referenced and never inlined, Services and ConfigMap references that resolve, and per overlay the
 * replica, autoscaling and disruption-budget shape; in production, the Strimzi Kafka cluster, its
 * topics and every subgraph pointed at it.
 */
class KubernetesOverlaysTest {

  static final Path K8S = LocalRunTest.ROOT.resolve("deploy/k8s");
  static final Set<String> SERVICES =
      Set.of("customer-service", "scoring-service", "retention-service", "gateway");
  static final Set<String> SUBGRAPHS =
      Set.of("customer-service", "scoring-service", "retention-service");
  static final Pattern SENSITIVE = Pattern.compile(".*(PASSWORD|SECRET|TOKEN).*");

  static String kubectl;

  @BeforeAll
  static void findKubectl() {
    kubectl =
        List.of("/usr/bin/kubectl", "/usr/local/bin/kubectl").stream()
            .filter(p -> Files.isExecutable(Path.of(p)))
            .findFirst()
            .orElse(null);
    assumeTrue(
        kubectl != null,
        "kubectl is not installed: apt-get install -y kubernetes-client (.ci/run does this)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void everyWorkloadIsProbedSizedPinnedAndWired(String overlay) throws Exception {
    List<Map<String, Object>> objects = render(overlay);
    List<Map<String, Object>> workloads = ofKind(objects, "Deployment", "StatefulSet");
    assertThat(workloads).extracting(KubernetesOverlaysTest::name).containsAll(SERVICES);
    Set<String> configMaps =
        ofKind(objects, "ConfigMap").stream()
            .map(KubernetesOverlaysTest::name)
            .collect(Collectors.toSet());

    for (Map<String, Object> w : workloads) {
      for (Map<String, Object> c : containers(w)) {
        String where = overlay + "/" + name(w) + "/" + c.get("name");
        assertThat(c).as(where + " probes").containsKeys("readinessProbe", "livenessProbe");
        Map<String, Object> resources = map(c, "resources");
        assertThat(map(resources, "requests")).as(where).containsKeys("cpu", "memory");
        assertThat(map(resources, "limits")).as(where).containsKey("memory");
        String image = (String) c.get("image");
        assertThat(image).as(where + " image has a pinned tag").matches("[^:]+:[^:]+");
        assertThat(image).doesNotEndWith(":latest");
        if (SERVICES.contains(name(w))) {
          assertThat(image).as(where).startsWith("retain/" + name(w) + ":");
          // a slow start is the startup probe's to judge, not liveness's (no restart loop)
          assertThat(probePath(c, "startupProbe")).as(where).isEqualTo("/actuator/health/liveness");
          assertThat(probePath(c, "livenessProbe"))
              .as(where)
              .isEqualTo("/actuator/health/liveness");
          assertThat(probePath(c, "readinessProbe"))
              .as(where)
              .isEqualTo("/actuator/health/readiness");
        }
        for (Map<String, Object> env : list(c, "env")) {
          if (SENSITIVE.matcher((String) env.get("name")).matches()) {
            assertThat(env)
                .as(where + " " + env.get("name") + " is inlined")
                .doesNotContainKey("value");
            Map<String, Object> ref = map(map(env, "valueFrom"), "secretKeyRef");
            assertThat(ref.get("name")).as(where).isEqualTo("retain");
          }
        }
        for (Map<String, Object> from : list(c, "envFrom")) {
          assertThat(configMaps)
              .as(where + " envFrom")
              .contains((String) map(from, "configMapRef").get("name"));
        }
      }
    }
    // Secrets come from the cluster (kubectl create secret); a rendered one would be in git.
    assertThat(ofKind(objects, "Secret")).isEmpty();
    for (Map<String, Object> cm : ofKind(objects, "ConfigMap")) {
      assertThat(map(cm, "data").keySet()).noneMatch(k -> SENSITIVE.matcher(k).matches());
    }
    for (Map<String, Object> svc : ofKind(objects, "Service")) {
      Map<String, Object> selector = map(map(svc, "spec"), "selector");
      assertThat(workloads)
          .as(overlay + " Service " + name(svc) + " selects a workload")
          .anyMatch(w -> podLabels(w).entrySet().containsAll(selector.entrySet()));
    }
  }

  @Test
  void eachSubgraphReadsItsOwnDatabaseFromTheSharedHost() throws Exception {
    List<Map<String, Object>> objects = render("production");
    Map<String, String> databases =
        Map.of(
            "customer-service", "retain_customer",
            "scoring-service", "retain_scoring",
            "retention-service", "retain_retention");
    databases.forEach(
        (service, db) -> {
          Map<String, Object> c = containers(workload(objects, service)).get(0);
          assertThat(envValue(c, "DB_NAME")).isEqualTo(db);
          assertThat(envValue(c, "DB_R2DBC_URL"))
              .isEqualTo("r2dbc:postgresql://$(DB_HOST):$(DB_PORT)/$(DB_NAME)");
        });
    assertThat(envValue(containers(workload(objects, "gateway")).get(0), "DB_NAME")).isNull();
    Map<String, Object> database =
        ofKind(objects, "ConfigMap").stream()
            .filter(cm -> name(cm).startsWith("retain-database"))
            .findFirst()
            .orElseThrow();
    assertThat(map(database, "data")).containsEntry("DB_HOST", "retain-postgres.database.svc");
  }

  @Test
  void productionRunsReplicatedWithAutoscalingBudgetsAndSpread() throws Exception {
    List<Map<String, Object>> objects = render("production");
    List<String> deployments =
        ofKind(objects, "Deployment").stream().map(KubernetesOverlaysTest::name).toList();
    assertThat(deployments).containsExactlyInAnyOrderElementsOf(SERVICES);
    for (String service : deployments) {
      Map<String, Object> d = workload(objects, service);
      assertThat((Integer) map(d, "spec").get("replicas")).as(service).isGreaterThanOrEqualTo(2);
      Map<String, Object> hpa = named(objects, "HorizontalPodAutoscaler", service);
      Map<String, Object> target = map(map(hpa, "spec"), "scaleTargetRef");
      assertThat(target).containsEntry("kind", "Deployment").containsEntry("name", service);
      assertThat((Integer) map(hpa, "spec").get("minReplicas")).isGreaterThanOrEqualTo(2);
      Map<String, Object> pdb = named(objects, "PodDisruptionBudget", service);
      Map<String, Object> selects = map(map(map(pdb, "spec"), "selector"), "matchLabels");
      assertThat(podLabels(d).entrySet()).containsAll(selects.entrySet());
      List<Map<String, Object>> spread =
          list(map(map(map(d, "spec"), "template"), "spec"), "topologySpreadConstraints");
      assertThat(spread)
          .singleElement()
          .satisfies(
              s -> assertThat(map(map(s, "labelSelector"), "matchLabels")).isEqualTo(selects));
      Map<String, Object> c = containers(d).get(0);
      assertThat(list(c, "envFrom"))
          .anyMatch(
              f -> ((String) map(f, "configMapRef").get("name")).startsWith("retain-production"));
    }
    Map<String, Object> production =
        ofKind(objects, "ConfigMap").stream()
            .filter(cm -> name(cm).startsWith("retain-production"))
            .findFirst()
            .orElseThrow();
    assertThat(map(production, "data")).containsEntry("SPRING_PROFILES_ACTIVE", "production");
  }

  @Test
  void localRunsOneOfEachWithItsOwnPostgresAndNoBudgets() throws Exception {
    List<Map<String, Object>> objects = render("local");
    for (String service : SERVICES) {
      assertThat(map(workload(objects, service), "spec").get("replicas")).isEqualTo(1);
    }
    // a budget on a single replica would block every node drain
    assertThat(ofKind(objects, "PodDisruptionBudget", "HorizontalPodAutoscaler")).isEmpty();
    assertThat(workload(objects, "postgres")).containsEntry("kind", "StatefulSet");
    assertThat(named(objects, "Service", "postgres")).isNotNull();
    // events over the HTTP feeds, the embedded default: no broker to run
    assertThat(ofKind(objects, "Kafka", "KafkaNodePool", "KafkaTopic")).isEmpty();
    for (String service : SERVICES) {
      assertThat(env(objects, containers(workload(objects, service)).get(0)))
          .as(service)
          .doesNotContainKeys("RETAIN_EVENTS", "KAFKA_BOOTSTRAP_SERVERS");
    }
  }

  @Test
  void productionRunsEventsOnTheStrimziKafkaClusterItDeclares() throws Exception {
    List<Map<String, Object>> objects = render("production");
    Map<String, Object> kafka =
        ofKind(objects, "Kafka").stream()
            .reduce(
                (a, b) -> {
                  throw new AssertionError("more than one Kafka");
                })
            .orElseThrow(() -> new AssertionError("no Kafka resource"));
    String cluster = name(kafka);
    assertThat(kafka.get("apiVersion")).isEqualTo("kafka.strimzi.io/v1beta2");
    // KRaft with node pools: no ZooKeeper, controllers and brokers as KafkaNodePools of the cluster
    assertThat(map(kafka, "metadata").get("annotations"))
        .isEqualTo(Map.of("strimzi.io/node-pools", "enabled", "strimzi.io/kraft", "enabled"));
    assertThat(map(kafka, "spec")).doesNotContainKey("zookeeper");
    Map<String, Integer> nodesByRole = new HashMap<>();
    for (Map<String, Object> pool : ofKind(objects, "KafkaNodePool")) {
      assertThat(map(map(pool, "metadata"), "labels")).containsEntry("strimzi.io/cluster", cluster);
      Map<String, Object> spec = map(pool, "spec");
      assertThat(map(spec, "resources")).as(name(pool)).containsKeys("requests", "limits");
      for (Object role : (List<?>) spec.get("roles")) {
        nodesByRole.merge((String) role, (Integer) spec.get("replicas"), Integer::sum);
      }
    }
    assertThat(nodesByRole.get("controller")).as("a controller quorum").isGreaterThanOrEqualTo(3);
    int brokers = nodesByRole.getOrDefault("broker", 0);
    assertThat(brokers).isGreaterThanOrEqualTo(3);
    Map<String, Object> brokerConfig = map(map(map(kafka, "spec"), "kafka"), "config");
    assertThat(brokerConfig).containsEntry("auto.create.topics.enable", false);

    // the topics the code names, on this cluster; the consumer topics have a partition for every
    // replica the HPA may start, and tolerate one broker down with acks=all
    Map<String, String> consumerOf =
        Map.of(
            KafkaEvents.CUSTOMER_ACTIVITY_CHANGED, "scoring-service",
            KafkaEvents.LOYALTY_WARNING_RAISED, "retention-service");
    Map<String, Map<String, Object>> topics = new HashMap<>();
    for (Map<String, Object> t : ofKind(objects, "KafkaTopic")) {
      assertThat(map(map(t, "metadata"), "labels")).containsEntry("strimzi.io/cluster", cluster);
      Object topicName = map(t, "spec").get("topicName");
      topics.put(topicName == null ? name(t) : (String) topicName, map(t, "spec"));
    }
    for (String topic : consumerOf.keySet()) {
      for (String name : List.of(topic, topic + KafkaEventListener.DLT_SUFFIX)) {
        Map<String, Object> spec = topics.get(name);
        assertThat(spec).as("KafkaTopic " + name).isNotNull();
        int replicas = (Integer) spec.get("replicas");
        assertThat(replicas).as(name).isBetween(3, brokers);
        assertThat((Integer) map(spec, "config").get("min.insync.replicas"))
            .as(name)
            .isEqualTo(replicas - 1);
      }
      Map<String, Object> hpa = named(objects, "HorizontalPodAutoscaler", consumerOf.get(topic));
      assertThat((Integer) topics.get(topic).get("partitions"))
          .as(topic + " partitions for every " + consumerOf.get(topic) + " replica")
          .isGreaterThanOrEqualTo((Integer) map(hpa, "spec").get("maxReplicas"));
    }

    // every subgraph on Kafka, at Strimzi's bootstrap Service for this cluster and its plain port
    Map<String, Object> plain =
        list(map(map(kafka, "spec"), "kafka"), "listeners").stream()
            .filter(l -> Boolean.FALSE.equals(l.get("tls")) && "internal".equals(l.get("type")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no internal plain listener"));
    String bootstrap = cluster + "-kafka-bootstrap:" + plain.get("port");
    for (String service : SUBGRAPHS) {
      Map<String, String> env = env(objects, containers(workload(objects, service)).get(0));
      assertThat(env)
          .as(service)
          .containsEntry("RETAIN_EVENTS", "kafka")
          .containsEntry("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
          .containsEntry("SPRING_KAFKA_ADMIN_AUTOCREATE", "false");
    }
    assertThat(env(objects, containers(workload(objects, "gateway")).get(0)))
        .doesNotContainKeys("RETAIN_EVENTS", "KAFKA_BOOTSTRAP_SERVERS");
  }

  /** A container's environment as the kubelet builds it: envFrom ConfigMaps, then env values. */
  static Map<String, String> env(List<Map<String, Object>> objects, Map<String, Object> container) {
    Map<String, String> env = new HashMap<>();
    for (Map<String, Object> from : list(container, "envFrom")) {
      String configMap = (String) map(from, "configMapRef").get("name");
      map(named(objects, "ConfigMap", configMap), "data")
          .forEach((k, v) -> env.put(k, String.valueOf(v)));
    }
    for (Map<String, Object> e : list(container, "env")) {
      if (e.get("value") != null) {
        env.put((String) e.get("name"), (String) e.get("value"));
      }
    }
    return env;
  }

  static String probePath(Map<String, Object> container, String probe) {
    return (String) map(map(container, probe), "httpGet").get("path");
  }

  static List<Map<String, Object>> render(String overlay) throws IOException, InterruptedException {
    Path dir = K8S.resolve("overlays").resolve(overlay);
    Process p =
        new ProcessBuilder(kubectl, "kustomize", dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize " + dir).isZero();
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(out)) {
      if (doc != null) {
        objects.add(cast(doc));
      }
    }
    return objects;
  }

  static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String... kinds) {
    Set<String> wanted = Set.of(kinds);
    return objects.stream().filter(o -> wanted.contains((String) o.get("kind"))).toList();
  }

  static Map<String, Object> named(List<Map<String, Object>> objects, String kind, String name) {
    return ofKind(objects, kind).stream()
        .filter(o -> name.equals(name(o)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  static Map<String, Object> workload(List<Map<String, Object>> objects, String name) {
    return ofKind(objects, "Deployment", "StatefulSet").stream()
        .filter(o -> name.equals(name(o)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no workload " + name));
  }

  static List<Map<String, Object>> containers(Map<String, Object> workload) {
    return list(map(map(map(workload, "spec"), "template"), "spec"), "containers");
  }

  static Map<String, Object> podLabels(Map<String, Object> workload) {
    return map(map(map(map(workload, "spec"), "template"), "metadata"), "labels");
  }

  static String envValue(Map<String, Object> container, String name) {
    return list(container, "env").stream()
        .filter(e -> name.equals(e.get("name")))
        .map(e -> (String) e.get("value"))
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  static String name(Map<String, Object> o) {
    return (String) map(o, "metadata").get("name");
  }

  static Map<String, Object> map(Map<String, Object> o, String key) {
    Object v = o.get(key);
    return v == null ? Map.of() : cast(v);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> o, String key) {
    Object v = o.get(key);
    return v == null ? List.of() : (List<Map<String, Object>>) v;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }
}
