package io.retain.customer.profile;

import java.time.LocalDate;

/** A customer profile as stored; contact details are personal data. */
public record Customer(
    String id,
    String name,
    String kind,
    String industry,
    String size,
    String ageBand,
    String incomeBand,
    String region,
    LocalDate since,
    String valueTier,
    String accountManager,
    String status,
    String contactName,
    String phone,
    String email) {

  /** Reads a customer row selected with the profile columns. */
  public static Customer from(io.r2dbc.spi.Readable r) {
    return new Customer(
        r.get("id", String.class),
        r.get("name", String.class),
        r.get("kind", String.class),
        r.get("industry", String.class),
        r.get("size", String.class),
        r.get("age_band", String.class),
        r.get("income_band", String.class),
        r.get("region", String.class),
        r.get("since", LocalDate.class),
        r.get("value_tier", String.class),
        r.get("account_manager", String.class),
        r.get("status", String.class),
        r.get("contact_name", String.class),
        r.get("phone", String.class),
        r.get("email", String.class));
  }
}
