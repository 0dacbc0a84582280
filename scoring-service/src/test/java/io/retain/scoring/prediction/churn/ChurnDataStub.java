package io.retain.scoring.prediction.churn;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.retain.scoring.customer.ActivityAsArray;
import io.retain.scoring.engine.Activity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * customer-service for churn training, on a real HTTP server: {@code churnEvents} and the bulk
 * activity stream as of any date, for a seeded population whose churn depends on behaviour the
 * loyalty score does not weigh (tickets left open, slow first responses, long silences). Each
 * customer has a latent risk u; its aggregates at any date are drawn from u with noise, and its
 * churn month from a monthly hazard rising with u. Today's status (CHURNED after a churn) is in
 * every line, as customer-service sends it.
 */
final class ChurnDataStub {

  static final LocalDate SINCE = LocalDate.parse("2022-01-01");

  final HttpServer server;
  final int customers;
  final double[] risk;
  final LocalDate[] churnedAt;
  final ObjectMapper json = new ObjectMapper();

  private ChurnDataStub(int customers, long seed) {
    this.customers = customers;
    this.risk = new double[customers];
    this.churnedAt = new LocalDate[customers];
    Random rnd = new Random(seed);
    for (int i = 0; i < customers; i++) {
      risk[i] = rnd.nextDouble();
      double hazard = 0.002 + 0.06 * Math.pow(risk[i], 3);
      for (LocalDate m = LocalDate.parse("2025-01-01");
          m.isBefore(LocalDate.parse("2026-04-01"));
          m = m.plusMonths(1)) {
        if (rnd.nextDouble() < hazard) {
          churnedAt[i] = m.plusDays(rnd.nextInt(28));
          break;
        }
      }
    }
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/graphql", this::graphql);
    server.createContext("/internal/activity", this::activity);
    server.setExecutor(Executors.newCachedThreadPool());
  }

  /** The population without serving it (the prediction benchmark reads it in process). */
  static ChurnDataStub population(int customers, long seed) {
    return new ChurnDataStub(customers, seed);
  }

  static ChurnDataStub start(int customers, long seed) {
    ChurnDataStub stub = new ChurnDataStub(customers, seed);
    stub.server.start();
    return stub;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static String id(int i) {
    return String.format("K%04d", i);
  }

  /** Customer i's aggregates as of a date: drawn from its risk, the same for the same date. */
  Activity activity(int i, LocalDate asOf) {
    Random rnd = new Random(i * 1_000_003L + asOf.toEpochDay());
    double u = risk[i];
    int daysSince = (int) (3 + rnd.nextDouble() * (20 + 140 * u));
    int orders = 3 + rnd.nextInt(10);
    List<Integer> buckets = new ArrayList<>(Collections.nCopies(12, 0));
    for (int o = 0; o < orders; o++) {
      int b = Math.min(11, daysSince / 31 + rnd.nextInt(12 - Math.min(11, daysSince / 31)));
      buckets.set(b, buckets.get(b) + 1);
    }
    double amount = 80 + 40 * rnd.nextDouble();
    int open7 = rnd.nextDouble() < u * 0.8 ? 1 + rnd.nextInt(3) : 0;
    boolean gone = churnedAt[i] != null;
    return new Activity(
        id(i),
        SINCE,
        i % 3 == 0 ? "ENTERPRISE" : "INDIVIDUAL",
        "RETAIL",
        List.of("KEY", "MAJOR", "ORDINARY", "SMALL").get(i % 4),
        "EAST",
        gone ? "CHURNED" : "ACTIVE",
        null,
        orders,
        buckets,
        orders * amount,
        orders * amount * amount * 1.05,
        orders,
        orders * amount,
        orders * amount * amount * 1.05,
        asOf.minusDays(daysSince),
        SINCE,
        orders + 20L,
        orders * amount + 3000,
        orders * amount,
        rnd.nextInt(2),
        2 + open7 + rnd.nextInt(2),
        4 + 90 * u * rnd.nextDouble(),
        open7,
        1 + rnd.nextInt(3),
        rnd.nextInt(2),
        rnd.nextInt(2),
        3.5 + rnd.nextDouble(),
        2,
        orders + 20);
  }

  private void graphql(HttpExchange exchange) throws IOException {
    JsonNode req = json.readTree(exchange.getRequestBody());
    if (req.path("query").asString().contains("customerActivity")) {
      LocalDate asOf = LocalDate.parse(req.path("variables").path("asOf").asString());
      List<Activity> found = new ArrayList<>();
      req.path("variables")
          .path("ids")
          .forEach(id -> found.add(activity(Integer.parseInt(id.asString().substring(1)), asOf)));
      answer(exchange, Map.of("customerActivity", found));
      return;
    }
    LocalDate to = LocalDate.parse(req.path("variables").path("to").asString());
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < customers; i++) {
      if (churnedAt[i] != null && !churnedAt[i].isAfter(to)) {
        java.util.HashMap<String, Object> e = new java.util.HashMap<>();
        e.put("customerId", id(i));
        e.put("churnedAt", churnedAt[i].toString());
        e.put("wonBackAt", null);
        events.add(e);
      }
    }
    answer(exchange, Map.of("churnEvents", events));
  }

  private void answer(HttpExchange exchange, Map<String, Object> data) throws IOException {
    byte[] out = json.writeValueAsBytes(Map.of("data", data));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  /** When set, every activity stream waits for it (a training held mid-run), at most a minute. */
  volatile @Nullable CountDownLatch hold;

  private void activity(HttpExchange exchange) throws IOException {
    CountDownLatch h = hold;
    if (h != null) {
      try {
        h.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String query = exchange.getRequestURI().getQuery();
    LocalDate asOf = null;
    for (String kv : query.split("&")) {
      if (kv.startsWith("asOf=")) {
        asOf = LocalDate.parse(kv.substring(5));
      }
    }
    exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
    exchange.getResponseHeaders().add("Connection", "close");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 0; i < customers; i++) {
        out.write(
            ActivityAsArray.JSON
                .writeValueAsString(activity(i, asOf))
                .getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
    }
    exchange.close();
  }
}
