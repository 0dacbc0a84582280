/** Churn statistics and segment retention, computed set-based in PostgreSQL. */
package io.retain.customer.churn;
