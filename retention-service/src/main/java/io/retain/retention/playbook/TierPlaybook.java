package io.retain.retention.playbook;

import java.util.List;

/** The default strategy for every customer of a loyalty tier. */
public record TierPlaybook(
    String tier,
    String strategyEn,
    String strategyZh,
    List<String> departments,
    ExpectedEffect expectedEffect) {}
