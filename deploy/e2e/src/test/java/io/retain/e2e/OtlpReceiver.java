package io.retain.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPInputStream;

/**
 * A tiny OTLP/HTTP trace receiver for the services' exporters ({@code POST /v1/traces}, protobuf):
 * keeps each span's service, trace id, span id, parent span id, name and kind. It reads the few
 * fields it needs off the protobuf wire format itself (opentelemetry-proto is not on the classpath,
 * and five fields do not need it).
 */
final class OtlpReceiver implements AutoCloseable {

  /** One received span; ids in lower-case hex, parent empty for a root. */
  record Span(
      String service, String traceId, String spanId, String parentId, String name, int kind) {
    static final int SERVER = 2;
    static final int CLIENT = 3;
  }

  private final HttpServer server;
  private final Queue<Span> spans = new ConcurrentLinkedQueue<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            InputStream in =
                "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(body)
                    : body;
            spans.addAll(decode(in.readAllBytes()));
            // an empty ExportTraceServiceResponse: everything accepted
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, 0);
          } catch (RuntimeException e) {
            exchange.sendResponseHeaders(400, -1);
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  /** The endpoint for {@code management.opentelemetry.tracing.export.otlp.endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  /** The spans received so far of one trace. */
  List<Span> trace(String traceId) {
    return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ExportTraceServiceRequest{1: ResourceSpans}; ResourceSpans{1: Resource, 2: ScopeSpans};
  // Resource{1: KeyValue}; KeyValue{1: key, 2: AnyValue{1: string}}; ScopeSpans{2: Span};
  // Span{1: trace_id, 2: span_id, 4: parent_span_id, 5: name, 6: kind}
  static List<Span> decode(byte[] request) {
    List<Span> out = new ArrayList<>();
    for (Field resourceSpans : fields(request)) {
      if (resourceSpans.number != 1) continue;
      String service = "";
      List<byte[]> scopes = new ArrayList<>();
      for (Field f : fields(resourceSpans.bytes)) {
        if (f.number == 1) service = serviceName(f.bytes);
        if (f.number == 2) scopes.add(f.bytes);
      }
      for (byte[] scope : scopes) {
        for (Field span : fields(scope)) {
          if (span.number == 2) out.add(span(service, span.bytes));
        }
      }
    }
    return out;
  }

  private static String serviceName(byte[] resource) {
    for (Field attribute : fields(resource)) {
      if (attribute.number != 1) continue;
      String key = "";
      String value = "";
      for (Field f : fields(attribute.bytes)) {
        if (f.number == 1) key = f.text();
        if (f.number == 2) {
          for (Field v : fields(f.bytes)) {
            if (v.number == 1) value = v.text();
          }
        }
      }
      if (key.equals("service.name")) return value;
    }
    return "";
  }

  private static Span span(String service, byte[] span) {
    String trace = "", id = "", parent = "", name = "";
    int kind = 0;
    for (Field f : fields(span)) {
      switch (f.number) {
        case 1 -> trace = HexFormat.of().formatHex(f.bytes);
        case 2 -> id = HexFormat.of().formatHex(f.bytes);
        case 4 -> parent = HexFormat.of().formatHex(f.bytes);
        case 5 -> name = f.text();
        case 6 -> kind = (int) f.varint;
        default -> {}
      }
    }
    return new Span(service, trace, id, parent, name, kind);
  }

  /** A field of a message: its number and either its varint or its length-delimited bytes. */
  private record Field(int number, long varint, byte[] bytes) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static List<Field> fields(byte[] message) {
    List<Field> out = new ArrayList<>();
    int[] at = {0};
    while (at[0] < message.length) {
      long tag = varint(message, at);
      int number = (int) (tag >>> 3);
      switch ((int) (tag & 7)) {
        case 0 -> out.add(new Field(number, varint(message, at), new byte[0]));
        case 1 -> at[0] += 8;
        case 2 -> {
          int length = (int) varint(message, at);
          out.add(new Field(number, 0, Arrays.copyOfRange(message, at[0], at[0] + length)));
          at[0] += length;
        }
        case 5 -> at[0] += 4;
        default -> throw new IllegalArgumentException("wire type " + (tag & 7));
      }
    }
    return out;
  }

  private static long varint(byte[] b, int[] at) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      byte next = b[at[0]++];
      value |= (long) (next & 0x7f) << shift;
      if (next >= 0) return value;
    }
  }
}
