package io.retain.scoring.customer;

/**
 * customer-service did not answer, refused, or sent what could not be read: a remote fault, told
 * apart from scoring's own (a failed write) so that callers report the real cause.
 */
public class CustomerServiceException extends RuntimeException {

  CustomerServiceException(String message, Throwable cause) {
    super(message, cause);
  }

  static Throwable wrap(Throwable e) {
    return e instanceof CustomerServiceException
        ? e
        : new CustomerServiceException("customer-service: " + e.getMessage(), e);
  }
}
