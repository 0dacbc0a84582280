package io.retain.retention.remote;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Base URLs of the services retention-service calls (docs/contracts.md, "Remote URLs"). */
@ConfigurationProperties("retain.remote")
public record RemoteProperties(Endpoint customer, Endpoint scoring) {

  /**
   * One remote service; GraphQL is at {@code url + /graphql}. {@code url} may list several
   * instances, comma-separated ({@code ServiceInstances}).
   */
  public record Endpoint(String url) {}
}
