package io.retain.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The front door: one GraphQL endpoint over the three subgraphs. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

  /**
   * Reactor Netty's event loops wait a 2 s quiet period for new tasks before they stop, after the
   * port has closed and graceful shutdown has drained the requests in flight: 2.5 s from SIGTERM to
   * exit, 0.6 s without it (measured, {@code ShutdownTest}). Nothing can arrive on a closed port.
   */
  static final String QUIET_PERIOD = "reactor.netty.ioShutdownQuietPeriod";

  public static void main(String[] args) {
    if (System.getProperty(QUIET_PERIOD) == null) System.setProperty(QUIET_PERIOD, "0");
    SpringApplication.run(GatewayApplication.class, args);
  }
}
