package io.retain.scoring;

import io.retain.support.test.SubgraphContractTests;

/** scoring-service keeps the promises every subgraph makes. */
class SubgraphContractTest extends SubgraphContractTests {}
