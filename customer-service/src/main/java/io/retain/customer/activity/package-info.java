/** What other services read: activity aggregates, the change feed, profiles and outcomes. */
@org.jspecify.annotations.NullMarked
package io.retain.customer.activity;
