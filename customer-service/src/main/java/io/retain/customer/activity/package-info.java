/** What other services read: activity aggregates, the change feed, profiles and outcomes. */
package io.retain.customer.activity;
