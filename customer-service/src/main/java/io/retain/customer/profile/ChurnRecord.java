package io.retain.customer.profile;

import java.time.LocalDate;
import java.util.List;

/** A customer's churn record, if any. */
record ChurnRecord(
    LocalDate churnedAt,
    String type,
    String causeClass,
    List<String> reasons,
    LocalDate wonBackAt) {}
