/** The parsed supergraph: subgraph URLs, field ownership, entity keys, the client-facing schema. */
@org.jspecify.annotations.NullMarked
package io.retain.gateway.supergraph;
