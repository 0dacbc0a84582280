package io.retain.customer.importing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

/** Turns one CSV or NDJSON line of an entity into a cleaned {@link Row}, or says why not. */
final class RecordParser {

  /**
   * NDJSON numbers are kept as their text and bounded before anything parses them; nesting only
   * matters for keys the import ignores.
   */
  static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNumberLength(Field.MAX_NUMBER_CHARS * 2)
                  .maxNestingDepth(32)
                  .build())
          .build();

  private final ImportEntity entity;
  private final Csv.Header header;
  private final Field.Window window;
  private final int maxLineBytes;

  /** {@code header}: the CSV header, or null for NDJSON. */
  RecordParser(ImportEntity entity, Csv.Header header, Field.Window window, int maxLineBytes) {
    this.entity = entity;
    this.header = header;
    this.window = window;
    this.maxLineBytes = maxLineBytes;
  }

  Row parse(Utf8Lines.Line line) {
    if (line.tooLong()) {
      Row bad =
          Row.bad(
              line.number(),
              line.text(),
              null,
              "line is " + line.bytes() + " bytes; at most " + maxLineBytes);
      return new Row(bad.number(), bad.raw(), null, null, bad.reason(), line.hash());
    }
    String text = line.text();
    String[] raw;
    try {
      raw = header != null ? header.values(text) : jsonValues(entity, text);
    } catch (Field.BadValue bad) {
      return Row.bad(line.number(), text, bad.column, bad.getMessage());
    } catch (RuntimeException e) {
      return Row.bad(
          line.number(),
          text,
          null,
          "not a valid "
              + (header != null ? "CSV" : "JSON")
              + " record: "
              + Field.shown(String.valueOf(e.getMessage())));
    }
    return clean(line.number(), text, raw);
  }

  /** Cleans one record's raw values (in field order) into a row, or says why not. */
  Row clean(long number, String line, String[] raw) {
    String[] values = new String[raw.length];
    try {
      for (int i = 0; i < values.length; i++) {
        values[i] = entity.fields.get(i).clean(raw[i], window);
      }
      entity.check(values);
    } catch (Field.BadValue bad) {
      return Row.bad(number, line, bad.column, bad.getMessage());
    }
    return Row.ok(number, line, values);
  }

  /** Raw values by column name, in the entity's field order. */
  static String[] byField(ImportEntity entity, Map<String, String> raw) {
    String[] out = new String[entity.fields.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = raw.get(entity.fields.get(i).name());
    }
    return out;
  }

  /**
   * An NDJSON record's values in field order: strings, numbers (as written), booleans; an array
   * only for a list field. Keys the entity does not have are skipped.
   */
  static String[] jsonValues(ImportEntity entity, String line) throws Field.BadValue {
    String[] out = new String[entity.fields.size()];
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      for (String name = p.nextName(); name != null; name = p.nextName()) {
        JsonToken t = p.nextToken();
        int i = entity.indexOf(name);
        if (i < 0) {
          p.skipChildren();
          continue;
        }
        Field f = entity.fields.get(i);
        if (t == JsonToken.START_OBJECT) {
          throw new Field.BadValue(name, name + " is a JSON object; expected " + expected(f));
        }
        if (t == JsonToken.START_ARRAY) {
          if (f.kind() != Field.Kind.LIST) {
            throw new Field.BadValue(name, name + " is a JSON array; expected " + expected(f));
          }
          out[i] = arrayText(p, name);
        } else {
          out[i] = t == JsonToken.VALUE_NULL ? null : p.getText();
        }
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("more content after the JSON object");
      }
    }
    return out;
  }

  private static String expected(Field f) {
    return switch (f.kind()) {
      case AMOUNT, NPS, CSAT -> "a number";
      case BOOL -> "true or false";
      default -> "a string";
    };
  }

  private static String arrayText(JsonParser p, String name) throws Field.BadValue {
    List<String> parts = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        throw new Field.BadValue(name, name + " holds a nested JSON value; expected strings");
      }
      parts.add(p.getText());
    }
    return String.join(";", parts);
  }

  /** A JSON object's scalar values by key (arrays joined by ';'), as a corrected row gives them. */
  static Map<String, String> jsonObject(String line) {
    Map<String, String> out = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      for (String name = p.nextName(); name != null; name = p.nextName()) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT) {
          throw new IllegalArgumentException(name + " is a JSON object");
        } else if (t == JsonToken.START_ARRAY) {
          out.put(name, arrayText(p, name));
        } else if (t != JsonToken.VALUE_NULL) {
          out.put(name, p.getText());
        }
      }
    } catch (Field.BadValue | JacksonException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return out;
  }
}
