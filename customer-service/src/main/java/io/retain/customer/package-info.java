/** customer-service: profiles, activity records, import with quarantine, churn statistics. */
@org.jspecify.annotations.NullMarked
package io.retain.customer;
