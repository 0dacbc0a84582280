package io.retain.support.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * The scalars every subgraph uses: {@code Date} (ISO date, UTC), {@code DateTime} (ISO instant) and
 * {@code Long} (64-bit, for feed sequences). Bad literals are refused with what was expected.
 */
@AutoConfiguration
public class ScalarsAutoConfiguration {

  public static final GraphQLScalarType DATE =
      scalar(
          "Date",
          "An ISO-8601 calendar date in UTC, e.g. 2026-06-30.",
          LocalDate::parse,
          "an ISO date such as 2026-06-30");

  public static final GraphQLScalarType DATE_TIME =
      scalar(
          "DateTime",
          "An ISO-8601 instant in UTC, e.g. 2026-06-30T09:00:00Z.",
          s -> OffsetDateTime.parse(s).toInstant(),
          "an ISO instant such as 2026-06-30T09:00:00Z");

  public static final GraphQLScalarType LONG =
      GraphQLScalarType.newScalar()
          .name("Long")
          .description("A 64-bit integer (feed sequences).")
          .coercing(
              new Coercing<Long, Long>() {
                @Override
                public Long serialize(Object v, GraphQLContext c, Locale l) {
                  if (v instanceof Number n) {
                    return n.longValue();
                  }
                  throw new CoercingSerializeException("not a number: " + v);
                }

                @Override
                public Long parseValue(Object v, GraphQLContext c, Locale l) {
                  if (v instanceof Number n) {
                    return n.longValue();
                  }
                  try {
                    return Long.parseLong(String.valueOf(v));
                  } catch (NumberFormatException e) {
                    throw new CoercingParseValueException("expected a whole number, got " + v);
                  }
                }

                @Override
                public Long parseLiteral(
                    Value<?> v, CoercedVariables vars, GraphQLContext c, Locale l) {
                  if (v instanceof IntValue i) {
                    return i.getValue().longValueExact();
                  }
                  if (v instanceof StringValue s) {
                    return parseValue(s.getValue(), c, l);
                  }
                  throw new CoercingParseLiteralException("expected a whole number");
                }
              })
          .build();

  @Bean
  RuntimeWiringConfigurer retainScalars() {
    return wiring -> wiring.scalar(DATE).scalar(DATE_TIME).scalar(LONG);
  }

  private static <T> GraphQLScalarType scalar(
      String name, String description, Function<String, T> parse, String expected) {
    return GraphQLScalarType.newScalar()
        .name(name)
        .description(description)
        .coercing(
            new Coercing<T, String>() {
              @Override
              public String serialize(Object v, GraphQLContext c, Locale l) {
                if (v instanceof LocalDate || v instanceof Instant) {
                  return v.toString();
                }
                if (v instanceof OffsetDateTime o) {
                  return o.toInstant().toString();
                }
                if (v instanceof String s) {
                  return s;
                }
                throw new CoercingSerializeException("cannot serialize " + v + " as " + name);
              }

              @Override
              public T parseValue(Object v, GraphQLContext c, Locale l) {
                try {
                  return parse.apply(String.valueOf(v));
                } catch (DateTimeParseException e) {
                  throw new CoercingParseValueException(
                      "expected " + expected + ", got '" + v + "'");
                }
              }

              @Override
              public T parseLiteral(Value<?> v, CoercedVariables vars, GraphQLContext c, Locale l) {
                if (v instanceof StringValue s) {
                  try {
                    return parse.apply(s.getValue());
                  } catch (DateTimeParseException e) {
                    throw new CoercingParseLiteralException(
                        "expected " + expected + ", got '" + s.getValue() + "'");
                  }
                }
                throw new CoercingParseLiteralException("expected " + expected);
              }
            })
        .build();
  }
}
