package io.retain.customer.importing;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV lines (quoted fields, doubled quotes); the header names the columns. */
final class Csv {

  private Csv() {}

  /**
   * The header of a CSV import: its columns, checked against the entity's fields, and where each
   * field sits in a line.
   */
  record Header(List<String> columns, int[] positions) {
    /** A line's values in field order (null for a field the file has no column for). */
    String[] values(String line) {
      List<String> cells = split(line);
      if (cells.size() != columns.size()) {
        throw new IllegalArgumentException(
            "expected " + columns.size() + " columns, found " + cells.size());
      }
      String[] out = new String[positions.length];
      for (int i = 0; i < positions.length; i++) {
        out[i] = positions[i] < 0 ? null : cells.get(positions[i]);
      }
      return out;
    }
  }

  static Header header(ImportEntity entity, String line) {
    List<String> cols = split(line).stream().map(String::trim).toList();
    List<String> known = entity.fields.stream().map(Field::name).toList();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String c : cols) {
      if (!seen.add(c)) {
        throw new ImportService.FileRejected(
            "Duplicate column '" + c + "' in the " + entity.path + " header; each column once");
      }
    }
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
    int[] positions = new int[entity.fields.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = cols.indexOf(entity.fields.get(i).name());
    }
    return new Header(cols, positions);
  }

  static List<String> split(String line) {
    if (line.indexOf('"') < 0) {
      // the usual line: no quotes, so cells are plain substrings
      List<String> out = new ArrayList<>(16);
      int from = 0;
      for (int at = line.indexOf(','); at >= 0; at = line.indexOf(',', from)) {
        out.add(line.substring(from, at));
        from = at + 1;
      }
      out.add(line.substring(from));
      return out;
    }
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
