package io.retain.bench;

import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The order import against its floor, in one run: an N-row orders CSV (generated to a file,
 * streamed, deterministic) is POSTed to a running customer-service's {@code /import/orders} while
 * the service's resident memory and heap are sampled; then the same table is emptied and the same
 * file goes in by a plain JDBC {@code COPY}, the fastest any loader could put these rows there.
 *
 * <p>Usage (normally through {@code deploy/bench/import-bench}): {@code ImportBenchmark --rows N
 * [--customers M] --url http://127.0.0.1:18181 --pid PID --secret-file F --jdbc URL [--work DIR]
 * [--out FILE]}. The service's database must hold no customers or orders yet.
 */
public final class ImportBenchmark {

  static final String HEADER = "id,customerId,placedAt,amount,currency,channel,status,test";
  static final String[] CHANNELS = {"ONLINE", "STORE", "SALES_REP", "PARTNER"};

  private ImportBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = 1_000_000;
    long customers = -1;
    String url = "http://127.0.0.1:18181";
    long pid = -1;
    String token = null;
    String metricsToken = null;
    String jdbc = null;
    Path work = Path.of(".local-bench/import");
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> rows = Long.parseLong(args[++i]);
        case "--customers" -> customers = Long.parseLong(args[++i]);
        case "--url" -> url = args[++i];
        case "--pid" -> pid = Long.parseLong(args[++i]);
        case "--jdbc" -> jdbc = args[++i];
        case "--work" -> work = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--secret-file" -> {
          String secret = Files.readString(Path.of(args[++i])).trim();
          token = Tokens.hs256(secret, "import-bench", Duration.ofHours(4), Role.DATA_STEWARD);
          // actuator answers only ADMIN or SERVICE
          metricsToken = Tokens.hs256(secret, "import-bench", Duration.ofHours(4), Role.SERVICE);
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (token == null || jdbc == null || pid < 0) {
      throw new IllegalArgumentException("need --secret-file, --jdbc and --pid");
    }
    if (customers < 0) {
      customers = Math.max(100, rows / 20); // about 20 orders a customer, as the demo data
    }
    Files.createDirectories(work);
    Path customerFile = work.resolve("customers-" + customers + ".csv");
    Path orderFile = work.resolve("orders-" + rows + ".csv");
    long t0 = System.nanoTime();
    writeCustomers(customerFile, customers);
    writeOrders(orderFile, rows, customers, 42);
    System.out.printf(
        Locale.ROOT,
        "generated %,d customers and %,d orders (%,d MB) in %.1f s%n",
        customers,
        rows,
        Files.size(orderFile) >> 20,
        (System.nanoTime() - t0) / 1e9);

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    JsonNode c = post(http, url + "/import/customers", token, customerFile);
    check(c, customers);
    System.out.println("customers imported: " + c.get("accepted").asLong());

    // a small import first so the JIT has seen the path (not counted)
    Path warm = work.resolve("orders-warmup.csv");
    writeOrders(warm, 50_000, customers, 7);
    check(post(http, url + "/import/orders", token, warm), 50_000);
    try (Connection db = DriverManager.getConnection(jdbc)) {
      exec(db, "truncate customer_order, activity_change");
      exec(db, "checkpoint");
    }

    String loadBefore = loadAverage();
    Sampler sampler = new Sampler(pid, url, metricsToken);
    sampler.start();
    long i0 = System.nanoTime();
    JsonNode result = post(http, url + "/import/orders", token, orderFile);
    double importSeconds = (System.nanoTime() - i0) / 1e9;
    sampler.stop();
    check(result, rows);

    double copySeconds;
    long stored;
    try (Connection db = DriverManager.getConnection(jdbc)) {
      stored = count(db, "select count(*) from customer_order");
      exec(db, "truncate customer_order, activity_change");
      exec(db, "checkpoint");
      long c0 = System.nanoTime();
      try (InputStream in = Files.newInputStream(orderFile)) {
        db.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "copy customer_order (id, customer_id, placed_at, amount, currency, channel,"
                    + " status, test) from stdin with (format csv, header true)",
                in);
      }
      copySeconds = (System.nanoTime() - c0) / 1e9;
    }
    if (stored != rows) {
      throw new IllegalStateException("the import stored " + stored + " orders, not " + rows);
    }
    String table =
        String.format(
            Locale.ROOT,
            "Run %s: %,d orders of %,d customers, CSV %,d MB, POST /import/orders (text/csv,"
                + " streamed); load average (1 min) %s before the import, %s after the COPY%n%n"
                + "| rows | import s | import rows/s | plain COPY s | COPY rows/s |"
                + " import / COPY | peak RSS MB | peak heap used MB | peak live heap after GC MB"
                + " |%n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n"
                + "| %,d | %.1f | %,.0f | %.1f | %,.0f | %.2f | %d | %d | %d |%n",
            LocalDateTime.now().withNano(0),
            rows,
            customers,
            Files.size(orderFile) >> 20,
            loadBefore,
            loadAverage(),
            rows,
            importSeconds,
            rows / importSeconds,
            copySeconds,
            rows / copySeconds,
            copySeconds / importSeconds,
            sampler.peakRssKb.get() >> 10,
            sampler.peakHeap.get() >> 20,
            sampler.peakLive.get() >> 20);
    System.out.println(table);
    if (out != null) {
      Files.writeString(out, table + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  /** Customers C0000001…: just the required columns. */
  static void writeCustomers(Path file, long customers) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("id,name,kind,industry,valueTier,since\n");
      for (long i = 1; i <= customers; i++) {
        w.write(customerId(i));
        w.write(",Customer ");
        w.write(Long.toString(i));
        w.write(
            i % 5 == 0
                ? ",ENTERPRISE,RETAIL,MAJOR,2022-01-01\n"
                : ",INDIVIDUAL,RETAIL,SMALL,2023-06-01\n");
      }
    }
  }

  /**
   * Orders customer after customer, as an export from an order system lists them: each customer a
   * Poisson-ish count around the mean, log-normal amounts, dates over two years, a few cancelled,
   * refunded and test orders. Exactly {@code rows} rows; the same seed gives the same file.
   */
  static void writeOrders(Path file, long rows, long customers, long seed) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    SplittableRandom r = new SplittableRandom(seed);
    LocalDate start = LocalDate.of(2024, 7, 1);
    double mean = (double) rows / customers;
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.write('\n');
      long written = 0;
      long customer = 0;
      StringBuilder line = new StringBuilder(128);
      while (written < rows) {
        customer = customer % customers + 1;
        long k = Math.max(1, Math.round(mean * (0.2 + 1.6 * r.nextDouble())));
        for (long j = 1; j <= k && written < rows; j++, written++) {
          double amount = Math.round(Math.exp(5 + 1.2 * r.nextGaussian()) * 100) / 100.0;
          double s = r.nextDouble();
          line.setLength(0);
          // order ids ascend through the file, as an order system numbers them
          line.append('O').append(seed).append('-');
          pad(line, written + 1, 10)
              .append(',')
              .append(customerId(customer))
              .append(',')
              .append(start.plusDays(r.nextInt(730)))
              .append('T');
          pad(line, r.nextInt(24), 2).append(':');
          pad(line, r.nextInt(60), 2).append(":00Z,");
          line.append(Math.round(amount * 100) / 100).append('.');
          pad(line, Math.round(amount * 100) % 100, 2)
              .append(",CNY,")
              .append(CHANNELS[r.nextInt(CHANNELS.length)])
              .append(',')
              .append(s < 0.03 ? "CANCELLED" : s < 0.05 ? "REFUNDED" : "COMPLETED")
              .append(',')
              .append(r.nextDouble() < 0.005)
              .append('\n');
          w.append(line);
        }
      }
    }
    Files.move(tmp, file);
  }

  static StringBuilder pad(StringBuilder out, long v, int width) {
    String d = Long.toString(v);
    for (int i = d.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(d);
  }

  /** The machine is shared: the 1-minute load average says how much else was running. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  static String customerId(long i) {
    return pad(new StringBuilder(8).append('C'), i, 7).toString();
  }

  /** Streams the file as the request body (never whole in memory). */
  static JsonNode post(HttpClient http, String url, String token, Path file) throws Exception {
    return post(http, url, token, file, "text/csv");
  }

  static JsonNode post(HttpClient http, String url, String token, Path file, String contentType)
      throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", contentType)
            .timeout(Duration.ofHours(2))
            .POST(HttpRequest.BodyPublishers.ofFile(file))
            .build();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + res.statusCode() + ": " + res.body());
    }
    return new ObjectMapper().readTree(res.body());
  }

  static void check(JsonNode result, long rows) {
    if (result.get("rowsIn").asLong() != rows || result.get("accepted").asLong() != rows) {
      throw new IllegalStateException("expected " + rows + " rows accepted, got " + result);
    }
  }

  static void exec(Connection db, String sql) throws Exception {
    try (Statement s = db.createStatement()) {
      s.execute(sql);
    }
  }

  static long count(Connection db, String sql) throws Exception {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The service's resident set (from /proc, every 200 ms) and heap in use (its actuator metric,
   * every second), peaks kept.
   */
  static final class Sampler {
    final long pid;
    final String url;
    final AtomicLong peakRssKb = new AtomicLong();
    final AtomicLong peakHeap = new AtomicLong();
    final AtomicLong peakLive = new AtomicLong();
    final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    final String token;

    Sampler(long pid, String url, String token) {
      this.pid = pid;
      this.url = url;
      this.token = token;
    }

    void start() {
      timer.scheduleAtFixedRate(this::rss, 0, 200, TimeUnit.MILLISECONDS);
      timer.scheduleAtFixedRate(this::heap, 0, 1, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
      timer.shutdown();
      timer.awaitTermination(5, TimeUnit.SECONDS);
      rss();
      heap();
    }

    void rss() {
      try {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (l.startsWith("VmRSS:")) {
            long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
            peakRssKb.accumulateAndGet(kb, Math::max);
          }
        }
      } catch (IOException | RuntimeException e) {
        // the process is gone or busy: the next sample counts
      }
    }

    void heap() {
      peakHeap.accumulateAndGet(metric("jvm.memory.used?tag=area:heap"), Math::max);
      peakLive.accumulateAndGet(metric("jvm.gc.live.data.size"), Math::max);
    }

    /** An actuator gauge, or 0 when it cannot be read. */
    long metric(String name) {
      try {
        HttpRequest req =
            HttpRequest.newBuilder(URI.create(url + "/actuator/metrics/" + name))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(5))
                .build();
        JsonNode m = json.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
        return (long) m.get("measurements").get(0).get("value").asDouble();
      } catch (Exception e) {
        return 0; // missed sample
      }
    }
  }
}
