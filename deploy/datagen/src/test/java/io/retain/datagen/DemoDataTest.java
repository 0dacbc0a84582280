package io.retain.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
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
}
