/** The federated Customer entity as retention-service extends it. */
@org.jspecify.annotations.NullMarked
package io.retain.retention.customer;
