package io.retain.scoring.rescoring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.retain.scoring.customer.ActivityAsArray;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** customer-service's bulk activity stream ({@code /internal/activity}) on a real HTTP server. */
final class ActivityStreamStub {

  private ActivityStreamStub() {}

  /** A server answering the stream with {@code handler}. */
  static HttpServer start(HttpHandler handler) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/internal/activity", handler);
      // one thread per request: a handler holding a stream open must not queue the next request
      server.setExecutor(Executors.newCachedThreadPool());
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String url(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Starts a 200 NDJSON answer of unknown length; write lines to the stream returned. */
  static OutputStream ndjson(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
    // no keep-alive: a client reusing the connection of a stream closed under it loses a retry
    exchange.getResponseHeaders().add("Connection", "close");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  /**
   * Lines {@code from} to {@code to} (exclusive) of a stream of the worked example's C001 under
   * other ids ({@code prefix} and a number; line 0 of prefix "C" is C001 itself).
   */
  static byte[] lines(String prefix, int from, int to) throws IOException {
    String line;
    try {
      line = ActivityAsArray.JSON.writeValueAsString(StoredScoresTest.workedExample().get(0));
    } catch (Exception e) {
      throw new IOException(e);
    }
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      String id = prefix.equals("C") && i == 0 ? "C001" : prefix + (10000 + i);
      b.append(line.replace("\"C001\"", "\"" + id + "\"")).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
