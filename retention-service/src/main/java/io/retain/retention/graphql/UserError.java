package io.retain.retention.graphql;

/**
 * An expected business failure of a mutation, returned in its payload; {@code expected} says what
 * would have been accepted (null when the code says it all).
 */
public record UserError(String code, String field, String message, String expected) {

  public UserError(String code, String field, String message) {
    this(code, field, message, null);
  }

  public static UserError badInput(String field, String message) {
    return new UserError("BAD_USER_INPUT", field, message);
  }

  public static UserError badInput(String field, String message, String expected) {
    return new UserError("BAD_USER_INPUT", field, message, expected);
  }
}
