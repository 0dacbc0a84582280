/** Weight profiles as versioned data: validation, storage and assignment. */
@org.jspecify.annotations.NullMarked
package io.retain.scoring.profile;
