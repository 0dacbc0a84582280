package io.retain.retention.remote;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Base URLs of the services retention-service calls (docs/contracts.md, "Remote URLs"). */
@ConfigurationProperties("retain.remote")
public record RemoteProperties(Endpoint customer, Endpoint scoring) {

  /** One remote service; GraphQL is at {@code url + /graphql}. */
  public record Endpoint(String url) {}
}
