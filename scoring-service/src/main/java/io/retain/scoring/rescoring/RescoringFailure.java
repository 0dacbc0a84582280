package io.retain.scoring.rescoring;

import io.retain.scoring.customer.CustomerServiceException;

/**
 * A rescoring that stopped: whether customer-service or scoring itself failed, and how many
 * customers had been scored and stored before (their new scores stay; the others keep theirs).
 */
public class RescoringFailure extends RuntimeException {

  private final boolean remote;
  private final long stored;

  RescoringFailure(Throwable cause, long stored) {
    super(message(cause, stored), cause);
    this.remote = remote(cause);
    this.stored = stored;
  }

  /** customer-service did not answer, refused or sent what could not be read. */
  public boolean remote() {
    return remote;
  }

  /** Customers scored and stored before the failure. */
  public long stored() {
    return stored;
  }

  static boolean remote(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CustomerServiceException) {
        return true;
      }
    }
    return false;
  }

  private static String message(Throwable cause, long stored) {
    String what =
        remote(cause)
            ? "customer-service did not answer"
            : "scoring-service could not store scores (" + Failures.rootMessage(cause) + ")";
    String detail = remote(cause) ? " (" + cause.getMessage() + ")" : "";
    return stored == 0
        ? what + detail + "; stored scores are unchanged"
        : what
            + detail
            + "; "
            + stored
            + " customers were rescored and stored before the failure, the others keep their"
            + " previous scores";
  }
}
