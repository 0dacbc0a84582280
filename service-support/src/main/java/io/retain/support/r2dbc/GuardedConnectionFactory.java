package io.retain.support.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The physical connections under the pool, each a {@link GuardedConnection}; public for the
 * benchmark that compares it with the bare pool (deploy/bench/pool-guard-bench).
 */
public final class GuardedConnectionFactory
    implements ConnectionFactory, Wrapped<ConnectionFactory> {

  private final ConnectionFactory delegate;
  private final Duration checkTimeout;

  public GuardedConnectionFactory(ConnectionFactory delegate, Duration checkTimeout) {
    this.delegate = delegate;
    this.checkTimeout = checkTimeout;
  }

  @Override
  public Publisher<? extends Connection> create() {
    return Mono.from(delegate.create()).map(c -> new GuardedConnection(c, checkTimeout));
  }

  @Override
  public ConnectionFactoryMetadata getMetadata() {
    return delegate.getMetadata();
  }

  @Override
  public ConnectionFactory unwrap() {
    return delegate;
  }
}
