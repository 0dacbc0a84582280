package io.retain.bench;

import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs the same query mix against several GraphQL endpoints in one run, interleaving rounds (A, B,
 * C, then B, C, A, then C, A, B…) so machine noise falls on every target alike, and prints
 * throughput, p50/p99 and ratios against the first target. Each round starts one target further on:
 * with a fixed order the first target was always measured right after the previous round's last one
 * and, on a machine whose load drifted, always at the same point of the drift (the 2026-12-07
 * varied runs: every target rose round by round and the first was lowest in every round). With as
 * many rounds as targets each target is measured once in each position.
 *
 * <p>Usage: {@code GatewayBenchmark --queries DIR --secret-file F --concurrency 16 --seconds 15
 * --rounds 3 --warmup 90 --target retain=http://127.0.0.1:8080/graphql --target hive=... [--out
 * FILE]}. Each query file in DIR is one request of the mix; all targets must return the same data
 * for it (checked before measuring). {@code --varied SEED} instead of {@code --queries} runs the
 * {@link VariedWorkload} drawn from the demo data with that seed. {@code --pid NAME=PID} (a
 * target's name for its gateway process, or a subgraph's) adds CPU per request, and {@code
 * --subgraph NAME=URL} the calls each subgraph received per request (its {@code
 * http.server.requests} count).
 */
public final class GatewayBenchmark {

  private GatewayBenchmark() {}

  /** The targets in the order of one round: round r starts at target r (mod n). */
  static <T> List<T> rotated(List<T> targets, int round) {
    int n = targets.size();
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(targets.get((round + i) % n));
    return out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> targets = new LinkedHashMap<>();
    Path queries = null;
    Long seed = null;
    Map<String, List<Long>> pids = new LinkedHashMap<>();
    Map<String, String> subgraphs = new LinkedHashMap<>();
    Path out = null;
    String token = null;
    int concurrency = 16;
    int seconds = 15;
    int rounds = 3;
    int warmup = 90;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--target" -> {
          String[] kv = args[++i].split("=", 2);
          targets.put(kv[0], kv[1]);
        }
        case "--queries" -> queries = Path.of(args[++i]);
        case "--varied" -> seed = Long.parseLong(args[++i]);
        case "--pid" -> {
          String[] kv = args[++i].split("=", 2);
          pids.put(kv[0], Stream.of(kv[1].split(",")).map(Long::parseLong).toList());
        }
        case "--subgraph" -> {
          String[] kv = args[++i].split("=", 2);
          subgraphs.put(kv[0], kv[1]);
        }
        case "--out" -> out = Path.of(args[++i]);
        case "--secret-file" ->
            token =
                Tokens.hs256(
                    Files.readString(Path.of(args[++i])).trim(),
                    "bench",
                    Duration.ofHours(2),
                    Role.ADMIN);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if ((queries == null) == (seed == null) || targets.isEmpty()) {
      throw new IllegalArgumentException(
          "need --queries DIR or --varied SEED, and at least one --target");
    }
    ObjectMapper json = new ObjectMapper();
    LoadGenerator gen = new LoadGenerator();
    List<LoadGenerator.Request> mix = new ArrayList<>();
    if (seed != null) {
      String sample = json.writeValueAsString(Map.of("query", VariedWorkload.SAMPLE));
      String first = targets.values().iterator().next();
      List<VariedWorkload.Customer> customers = null;
      for (int attempt = 1; customers == null; attempt++) {
        try {
          customers = VariedWorkload.customers(json.readTree(gen.once(first, token, sample)));
        } catch (IllegalStateException e) {
          if (attempt == 3) throw e; // a cold subgraph on a loaded machine may time out once
          System.out.println(e.getMessage() + "; again");
        }
      }
      mix.addAll(VariedWorkload.requests(seed, customers));
    } else {
      try (Stream<Path> files = Files.list(queries)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".graphql")).sorted().toList()) {
          String body = json.writeValueAsString(Map.of("query", Files.readString(f)));
          mix.add(new LoadGenerator.Request(f.getFileName().toString(), body));
        }
      }
    }
    Costs costs = new Costs(gen, token, pids, subgraphs);

    // Same answers everywhere, or the comparison means nothing. The demo suite is live (plans
    // are still being made for a minute after its import), so a request whose answers differ is
    // asked of every target again, up to three times, before the run gives up.
    for (LoadGenerator.Request r : mix) {
      for (int attempt = 1; ; attempt++) {
        String diff = sameEverywhere(gen, json, targets, token, r);
        if (diff == null) break;
        if (attempt == 3) throw new IllegalStateException(diff);
        System.out.println(diff + "; asking every target again");
      }
    }
    // Warm-up: JITs (the JVM services need tens of seconds under load) and connection pools,
    // twice round so that no target is measured against subgraphs still cold from start-up.
    for (int pass = 0; pass < 2; pass++) {
      for (var t : targets.entrySet()) {
        gen.run(t.getKey(), t.getValue(), token, mix, concurrency, Duration.ofSeconds(warmup / 2));
      }
    }
    Map<String, List<LoadGenerator.Result>> results = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (var t : rotated(List.copyOf(targets.entrySet()), round)) {
        Costs.Reading before = costs.read();
        LoadGenerator.Result r =
            gen.run(t.getKey(), t.getValue(), token, mix, concurrency, Duration.ofSeconds(seconds));
        costs.add(t.getKey(), before, r.requests());
        System.out.printf(
            Locale.ROOT,
            "round %d %-8s %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d%n",
            round + 1,
            t.getKey(),
            r.throughput(),
            r.percentileMillis(50),
            r.percentileMillis(99),
            r.errors());
        results.computeIfAbsent(t.getKey(), k -> new ArrayList<>()).add(r);
      }
    }
    String table =
        table(results, concurrency, seconds, rounds, describe(mix, seed)) + costs.table(targets);
    System.out.println(table);
    if (out != null) {
      Files.writeString(
          out,
          table,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  static String table(
      Map<String, List<LoadGenerator.Result>> results,
      int concurrency,
      int seconds,
      int rounds,
      String mix) {
    StringBuilder sb = new StringBuilder();
    sb.append("Run ")
        .append(LocalDateTime.now().withNano(0))
        .append(": concurrency ")
        .append(concurrency)
        .append(", ")
        .append(rounds)
        .append(" interleaved rounds of ")
        .append(seconds)
        .append(" s per target, mix = ")
        .append(mix)
        .append(
            "\n\n| target | req/s | p50 ms | p99 ms | errors | throughput vs first | p99 vs first |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    double firstTp = 0;
    double firstP99 = 0;
    boolean first = true;
    for (var e : results.entrySet()) {
      long requests = 0;
      long errors = 0;
      double secs = 0;
      List<long[]> lat = new ArrayList<>();
      for (LoadGenerator.Result r : e.getValue()) {
        requests += r.requests();
        errors += r.errors();
        secs += r.seconds();
        lat.add(r.latenciesMicros());
      }
      long[] all = lat.stream().flatMapToLong(java.util.Arrays::stream).toArray();
      var merged = new LoadGenerator.Result(e.getKey(), requests, errors, secs, all);
      double tp = merged.throughput();
      double p99 = merged.percentileMillis(99);
      if (first) {
        firstTp = tp;
        firstP99 = p99;
        first = false;
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.2f | %.2f | %d | %.2f× | %.2f× |%n",
              e.getKey(),
              tp,
              merged.percentileMillis(50),
              p99,
              errors,
              firstTp / tp,
              p99 / firstP99));
    }
    sb.append(
        "\n\"throughput vs first\" = first target's req/s ÷ this target's; \"p99 vs first\" = this"
            + " target's p99 ÷ the first's.\n");
    return sb.toString();
  }

  static String describe(List<LoadGenerator.Request> mix, Long seed) {
    if (seed == null) return mix.stream().map(LoadGenerator.Request::name).toList().toString();
    return String.format(
        Locale.ROOT,
        "varied, seed %d: %d distinct requests (%d cards, %d at-risk lists, %d breakdowns)",
        seed,
        mix.size(),
        mix.stream().filter(r -> r.name().startsWith("card-")).count(),
        mix.stream().filter(r -> r.name().startsWith("list-")).count(),
        mix.stream().filter(r -> r.name().startsWith("breakdown-")).count());
  }

  /**
   * Null when every target answers {@code r} with the first target's data; otherwise what differs
   * (or the errors a target answered with).
   */
  static String sameEverywhere(
      LoadGenerator gen,
      ObjectMapper json,
      Map<String, String> targets,
      String token,
      LoadGenerator.Request r)
      throws Exception {
    JsonNode reference = null;
    for (var t : targets.entrySet()) {
      JsonNode answer = json.readTree(gen.once(t.getValue(), token, r.body()));
      if (answer.has("errors")) {
        throw new IllegalStateException(t.getKey() + " answered " + r.name() + " with " + answer);
      }
      if (reference == null) {
        reference = answer.get("data");
        continue;
      }
      String diff = difference(reference, answer.get("data"), "");
      if (diff != null) {
        return t.getKey()
            + " answered "
            + r.name()
            + " differently from the first target, first at "
            + diff;
      }
    }
    return null;
  }

  /**
   * The JSON pointer of the first place two answers differ, with both values there; null when they
   * are the same data. Numbers compare by value: a Float 2.0 is written "2" by the Node gateways
   * and "2.0" by graphql-java, the same number in JSON.
   */
  static String difference(JsonNode a, JsonNode b, String at) {
    if (a != null && b != null && a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0 ? null : at + ": " + a + " vs " + b;
    }
    if (a == null || b == null || a.getNodeType() != b.getNodeType()) {
      return at + ": " + a + " vs " + b;
    }
    if (a.isObject()) {
      if (!a.propertyNames().equals(b.propertyNames())) {
        return at + ": fields " + a.propertyNames() + " vs " + b.propertyNames();
      }
      for (String name : a.propertyNames()) {
        String d = difference(a.get(name), b.get(name), at + "/" + name);
        if (d != null) return d;
      }
      return null;
    }
    if (a.isArray()) {
      if (a.size() != b.size()) return at + ": " + a.size() + " vs " + b.size() + " elements";
      for (int i = 0; i < a.size(); i++) {
        String d = difference(a.get(i), b.get(i), at + "/" + i);
        if (d != null) return d;
      }
      return null;
    }
    return a.equals(b) ? null : at + ": " + a + " vs " + b;
  }
}
