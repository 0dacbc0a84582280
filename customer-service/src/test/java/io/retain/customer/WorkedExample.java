package io.retain.customer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The worked example (deploy/fixtures) turned into the import files, one NDJSON body per entity.
 */
public final class WorkedExample {

  static final ObjectMapper JSON = new ObjectMapper();

  private WorkedExample() {}

  public static JsonNode resource(String name) {
    try (InputStream in = WorkedExample.class.getResourceAsStream("/fixtures/" + name)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** entity path → NDJSON body, in import order. */
  public static Map<String, String> ndjson() {
    JsonNode input = resource("worked-example.input.json");
    Map<String, List<String>> lines = new LinkedHashMap<>();
    for (String e : List.of("customers", "orders", "tickets", "surveys")) {
      lines.put(e, new ArrayList<>());
    }
    for (JsonNode c : input.get("customers")) {
      ObjectNode profile = JSON.createObjectNode();
      for (String f : List.of("id", "name", "kind", "industry", "valueTier", "since")) {
        profile.set(f, c.get(f));
      }
      lines.get("customers").add(profile.toString());
      String id = c.get("id").asString();
      for (String nested : List.of("orders", "tickets", "surveys")) {
        for (JsonNode row : c.get(nested)) {
          ObjectNode r = ((ObjectNode) row).deepCopy();
          r.put("customerId", id);
          lines.get(nested).add(r.toString());
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    lines.forEach((k, v) -> out.put(k, String.join("\n", v) + "\n"));
    return out;
  }
}
