package io.retain.scoring.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * customer-service's activity aggregates (its {@code ActivityRepository} statement and {@code
 * OrderAggregates}) recomputed in memory from import rows, so a test can score a generated data set
 * as of any date with the real {@link ScoringEngine} without starting the services. {@code
 * ActivityFromFilesTest} holds it to the worked example's aggregates, which customer-service's own
 * test holds its SQL to.
 */
final class ActivityFromFiles {

  /** A customer and its rows, as imported. */
  record Customer(
      String id,
      LocalDate since,
      String kind,
      String industry,
      String valueTier,
      String region,
      List<Order> orders,
      List<Ticket> tickets,
      List<Survey> surveys) {}

  /** An order; counted = completed and not a test (DOMAIN.md §3). */
  record Order(LocalDate day, long cents, boolean counted) {}

  record Ticket(Instant opened, Instant firstResponse, Instant resolved, boolean complaint) {}

  record Survey(Instant answered, int score, Integer csat) {}

  /** A churn record. */
  record Churn(String customerId, LocalDate churnedAt, LocalDate wonBackAt) {}

  /** A generated data set: customers in file order, churn records by customer. */
  record DataSet(List<Customer> customers, Map<String, Churn> churn) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private ActivityFromFiles() {}

  /** Reads the NDJSON files {@code io.retain.datagen.DemoData} writes. */
  static DataSet read(Path dir) throws IOException {
    Map<String, Customer> byId = new LinkedHashMap<>();
    for (JsonNode c : lines(dir.resolve("customers.ndjson"))) {
      String id = c.get("id").asString();
      byId.put(
          id,
          new Customer(
              id,
              LocalDate.parse(c.get("since").asString()),
              c.get("kind").asString(),
              c.get("industry").asString(),
              c.get("valueTier").asString(),
              text(c, "region"),
              new ArrayList<>(),
              new ArrayList<>(),
              new ArrayList<>()));
    }
    for (JsonNode o : lines(dir.resolve("orders.ndjson"))) {
      byId.get(o.get("customerId").asString()).orders().add(order(o));
    }
    for (JsonNode t : lines(dir.resolve("tickets.ndjson"))) {
      byId.get(t.get("customerId").asString()).tickets().add(ticket(t));
    }
    for (JsonNode s : lines(dir.resolve("surveys.ndjson"))) {
      byId.get(s.get("customerId").asString()).surveys().add(survey(s));
    }
    Map<String, Churn> churn = new LinkedHashMap<>();
    for (JsonNode h : lines(dir.resolve("churn.ndjson"))) {
      String won = text(h, "wonBackAt");
      churn.put(
          h.get("customerId").asString(),
          new Churn(
              h.get("customerId").asString(),
              LocalDate.parse(h.get("churnedAt").asString()),
              won == null ? null : LocalDate.parse(won)));
    }
    return new DataSet(List.copyOf(byId.values()), churn);
  }

  static Order order(JsonNode o) {
    String status = text(o, "status");
    boolean test = o.has("test") && o.get("test").asBoolean();
    return new Order(
        LocalDate.parse(o.get("placedAt").asString()),
        new BigDecimal(o.get("amount").asString()).movePointRight(2).longValueExact(),
        (status == null || status.equals("COMPLETED")) && !test);
  }

  static Ticket ticket(JsonNode t) {
    String response = text(t, "firstResponseAt");
    String resolved = text(t, "resolvedAt");
    return new Ticket(
        Instant.parse(t.get("openedAt").asString()),
        response == null ? null : Instant.parse(response),
        resolved == null ? null : Instant.parse(resolved),
        t.get("complaint").asBoolean());
  }

  static Survey survey(JsonNode s) {
    String csat = text(s, "csat");
    return new Survey(
        LocalDate.parse(s.get("answeredAt").asString()).atStartOfDay().toInstant(ZoneOffset.UTC),
        s.get("score").asInt(),
        csat == null ? null : Integer.valueOf(csat));
  }

  /**
   * The aggregates as of the end of {@code asOf} (UTC) over a window of {@code w} months: what
   * customer-service answers scoring for that date, with the status given.
   */
  static Activity activity(Customer c, String status, LocalDate asOf, int w) {
    Instant end = asOf.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant start = asOf.minusMonths(w).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    // orders: as OrderAggregates computes them from the counted orders placed by asOf
    Integer[] hist = new Integer[w];
    Arrays.fill(hist, 0);
    int asOfMonth = asOf.getYear() * 12 + asOf.getMonthValue();
    List<Long> window = new ArrayList<>();
    long allN = 0;
    long allCents = 0;
    LocalDate first = null;
    LocalDate last = null;
    java.util.Set<LocalDate> days = new java.util.HashSet<>();
    for (Order o : c.orders()) {
      if (!o.counted() || o.day().isAfter(asOf)) {
        continue;
      }
      allN++;
      days.add(o.day());
      allCents += o.cents();
      first = first == null || o.day().isBefore(first) ? o.day() : first;
      last = last == null || o.day().isAfter(last) ? o.day() : last;
      int bucket =
          asOfMonth
              - (o.day().getYear() * 12 + o.day().getMonthValue())
              - (asOf.getDayOfMonth() < o.day().getDayOfMonth() ? 1 : 0);
      if (bucket < w) {
        hist[bucket]++;
        window.add(o.cents());
      }
    }
    long sum = 0;
    long squares = 0;
    int stableN = 0;
    long stableSum = 0;
    long stableSquares = 0;
    if (!window.isEmpty()) {
      long[] sorted = window.stream().mapToLong(Long::longValue).sorted().toArray();
      int n = sorted.length;
      double lo = sorted[(n - 1) / 2] / 100.0;
      double hi = sorted[n / 2] / 100.0;
      double median = n % 2 == 1 ? lo : lo + (hi - lo) * 0.5;
      for (long x : sorted) {
        sum += x;
        squares += x * x;
        if (!(n >= 5 && x / 100.0 > 10 * median)) { // outliers leave the stability metric only
          stableN++;
          stableSum += x;
          stableSquares += x * x;
        }
      }
    }
    // tickets and surveys: as ActivityRepository's statement aggregates them
    int tickets = 0;
    int complaints = 0;
    double responseHours = 0;
    int open7 = 0;
    for (Ticket t : c.tickets()) {
      if (!t.opened().isBefore(end)) {
        continue;
      }
      if (!t.opened().isBefore(start)) {
        tickets++;
        complaints += t.complaint() ? 1 : 0;
        Instant answered =
            t.firstResponse() == null || t.firstResponse().isAfter(end) ? end : t.firstResponse();
        responseHours += Duration.between(t.opened(), answered).toMillis() / 3_600_000.0;
      }
      boolean open = t.resolved() == null || !t.resolved().isBefore(end);
      if (open && Duration.between(t.opened(), end).compareTo(Duration.ofDays(7)) >= 0) {
        open7++;
      }
    }
    int promoters = 0;
    int passives = 0;
    int detractors = 0;
    int csatN = 0;
    double csatSum = 0;
    for (Survey s : c.surveys()) {
      if (s.answered().isBefore(start) || !s.answered().isBefore(end)) {
        continue;
      }
      if (s.score() >= 9) {
        promoters++;
      } else if (s.score() >= 7) {
        passives++;
      } else {
        detractors++;
      }
      if (s.csat() != null) {
        csatN++;
        csatSum += s.csat();
      }
    }
    return new Activity(
        c.id(),
        c.since(),
        c.kind(),
        c.industry(),
        c.valueTier(),
        c.region(),
        status,
        null,
        window.size(),
        List.of(hist),
        sum / 100.0,
        squares / 10_000.0,
        stableN,
        stableSum / 100.0,
        stableSquares / 10_000.0,
        last,
        first,
        allN,
        allCents / 100.0,
        sum / 100.0,
        complaints,
        tickets,
        tickets == 0 ? null : responseHours / tickets,
        open7,
        promoters,
        passives,
        detractors,
        csatN == 0 ? null : csatSum / csatN,
        csatN,
        days.size());
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }
}
