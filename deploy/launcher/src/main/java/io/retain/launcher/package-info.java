/** Runs the suite locally and in end-to-end tests: PostgreSQL, databases, service processes. */
package io.retain.launcher;
