package io.retain.support.graphql;

import org.jspecify.annotations.Nullable;

/**
 * An expected failure of a mutation, returned in its payload's {@code errors} (GraphQL type {@code
 * UserError}, the same in every subgraph); the shape of {@link ApiException}'s extensions.
 */
public record UserError(
    String code, @Nullable String field, @Nullable String expected, String message) {

  /** A failure whose code says what was expected. */
  public static UserError of(String code, @Nullable String field, String message) {
    return new UserError(code, field, null, message);
  }

  /** Input that does not have the expected form. */
  public static UserError badInput(String field, @Nullable String expected, String message) {
    return new UserError("BAD_USER_INPUT", field, expected, message);
  }

  /** A referenced thing does not exist. */
  public static UserError notFound(String field, String message) {
    return new UserError("NOT_FOUND", field, "an existing id", message);
  }
}
