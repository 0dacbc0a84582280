/** Runs the suite locally and in end-to-end tests: PostgreSQL, databases, service processes. */
@org.jspecify.annotations.NullMarked
package io.retain.launcher;
