/** gateway: a generic federation engine; no domain types live here. */
package io.retain.gateway;
