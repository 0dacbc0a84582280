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
 * One import column: its name, the table column it is written to, whether it is required, the bound
 * the table can hold ({@code maxChars}), and how a raw value is cleaned into the text PostgreSQL
 * receives (ids trimmed and upper-cased, dates normalised to UTC). A value that passes cleaning
 * always fits its column, so a bad value quarantines its row and never fails the batch.
 */
record Field(
    String name, String column, Kind kind, boolean required, Set<String> allowed, int maxChars) {

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

  /**
   * The largest order amount: 1,000,000,000.00. Far inside numeric(16,2), and small enough that any
   * sum scoring keeps stays exact: the order digest stores cents as int8, where a customer would
   * need 9.2 million orders at the maximum to overflow.
   */
  static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000.00");

  /** Number text longer than this is refused before it is parsed (no huge exponents or digits). */
  static final int MAX_NUMBER_CHARS = 40;

  /** No date before this: older dates are typos (0001, 0000) that would skew tenure. */
  static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);

  private static final Instant EARLIEST_INSTANT = EARLIEST.atStartOfDay(ZoneOffset.UTC).toInstant();

  /** Column widths (varchar(64) ids). */
  static final int ID_CHARS = 64;

  /** The app's own bound for a {@code text} column (personal data, comments). */
  static final int TEXT_CHARS = 4000;

  static Field id(String name, String column) {
    return new Field(name, column, Kind.ID, true, Set.of(), ID_CHARS);
  }

  static Field text(String name, String column, boolean required, int maxChars) {
    return new Field(name, column, Kind.TEXT, required, Set.of(), maxChars);
  }

  static Field of(String name, String column, Kind kind, boolean required) {
    return new Field(name, column, kind, required, Set.of(), 0);
  }

  static Field oneOf(String name, String column, boolean required, String... values) {
    return new Field(name, column, Kind.ENUM, required, Set.of(values), 0);
  }

  /** The dates an import accepts: from 1900-01-01 up to the import's now plus one day. */
  record Window(Instant latest, LocalDate latestDate) {
    static Window at(Instant now) {
      Instant latest = now.plus(java.time.Duration.ofDays(1));
      return new Window(latest, latest.atZone(ZoneOffset.UTC).toLocalDate());
    }
  }

  /** Thrown for a value that does not fit; the import quarantines the row with this reason. */
  static final class BadValue extends Exception {
    final String column;

    BadValue(String column, String reason) {
      super(reason, null, false, false);
      this.column = column;
    }
  }

  /** The cleaned value as text, or null when absent. */
  String clean(String raw, Window window) throws BadValue {
    String v = raw == null ? null : raw.trim();
    if (v == null || v.isEmpty() || v.equals("null")) {
      if (required) {
        throw new BadValue(name, "missing " + name);
      }
      return null;
    }
    if (v.indexOf('\0') >= 0) {
      throw new BadValue(name, name + " contains a NUL character (U+0000)");
    }
    switch (kind) {
      case ID:
        return fits(v.toUpperCase(Locale.ROOT));
      case TEXT:
        return fits(v);
      case ENUM:
        String e = v.toUpperCase(Locale.ROOT);
        if (!allowed.contains(e)) {
          throw new BadValue(
              name, name + " '" + shown(v) + "' is not one of " + new java.util.TreeSet<>(allowed));
        }
        return e;
      case DATE:
        LocalDate d = utcDate(v);
        if (d.isBefore(EARLIEST)) {
          throw new BadValue(name, name + " " + d + " is before " + EARLIEST);
        }
        if (d.isAfter(window.latestDate())) {
          throw new BadValue(name, name + " " + d + " is more than 1 day in the future");
        }
        return d.toString();
      case INSTANT:
        Instant at = utcInstant(v);
        if (at.isBefore(EARLIEST_INSTANT)) {
          throw new BadValue(name, name + " " + shown(v) + " is before " + EARLIEST);
        }
        if (at.isAfter(window.latest())) {
          throw new BadValue(name, name + " " + shown(v) + " is more than 1 day in the future");
        }
        // the common shape is already its own normal form
        return v.length() == 20 && v.charAt(19) == 'Z' && v.charAt(10) == 'T' ? v : at.toString();
      case AMOUNT:
        return amount(v);
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
        throw new BadValue(name, name + " '" + shown(v) + "' is not true or false");
      case LIST:
        return v;
      default:
        throw new IllegalStateException(kind.name());
    }
  }

  /** A text value within its column's width (counted in characters, as PostgreSQL counts). */
  private String fits(String v) throws BadValue {
    if (maxChars > 0 && v.length() > maxChars) {
      int chars = v.codePointCount(0, v.length());
      if (chars > maxChars) {
        throw new BadValue(name, name + " is " + chars + " characters; at most " + maxChars);
      }
    }
    return v;
  }

  /**
   * Checked before anything big is built: the text's length bounds the digits and the exponent, and
   * the value is compared before it is printed (toPlainString of 1e400000000 is 400 MB).
   */
  private String amount(String v) throws BadValue {
    if (v.length() > MAX_NUMBER_CHARS) {
      throw new BadValue(
          name, name + " is " + v.length() + " characters long; at most " + MAX_NUMBER_CHARS);
    }
    BigDecimal a;
    try {
      a = new BigDecimal(v);
    } catch (NumberFormatException x) {
      throw new BadValue(name, name + " '" + v + "' is not a number");
    }
    if (a.signum() < 0) {
      throw new BadValue(name, "negative " + name + " " + v);
    }
    if (a.compareTo(MAX_AMOUNT) > 0) {
      throw new BadValue(name, name + " " + v + " is above the maximum " + MAX_AMOUNT);
    }
    if (a.scale() >= 0 && a.scale() <= 2) {
      // the usual amount, printed as before
      return a.toPlainString();
    }
    BigDecimal exact = a.signum() == 0 ? BigDecimal.ZERO : a.stripTrailingZeros();
    if (exact.scale() > 2) {
      throw new BadValue(name, name + " " + v + " has " + exact.scale() + " decimals; at most 2");
    }
    return exact.scale() < 0 ? exact.setScale(0).toPlainString() : exact.toPlainString();
  }

  private String range(String v, int lo, int hi) throws BadValue {
    try {
      int n = Integer.parseInt(v);
      if (n < lo || n > hi) {
        throw new BadValue(name, name + " " + n + " is outside " + lo + "–" + hi);
      }
      return String.valueOf(n);
    } catch (NumberFormatException x) {
      throw new BadValue(name, name + " '" + shown(v) + "' is not a whole number " + lo + "–" + hi);
    }
  }

  /** A value quoted in a reason: bounded, so a reason never repeats a huge value. */
  static String shown(String v) {
    return v.length() <= 64 ? v : v.substring(0, 64) + "…";
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
    } catch (java.time.DateTimeException x) {
      throw badDate(v);
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
      if (v.length() > MAX_NUMBER_CHARS) {
        throw badDate(v);
      }
      return OffsetDateTime.parse(v).toInstant();
    } catch (java.time.DateTimeException x) {
      throw badDate(v);
    }
  }

  private BadValue badDate(String v) {
    return new BadValue(
        name, "bad date " + name + " '" + shown(v) + "' (expected YYYY-MM-DD or an ISO instant)");
  }
}
