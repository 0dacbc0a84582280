/** Test support: a real PostgreSQL for every test, whatever the machine offers. */
package io.retain.testpg;
