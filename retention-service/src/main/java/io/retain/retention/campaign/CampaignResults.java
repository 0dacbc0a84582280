package io.retain.retention.campaign;

import java.time.LocalDate;
import java.util.List;

/**
 * A campaign's measured effect: treatment against holdout over [periodFrom, periodTo], and the
 * treatment group over that period against the equally long period before it.
 */
public record CampaignResults(
    LocalDate periodFrom,
    LocalDate periodTo,
    LocalDate beforeFrom,
    LocalDate beforeTo,
    List<Uplift> treatmentVsHoldout,
    List<Uplift> afterVsBefore) {}
