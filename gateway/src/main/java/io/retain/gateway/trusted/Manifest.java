package io.retain.gateway.trusted;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.Resource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The documents a production gateway runs, by SHA-256 of their text, read from Apollo's persisted
 * query manifest format ({@code {"format": "apollo-persisted-query-manifest", "version": 1,
 * "operations": [{"id", "name", "type", "body"}]}}), so the manifests Apollo's and Hive's client
 * tooling generate work unchanged, provided their ids are the SHA-256 of the body.
 */
public final class Manifest {

  static final String FORMAT = "apollo-persisted-query-manifest";

  private final Map<String, String> bodies;

  private Manifest(Map<String, String> bodies) {
    this.bodies = Map.copyOf(bodies);
  }

  public static Manifest empty() {
    return new Manifest(Map.of());
  }

  /**
   * Reads and checks manifests: a wrong format, a missing body or an id that is not its body's
   * SHA-256 stops the gateway at startup with the manifest and operation named, not at a request.
   */
  public static Manifest read(List<Resource> manifests, ObjectMapper json) {
    Map<String, String> bodies = new HashMap<>();
    for (Resource r : manifests) {
      JsonNode root;
      try (InputStream in = r.getInputStream()) {
        root = json.readTree(in);
      } catch (IOException e) {
        throw new IllegalStateException("trusted-document manifest " + r + " cannot be read", e);
      }
      if (!FORMAT.equals(root.path("format").asString("")) || root.path("version").asInt(0) != 1) {
        throw new IllegalStateException(
            "trusted-document manifest " + r + " must have format " + FORMAT + " and version 1");
      }
      for (JsonNode op : root.path("operations")) {
        String id = op.path("id").asString("");
        String body = op.path("body").asString("");
        if (body.isEmpty() || !Sha256.hex(body).equals(id)) {
          throw new IllegalStateException(
              "trusted-document manifest "
                  + r
                  + ": operation "
                  + op.path("name").asString("?")
                  + " has id "
                  + id
                  + " but its body's SHA-256 is "
                  + Sha256.hex(body));
        }
        bodies.put(id, body);
      }
    }
    return new Manifest(bodies);
  }

  /** The document with this hash, or null. */
  public String body(String sha256) {
    return bodies.get(sha256);
  }

  public boolean contains(String sha256) {
    return bodies.containsKey(sha256);
  }

  public int size() {
    return bodies.size();
  }
}
