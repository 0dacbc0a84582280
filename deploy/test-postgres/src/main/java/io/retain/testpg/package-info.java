/** Test support: a real PostgreSQL for every test, whatever the machine offers. */
@org.jspecify.annotations.NullMarked
package io.retain.testpg;
