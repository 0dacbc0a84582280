package io.retain.customer.profile;

/** Masks personal data for callers who may not read it: 138****5678, l***@example.com. */
final class Masking {

  private Masking() {}

  static String phone(String phone) {
    if (phone == null) {
      return null;
    }
    String p = phone.trim();
    if (p.length() <= 7) {
      return "*".repeat(p.length());
    }
    return p.substring(0, 3) + "****" + p.substring(p.length() - 4);
  }

  static String email(String email) {
    if (email == null) {
      return null;
    }
    int at = email.indexOf('@');
    if (at <= 0) {
      return "***";
    }
    return email.charAt(0) + "***" + email.substring(at);
  }

  static String name(String name) {
    if (name == null || name.isBlank()) {
      return name;
    }
    return name.charAt(0) + "**";
  }
}
