/**
 * Executes client operations: fetch plans, subgraph calls behind their guards, result completion.
 */
@org.jspecify.annotations.NullMarked
package io.retain.gateway.execute;
