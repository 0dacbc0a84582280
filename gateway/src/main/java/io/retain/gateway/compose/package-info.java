/** Composes the supergraph from the subgraphs' federation SDL. */
@org.jspecify.annotations.NullMarked
package io.retain.gateway.compose;
