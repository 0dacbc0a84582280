/** Plumbing shared by the subgraphs: security, federation, errors. No domain types live here. */
package io.retain.support;
