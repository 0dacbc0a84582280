/** Deterministic demo and benchmark data in the import formats. */
@org.jspecify.annotations.NullMarked
package io.retain.datagen;
