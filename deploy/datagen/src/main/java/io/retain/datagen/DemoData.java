package io.retain.datagen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Writes a realistic, deterministic data set in the import formats (NDJSON, one file per entity):
 * the same seed and size always give the same bytes. Streams: memory stays flat from 100 to 1M
 * customers.
 *
 * <p>The population: kinds, industries, value tiers and regions; per-customer habits (the share of
 * months with an order, extra orders, log-normal amounts, NPS, ticket rate); 27 months of orders,
 * tickets with response times and quarterly NPS answers. Churn is caused, not drawn: a hidden
 * monthly {@link Lifecycle} (healthy, or declining for a service, value or needs reason) changes
 * the behaviour first and raises the churn hazard the longer it lasts; some recover, a few healthy
 * customers leave without warning, 30% of churners with time left are won back. Churn records cover
 * the last {@value #CHURN_MONTHS} months (a customer whose path churns earlier is drawn again).
 * Shares, mechanism and the AUC to expect: deploy/README.md "Demo data".
 *
 * <p>Usage: {@code java -jar datagen-exec.jar --customers 2000 --seed 42 --out DIR --as-of
 * 2026-06-30}.
 *
 * <p>Over 400 lines on purpose: one customer's attributes, months and events are drawn in one order
 * from one stream, which fixes the bytes for a seed; the line formats ({@link Json}) and the hidden
 * state's rules ({@link Lifecycle}) live apart because they draw nothing.
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

  /**
   * Months of orders, tickets and surveys before asOf: 12 of window before 15 observation months.
   */
  static final int HISTORY_MONTHS = 27;

  /**
   * Months before asOf that churn records cover (churn tracking began then): 12 monthly observation
   * dates with a 90-day horizon need 15.
   */
  static final int CHURN_MONTHS = 16;

  // the reason a churn record names first, by why the customer declined
  static final String[] SERVICE_REASONS = {
    "SERVICE_LEVEL", "PRODUCT_QUALITY", "POOR_COMMUNICATION", "BROKEN_PROMISE"
  };
  static final String[] VALUE_REASONS = {
    "PRICE_TOO_HIGH",
    "INSUFFICIENT_DISCOUNT",
    "COMPETITOR_PRICE",
    "COMPETITOR_INNOVATION",
    "COMPETITOR_MARKETING",
    "PRICE_VOLATILITY"
  };
  static final String[] NEEDS_REASONS = {
    "NEEDS_CHANGED", "NO_PERSONALIZATION", "BRAND_LOYALTY_DECLINE", "SLOW_PRODUCT_UPDATES"
  };
  static final String[] SUDDEN_REASONS = {
    "RELOCATION",
    "FORCE_MAJEURE",
    "NON_PAYMENT",
    "ACCOUNT_MANAGER_LEFT",
    "CHANNEL_CONFLICT",
    "OTHER"
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
    return write(dir, customers, seed, asOf, null);
  }

  /** As {@link #write(Path, int, long, LocalDate)}, reporting each customer's hidden months. */
  static Counts write(Path dir, int customers, long seed, LocalDate asOf, @Nullable Latent latent)
      throws IOException {
    Files.createDirectories(dir);
    try (Writers w = new Writers(dir)) {
      Generator g = new Generator(seed, asOf, w, latent);
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

  /**
   * Receives the generator's hidden state for each month of each customer (tests measure how well
   * the observable data can predict churn against it); not written to any file.
   */
  interface Latent {
    /**
     * @param from first day of the month (or of the relationship)
     * @param to first day after it
     * @param declineMonths {@link Lifecycle#HEALTHY} or months in decline
     * @param churnWithin3Months the exact chance of churning this month or in the next two
     */
    void month(
        String customerId,
        LocalDate from,
        LocalDate to,
        int declineMonths,
        double churnWithin3Months);
  }

  /** The simulation of one customer at a time; all randomness from one seeded stream each. */
  static final class Generator {
    final long seed;
    final LocalDate asOf;
    final Writers w;
    final @Nullable Latent latent;
    final LocalDate historyFrom;
    final LocalDate churnFrom;
    long orders;
    long tickets;
    long surveys;
    long churned;

    Generator(long seed, LocalDate asOf, Writers w, @Nullable Latent latent) {
      this.seed = seed;
      this.asOf = asOf;
      this.w = w;
      this.latent = latent;
      this.historyFrom = asOf.minusMonths(HISTORY_MONTHS);
      this.churnFrom = asOf.minusMonths(CHURN_MONTHS);
    }

    /** One customer's lines and hidden months, kept until its path is accepted. */
    static final class Draw {
      final List<String> orders = new ArrayList<>();
      final List<String> tickets = new ArrayList<>();
      final List<String> surveys = new ArrayList<>();
      final List<Object[]> months = new ArrayList<>();
      @Nullable LocalDate churnedAt;
      @Nullable LocalDate wonBackAt;
      Lifecycle.@Nullable Cause cause;
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
      w.line(
          "customers.ndjson",
          Json.customer(
              r, id, name, enterprise, tier, industry, region, since, manager, phone, email));

      // habits: most customers buy in most months (the loyalty formula rewards exactly that)
      double typical =
          switch (tier) {
            case "KEY" -> 0.94;
            case "MAJOR" -> 0.92;
            case "ORDINARY" -> 0.92;
            default -> 0.90;
          };
      double active = Math.max(0.35, Math.min(0.98, typical + 0.04 * r.nextGaussian()));
      double extra =
          switch (tier) {
            case "KEY" -> 1.0;
            case "MAJOR" -> 0.5;
            case "ORDINARY" -> 0.2;
            default -> 0.1;
          };
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
      double sigma = 0.1 + 0.25 * r.nextDouble();
      double npsMean = 9.3 + 0.5 * r.nextGaussian();
      double ticketRate = 0.06 * Math.exp(0.5 * r.nextGaussian());
      double onset =
          0.014
              * Math.exp(0.5 * r.nextGaussian())
              * (tier.equals("KEY") ? 0.7 : tier.equals("SMALL") ? 1.3 : 1);

      // the extract holds the customers still with us when churn tracking began: a path that
      // churns earlier is drawn again (from the same stream, so still deterministic)
      Draw path = null;
      for (int attempt = 0; attempt < 50 && path == null; attempt++) {
        path =
            path(r, id, since, active, extra, mu, sigma, npsMean, ticketRate, onset, attempt == 49);
      }
      flush(id, path);
    }

    /**
     * One draw of the customer's months: state, churn, events. Null when it churns before churn
     * tracking began (unless {@code lastTry}: then that churn is dropped).
     */
    @Nullable Draw path(
        SplittableRandom r,
        String id,
        LocalDate since,
        double active,
        double extra,
        double mu,
        double sigma,
        double npsMean,
        double ticketRate,
        double onset,
        boolean lastTry) {
      Draw p = new Draw();
      LocalDate start = since.isAfter(historyFrom) ? since : historyFrom;
      int d = Lifecycle.HEALTHY;
      Lifecycle.Cause cause = Lifecycle.Cause.SERVICE;
      boolean settled = false; // won back: no second churn record (one per customer)
      int seq = 0;
      for (LocalDate m = start; !m.isAfter(asOf); m = m.plusMonths(1)) {
        LocalDate next = m.plusMonths(1);
        LocalDate lo = m;
        if (p.churnedAt != null) {
          if (p.wonBackAt == null || !p.wonBackAt.isBefore(next)) {
            continue; // away
          }
          if (!settled) {
            settled = true;
            d = Lifecycle.HEALTHY;
            lo = p.wonBackAt.isAfter(m) ? p.wonBackAt : m;
          }
        }
        // 1. the state moves
        if (d == Lifecycle.HEALTHY) {
          if (!settled && r.nextDouble() < onset) {
            d = 0;
            double c = r.nextDouble();
            cause =
                c < 0.4
                    ? Lifecycle.Cause.SERVICE
                    : c < 0.75 ? Lifecycle.Cause.VALUE : Lifecycle.Cause.NEEDS;
          }
        } else if (r.nextDouble() < Lifecycle.RECOVERY) {
          d = Lifecycle.HEALTHY;
        }
        if (latent != null) {
          p.months.add(
              new Object[] {lo, next, d, settled ? 0.0 : Lifecycle.churnWithin(d, onset, 3)});
        }
        // 2. churn, dated after the month's behaviour began
        LocalDate hi = next.isAfter(asOf) ? asOf : next.minusDays(1);
        if (!settled && r.nextDouble() < Lifecycle.hazard(d)) {
          LocalDate day = m.plusDays(r.nextInt(28));
          if (!day.isAfter(asOf) && !day.isBefore(since.plusDays(30))) {
            if (day.isBefore(churnFrom)) {
              if (!lastTry) {
                return null;
              }
            } else {
              p.churnedAt = day;
              p.cause = d == Lifecycle.HEALTHY ? null : cause;
              hi = day.minusDays(1);
              long left = ChronoUnit.DAYS.between(day, asOf);
              if (left > 60 && r.nextDouble() < 0.3) {
                p.wonBackAt = day.plusDays(r.nextInt(30, (int) Math.min(91, left)));
              }
            }
          }
        }
        // 3. the month's events, as the state has them
        double f = Lifecycle.orderFactor(d, cause);
        boolean service = d >= 0 && cause == Lifecycle.Cause.SERVICE;
        if (r.nextDouble() < active * f) {
          int k = 1 + poisson(r, extra * f);
          for (int j = 0; j < k; j++) {
            LocalDate day = m.plusDays(r.nextInt(28));
            double amount = Math.round(Math.exp(mu + sigma * r.nextGaussian()) * 100) / 100.0;
            double s = r.nextDouble();
            String status = s < 0.03 ? "CANCELLED" : s < 0.05 ? "REFUNDED" : "COMPLETED";
            boolean test = r.nextDouble() < 0.005;
            String channel = CHANNELS[r.nextInt(CHANNELS.length)];
            if (within(day, lo, hi, since)) {
              p.orders.add(Json.order(id, ++seq, day, amount, channel, status, test));
            }
          }
        }
        double ticketsExpected =
            ticketRate + (d < 0 ? 0 : service ? 0.5 : cause == Lifecycle.Cause.VALUE ? 0.12 : 0.0);
        int nt = poisson(r, ticketsExpected);
        for (int j = 0; j < nt; j++) {
          LocalDate day = m.plusDays(r.nextInt(28));
          Instant opened =
              day.atStartOfDay()
                  .toInstant(ZoneOffset.UTC)
                  .plusSeconds(r.nextInt(8 * 3600, 18 * 3600));
          double medianHours = service ? 36 : d >= 0 ? 8 : 5;
          Instant responded =
              r.nextDouble() < (service ? 0.12 : 0.03)
                  ? null
                  : opened.plusSeconds(
                      (long) (3600 * medianHours * Math.exp(0.6 * r.nextGaussian())));
          Instant resolved =
              responded == null || r.nextDouble() < (service ? 0.15 : 0.04)
                  ? null
                  : responded.plusSeconds((long) (3600 * 24 * Math.exp(0.7 * r.nextGaussian())));
          Instant end = asOf.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
          if (responded != null && responded.isAfter(end)) {
            responded = null;
          }
          if (resolved != null && resolved.isAfter(end)) {
            resolved = null;
          }
          double complaintShare =
              d < 0 ? 0.1 : service ? 0.55 : cause == Lifecycle.Cause.VALUE ? 0.25 : 0.1;
          boolean complaint = r.nextDouble() < complaintShare;
          String category = CATEGORIES[r.nextInt(CATEGORIES.length)];
          if (within(day, lo, hi, since)) {
            p.tickets.add(Json.ticket(id, ++seq, opened, responded, resolved, category, complaint));
          }
        }
        // a survey roughly once a quarter
        if (r.nextDouble() < 0.3) {
          LocalDate day = m.plusDays(r.nextInt(28));
          double shift =
              d < 0
                  ? 0
                  : switch (cause) {
                    case SERVICE -> 4.3;
                    case VALUE -> 2.5;
                    case NEEDS -> 1.0;
                  };
          int score =
              clamp(
                  (int) Math.round(npsMean - shift + (service ? 1.8 : 0.8) * r.nextGaussian()),
                  0,
                  10);
          int csat = clamp((int) Math.round(score / 2.2 + 0.5 * r.nextGaussian()), 1, 5);
          if (within(day, lo, hi, since)) {
            p.surveys.add(Json.survey(id, ++seq, day, score, csat));
          }
        }
        if (d >= 0) {
          d++;
        }
      }
      return p;
    }

    static boolean within(LocalDate day, LocalDate lo, LocalDate hi, LocalDate since) {
      return !day.isBefore(lo) && !day.isAfter(hi) && !day.isBefore(since);
    }

    /** Writes an accepted path: its events, its churn record, its hidden months. */
    void flush(String id, Draw p) throws IOException {
      for (String o : p.orders) {
        w.line("orders.ndjson", o);
      }
      for (String t : p.tickets) {
        w.line("tickets.ndjson", t);
      }
      for (String s : p.surveys) {
        w.line("surveys.ndjson", s);
      }
      orders += p.orders.size();
      tickets += p.tickets.size();
      surveys += p.surveys.size();
      if (latent != null) {
        for (Object[] m : p.months) {
          latent.month(id, (LocalDate) m[0], (LocalDate) m[1], (Integer) m[2], (Double) m[3]);
        }
      }
      if (p.churnedAt == null) {
        return;
      }
      // the reasons follow why the customer declined (a sudden churn has its own), then 0–2 more
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + id.hashCode() * 31L);
      String[] first =
          p.cause == null
              ? SUDDEN_REASONS
              : switch (p.cause) {
                case SERVICE -> SERVICE_REASONS;
                case VALUE -> VALUE_REASONS;
                case NEEDS -> NEEDS_REASONS;
              };
      List<String> reasons = new ArrayList<>();
      reasons.add(first[r.nextInt(first.length)]);
      int nr = 1 + r.nextInt(3);
      while (reasons.size() < nr) {
        String reason = weighted(r);
        if (!reasons.contains(reason)) {
          reasons.add(reason);
        }
      }
      String head = reasons.get(0);
      String causeClass =
          head.startsWith("COMPETITOR")
              ? "COMPETITIVE"
              : head.equals("NEEDS_CHANGED")
                      || head.equals("RELOCATION")
                      || head.equals("FORCE_MAJEURE")
                  ? "NATURAL"
                  : head.equals("OTHER") ? "OTHER" : "FAULT";
      String type =
          reasons.contains("NON_PAYMENT") || r.nextDouble() < (p.cause == null ? 0.5 : 0.1)
              ? "INVOLUNTARY"
              : "VOLUNTARY";
      w.line("churn.ndjson", Json.churn(id, p.churnedAt, type, causeClass, reasons, p.wonBackAt));
      churned++;
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
  }
}
