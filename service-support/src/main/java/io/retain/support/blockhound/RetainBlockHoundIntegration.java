package io.retain.support.blockhound;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The few blocking calls on reactive threads we accept in tests, each a one-time cache fill:
 * loading a resource bundle (graphql-java's validation messages) on first use.
 */
public class RetainBlockHoundIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("java.util.ResourceBundle", "getBundle");
  }
}
