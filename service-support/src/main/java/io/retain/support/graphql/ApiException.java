package io.retain.support.graphql;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bad input or a refused operation, reported to the client as a GraphQL error with {@code
 * extensions.code}, {@code extensions.field} and {@code extensions.expected}.
 */
public class ApiException extends RuntimeException {

  private final String code;
  private final String field;
  private final String expected;
  private final Map<String, Object> details;

  public ApiException(String code, String field, String expected, String message) {
    this(code, field, expected, message, Map.of());
  }

  private ApiException(
      String code, String field, String expected, String message, Map<String, Object> details) {
    super(message);
    this.code = code;
    this.field = field;
    this.expected = expected;
    this.details = details;
  }

  /**
   * This error with one more entry in its extensions, for what a client acts on (the id of the job
   * in the way of a refused start, say).
   */
  public ApiException with(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(details);
    more.put(key, value);
    return new ApiException(code, field, expected, getMessage(), Map.copyOf(more));
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

  /** Extensions beyond code, field and expected (see {@link #with}). */
  public Map<String, Object> details() {
    return details;
  }
}
