package io.retain.retention.remote;

import java.time.LocalDate;
import java.util.List;

/** A customer's profile as served by customer-service's customerProfiles (docs/contracts.md). */
public record CustomerProfile(
    String id,
    String kind,
    String industry,
    String valueTier,
    String region,
    String status,
    LocalDate since,
    List<String> churnReasons) {}
