package io.retain.retention.remote;

import java.util.List;

/** One page of a Relay connection of Customer entities, only their ids (customer and scoring). */
record IdPage(List<Edge> edges, PageInfo pageInfo) {

  record Edge(Node node) {}

  record Node(String id) {}

  record PageInfo(boolean hasNextPage, String endCursor) {}
}
