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
 * A real HTTP server standing in for scoring's warningFeed and customer-service's customerProfiles;
 * can be switched "down" (HTTP 503).
 */
public final class StubServices implements AutoCloseable {

  final List<WarningEvent> feed = new CopyOnWriteArrayList<>();
  final Map<String, CustomerProfile> profiles;
  public final Map<String, io.retain.retention.remote.CustomerOutcome> outcomes =
      new java.util.concurrent.ConcurrentHashMap<>();
  public final AtomicBoolean down = new AtomicBoolean();
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
          if (down.get()) {
            status = 503;
            out = "{}".getBytes(StandardCharsets.UTF_8);
          } else {
            JsonNode req = json.readTree(exchange.getRequestBody());
            String query = req.path("query").asString();
            JsonNode vars = req.path("variables");
            Object data;
            if (query.contains("warningFeed")) {
              feedCalls.incrementAndGet();
              long after = vars.path("after").asLong();
              int limit = vars.path("limit").asInt();
              data =
                  Map.of(
                      "warningFeed",
                      feed.stream().filter(w -> w.seq() > after).limit(limit).toList());
            } else if (query.contains("customerOutcomes")) {
              data =
                  Map.of(
                      "customerOutcomes",
                      vars.path("ids")
                          .valueStream()
                          .map(id -> outcomes.get(id.asString()))
                          .filter(o -> o != null)
                          .toList());
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

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
