package io.retain.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {

  static final LocalDate AS_OF = LocalDate.parse("2026-06-30");

  @Test
  void sameSeedGivesTheSameBytes(@TempDir Path a, @TempDir Path b) throws IOException {
    DemoData.write(a, 300, 7, AS_OF);
    DemoData.write(b, 300, 7, AS_OF);
    for (String f : DemoData.FILES) {
      assertThat(Files.readAllBytes(a.resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(b.resolve(f)));
    }
  }

  @Test
  void aCustomerIsTheSameWhateverThePopulationSize(@TempDir Path small, @TempDir Path large)
      throws IOException {
    DemoData.write(small, 100, 7, AS_OF);
    DemoData.write(large, 1000, 7, AS_OF);
    List<String> s = Files.readAllLines(small.resolve("customers.ndjson"));
    List<String> l = Files.readAllLines(large.resolve("customers.ndjson"));
    assertThat(l.subList(0, 100)).isEqualTo(s);
  }

  @Test
  void populationLooksLikeTheBusiness(@TempDir Path dir) throws IOException {
    DemoData.Counts c = DemoData.write(dir, 2000, 42, AS_OF);
    List<String> customers = Files.readAllLines(dir.resolve("customers.ndjson"));
    assertThat(customers).hasSize(2000);
    long key = customers.stream().filter(x -> x.contains("\"valueTier\":\"KEY\"")).count();
    long enterprise = customers.stream().filter(x -> x.contains("\"kind\":\"ENTERPRISE\"")).count();
    assertThat(key).isBetween(60L, 140L); // ~5%
    assertThat(enterprise).isBetween(500L, 700L); // ~30%
    assertThat(c.orders() / 2000.0).as("orders per customer").isBetween(8.0, 30.0);
    // ~1.3% a month over the 16 months churn records cover
    assertThat(c.churned()).isBetween(280L, 420L);
    assertThat(c.tickets()).isPositive();
    assertThat(c.surveys()).isPositive();
    List<String> orders = Files.readAllLines(dir.resolve("orders.ndjson"));
    assertThat(orders).allSatisfy(o -> assertThat(o).doesNotContain("\"placedAt\":\"2026-07"));
    assertThat(orders.stream().filter(o -> o.contains("\"status\":\"CANCELLED\"")).count())
        .isPositive();
  }

  /** A customer's hidden state for one month, as the generator reports it. */
  record Month(LocalDate from, LocalDate to, int declineMonths, double risk) {}

  record Churn(LocalDate churnedAt, LocalDate wonBackAt) {}

  static final Pattern CHURN =
      Pattern.compile(
          "\"customerId\":\"(\\w+)\",\"churnedAt\":\"([\\d-]+)\".*\"wonBackAt\":(null|\"([\\d-]+)\")");

  static Map<String, Churn> churn(Path dir) throws IOException {
    Map<String, Churn> out = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("churn.ndjson"))) {
      Matcher m = CHURN.matcher(line);
      assertThat(m.find()).as(line).isTrue();
      out.put(
          m.group(1),
          new Churn(
              LocalDate.parse(m.group(2)),
              m.group(4) == null ? null : LocalDate.parse(m.group(4))));
    }
    return out;
  }

  @Test
  void churnComesAfterTheDeclineThatAnnouncesItAndLeavesAModelRoomToLearn(@TempDir Path dir)
      throws IOException {
    Map<String, List<Month>> hidden = new HashMap<>();
    DemoData.write(
        dir,
        2000,
        42,
        AS_OF,
        (id, from, to, d, risk) ->
            hidden.computeIfAbsent(id, k -> new ArrayList<>()).add(new Month(from, to, d, risk)));
    Map<String, Churn> churn = churn(dir);

    // most churn is announced: the customer had been declining a full month or more before
    int announced = 0;
    for (var e : churn.entrySet()) {
      Month at = monthOf(hidden.get(e.getKey()), e.getValue().churnedAt());
      announced += at.declineMonths() >= 1 ? 1 : 0;
    }
    double announcedShare = announced / (double) churn.size();

    // the generator's own 3-month risk as a ranker of churn in (t, t + 90 days], at the twelve
    // monthly observation dates a model would use: the ceiling for any model of the files
    List<Double> risk = new ArrayList<>();
    List<Boolean> label = new ArrayList<>();
    for (int k = 0; k < 12; k++) {
      LocalDate t = AS_OF.minusDays(90).minusMonths(k);
      for (var e : hidden.entrySet()) {
        Churn h = churn.get(e.getKey());
        boolean gone =
            h != null
                && !h.churnedAt().isAfter(t)
                && (h.wonBackAt() == null || h.wonBackAt().isAfter(t));
        Month at = monthOf(e.getValue(), t);
        if (gone || at == null) {
          continue;
        }
        risk.add(at.risk());
        label.add(h != null && h.churnedAt().isAfter(t) && !h.churnedAt().isAfter(t.plusDays(90)));
      }
    }
    double auc = auc(risk, label);
    long declining =
        hidden.entrySet().stream()
            .filter(
                e -> !churn.containsKey(e.getKey()) || churn.get(e.getKey()).wonBackAt() != null)
            .map(e -> monthOf(e.getValue(), AS_OF))
            .filter(m -> m != null && m.declineMonths() >= 0)
            .count();
    System.out.printf(
        Locale.ROOT,
        "demo churn: %d records, %.3f announced by >= 1 month of decline; hidden-risk AUC %.3f;"
            + " %d active customers declining at asOf%n",
        churn.size(),
        announcedShare,
        auc,
        declining);
    assertThat(announcedShare).isGreaterThanOrEqualTo(0.7);
    assertThat(auc).isBetween(0.80, 0.95);
  }

  static Month monthOf(List<Month> months, LocalDate day) {
    for (Month m : months) {
      if (!day.isBefore(m.from()) && day.isBefore(m.to())) {
        return m;
      }
    }
    return null;
  }

  /** Mann–Whitney AUC, ties counting half. */
  static double auc(List<Double> score, List<Boolean> positive) {
    long pos = positive.stream().filter(b -> b).count();
    long neg = positive.size() - pos;
    double wins = 0;
    for (int i = 0; i < score.size(); i++) {
      if (!positive.get(i)) {
        continue;
      }
      for (int j = 0; j < score.size(); j++) {
        if (!positive.get(j)) {
          double c = Double.compare(score.get(i), score.get(j));
          wins += c > 0 ? 1 : c == 0 ? 0.5 : 0;
        }
      }
    }
    return wins / ((double) pos * neg);
  }
}
