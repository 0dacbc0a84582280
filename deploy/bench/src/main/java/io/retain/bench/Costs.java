package io.retain.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What each request cost besides its latency, per target: CPU of the gateway process and of the
 * subgraphs ({@link CpuTime}, from {@code /proc}), and how many calls each subgraph received (its
 * {@code http.server.requests} count on {@code /graphql}, read from the actuator with the
 * benchmark's ADMIN token). Only the target's own rounds are counted: targets run one at a time.
 */
final class Costs {

  /** CPU seconds by process name and calls by subgraph, at one moment. */
  record Reading(Map<String, Double> cpu, Map<String, Double> calls) {}

  private final LoadGenerator gen;
  private final String token;
  private final Map<String, List<Long>> pids;
  private final Map<String, String> subgraphs;
  private final ObjectMapper json = new ObjectMapper();

  /** Per target: requests, then per name its CPU seconds / calls summed over the rounds. */
  private final Map<String, long[]> requests = new LinkedHashMap<>();

  private final Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
  private final Map<String, Map<String, Double>> calls = new LinkedHashMap<>();

  Costs(
      LoadGenerator gen,
      String token,
      Map<String, List<Long>> pids,
      Map<String, String> subgraphs) {
    this.gen = gen;
    this.token = token;
    this.pids = pids;
    this.subgraphs = subgraphs;
  }

  Reading read() {
    Map<String, Double> c = new LinkedHashMap<>();
    pids.forEach((name, ps) -> c.put(name, ps.stream().mapToDouble(CpuTime::of).sum()));
    Map<String, Double> n = new LinkedHashMap<>();
    subgraphs.forEach((name, url) -> n.put(name, graphqlRequests(url)));
    return new Reading(c, n);
  }

  /** Adds what happened since {@code before} to the target's account. */
  void add(String target, Reading before, long done) {
    Reading now = read();
    requests.computeIfAbsent(target, k -> new long[1])[0] += done;
    now.cpu()
        .forEach(
            (k, v) ->
                cpu.computeIfAbsent(target, t -> new LinkedHashMap<>())
                    .merge(k, v - before.cpu().get(k), Double::sum));
    now.calls()
        .forEach(
            (k, v) ->
                calls
                    .computeIfAbsent(target, t -> new LinkedHashMap<>())
                    .merge(k, v - before.calls().get(k), Double::sum));
  }

  /**
   * Per target: its gateway's CPU ms per request (the process named like the target), the
   * subgraphs' CPU ms per request, and the calls per request each subgraph received. Empty when
   * nothing was measured.
   */
  String table(Map<String, String> targets) {
    if (pids.isEmpty() && subgraphs.isEmpty()) return "";
    List<String> subs = List.copyOf(subgraphs.keySet());
    StringBuilder sb =
        new StringBuilder("\n| target | gateway CPU ms/req | subgraphs CPU ms/req |");
    subs.forEach(s -> sb.append(" ").append(s).append(" calls/req |"));
    sb.append("\n|---|---:|---:|");
    subs.forEach(s -> sb.append("---:|"));
    sb.append("\n");
    for (String t : targets.keySet()) {
      long n = requests.getOrDefault(t, new long[1])[0];
      Map<String, Double> c = cpu.getOrDefault(t, Map.of());
      double sub = 0;
      for (String s : subs) sub += c.getOrDefault(s, 0.0);
      sb.append("| ").append(t).append(" | ").append(perRequest(c.get(t), n, 1000));
      sb.append(" | ")
          .append(
              pids.keySet().stream().anyMatch(subgraphs::containsKey)
                  ? perRequest(sub, n, 1000)
                  : "–");
      for (String s : subs) {
        sb.append(" | ").append(perRequest(calls.getOrDefault(t, Map.of()).get(s), n, 1));
      }
      sb.append(" |\n");
    }
    sb.append(
        "\nCPU from /proc (user + system, 10 ms ticks) over the target's measured rounds ÷ its"
            + " requests; calls = the subgraph's http.server.requests count on /graphql over the"
            + " same rounds ÷ requests.\n");
    return sb.toString();
  }

  private static String perRequest(Double total, long n, double scale) {
    if (total == null || n == 0 || total.isNaN()) return "–";
    return String.format(Locale.ROOT, "%.2f", total * scale / n);
  }

  /** The subgraph's count of requests to /graphql so far, NaN when unreadable. */
  private double graphqlRequests(String base) {
    try {
      JsonNode m =
          json.readTree(
              gen.get(base + "/actuator/metrics/http.server.requests?tag=uri:/graphql", token));
      for (JsonNode s : m.path("measurements")) {
        if (s.path("statistic").asString().equals("COUNT")) return s.path("value").asDouble();
      }
    } catch (Exception e) {
      // not exposed or not reachable: shown as "–"
    }
    return Double.NaN;
  }
}
