package io.retain.testpg;

import java.util.LinkedHashMap;
import java.util.Map;

/** One throw-away database on a {@link PgServer}, dropped when the JVM exits. */
public record TestDatabase(PgServer server, String name) {

  public String jdbcUrl() {
    return server.jdbcUrl(name);
  }

  public String r2dbcUrl() {
    return server.r2dbcUrl(name);
  }

  public String user() {
    return server.user();
  }

  public String password() {
    return server.password();
  }

  /** Spring Boot properties that point R2DBC, Flyway and JDBC at this database. */
  public Map<String, Object> springProperties() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("spring.r2dbc.url", r2dbcUrl());
    p.put("spring.r2dbc.username", user());
    p.put("spring.r2dbc.password", password());
    p.put("spring.flyway.url", jdbcUrl());
    p.put("spring.flyway.user", user());
    p.put("spring.flyway.password", password());
    p.put("spring.datasource.url", jdbcUrl());
    p.put("spring.datasource.username", user());
    p.put("spring.datasource.password", password());
    // every test class keeps its own context (and pool) alive; keep pools small so a module's
    // test JVM stays far below PostgreSQL's connection limit
    p.put("spring.r2dbc.pool.initial-size", 1);
    p.put("spring.r2dbc.pool.max-size", 4);
    return p;
  }
}
