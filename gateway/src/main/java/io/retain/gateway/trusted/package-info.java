/** Which documents may run: automatic persisted queries, and a manifest-only production mode. */
@NullMarked
package io.retain.gateway.trusted;

import org.jspecify.annotations.NullMarked;
