package io.retain.customer.importing;

/**
 * One parsed import row: its cleaned values in field order, or why it was refused ({@code hash}:
 * the raw line's SHA-256 in hex when the line was too long to keep whole, else null).
 */
record Row(long number, String raw, String[] values, String column, String reason, String hash) {

  static Row ok(long number, String raw, String[] values) {
    return new Row(number, raw, values, null, null, null);
  }

  /** A refused row; its raw text is kept without NUL characters, which PostgreSQL text refuses. */
  static Row bad(long number, String raw, String column, String reason) {
    return new Row(number, printable(raw), null, column, printable(reason), null);
  }

  boolean ok() {
    return reason == null;
  }

  static String printable(String s) {
    return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
  }
}
