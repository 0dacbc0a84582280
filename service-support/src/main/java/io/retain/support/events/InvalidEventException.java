package io.retain.support.events;

/** An event that cannot be read (not JSON, unknown schema version, a field missing): set aside. */
public class InvalidEventException extends RuntimeException {

  public InvalidEventException(String reason) {
    super(reason);
  }

  public InvalidEventException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
