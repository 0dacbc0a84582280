package io.retain.support.blockhound;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The few blocking calls on reactive threads we accept in tests: loading a resource bundle
 * (graphql-java's validation messages) on first use, a one-time cache fill; and Netty 4.2's
 * adaptive buffer allocator taking its magazine lock when it grows under contention (a short
 * critical section, not I/O; seen killing a database connection during a burst of queries).
 */
public class RetainBlockHoundIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("java.util.ResourceBundle", "getBundle");
    builder.allowBlockingCallsInside(
        "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
    builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
  }
}
