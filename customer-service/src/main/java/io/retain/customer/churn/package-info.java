/** Churn statistics and segment retention, computed set-based in PostgreSQL. */
@org.jspecify.annotations.NullMarked
package io.retain.customer.churn;
