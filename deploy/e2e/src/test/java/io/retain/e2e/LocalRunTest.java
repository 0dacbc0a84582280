package io.retain.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command: {@code deploy/run-local} brings all four services to UP, the three
 * services listen on loopback only, the subgraphs answer {@code _service { sdl }} to the printed
 * token, a service killed hard is restarted, and Ctrl-C (SIGINT) leaves no process behind.
 */
class LocalRunTest {

  static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();

  @TempDir Path work;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void oneCommandStartsTheSuiteAndCtrlCStopsEverything() throws Exception {
    int base = freePortBlock();
    int pgPort = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(ROOT.resolve("deploy/run-local").toString(), "--no-demo")
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    pb.environment().put("RETAIN_WORK_DIR", work.toString());
    pb.environment().put("RETAIN_BASE_PORT", String.valueOf(base));
    pb.environment().put("RETAIN_PG_PORT", String.valueOf(pgPort));
    pb.environment().remove("RETAIN_PG_URL");
    Process launcher = pb.start();
    List<String> output = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        output.add(line);
        if (line.contains("Ctrl-C stops everything")) {
          break;
        }
      }
      assertThat(String.join("\n", output))
          .as("launcher output")
          .contains("retain is running")
          .contains("http://127.0.0.1:" + base + "/graphql")
          .contains("ADMIN token");

      // the subgraphs answer _service only to SERVICE or ADMIN: the launcher's printed token
      String token =
          output.stream()
              .filter(l -> l.contains("ADMIN token"))
              .map(l -> l.substring(l.lastIndexOf(' ') + 1))
              .findFirst()
              .orElseThrow();
      HttpClient http = HttpClient.newHttpClient();
      for (int port = base; port <= base + 3; port++) {
        assertThat(listeningAddresses(port))
            .as("listening sockets of " + port)
            .containsOnly("127.0.0.1");
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as("readiness on " + port).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"");
      }
      for (int port = base + 1; port <= base + 3; port++) {
        HttpResponse<String> sdl =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(
                        HttpRequest.BodyPublishers.ofString("{\"query\":\"{ _service { sdl } }\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sdl.body()).as("_service on " + port).contains("@key(fields");
      }

      // the launcher's output from here on, read while the test goes on
      List<String> later = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread reader =
          new Thread(
              () -> {
                try {
                  String l;
                  while ((l = out.readLine()) != null) {
                    later.add(l);
                  }
                } catch (IOException closed) {
                  // the finally block closed the stream
                }
              });
      reader.setDaemon(true);
      reader.start();

      // a crashed service is started again, and the launcher says so
      long scoringPid = pidOf(work.resolve("pids"), "scoring-service");
      new ProcessBuilder("kill", "-KILL", String.valueOf(scoringPid)).start().waitFor();
      ProcessHandle.of(scoringPid)
          .ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                assertThat(readiness(http, base + 2)).as("scoring-service ready").isEqualTo(200);
                assertThat(String.join("\n", later))
                    .contains("scoring-service (pid " + scoringPid + ") exited with code 137")
                    .contains("restarting in 1.0 s")
                    .contains("scoring-service restarted and ready");
              });
      assertThat(pidOf(work.resolve("pids"), "scoring-service")).isNotEqualTo(scoringPid);

      List<ProcessHandle> tree = launcher.descendants().toList();
      assertThat(tree.size()).as("four services started as processes").isGreaterThanOrEqualTo(4);
      Path pmPid = work.resolve("pgdata/postmaster.pid");
      long postgresPid = Long.parseLong(Files.readAllLines(pmPid).get(0).trim());

      // Ctrl-C. A test run started with SIGINT ignored (a background job of a non-interactive
      // shell) passes that on to the launcher, whose JVM then never sees one: SIGTERM, the same
      // shutdown path, stands in (without this the drain below waited for ever).
      String signal = sigintIgnored() ? "-TERM" : "-INT";
      new ProcessBuilder("kill", signal, String.valueOf(launcher.pid())).start().waitFor();
      assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("launcher exits on " + signal).isTrue();
      for (ProcessHandle h : tree) {
        h.onExit().get(30, TimeUnit.SECONDS);
        assertThat(h.isAlive()).as("process " + h.pid() + " stopped").isFalse();
      }
      ProcessHandle.of(postgresPid)
          .ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
      assertThat(ProcessHandle.of(postgresPid).map(ProcessHandle::isAlive).orElse(false))
          .as("embedded PostgreSQL stopped")
          .isFalse();
      for (int port = base; port <= base + 3; port++) {
        assertThat(isFree(port)).as("port " + port + " released").isTrue();
      }
    } finally {
      launcher.destroyForcibly();
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
    }
  }

  static int readiness(HttpClient http, int port) {
    try {
      return http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The newest pid the launcher recorded for a service. */
  static long pidOf(Path pidsFile, String service) throws IOException {
    long pid = -1;
    for (String line : Files.readAllLines(pidsFile)) {
      String[] parts = line.trim().split(" ");
      if (parts.length == 2 && parts[0].equals(service)) {
        pid = Long.parseLong(parts[1]);
      }
    }
    return pid;
  }

  /**
   * The local addresses with a listening TCP socket on {@code port}, from /proc/net/tcp and tcp6
   * ({@code 0.0.0.0} or {@code ::} for all interfaces).
   */
  static java.util.Set<String> listeningAddresses(int port) throws IOException {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) continue;
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[3].equals("0A")) continue; // 0A = LISTEN
        String[] local = f[1].split(":");
        if (Integer.parseInt(local[1], 16) != port) continue;
        out.add(address(local[0]));
      }
    }
    return out;
  }

  /** A /proc/net address (little-endian 32-bit words in hex) as text. */
  static String address(String hex) {
    byte[] b = new byte[hex.length() / 2];
    for (int word = 0; word < b.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + 3 - i) * 2;
        b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      // an IPv4-mapped IPv6 address (a dual-stack socket bound to 127.0.0.1) comes back as IPv4
      return java.net.InetAddress.getByAddress(b).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether this process ignores SIGINT (bit 2 of /proc/self/status's SigIgn mask). */
  static boolean sigintIgnored() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2) != 0;
      }
    }
    return false;
  }

  /**
   * Four consecutive free ports, below the kernel's ephemeral range (32768+): a port there can be
   * taken by any outgoing connection between this check and the service binding it (or between a
   * fault test stopping a service and starting it again).
   */
  static int freePortBlock() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int p = 20000 + (int) (Math.random() * 12000);
      if (isFree(p) && isFree(p + 1) && isFree(p + 2) && isFree(p + 3)) {
        return p;
      }
    }
    throw new IllegalStateException("no free port block");
  }

  /** One free port, below the ephemeral range too. */
  static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int p = 12000 + (int) (Math.random() * 8000);
      if (isFree(p)) {
        return p;
      }
    }
    throw new IllegalStateException("no free port");
  }

  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
