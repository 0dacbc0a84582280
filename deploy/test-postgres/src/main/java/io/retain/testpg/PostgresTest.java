package io.retain.testpg;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Spring test class that needs PostgreSQL: the context gets a fresh database of its own
 * (R2DBC, Flyway and JDBC properties point at it), created before the context starts and dropped at
 * JVM exit.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface PostgresTest {}
