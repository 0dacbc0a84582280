/** Edge limits on operations: size, depth, aliases, complexity. */
@org.jspecify.annotations.NullMarked
package io.retain.gateway.limits;
