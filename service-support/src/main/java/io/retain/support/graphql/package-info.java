/** Subgraph GraphQL plumbing: federation, scalars, typed errors, cursors and the document cache. */
@org.jspecify.annotations.NullMarked
package io.retain.support.graphql;
