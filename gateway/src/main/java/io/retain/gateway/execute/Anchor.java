package io.retain.gateway.execute;

import java.util.List;
import java.util.Map;

/** An object in the merged result together with its response path. */
record Anchor(Map<String, Object> obj, List<Object> path) {}
