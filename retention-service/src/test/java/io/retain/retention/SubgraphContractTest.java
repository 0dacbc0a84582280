package io.retain.retention;

import io.retain.support.test.SubgraphContractTests;

/** retention-service keeps the promises every subgraph makes. */
class SubgraphContractTest extends SubgraphContractTests {}
