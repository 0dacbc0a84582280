package io.retain.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load at a fixed concurrency: {@code concurrency} requests always in flight, each
 * request picked round-robin from a query mix. Latencies are kept whole (no sampling) so p99 is
 * exact.
 */
public final class LoadGenerator {

  /** One GraphQL request of the mix. */
  public record Request(String name, String body) {}

  /** What one run measured. */
  public record Result(
      String target, long requests, long errors, double seconds, long[] latenciesMicros) {

    public double throughput() {
      return requests / seconds;
    }

    public double percentileMillis(double p) {
      if (latenciesMicros.length == 0) {
        return Double.NaN;
      }
      long[] sorted = latenciesMicros.clone();
      Arrays.sort(sorted);
      int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
      return sorted[Math.max(0, i)] / 1000.0;
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** Runs the mix against {@code url} for {@code duration}. */
  public Result run(
      String target,
      String url,
      String token,
      List<Request> mix,
      int concurrency,
      Duration duration)
      throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    AtomicLong errors = new AtomicLong();
    List<long[]> chunks = new ArrayList<>();
    long[][] current = {new long[1 << 16]};
    int[] n = {0};
    long end = System.nanoTime() + duration.toNanos();
    long started = System.nanoTime();
    long sent = 0;
    while (System.nanoTime() < end) {
      slots.acquire();
      Request r = mix.get((int) (sent++ % mix.size()));
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(r.body()));
      if (token != null) {
        req.header("Authorization", "Bearer " + token);
      }
      long t0 = System.nanoTime();
      CompletableFuture<HttpResponse<String>> f =
          http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString());
      f.whenComplete(
          (resp, err) -> {
            long micros = (System.nanoTime() - t0) / 1000;
            if (err != null || resp.statusCode() != 200 || resp.body().contains("\"errors\"")) {
              errors.incrementAndGet();
            }
            synchronized (chunks) {
              if (n[0] == current[0].length) {
                chunks.add(current[0]);
                current[0] = new long[1 << 16];
                n[0] = 0;
              }
              current[0][n[0]++] = micros;
            }
            slots.release();
          });
    }
    slots.acquire(concurrency); // drain
    double seconds = (System.nanoTime() - started) / 1e9;
    long[] all;
    synchronized (chunks) {
      int total = chunks.size() * (1 << 16) + n[0];
      all = new long[total];
      int pos = 0;
      for (long[] c : chunks) {
        System.arraycopy(c, 0, all, pos, c.length);
        pos += c.length;
      }
      System.arraycopy(current[0], 0, all, pos, n[0]);
    }
    return new Result(target, all.length, errors.get(), seconds, all);
  }

  /** One request, for checking answers before measuring. */
  public String once(String url, String token, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        token);
  }

  /** A GET (an actuator reading), its body. */
  public String get(String url, String token) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), token);
  }

  private String send(HttpRequest.Builder req, String token) throws Exception {
    req.header("Accept", "application/json");
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
