package io.retain.customer;

import io.retain.support.test.SubgraphContractTests;

/** customer-service keeps the promises every subgraph makes. */
class SubgraphContractTest extends SubgraphContractTests {}
