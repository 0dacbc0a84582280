package io.retain.support.graphql;

/**
 * Bad input or a refused operation, reported to the client as a GraphQL error with {@code
 * extensions.code}, {@code extensions.field} and {@code extensions.expected}.
 */
public class ApiException extends RuntimeException {

  private final String code;
  private final String field;
  private final String expected;

  public ApiException(String code, String field, String expected, String message) {
    super(message);
    this.code = code;
    this.field = field;
    this.expected = expected;
  }

  /** Input that does not have the expected form. */
  public static ApiException badInput(String field, String expected, String message) {
    return new ApiException("BAD_USER_INPUT", field, expected, message);
  }

  /** A referenced thing does not exist. */
  public static ApiException notFound(String field, String message) {
    return new ApiException("NOT_FOUND", field, "an existing id", message);
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  public String expected() {
    return expected;
  }
}
