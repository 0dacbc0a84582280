/**
 * Tracing and logging defaults every subgraph shares (ADR 0016): the observation of a request
 * follows it across Reactor threads, spans sampled as the gateway decided (none of their own
 * locally), exported over OTLP when an endpoint is set, statements without parameter values, JSON
 * log lines in the production profile.
 */
@org.jspecify.annotations.NullMarked
package io.retain.support.observe;
