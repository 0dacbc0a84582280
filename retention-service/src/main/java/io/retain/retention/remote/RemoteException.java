package io.retain.retention.remote;

/**
 * A remote service failed, timed out, was cut off by its circuit breaker or answered with errors;
 * callers turn it into their fallback (a typed error, a retry later, a null field).
 */
public class RemoteException extends RuntimeException {

  private final String service;

  public RemoteException(String service, String message, Throwable cause) {
    super(message, cause);
    this.service = service;
  }

  /** The remote service's breaker name: {@code scoring} or {@code customer}. */
  public String service() {
    return service;
  }
}
