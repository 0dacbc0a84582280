package io.retain.gateway.supergraph;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Reads a supergraph SDL from {@code file:...} or {@code http(s)://...}. */
public final class SupergraphSource {

  private SupergraphSource() {}

  /** Returns the SDL text at the location. */
  public static String read(String location) throws IOException, InterruptedException {
    if (location.startsWith("http://") || location.startsWith("https://")) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(location)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2)
        throw new IOException(location + " answered " + r.statusCode());
      return r.body();
    }
    String path = location.startsWith("file:") ? location.substring(5) : location;
    return Files.readString(Path.of(path));
  }
}
