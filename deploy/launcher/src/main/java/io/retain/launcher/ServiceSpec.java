package io.retain.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service of the suite, or one replica of it.
 *
 * @param name module and jar name, e.g. {@code customer-service}
 * @param port HTTP port
 * @param database its own database, or null (the gateway has none); replicas share it
 * @param replica 1 for the first (or only) instance, 2, 3, … for more instances of the same service
 */
public record ServiceSpec(String name, int port, String database, int replica) {

  /** Replicas of one service are this many ports apart in {@link #withReplicas}. */
  public static final int REPLICA_PORT_STEP = 10;

  public ServiceSpec {
    if (replica < 1) throw new IllegalArgumentException("replica must be 1 or more: " + replica);
  }

  /** The first (or only) instance of a service. */
  public ServiceSpec(String name, int port, String database) {
    this(name, port, database, 1);
  }

  /** The four services with their default ports and databases. */
  public static List<ServiceSpec> defaults(int basePort) {
    return List.of(
        new ServiceSpec("customer-service", basePort + 1, "retain_customer"),
        new ServiceSpec("scoring-service", basePort + 2, "retain_scoring"),
        new ServiceSpec("retention-service", basePort + 3, "retain_retention"),
        new ServiceSpec("gateway", basePort, null));
  }

  /**
   * The services with {@code counts.get(name)} instances each (1 when absent): replica r listens
   * {@code (r - 1) * REPLICA_PORT_STEP} ports above the first and uses the same database.
   */
  public static List<ServiceSpec> withReplicas(
      List<ServiceSpec> services, Map<String, Integer> counts) {
    for (String name : counts.keySet()) {
      if (services.stream().noneMatch(s -> s.name().equals(name))) {
        throw new IllegalArgumentException(
            "RETAIN_REPLICAS: no service '"
                + name
                + "'; expected one of "
                + services.stream().map(ServiceSpec::name).toList());
      }
    }
    List<ServiceSpec> out = new ArrayList<>();
    for (ServiceSpec s : services) {
      out.add(s);
      for (int r = 2; r <= counts.getOrDefault(s.name(), 1); r++) {
        out.add(s.replica(r, s.port() + (r - 1) * REPLICA_PORT_STEP));
      }
    }
    return out;
  }

  /**
   * Parses {@code scoring-service=2,gateway=2} (the launcher's {@code RETAIN_REPLICAS}) into
   * counts.
   */
  public static Map<String, Integer> parseReplicas(String spec) {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    if (spec == null || spec.isBlank()) return out;
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split("=");
      if (kv.length != 2 || !kv[1].trim().matches("[1-9][0-9]?")) {
        throw new IllegalArgumentException(
            "RETAIN_REPLICAS: expected service=count (count 1-99), got '" + part.trim() + "'");
      }
      out.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
    }
    return out;
  }

  /** Another instance of this service on another port, with the same database. */
  public ServiceSpec replica(int replica, int port) {
    return new ServiceSpec(name, port, database, replica);
  }

  /**
   * The instance's id in the suite (process, log file, job-lease owner): the service name for the
   * first instance, {@code <name>-<replica>} for the others.
   */
  public String id() {
    return replica == 1 ? name : name + "-" + replica;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }
}
