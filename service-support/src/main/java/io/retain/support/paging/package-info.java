/** Relay paging shared by every subgraph: one page-size cap, keyset positions as opaque cursors. */
@org.jspecify.annotations.NullMarked
package io.retain.support.paging;
