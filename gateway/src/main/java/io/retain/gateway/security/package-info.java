/** Bearer-token checks at the edge, before any planning. */
@org.jspecify.annotations.NullMarked
package io.retain.gateway.security;
