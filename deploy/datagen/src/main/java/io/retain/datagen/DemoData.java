package io.retain.datagen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a realistic, deterministic data set in the import formats (NDJSON, one file per entity):
 * the same seed and size always give the same bytes. Streams: memory stays flat from 100 to 1M
 * customers.
 *
 * <p>The population: kinds, industries, value tiers and regions; per-customer purchase rates with
 * log-normal order amounts; about a fifth of customers drifting (falling frequency, more
 * complaints, slower service) from a drift date on; churned customers with reasons, type and timing
 * (some won back); tickets with response times; quarterly NPS answers.
 *
 * <p>Usage: {@code java -jar datagen-exec.jar --customers 2000 --seed 42 --out DIR --as-of
 * 2026-06-30}.
 *
 * <p>Over 400 lines on purpose: one generator whose draws share one random stream, so the bytes for
 * a seed stay the same; split, the order of draws (and every benchmark's data) would change.
 */
public final class DemoData {

  /** Files written, in import order. */
  public static final List<String> FILES =
      List.of(
          "customers.ndjson", "orders.ndjson", "tickets.ndjson", "surveys.ndjson", "churn.ndjson");

  static final String[] INDUSTRIES = {
    "RETAIL", "MANUFACTURING", "INFORMATION_TECHNOLOGY", "LOGISTICS",
    "FINANCE", "HEALTHCARE", "EDUCATION", "INDUSTRIAL_EQUIPMENT"
  };
  static final String[] REGIONS = {"NORTH", "EAST", "SOUTH", "CENTRAL", "WEST", "NORTHEAST"};
  static final String[] CHANNELS = {"ONLINE", "STORE", "SALES_REP", "PARTNER"};
  static final String[] CATEGORIES = {
    "DELIVERY", "BILLING", "PRODUCT_QUALITY", "AFTER_SALES", "ACCOUNT", "OTHER"
  };
  static final String[] REASONS = {
    "PRODUCT_QUALITY", "SERVICE_LEVEL", "SLOW_PRODUCT_UPDATES", "PRICE_TOO_HIGH",
    "INSUFFICIENT_DISCOUNT", "PRICE_VOLATILITY", "COMPETITOR_INNOVATION", "COMPETITOR_PRICE",
    "COMPETITOR_MARKETING", "NEEDS_CHANGED", "BRAND_LOYALTY_DECLINE", "FORCE_MAJEURE",
    "POOR_COMMUNICATION", "NO_PERSONALIZATION", "ACCOUNT_MANAGER_LEFT", "BROKEN_PROMISE",
    "CHANNEL_CONFLICT", "RELOCATION", "NON_PAYMENT", "OTHER"
  };
  // Relative frequency of each reason (price and service dominate, as in the seed reports).
  static final int[] REASON_WEIGHTS = {
    8, 10, 3, 10, 5, 2, 4, 8, 3, 6, 4, 1, 5, 3, 3, 2, 1, 3, 2, 2
  };
  static final String[] FIRST = {
    "Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Jun", "Hui", "Ying", "Tao", "Na", "Qiang"
  };
  static final String[] LAST = {
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"
  };
  static final String[] COMPANY = {
    "Huaxin",
    "Jinlan",
    "Zhiyuan",
    "Nanhai",
    "Beichen",
    "Tianhe",
    "Xinghe",
    "Hengtong",
    "Lianyun",
    "Dongfang"
  };
  static final String[] SUFFIX = {
    "Technology Co.", "Group", "Logistics Ltd.", "Retail Chain", "Manufacturing", "Trading Co."
  };

  /** How many of each entity were written. */
  public record Counts(long customers, long orders, long tickets, long surveys, long churned) {}

  private DemoData() {}

  public static void main(String[] args) throws IOException {
    int customers = 2000;
    long seed = 42;
    Path out = Path.of("demo-data");
    LocalDate asOf = LocalDate.now(ZoneOffset.UTC);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--customers" -> customers = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--as-of" -> asOf = LocalDate.parse(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    long t0 = System.nanoTime();
    Counts c = write(out, customers, seed, asOf);
    System.out.printf(
        Locale.ROOT,
        "%s in %.1f s -> %s%n",
        c,
        (System.nanoTime() - t0) / 1e9,
        out.toAbsolutePath());
  }

  /** Writes the data set into {@code dir} (created if missing); returns the counts. */
  public static Counts write(Path dir, int customers, long seed, LocalDate asOf)
      throws IOException {
    Files.createDirectories(dir);
    try (Writers w = new Writers(dir)) {
      Generator g = new Generator(seed, asOf, w);
      for (int i = 1; i <= customers; i++) {
        g.customer(i);
      }
      return new Counts(customers, g.orders, g.tickets, g.surveys, g.churned);
    }
  }

  /** One writer per entity file. */
  static final class Writers implements AutoCloseable {
    final Map<String, BufferedWriter> byFile = new LinkedHashMap<>();

    Writers(Path dir) throws IOException {
      for (String f : FILES) {
        byFile.put(f, Files.newBufferedWriter(dir.resolve(f), StandardCharsets.UTF_8));
      }
    }

    void line(String file, String json) throws IOException {
      BufferedWriter w = byFile.get(file);
      w.write(json);
      w.write('\n');
    }

    @Override
    public void close() throws IOException {
      for (BufferedWriter w : byFile.values()) {
        w.close();
      }
    }
  }

  /** The simulation of one customer at a time; all randomness from one seeded stream each. */
  static final class Generator {
    final long seed;
    final LocalDate asOf;
    final Writers w;
    long orders;
    long tickets;
    long surveys;
    long churned;

    Generator(long seed, LocalDate asOf, Writers w) {
      this.seed = seed;
      this.asOf = asOf;
      this.w = w;
    }

    void customer(int n) throws IOException {
      // a stream per customer: customer n is the same whatever the population size
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + n);
      String id = String.format(Locale.ROOT, "C%07d", n);
      boolean enterprise = r.nextDouble() < 0.3;
      double u = r.nextDouble();
      String tier = u < 0.05 ? "KEY" : u < 0.20 ? "MAJOR" : u < 0.70 ? "ORDINARY" : "SMALL";
      String industry = INDUSTRIES[r.nextInt(INDUSTRIES.length)];
      String region = REGIONS[r.nextInt(REGIONS.length)];
      LocalDate since =
          r.nextDouble() < 0.05
              ? asOf.minusDays(r.nextInt(1, 85))
              : asOf.minusDays(r.nextInt(90, 6 * 365));
      String name =
          enterprise
              ? COMPANY[r.nextInt(COMPANY.length)]
                  + " "
                  + SUFFIX[r.nextInt(SUFFIX.length)]
                  + " "
                  + n
              : FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)];
      String manager = "AM-" + (1 + r.nextInt(40));
      String phone = String.format(Locale.ROOT, "13%09d", r.nextInt(1_000_000_000));
      String email = "contact" + n + "@example.com";

      // behaviour
      double baseRate =
          switch (tier) {
            case "KEY" -> 2.6;
            case "MAJOR" -> 1.6;
            case "ORDINARY" -> 1.05;
            default -> 0.4;
          };
      double rate = baseRate * Math.exp(0.4 * r.nextGaussian());
      double mu =
          switch (tier) {
            case "KEY" -> Math.log(20000);
            case "MAJOR" -> Math.log(6000);
            case "ORDINARY" -> Math.log(800);
            default -> Math.log(150);
          };
      if (!enterprise) {
        mu -= 1.5;
      }
      double sigma = 0.2 + 0.3 * r.nextDouble();
      boolean drifting = r.nextDouble() < 0.2;
      LocalDate driftFrom = drifting ? asOf.minusDays(r.nextInt(30, 180)) : null;
      boolean churns = r.nextDouble() < 0.08 && since.isBefore(asOf.minusDays(120));
      LocalDate churnedAt = churns ? asOf.minusDays(r.nextInt(5, 720)) : null;
      if (churnedAt != null && churnedAt.isBefore(since.plusDays(30))) {
        churnedAt = since.plusDays(30);
      }
      LocalDate wonBackAt =
          churnedAt != null && r.nextDouble() < 0.1 && churnedAt.isBefore(asOf.minusDays(60))
              ? churnedAt.plusDays(r.nextInt(20, 60))
              : null;

      StringBuilder c = new StringBuilder(256);
      c.append("{\"id\":\"")
          .append(id)
          .append("\",\"name\":\"")
          .append(name)
          .append("\",\"kind\":\"")
          .append(enterprise ? "ENTERPRISE" : "INDIVIDUAL")
          .append("\",\"industry\":\"")
          .append(industry)
          .append("\",\"valueTier\":\"")
          .append(tier)
          .append("\",\"region\":\"")
          .append(region)
          .append("\",\"since\":\"")
          .append(since)
          .append("\",\"accountManager\":\"")
          .append(manager)
          .append("\",\"contactName\":\"")
          .append(name)
          .append("\",\"phone\":\"")
          .append(phone)
          .append("\",\"email\":\"")
          .append(email)
          .append('"');
      if (enterprise) {
        c.append(",\"size\":\"")
            .append(new String[] {"SMALL", "MEDIUM", "LARGE"}[r.nextInt(3)])
            .append('"');
      } else {
        c.append(",\"ageBand\":\"")
            .append(new String[] {"18-25", "26-35", "36-45", "46-60", "60+"}[r.nextInt(5)])
            .append("\",\"incomeBand\":\"")
            .append(new String[] {"LOW", "MIDDLE", "HIGH"}[r.nextInt(3)])
            .append('"');
      }
      c.append('}');
      w.line("customers.ndjson", c.toString());

      // orders over the last 24 months of the relationship, month by month
      LocalDate start = since.isAfter(asOf.minusMonths(24)) ? since : asOf.minusMonths(24);
      int seq = 0;
      for (LocalDate m = start; !m.isAfter(asOf); m = m.plusMonths(1)) {
        boolean away =
            churnedAt != null
                && !m.isBefore(churnedAt)
                && (wonBackAt == null || m.isBefore(wonBackAt));
        if (away) {
          continue;
        }
        double lambda = rate;
        if (driftFrom != null && !m.isBefore(driftFrom)) {
          lambda *= 0.3;
        }
        if (churnedAt != null && m.isBefore(churnedAt) && m.isAfter(churnedAt.minusMonths(4))) {
          lambda *= 0.4; // slowing before leaving
        }
        int k = poisson(r, lambda);
        for (int j = 0; j < k; j++) {
          LocalDate day = m.plusDays(r.nextInt(28));
          if (day.isAfter(asOf) || day.isBefore(since)) {
            continue;
          }
          double amount = Math.round(Math.exp(mu + sigma * r.nextGaussian()) * 100) / 100.0;
          double s = r.nextDouble();
          String status = s < 0.03 ? "CANCELLED" : s < 0.05 ? "REFUNDED" : "COMPLETED";
          boolean test = r.nextDouble() < 0.005;
          w.line(
              "orders.ndjson",
              "{\"id\":\"O-"
                  + id.substring(1)
                  + "-"
                  + (++seq)
                  + "\",\"customerId\":\""
                  + id
                  + "\",\"placedAt\":\""
                  + day
                  + "\",\"amount\":"
                  + amount
                  + ",\"currency\":\"CNY\",\"channel\":\""
                  + CHANNELS[r.nextInt(CHANNELS.length)]
                  + "\",\"status\":\""
                  + status
                  + "\",\"test\":"
                  + test
                  + "}");
          orders++;
        }
        // service tickets
        boolean drifted = driftFrom != null && !m.isBefore(driftFrom);
        int nt = poisson(r, drifted ? 0.35 : 0.08);
        for (int j = 0; j < nt; j++) {
          LocalDate day = m.plusDays(r.nextInt(28));
          if (day.isAfter(asOf) || day.isBefore(since)) {
            continue;
          }
          Instant opened =
              day.atStartOfDay()
                  .toInstant(ZoneOffset.UTC)
                  .plusSeconds(r.nextInt(8 * 3600, 18 * 3600));
          double medianHours = drifted ? 40 : 5;
          Instant responded =
              r.nextDouble() < (drifted ? 0.1 : 0.03)
                  ? null
                  : opened.plusSeconds(
                      (long) (3600 * medianHours * Math.exp(0.6 * r.nextGaussian())));
          Instant resolved =
              responded == null || r.nextDouble() < 0.04
                  ? null
                  : responded.plusSeconds((long) (3600 * 24 * Math.exp(0.7 * r.nextGaussian())));
          Instant end = asOf.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
          if (responded != null && responded.isAfter(end)) {
            responded = null;
          }
          if (resolved != null && resolved.isAfter(end)) {
            resolved = null;
          }
          boolean complaint = r.nextDouble() < (drifted ? 0.5 : 0.15);
          w.line(
              "tickets.ndjson",
              "{\"id\":\"T-"
                  + id.substring(1)
                  + "-"
                  + (++seq)
                  + "\",\"customerId\":\""
                  + id
                  + "\",\"openedAt\":\""
                  + opened
                  + "\",\"firstResponseAt\":"
                  + quoted(responded)
                  + ",\"resolvedAt\":"
                  + quoted(resolved)
                  + ",\"category\":\""
                  + CATEGORIES[r.nextInt(CATEGORIES.length)]
                  + "\",\"complaint\":"
                  + complaint
                  + ",\"severity\":\""
                  + (complaint ? "HIGH" : "NORMAL")
                  + "\"}");
          tickets++;
        }
        // a survey roughly once a quarter
        if (r.nextDouble() < 0.3) {
          LocalDate day = m.plusDays(r.nextInt(28));
          if (!day.isAfter(asOf) && !day.isBefore(since)) {
            int score =
                drifted
                    ? clamp((int) Math.round(5 + 2 * r.nextGaussian()), 0, 10)
                    : clamp((int) Math.round(8.5 + 1.3 * r.nextGaussian()), 0, 10);
            int csat = clamp((int) Math.round(score / 2.2 + 0.5 * r.nextGaussian()), 1, 5);
            w.line(
                "surveys.ndjson",
                "{\"id\":\"S-"
                    + id.substring(1)
                    + "-"
                    + (++seq)
                    + "\",\"customerId\":\""
                    + id
                    + "\",\"answeredAt\":\""
                    + day
                    + "\",\"score\":"
                    + score
                    + ",\"csat\":"
                    + csat
                    + "}");
            surveys++;
          }
        }
      }
      if (churnedAt != null) {
        List<String> reasons = new ArrayList<>();
        int nr = 1 + r.nextInt(3);
        while (reasons.size() < nr) {
          String reason = weighted(r);
          if (!reasons.contains(reason)) {
            reasons.add(reason);
          }
        }
        String first = reasons.get(0);
        String cause =
            first.startsWith("COMPETITOR")
                ? "COMPETITIVE"
                : first.equals("NEEDS_CHANGED")
                        || first.equals("RELOCATION")
                        || first.equals("FORCE_MAJEURE")
                    ? "NATURAL"
                    : first.equals("OTHER") ? "OTHER" : "FAULT";
        String type =
            reasons.contains("NON_PAYMENT") || r.nextDouble() < 0.25 ? "INVOLUNTARY" : "VOLUNTARY";
        w.line(
            "churn.ndjson",
            "{\"customerId\":\""
                + id
                + "\",\"churnedAt\":\""
                + churnedAt
                + "\",\"type\":\""
                + type
                + "\",\"causeClass\":\""
                + cause
                + "\",\"reasons\":\""
                + String.join(";", reasons)
                + "\",\"wonBackAt\":"
                + (wonBackAt == null ? "null" : "\"" + wonBackAt + "\"")
                + "}");
        churned++;
      }
    }

    static int poisson(SplittableRandom r, double lambda) {
      double l = Math.exp(-lambda);
      int k = 0;
      double p = 1;
      do {
        k++;
        p *= r.nextDouble();
      } while (p > l);
      return k - 1;
    }

    static String weighted(SplittableRandom r) {
      int total = 0;
      for (int x : REASON_WEIGHTS) {
        total += x;
      }
      int pick = r.nextInt(total);
      for (int i = 0; i < REASONS.length; i++) {
        pick -= REASON_WEIGHTS[i];
        if (pick < 0) {
          return REASONS[i];
        }
      }
      return "OTHER";
    }

    static int clamp(int v, int lo, int hi) {
      return Math.max(lo, Math.min(hi, v));
    }

    static String quoted(Instant i) {
      return i == null ? "null" : "\"" + i + "\"";
    }
  }
}
