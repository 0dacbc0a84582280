package io.retain.retention.feed;

import com.sun.net.httpserver.HttpServer;
import io.retain.retention.remote.CustomerProfile;
import io.retain.retention.remote.WarningEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server standing in for scoring's warningFeed, customersByLoyalty, churnModels,
 * customersByChurnRisk and {@code _entities { churnRisk }} and customer-service's customerProfiles,
 * customers and customerOutcomes; can be switched "down" (HTTP 503).
 */
public final class StubServices implements AutoCloseable {

  final List<WarningEvent> feed = new CopyOnWriteArrayList<>();
  final Map<String, CustomerProfile> profiles;
  public final Map<String, io.retain.retention.remote.CustomerOutcome> outcomes =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Outcomes per period start (ISO date) and customer; {@link #outcomes} for other periods. */
  public final Map<String, Map<String, io.retain.retention.remote.CustomerOutcome>> outcomesFrom =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** What scoring knows of a customer, for customersByLoyalty. */
  public record Loyalty(String tier, List<String> riskCodes, String segment) {}

  public final Map<String, Loyalty> loyalty = new java.util.concurrent.ConcurrentSkipListMap<>();

  /** Churn probabilities under the active churn model; customers absent have no prediction. */
  public final Map<String, Double> churn = new java.util.concurrent.ConcurrentHashMap<>();

  /** The active churn model's version; null: no model is active (scoring then predicts none). */
  public final java.util.concurrent.atomic.AtomicReference<Integer> activeChurnModel =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** Only the churn requests fail (HTTP 503): scoring's feed and loyalty still answer. */
  public final AtomicBoolean churnDown = new AtomicBoolean();

  /** Requests for churn data (churnModels, customersByChurnRisk pages, churnRisk entities). */
  public final AtomicInteger churnCalls = new AtomicInteger();

  public final AtomicInteger calls = new AtomicInteger();
  public final AtomicBoolean down = new AtomicBoolean();

  /** Only customerProfiles fails (HTTP 503): the feed is readable, the profiles are not. */
  public final AtomicBoolean profilesDown = new AtomicBoolean();

  final AtomicInteger feedCalls = new AtomicInteger();
  private final HttpServer server;
  private final JsonMapper json = JsonMapper.builder().build();

  public StubServices(Map<String, CustomerProfile> profiles) throws IOException {
    this.profiles = profiles;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/graphql",
        exchange -> {
          byte[] out;
          int status = 200;
          calls.incrementAndGet();
          if (down.get()) {
            status = 503;
            out = "{}".getBytes(StandardCharsets.UTF_8);
          } else {
            JsonNode req = json.readTree(exchange.getRequestBody());
            String query = req.path("query").asString();
            JsonNode vars = req.path("variables");
            Object data;
            Integer model = activeChurnModel.get();
            boolean churnQuery =
                query.contains("_entities")
                    || query.contains("churnModels")
                    || query.contains("customersByChurnRisk");
            if (churnQuery && churnDown.get()) {
              status = 503;
              data = Map.of();
            } else if (query.contains("_entities")) {
              churnCalls.incrementAndGet();
              List<Map<String, Object>> entities = new java.util.ArrayList<>();
              vars.path("representations")
                  .valueStream()
                  .forEach(
                      r -> {
                        String id = r.path("id").asString();
                        Double p = model == null ? null : churn.get(id);
                        Map<String, Object> e = new java.util.HashMap<>();
                        e.put("id", id);
                        e.put(
                            "churnRisk",
                            p == null ? null : Map.of("probability", p, "modelVersion", model));
                        entities.add(e);
                      });
              data = Map.of("_entities", entities);
            } else if (query.contains("churnModels")) {
              churnCalls.incrementAndGet();
              data =
                  Map.of(
                      "churnModels",
                      model == null
                          ? List.of(Map.of("version", 1, "active", false))
                          : List.of(
                              Map.of("version", model - 1, "active", false),
                              Map.of("version", model, "active", true)));
            } else if (query.contains("customersByChurnRisk")) {
              churnCalls.incrementAndGet();
              double min = vars.path("min").asDouble();
              List<String> atRisk =
                  model == null
                      ? List.of()
                      : churn.entrySet().stream()
                          .filter(e -> e.getValue() >= min)
                          .sorted(
                              Map.Entry.<String, Double>comparingByValue()
                                  .reversed()
                                  .thenComparing(Map.Entry.comparingByKey()))
                          .map(Map.Entry::getKey)
                          .toList();
              data = Map.of("customersByChurnRisk", offsetPage(atRisk, vars));
            } else if (query.contains("warningFeed")) {
              feedCalls.incrementAndGet();
              long after = vars.path("after").asLong();
              int limit = vars.path("limit").asInt();
              data =
                  Map.of(
                      "warningFeed",
                      feed.stream().filter(w -> w.seq() > after).limit(limit).toList());
            } else if (query.contains("customerOutcomes")) {
              var period = outcomesFrom.getOrDefault(vars.path("from").asString(), outcomes);
              data =
                  Map.of(
                      "customerOutcomes",
                      vars.path("ids")
                          .valueStream()
                          .map(id -> period.get(id.asString()))
                          .filter(o -> o != null)
                          .toList());
            } else if (query.contains("customersByLoyalty")) {
              JsonNode f = vars.path("filter");
              data =
                  Map.of(
                      "customersByLoyalty",
                      page(
                          loyalty.entrySet().stream()
                              .filter(e -> matches(f.path("tiers"), e.getValue().tier()))
                              .filter(
                                  e ->
                                      f.path("riskCodes").isMissingNode()
                                          || e.getValue().riskCodes().stream()
                                              .anyMatch(c -> matches(f.path("riskCodes"), c)))
                              .filter(e -> matches(f.path("segments"), e.getValue().segment()))
                              .map(Map.Entry::getKey)
                              .toList(),
                          vars));
            } else if (query.contains("customers(")) {
              JsonNode f = vars.path("filter");
              data =
                  Map.of(
                      "customers",
                      page(
                          new java.util.TreeMap<>(profiles)
                              .values().stream()
                                  .filter(p -> matches(f.path("kinds"), p.kind()))
                                  .filter(p -> matches(f.path("industries"), p.industry()))
                                  .filter(p -> matches(f.path("valueTiers"), p.valueTier()))
                                  .map(CustomerProfile::id)
                                  .toList(),
                          vars));
            } else if (profilesDown.get()) {
              status = 503;
              data = Map.of();
            } else {
              List<CustomerProfile> found =
                  vars.path("ids")
                      .valueStream()
                      .map(id -> profiles.get(id.asString()))
                      .filter(p -> p != null)
                      .toList();
              data = Map.of("customerProfiles", found);
            }
            out = json.writeValueAsBytes(Map.of("data", data));
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, out.length);
          exchange.getResponseBody().write(out);
          exchange.close();
        });
    server.start();
  }

  /** A list filter: absent matches everything, else any of its values. */
  private static boolean matches(JsonNode values, String value) {
    return values.isMissingNode()
        || values.isNull()
        || values.valueStream().anyMatch(v -> v.asString().equals(value));
  }

  /** A Relay page of Customer ids after the cursor (the id itself), {@code first} long. */
  private static Map<String, Object> page(List<String> ids, JsonNode vars) {
    String after = vars.path("after").isNull() ? "" : vars.path("after").asString("");
    int first = vars.path("first").asInt();
    List<String> rest = ids.stream().filter(id -> id.compareTo(after) > 0).toList();
    List<String> page = rest.subList(0, Math.min(first, rest.size()));
    return Map.of(
        "edges", page.stream().map(id -> Map.of("cursor", id, "node", Map.of("id", id))).toList(),
        "pageInfo",
            java.util.Collections.unmodifiableMap(
                new java.util.HashMap<>(
                    Map.of(
                        "hasNextPage",
                        rest.size() > first,
                        "endCursor",
                        page.isEmpty() ? "" : page.get(page.size() - 1)))));
  }

  /**
   * A Relay page by offset: the client hands endCursor back unread, so the stub's cursors need not
   * be scoring's (keyset positions).
   */
  private static Map<String, Object> offsetPage(List<String> ids, JsonNode vars) {
    int from = vars.path("after").isNull() ? 0 : Integer.parseInt(vars.path("after").asString("0"));
    int first = vars.path("first").asInt();
    List<String> page = ids.subList(Math.min(from, ids.size()), Math.min(from + first, ids.size()));
    Map<String, Object> pageInfo = new java.util.HashMap<>();
    pageInfo.put("hasNextPage", from + first < ids.size());
    pageInfo.put("endCursor", String.valueOf(from + page.size()));
    return Map.of(
        "edges",
        page.stream().map(id -> Map.of("cursor", id, "node", Map.of("id", id))).toList(),
        "pageInfo",
        pageInfo);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
