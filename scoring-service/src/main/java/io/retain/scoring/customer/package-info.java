/**
 * customer-service as scoring sees it: the Customer entity and the client for activity aggregates
 * and the change feed.
 */
@org.jspecify.annotations.NullMarked
package io.retain.scoring.customer;
