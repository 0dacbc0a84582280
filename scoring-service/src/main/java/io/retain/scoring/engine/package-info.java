/** The scoring engine: a pure function from activity aggregates and a profile to an assessment. */
@org.jspecify.annotations.NullMarked
package io.retain.scoring.engine;
