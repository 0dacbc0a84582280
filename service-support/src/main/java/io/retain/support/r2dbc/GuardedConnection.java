package io.retain.support.r2dbc;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Lifecycle;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A pooled physical connection that a cancelled query cannot leave blocked.
 *
 * <p>Why: r2dbc-postgresql (1.1.1, and 1.1.3 alike) leaves a connection waiting for ever when a
 * query is cancelled while its rows arrive and some of them are left unread (a result never
 * subscribed, or rows buffered with no demand): the cancelled conversation stays first in the
 * connection's queue, and every later query on that connection waits behind it, silently.
 * Cancelling is ordinary in these services (a client goes away, a subscription ends, a timeout
 * fires, {@code first()}), and most cancels that land while rows arrive block the connection
 * ({@code GuardedConnectionTest}; docs/adr/0005-cancel-guard-under-the-pool.md).
 *
 * <p>Upstream: <a href="https://github.com/pgjdbc/r2dbc-postgresql/issues/661">r2dbc-postgresql
 * #661</a> ("ReactorNettyClient stuck on cancelled Conversation", reported on 1.0.5) describes the
 * same mechanism: a cancelled conversation with no demand stays at the head of the queue and every
 * later query waits behind it. The pool-side report is <a
 * href="https://github.com/r2dbc/r2dbc-pool/issues/198">r2dbc-pool #198</a>; a driver fix was
 * proposed in <a href="https://github.com/pgjdbc/r2dbc-postgresql/pull/731">#731</a>. 1.1.3, the
 * newest version tried here, still blocks; when {@code GuardedConnectionTest}'s
 * withoutTheGuardTheDriverLeavesTheConnectionBlocked starts failing on a driver upgrade, the driver
 * is fixed and this guard can go.
 *
 * <p>So a cancel never reaches the driver: the statement and its results are read to their end and
 * dropped ({@link DrainOnCancel}, {@link DrainedResult}). Then, as a safety net, a connection that
 * saw a cancel answers one round trip before it is used or pooled again; one that does not answer
 * within the timeout is closed, and the pool opens another. A connection that saw no cancel costs
 * nothing more than the wrappers.
 */
final class GuardedConnection implements Connection, Lifecycle, Wrapped<Connection> {

  private static final Logger log = LoggerFactory.getLogger(GuardedConnection.class);

  private final Connection delegate;
  private final Duration checkTimeout;

  /** Operations subscribed and not yet ended. */
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * An operation was cancelled, or the driver's connection was taken out to be used directly (as
   * customer-service's COPY does, unseen by this guard), since the last successful check.
   */
  private volatile boolean interrupted;

  /**
   * Results a cancelled statement had already given out: their consumer may still read them (as
   * {@code Mono.from(execute()).flatMap(...)} does), so they are drained only when the unit of work
   * ends (commit, rollback, release).
   */
  private final Queue<DrainedResult> orphans = new ConcurrentLinkedQueue<>();

  GuardedConnection(Connection delegate, Duration checkTimeout) {
    this.delegate = delegate;
    this.checkTimeout = checkTimeout;
  }

  /** Refused use of a connection that stayed blocked after a cancelled query (now closed). */
  static final class BlockedConnectionException extends R2dbcNonTransientResourceException {
    BlockedConnectionException(Duration timeout) {
      super(
          "database connection closed: it did not answer within "
              + timeout.toMillis()
              + " ms after a cancelled query");
    }
  }

  /**
   * The operation, counted in flight until the driver ends it; a cancel marks the connection and
   * drains instead of reaching the driver.
   */
  <T> Flux<T> track(Publisher<T> operation) {
    return Flux.defer(
        () -> {
          inFlight.incrementAndGet();
          return DrainOnCancel.of(
              operation, () -> interrupted = true, t -> {}, inFlight::decrementAndGet);
        });
  }

  /** A statement's or batch's execution, after the {@link #check}. */
  private Flux<Result> results(Supplier<Publisher<? extends Result>> execution) {
    return check(false).thenMany(Flux.defer(() -> trackResults(execution.get())));
  }

  /**
   * Results tracked as {@link #track} does; after a cancel, results arriving are drained, and those
   * already given out become {@link #orphans}.
   */
  private Flux<Result> trackResults(Publisher<? extends Result> execution) {
    Queue<DrainedResult> given = new ConcurrentLinkedQueue<>();
    inFlight.incrementAndGet();
    Flux<DrainedResult> drained = Flux.from(execution).map(DrainedResult::new).doOnNext(given::add);
    return DrainOnCancel.of(
            drained,
            () -> {
              interrupted = true;
              orphans.addAll(given);
            },
            DrainedResult::drain,
            inFlight::decrementAndGet)
        .cast(Result.class);
  }

  /**
   * Nothing when no operation was cancelled; else one round trip (queued behind whatever the
   * cancelled operation left), and the connection closed with an error if it does not answer.
   */
  Mono<Void> check(boolean alsoInFlight) {
    return Mono.defer(
        () -> {
          if (!interrupted && !(alsoInFlight && inFlight.get() > 0)) {
            return Mono.empty();
          }
          return Mono.from(delegate.validate(ValidationDepth.REMOTE))
              .timeout(checkTimeout, Mono.just(false))
              .onErrorReturn(false)
              .flatMap(
                  ok -> {
                    if (ok) {
                      interrupted = false;
                      return Mono.<Void>empty();
                    }
                    log.warn(
                        "closing a database connection that did not answer within {} ms after a"
                            + " cancelled query; the pool opens another",
                        checkTimeout.toMillis());
                    return Mono.from(delegate.close())
                        .onErrorResume(e -> Mono.empty())
                        .then(Mono.error(new BlockedConnectionException(checkTimeout)));
                  });
        });
  }

  private Mono<Void> guarded(Publisher<Void> operation) {
    return check(false).then(Mono.defer(() -> track(operation).then()));
  }

  /** The unit of work ends: no one reads a cancelled statement's results any more. */
  private Mono<Void> endOfWork() {
    return Mono.fromRunnable(
        () -> {
          for (DrainedResult r; (r = orphans.poll()) != null; ) {
            r.drain();
          }
        });
  }

  @Override
  public Publisher<Void> preRelease() {
    // the pool invalidates (and does not hand out) a connection whose preRelease fails
    return endOfWork().then(check(true));
  }

  @Override
  public Publisher<Void> postAllocate() {
    return Mono.empty();
  }

  @Override
  public Statement createStatement(String sql) {
    return new GuardedStatement(delegate.createStatement(sql));
  }

  @Override
  public Batch createBatch() {
    Batch batch = delegate.createBatch();
    return new Batch() {
      @Override
      public Batch add(String sql) {
        batch.add(sql);
        return this;
      }

      @Override
      public Publisher<? extends Result> execute() {
        return results(batch::execute);
      }
    };
  }

  @Override
  public Publisher<Void> beginTransaction() {
    return guarded(delegate.beginTransaction());
  }

  @Override
  public Publisher<Void> beginTransaction(TransactionDefinition definition) {
    return guarded(delegate.beginTransaction(definition));
  }

  @Override
  public Publisher<Void> commitTransaction() {
    return endOfWork().then(guarded(delegate.commitTransaction()));
  }

  @Override
  public Publisher<Void> rollbackTransaction() {
    // a blocked connection is closed by the check, and PostgreSQL rolls back a closed session's
    // transaction: that is the rollback asked for
    return endOfWork()
        .then(guarded(delegate.rollbackTransaction()))
        .onErrorResume(BlockedConnectionException.class, e -> Mono.empty());
  }

  @Override
  public Publisher<Void> createSavepoint(String name) {
    return guarded(delegate.createSavepoint(name));
  }

  @Override
  public Publisher<Void> releaseSavepoint(String name) {
    return guarded(delegate.releaseSavepoint(name));
  }

  @Override
  public Publisher<Void> rollbackTransactionToSavepoint(String name) {
    return guarded(delegate.rollbackTransactionToSavepoint(name));
  }

  @Override
  public Publisher<Void> setAutoCommit(boolean autoCommit) {
    return guarded(delegate.setAutoCommit(autoCommit));
  }

  @Override
  public Publisher<Void> setLockWaitTimeout(Duration timeout) {
    return guarded(delegate.setLockWaitTimeout(timeout));
  }

  @Override
  public Publisher<Void> setStatementTimeout(Duration timeout) {
    return guarded(delegate.setStatementTimeout(timeout));
  }

  @Override
  public Publisher<Void> setTransactionIsolationLevel(IsolationLevel level) {
    return guarded(delegate.setTransactionIsolationLevel(level));
  }

  @Override
  public boolean isAutoCommit() {
    return delegate.isAutoCommit();
  }

  @Override
  public ConnectionMetadata getMetadata() {
    return delegate.getMetadata();
  }

  @Override
  public IsolationLevel getTransactionIsolationLevel() {
    return delegate.getTransactionIsolationLevel();
  }

  @Override
  public Publisher<Boolean> validate(ValidationDepth depth) {
    return delegate.validate(depth);
  }

  @Override
  public Publisher<Void> close() {
    return delegate.close();
  }

  /** The driver's connection, for what the SPI lacks (COPY); checked before its next use. */
  @Override
  public Connection unwrap() {
    interrupted = true;
    return delegate;
  }

  /** Without marking the connection: the pool looks for a scheduler here on every acquire. */
  @Override
  public <E> E unwrap(Class<E> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(delegate)) {
      return type.cast(delegate);
    }
    return delegate instanceof Wrapped<?> w ? w.unwrap(type) : null;
  }

  /** Its execution checked and tracked; everything else is the driver's statement. */
  private final class GuardedStatement implements Statement {
    private final Statement statement;

    GuardedStatement(Statement statement) {
      this.statement = statement;
    }

    @Override
    public Publisher<? extends Result> execute() {
      return results(statement::execute);
    }

    @Override
    public Statement add() {
      statement.add();
      return this;
    }

    @Override
    public Statement bind(int index, Object value) {
      statement.bind(index, value);
      return this;
    }

    @Override
    public Statement bind(String name, Object value) {
      statement.bind(name, value);
      return this;
    }

    @Override
    public Statement bindNull(int index, Class<?> type) {
      statement.bindNull(index, type);
      return this;
    }

    @Override
    public Statement bindNull(String name, Class<?> type) {
      statement.bindNull(name, type);
      return this;
    }

    @Override
    public Statement returnGeneratedValues(String... columns) {
      statement.returnGeneratedValues(columns);
      return this;
    }

    @Override
    public Statement fetchSize(int rows) {
      statement.fetchSize(rows);
      return this;
    }
  }
}
