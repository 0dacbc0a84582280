package io.retain.customer.activity;

import java.time.LocalDate;
import java.util.List;

/** Profile fields other services decide by. */
record CustomerProfile(
    String id,
    String kind,
    String industry,
    String valueTier,
    String region,
    String status,
    LocalDate since,
    List<String> churnReasons) {}
