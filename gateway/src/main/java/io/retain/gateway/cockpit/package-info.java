/** The cockpit: the retention team's web console, static files served at /cockpit/ with a CSP. */
@org.jspecify.annotations.NullMarked
package io.retain.gateway.cockpit;
