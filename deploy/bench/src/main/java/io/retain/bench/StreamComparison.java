package io.retain.bench;

import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two builds of customer-service side by side on the same database: the bulk activity stream read
 * whole from each, alternating A B B A (so that neither always runs second), and for each read the
 * wall time and the CPU seconds of that service's JVM and of PostgreSQL. On a shared, noisy machine
 * the ratio B / A of the medians is the number to keep.
 *
 * <p>Usage (normally through {@code deploy/bench/stream-compare}): {@code StreamComparison --a-url
 * U --a-pid P --b-url U --b-pid P --secret-file F --customers N [--rounds 4] [--label-a ...]
 * [--label-b ...] [--out FILE]}.
 */
public final class StreamComparison {

  private StreamComparison() {}

  public static void main(String[] args) throws Exception {
    String[] url = new String[2];
    long[] pid = new long[2];
    String[] label = {"A", "B"};
    String secret = null;
    int customers = 0;
    int rounds = 4;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--a-url" -> url[0] = args[++i];
        case "--b-url" -> url[1] = args[++i];
        case "--a-pid" -> pid[0] = Long.parseLong(args[++i]);
        case "--b-pid" -> pid[1] = Long.parseLong(args[++i]);
        case "--label-a" -> label[0] = args[++i];
        case "--label-b" -> label[1] = args[++i];
        case "--secret-file" -> secret = Files.readString(Path.of(args[++i])).trim();
        case "--customers" -> customers = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (url[0] == null || url[1] == null || secret == null || customers <= 0) {
      throw new IllegalArgumentException("need --a-url, --b-url, --secret-file and --customers");
    }
    String token = Tokens.hs256(secret, "stream-compare", Duration.ofHours(4), Role.SERVICE);
    LocalDate asOf = LocalDate.now(ZoneOffset.UTC);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // one read each first: both JVMs compiled, both sides' pages in the cache
    for (int s = 0; s < 2; s++) {
      RescoringBenchmark.stream(http, url[s], token, asOf, customers);
    }
    List<List<double[]>> results = List.of(new ArrayList<>(), new ArrayList<>());
    StringBuilder rows = new StringBuilder();
    for (int r = 0; r < rounds; r++) {
      // A B, then B A: each side goes first in half the rounds
      int[] order = r % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0};
      for (int s : order) {
        CpuTime.Reading c0 = CpuTime.Reading.now(pid[s], -1);
        double seconds = RescoringBenchmark.stream(http, url[s], token, asOf, customers);
        double[] cpu = CpuTime.Reading.now(pid[s], -1).since(c0);
        results.get(s).add(new double[] {seconds, cpu[0], cpu[2]});
        String row =
            String.format(
                Locale.ROOT,
                "| %d | %s | %.1f | %.1f | %.1f | %s |",
                r + 1,
                label[s],
                seconds,
                cpu[0],
                cpu[2],
                ImportBenchmark.loadAverage());
        System.out.println(row);
        rows.append(row).append('\n');
      }
    }
    StringBuilder report =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Run %s: customer-service's bulk stream (shape=array, %,d customers, as of %s) read"
                    + " whole from two builds on the same database, alternating; A = %s, B = %s%n%n"
                    + "| round | build | wall s | service CPU s | PostgreSQL CPU s | load |%n"
                    + "|---:|---|---:|---:|---:|---:|%n",
                LocalDateTime.now().withNano(0),
                customers,
                asOf,
                label[0],
                label[1]));
    report.append(rows).append('\n');
    report.append("| median | wall s | service CPU s | PostgreSQL CPU s |\n|---|---:|---:|---:|\n");
    double[][] medians = new double[2][3];
    for (int s = 0; s < 2; s++) {
      for (int k = 0; k < 3; k++) {
        int col = k;
        medians[s][k] = median(results.get(s).stream().mapToDouble(x -> x[col]).sorted().toArray());
      }
      report.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.1f |%n",
              label[s],
              medians[s][0],
              medians[s][1],
              medians[s][2]));
    }
    report.append(
        String.format(
            Locale.ROOT,
            "| B / A | %.2f | %.2f | %.2f |%n",
            medians[1][0] / medians[0][0],
            medians[1][1] / medians[0][1],
            medians[1][2] / medians[0][2]));
    System.out.println(report);
    if (out != null) {
      Files.writeString(out, report + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
