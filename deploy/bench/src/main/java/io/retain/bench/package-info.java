/**
 * Benchmarks run outside the build: import, rescoring, gateway, activity stream and the cancel
 * guard, each against its floor.
 */
@org.jspecify.annotations.NullMarked
package io.retain.bench;
