package io.retain.scoring.rescoring;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * customer-service's activityChanges and customerActivity, answered from the worked example's
 * aggregates; {@code down} makes it answer 503.
 */
final class CustomerServiceStub {
  final HttpServer server;
  final AtomicBoolean down = new AtomicBoolean();
  final AtomicInteger refused = new AtomicInteger();
  final AtomicInteger feedReads = new AtomicInteger();
  final List<String> changes = new CopyOnWriteArrayList<>();
  final Map<String, JsonNode> activity = new java.util.concurrent.ConcurrentHashMap<>();
  final ObjectMapper json = new ObjectMapper();

  private CustomerServiceStub(HttpServer server) {
    this.server = server;
  }

  static CustomerServiceStub start() {
    try {
      CustomerServiceStub stub =
          new CustomerServiceStub(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
      try (InputStream in =
          CustomerServiceStub.class.getResourceAsStream("/fixtures/worked-example.activity.json")) {
        stub.json
            .readTree(in)
            .get("activity")
            .forEach(a -> stub.activity.put(a.get("customerId").asString(), a));
      }
      stub.server.createContext("/graphql", stub::handle);
      stub.server.start();
      return stub;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void change(String customerId) {
    changes.add(customerId);
  }

  void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    int status = 200;
    byte[] out;
    if (down.get()) {
      refused.incrementAndGet();
      status = 503;
      out = "{}".getBytes(StandardCharsets.UTF_8);
    } else {
      JsonNode req = json.readTree(exchange.getRequestBody());
      JsonNode vars = req.path("variables");
      Object data;
      if (req.path("query").asString().contains("activityChanges")) {
        feedReads.incrementAndGet();
        long after = vars.path("a").asLong();
        int limit = vars.path("l").asInt();
        List<Map<String, Object>> page = new java.util.ArrayList<>();
        for (int i = (int) after; i < changes.size() && page.size() < limit; i++) {
          page.add(Map.of("seq", i + 1, "customerId", changes.get(i)));
        }
        data = Map.of("activityChanges", page);
      } else {
        data =
            Map.of(
                "customerActivity",
                vars.path("ids").valueStream().map(id -> activity.get(id.asString())).toList());
      }
      out = json.writeValueAsBytes(Map.of("data", data));
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }
}
