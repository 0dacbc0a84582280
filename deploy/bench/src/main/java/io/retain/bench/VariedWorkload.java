package io.retain.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A CRM-like mix of distinct requests instead of three fixed ones: customer cards for many
 * different ids, at-risk lists with different tier filters, score floors and page sizes, and the
 * tier breakdowns — each its own document, so no two of 16 concurrent requests are likely to be
 * identical (deduplication of identical in-flight calls no longer collapses the load). Ids, tiers
 * and score floors are drawn from the demo data itself (a {@link #SAMPLE} read before measuring),
 * with a seeded {@link Random}: the same seed on the same data gives the same mix, in the same
 * order.
 */
final class VariedWorkload {

  /**
   * What the mix is drawn from: ids, tiers and scores of the first 400 customers by id (a page that
   * a loaded machine still answers within the gateway's 10 s subgraph time limit).
   */
  static final String SAMPLE =
      "{ customersByLoyalty(first: 400) { edges { node { id loyalty { score tier } } } } }";

  static final int CARDS = 120;
  static final int LISTS = 40;
  static final List<String> BREAKDOWNS = List.of("KIND", "INDUSTRY", "VALUE_TIER");

  private static final int[] PAGE_SIZES = {10, 20, 25, 30, 40, 50};

  /** One customer of the sample. */
  record Customer(String id, double score, String tier) {}

  private VariedWorkload() {}

  /** The customers in an answer to {@link #SAMPLE}; the answer itself in the error when none. */
  static List<Customer> customers(JsonNode answer) {
    if (answer.has("errors") || !answer.path("data").path("customersByLoyalty").isObject()) {
      throw new IllegalStateException("the sample query failed: " + answer);
    }
    List<Customer> out = new ArrayList<>();
    for (JsonNode edge : answer.path("data").path("customersByLoyalty").path("edges")) {
      JsonNode node = edge.path("node");
      JsonNode loyalty = node.path("loyalty");
      out.add(
          new Customer(
              node.path("id").asString(),
              loyalty.path("score").asDouble(),
              loyalty.path("tier").asString()));
    }
    return out;
  }

  /**
   * {@link #CARDS} cards, {@link #LISTS} lists and the breakdowns, shuffled, as request bodies.
   * Cards ask for distinct ids; lists differ in tiers, floor or page size (a repeated draw is drawn
   * again).
   */
  static List<LoadGenerator.Request> requests(long seed, List<Customer> sample) {
    if (sample.size() < CARDS) {
      throw new IllegalArgumentException(
          "need at least " + CARDS + " customers in the sample, got " + sample.size());
    }
    Random random = new Random(seed);
    ObjectMapper json = new ObjectMapper();
    List<LoadGenerator.Request> out = new ArrayList<>();
    List<Customer> shuffled = new ArrayList<>(sample);
    Collections.shuffle(shuffled, random);
    for (Customer c : shuffled.subList(0, CARDS)) {
      out.add(request(json, "card-" + c.id(), card(c.id())));
    }
    // tiers actually present, at-risk ones first in the draw's weight (a CRM asks for those)
    List<String> tiers =
        new ArrayList<>(new TreeSet<>(sample.stream().map(Customer::tier).toList()));
    tiers.remove("UNSCORED");
    List<Double> scores = sample.stream().map(Customer::score).sorted().toList();
    Set<String> lists = new LinkedHashSet<>();
    while (lists.size() < LISTS) {
      List<String> pick = new ArrayList<>();
      for (String t : tiers) {
        boolean atRisk = t.equals("HIGH_RISK") || t.equals("POTENTIAL_CHURN");
        if (random.nextDouble() < (atRisk ? 0.7 : 0.25)) pick.add(t);
      }
      if (pick.isEmpty()) pick.add(tiers.get(random.nextInt(tiers.size())));
      // a floor at a score seen in the data, below the median so lists are rarely empty
      Integer floor =
          random.nextBoolean()
              ? null
              : (int) Math.floor(scores.get(random.nextInt(Math.max(1, scores.size() / 2))));
      int first = PAGE_SIZES[random.nextInt(PAGE_SIZES.length)];
      lists.add(atRisk(pick, floor, first));
    }
    int n = 0;
    for (String doc : lists) out.add(request(json, "list-" + n++, doc));
    for (String b : BREAKDOWNS) out.add(request(json, "breakdown-" + b, breakdown(b)));
    Collections.shuffle(out, random);
    return out;
  }

  static String card(String id) {
    return "{ customer(id: \""
        + id
        + "\") {\n"
        + "    id name kind industry valueTier since status\n"
        + "    loyalty { score tier tierCaps riskFactors { code severity message } }\n"
        + "    actionPlans { problem { code } status dueDate } } }";
  }

  static String atRisk(List<String> tiers, Integer minScore, int first) {
    return "{ customersByLoyalty(filter: {tiers: ["
        + String.join(", ", tiers)
        + "]"
        + (minScore == null ? "" : String.format(Locale.ROOT, ", minScore: %d", minScore))
        + "}, first: "
        + first
        + ") {\n"
        + "    totalCount\n"
        + "    edges { node {\n"
        + "      id name valueTier\n"
        + "      loyalty { score tier riskFactors { code severity pointsLost message } }\n"
        + "      actionPlans(status: PLANNED) { problem { code } department dueDate } } } } }";
  }

  static String breakdown(String breakdown) {
    return "{ tierDistribution(breakdown: " + breakdown + ") { tier group count share } }";
  }

  private static LoadGenerator.Request request(ObjectMapper json, String name, String query) {
    return new LoadGenerator.Request(name, json.writeValueAsString(Map.of("query", query)));
  }
}
