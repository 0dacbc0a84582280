/** gateway: a generic federation engine; no domain types live here. */
@org.jspecify.annotations.NullMarked
package io.retain.gateway;
