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
        Instant at = utcInstant(v);
        // the common shape is already its own normal form
        return v.length() == 20 && v.charAt(19) == 'Z' && v.charAt(10) == 'T' ? v : at.toString();
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

  /** {@code yyyy-MM-ddTHH:mm:ssZ}, checked as strictly as the general parser checks it. */
  private static Instant fastUtc(String v) {
    if (v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(13) != ':' || v.charAt(16) != ':') {
      throw new DateTimeParseException("not an ISO instant", v, 0);
    }
    int year = digits(v, 0, 4);
    int month = digits(v, 5, 7);
    int day = digits(v, 8, 10);
    int hour = digits(v, 11, 13);
    int minute = digits(v, 14, 16);
    int second = digits(v, 17, 19);
    try {
      return LocalDate.of(year, month, day).atTime(hour, minute, second).toInstant(ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      throw new DateTimeParseException(e.getMessage(), v, 0);
    }
  }

  private static int digits(String v, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        throw new DateTimeParseException("not a digit", v, i);
      }
      n = n * 10 + (c - '0');
    }
    return n;
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
      if (v.length() == 20 && v.charAt(19) == 'Z' && v.charAt(10) == 'T') {
        // the common shape, 2025-01-31T10:00:00Z, read without the general parser
        return fastUtc(v);
      }
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
