package io.retain.retention.graphql;

/** An expected business failure of a mutation, returned in its payload. */
public record UserError(String code, String field, String message) {

  public static UserError badInput(String field, String message) {
    return new UserError("BAD_USER_INPUT", field, message);
  }
}
