/** Plumbing shared by the subgraphs: security, federation, errors. No domain types live here. */
@org.jspecify.annotations.NullMarked
package io.retain.support;
