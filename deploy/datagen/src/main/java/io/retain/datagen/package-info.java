/** Deterministic demo and benchmark data in the import formats. */
package io.retain.datagen;
