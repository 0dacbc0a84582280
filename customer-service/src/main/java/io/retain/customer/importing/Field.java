package io.retain.customer.importing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * One import column: its name, whether it is required, and how a raw value is cleaned into the text
 * PostgreSQL receives (ids trimmed and upper-cased, dates normalised to UTC).
 */
record Field(String name, Kind kind, boolean required, Set<String> allowed) {

  enum Kind {
    ID,
    TEXT,
    ENUM,
    DATE,
    INSTANT,
    AMOUNT,
    NPS,
    CSAT,
    BOOL,
    LIST
  }

  static Field id(String name) {
    return new Field(name, Kind.ID, true, Set.of());
  }

  static Field of(String name, Kind kind, boolean required) {
    return new Field(name, kind, required, Set.of());
  }

  static Field oneOf(String name, boolean required, String... values) {
    return new Field(name, Kind.ENUM, required, Set.of(values));
  }

  /** Thrown for a value that does not fit; the import quarantines the row with this reason. */
  static final class BadValue extends Exception {
    final String column;

    BadValue(String column, String reason) {
      super(reason);
      this.column = column;
    }
  }

  /** The cleaned value as text, or null when absent. */
  String clean(String raw) throws BadValue {
    String v = raw == null ? null : raw.trim();
    if (v == null || v.isEmpty() || v.equals("null")) {
      if (required) {
        throw new BadValue(name, "missing " + name);
      }
      return null;
    }
    switch (kind) {
      case ID:
        return v.toUpperCase(Locale.ROOT);
      case TEXT:
        return v;
      case ENUM:
        String e = v.toUpperCase(Locale.ROOT);
        if (!allowed.contains(e)) {
          throw new BadValue(
              name, name + " '" + v + "' is not one of " + new java.util.TreeSet<>(allowed));
        }
        return e;
      case DATE:
        return utcDate(v).toString();
      case INSTANT:
        return utcInstant(v).toString();
      case AMOUNT:
        try {
          BigDecimal a = new BigDecimal(v);
          if (a.signum() < 0) {
            throw new BadValue(name, "negative " + name + " " + v);
          }
          return a.toPlainString();
        } catch (NumberFormatException x) {
          throw new BadValue(name, name + " '" + v + "' is not a number");
        }
      case NPS:
        return range(v, 0, 10);
      case CSAT:
        return range(v, 1, 5);
      case BOOL:
        if (v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes")) {
          return "true";
        }
        if (v.equalsIgnoreCase("false") || v.equals("0") || v.equalsIgnoreCase("no")) {
          return "false";
        }
        throw new BadValue(name, name + " '" + v + "' is not true or false");
      case LIST:
        return v;
      default:
        throw new IllegalStateException(kind.name());
    }
  }

  private String range(String v, int lo, int hi) throws BadValue {
    try {
      int n = Integer.parseInt(v);
      if (n < lo || n > hi) {
        throw new BadValue(name, name + " " + n + " is outside " + lo + "–" + hi);
      }
      return String.valueOf(n);
    } catch (NumberFormatException x) {
      throw new BadValue(name, name + " '" + v + "' is not a whole number " + lo + "–" + hi);
    }
  }

  private LocalDate utcDate(String v) throws BadValue {
    try {
      return v.length() <= 10
          ? LocalDate.parse(v)
          : utcInstant(v).atZone(ZoneOffset.UTC).toLocalDate();
    } catch (DateTimeParseException x) {
      throw new BadValue(
          name, "bad date " + name + " '" + v + "' (expected YYYY-MM-DD or an ISO instant)");
    }
  }

  private Instant utcInstant(String v) throws BadValue {
    try {
      if (v.length() == 10) {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException x) {
      throw new BadValue(
          name, "bad date " + name + " '" + v + "' (expected YYYY-MM-DD or an ISO instant)");
    }
  }
}
