package io.retain.customer.importing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** RFC 4180 CSV lines (quoted fields, doubled quotes); the header names the columns. */
final class Csv {

  private Csv() {}

  /** The header of a CSV import: its columns, checked against the entity's fields. */
  record Header(List<String> columns) {
    Map<String, String> values(String line) {
      List<String> cells = split(line);
      if (cells.size() != columns.size()) {
        throw new IllegalArgumentException(
            "expected " + columns.size() + " columns, found " + cells.size());
      }
      Map<String, String> out = new HashMap<>();
      for (int i = 0; i < cells.size(); i++) {
        out.put(columns.get(i), cells.get(i));
      }
      return out;
    }
  }

  static Header header(ImportEntity entity, String line) {
    List<String> cols = split(line).stream().map(String::trim).toList();
    List<String> known = entity.fields.stream().map(Field::name).toList();
    List<String> unknown = cols.stream().filter(c -> !known.contains(c)).toList();
    if (!unknown.isEmpty()) {
      throw new ImportService.FileRejected(
          "Unknown column(s) "
              + unknown
              + " in the "
              + entity.path
              + " header; expected columns "
              + known);
    }
    List<String> missing =
        entity.fields.stream()
            .filter(f -> f.required() && !cols.contains(f.name()))
            .map(Field::name)
            .toList();
    if (!missing.isEmpty()) {
      throw new ImportService.FileRejected(
          "Missing required column(s) " + missing + " in the " + entity.path + " header");
    }
    return new Header(cols);
  }

  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quote");
    }
    out.add(cur.toString());
    return out;
  }
}
