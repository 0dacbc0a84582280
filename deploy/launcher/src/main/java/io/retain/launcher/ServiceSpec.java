package io.retain.launcher;

/**
 * One service of the suite.
 *
 * @param name module and jar name, e.g. {@code customer-service}
 * @param port HTTP port
 * @param database its own database, or null (the gateway has none)
 */
public record ServiceSpec(String name, int port, String database) {

  /** The four services with their default ports and databases. */
  public static java.util.List<ServiceSpec> defaults(int basePort) {
    return java.util.List.of(
        new ServiceSpec("customer-service", basePort + 1, "retain_customer"),
        new ServiceSpec("scoring-service", basePort + 2, "retain_scoring"),
        new ServiceSpec("retention-service", basePort + 3, "retain_retention"),
        new ServiceSpec("gateway", basePort, null));
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }
}
