package io.retain.scoring.rescoring;

import io.retain.scoring.customer.CustomerServiceException;
import io.retain.support.graphql.ApiException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;

/** Telling a failure that may lie with one customer from one that stops everybody. */
final class Failures {

  private static final int MAX_REASON = 500;

  private Failures() {}

  /**
   * customer-service, the database or the connection failed (or the request itself was refused), or
   * another replica applied the batch first: retrying it in halves would only fail again, and
   * nobody is to blame.
   */
  static boolean systemic(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CustomerServiceException
          || t instanceof FeedCursors.Moved
          || t instanceof ApiException
          || t instanceof TransientDataAccessException
          || t instanceof DataAccessResourceFailureException
          || t instanceof io.r2dbc.spi.R2dbcTransientException
          || t instanceof io.r2dbc.spi.R2dbcNonTransientResourceException
          || t instanceof IOException
          || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The innermost message (a driver's error rather than Spring's wrapper with the whole SQL). */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return m.length() > MAX_REASON ? m.substring(0, MAX_REASON) + "…" : m;
  }
}
