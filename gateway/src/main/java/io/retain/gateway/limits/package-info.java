/** Edge limits on operations: size, depth, aliases, complexity. */
package io.retain.gateway.limits;
