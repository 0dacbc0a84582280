/**
 * What operators see of the gateway: one observation per client operation and one per subgraph
 * fetch (a span each when tracing samples, a timer each on {@code /actuator/prometheus}), errors by
 * subgraph and code, operation names bounded. The executor calls it at two seams only: the
 * operation in the HTTP handler and the fetch in {@code SubgraphClient}. See ADR 0016.
 */
@org.jspecify.annotations.NullMarked
package io.retain.gateway.observe;
