package io.retain.support.r2dbc;

import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.context.annotation.Bean;

/**
 * Puts a {@link GuardedConnection} under the pool of every R2DBC service: Spring Boot applies
 * {@link ConnectionFactoryDecorator}s to the driver's factory, before pooling, so the pool sees the
 * guard as its connection and calls its {@code preRelease} on every release.
 *
 * <p>The guard must be the last decorator, right under the pool: Boot applies decorators in bean
 * order, each around the one before, and r2dbc-proxy's (the R2DBC statement spans, ADR 0016) gives
 * connections that are not a {@code Lifecycle}, so over the guard it would hide its {@code
 * preRelease} from the pool and a connection blocked by a cancel would be handed out again. Neither
 * bean has an order, so they come in registration order: this configuration after Boot's proxy.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.r2dbc.autoconfigure.R2dbcProxyAutoConfiguration")
@ConditionalOnClass({ConnectionFactory.class, ConnectionFactoryDecorator.class})
public class CancelGuardAutoConfiguration {

  @Bean
  ConnectionFactoryDecorator cancelGuard(
      @Value("${retain.r2dbc.cancel-check-timeout:2s}") Duration checkTimeout) {
    return factory -> new GuardedConnectionFactory(factory, checkTimeout);
  }
}
