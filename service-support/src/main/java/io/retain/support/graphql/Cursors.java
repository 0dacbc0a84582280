package io.retain.support.graphql;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque Relay cursors: base64url of a keyset position, checked on the way back in. */
public final class Cursors {

  private Cursors() {}

  public static String encode(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a cursor or fails with BAD_USER_INPUT naming {@code field}. */
  public static String decode(String cursor, String field) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badInput(
          field, "a cursor returned by this API", "Cursor '" + cursor + "' is not valid");
    }
  }
}
