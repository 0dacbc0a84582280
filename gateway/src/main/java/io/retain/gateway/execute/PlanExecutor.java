package io.retain.gateway.execute;

import graphql.GraphQLError;
import graphql.language.OperationDefinition;
import io.retain.gateway.plan.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Runs a plan: root fetches, then one batched {@code _entities} request per subgraph per level. */
final class PlanExecutor {

  private final Function<String, SubgraphClient> clients;
  private final ResponseMerger merger;
  private final Representations representations;
  private final int entityBatchInFlight;

  /** One batcher per subgraph, shared by every request this engine runs. */
  private final Map<String, EntityBatcher> batchers = new ConcurrentHashMap<>();

  /**
   * @param abstractTypes interface and union names: an {@code @interfaceObject} graph answers
   *     {@code __typename} with the interface's name, which must not replace a concrete one
   * @param entityBatchInFlight {@link EntityBatcher}'s calls in flight per lane; 0 turns
   *     cross-request batching off
   */
  PlanExecutor(
      Function<String, SubgraphClient> clients,
      Set<String> abstractTypes,
      int entityBatchInFlight) {
    this.clients = clients;
    this.entityBatchInFlight = entityBatchInFlight;
    this.merger = new ResponseMerger(abstractTypes);
    this.representations = new Representations(abstractTypes);
  }

  /**
   * One execution: the client's operation, variables and token, the errors collected and the
   * response {@code data} being built. Every merge into {@code data} holds its lock (answers of one
   * level arrive concurrently and may fill the same object); other responses do not wait.
   */
  private record Run(
      OperationDefinition op,
      Map<String, Object> variables,
      String auth,
      List<GraphQLError> errors,
      Map<String, Object> data) {}

  private record Work(Step step, List<Anchor> anchors) {}

  /** Executes root steps (serially for mutations) and every entity level below them. */
  CompletableFuture<Map<String, Object>> execute(
      List<Step> roots,
      OperationDefinition op,
      Map<String, Object> variables,
      String auth,
      List<GraphQLError> errors,
      boolean serial) {
    Map<String, Object> data = Collections.synchronizedMap(new LinkedHashMap<>());
    Run run = new Run(op, variables, auth, errors, data);
    Anchor root = new Anchor(data, List.of());
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    List<CompletableFuture<Void>> parallel = new ArrayList<>();
    String opKw =
        op.getOperation() == OperationDefinition.Operation.MUTATION ? "mutation" : "query";
    for (Step s : roots) {
      String body = s.printedSelection();
      String doc = opKw + OperationVariables.definitions(op, body, "") + " " + body;
      Supplier<CompletableFuture<Void>> call =
          () ->
              clients
                  .apply(s.graph())
                  .execute(doc, OperationVariables.used(op, body, variables), auth)
                  .thenAccept(
                      resp -> {
                        synchronized (data) {
                          if (resp.get("data") instanceof Map<?, ?> m) {
                            merger.mergeAnswer(data, m, s.aliased());
                          }
                        }
                        ErrorPaths.addErrors(resp, errors, p -> p, ErrorPaths.rootPaths(s));
                      });
      if (serial) done = done.thenCompose(v -> call.get());
      else parallel.add(call.get());
    }
    CompletableFuture<Void> rootsDone =
        serial ? done : CompletableFuture.allOf(parallel.toArray(CompletableFuture[]::new));
    return rootsDone
        .thenCompose(
            v -> {
              List<Work> level = new ArrayList<>();
              for (Step s : roots)
                for (Step c : s.children()) level.add(new Work(c, List.of(root)));
              return runLevel(level, run);
            })
        .thenApply(v -> data);
  }

  /** One subscription event after its entity fields were filled in. */
  record Event(Map<String, Object> data, List<GraphQLError> errors) {}

  /**
   * Subscribes on the root step's subgraph and, for each event it sends, runs the entity levels
   * below (one batched {@code _entities} request per subgraph per level, as for a query), events in
   * order.
   */
  Flux<Event> subscribe(
      Step root, OperationDefinition op, Map<String, Object> variables, String auth) {
    String body = root.printedSelection();
    String doc = "subscription" + OperationVariables.definitions(op, body, "") + " " + body;
    return clients
        .apply(root.graph())
        .subscribe(doc, OperationVariables.used(op, body, variables), auth)
        .concatMap(
            resp -> {
              Map<String, Object> data = Collections.synchronizedMap(new LinkedHashMap<>());
              if (resp.get("data") instanceof Map<?, ?> m) {
                merger.mergeAnswer(data, m, root.aliased());
              }
              List<GraphQLError> errors = Collections.synchronizedList(new ArrayList<>());
              ErrorPaths.addErrors(resp, errors, p -> p, ErrorPaths.rootPaths(root));
              List<Work> level = new ArrayList<>();
              Anchor top = new Anchor(data, List.of());
              for (Step c : root.children()) level.add(new Work(c, List.of(top)));
              Run run = new Run(op, variables, auth, errors, data);
              return Mono.fromFuture(() -> runLevel(level, run))
                  .thenReturn(new Event(data, errors));
            });
  }

  /**
   * Runs a level and everything below it. Steps marked {@link Step#afterSiblings} wait until their
   * siblings' subtrees are done: those fill the fields their representations need.
   */
  private CompletableFuture<Void> runLevel(List<Work> level, Run run) {
    if (level.isEmpty()) return CompletableFuture.completedFuture(null);
    List<Work> now = new ArrayList<>();
    List<Work> later = new ArrayList<>();
    for (Work w : level) (w.step().afterSiblings() ? later : now).add(w);
    CompletableFuture<Void> first = fetchLevel(now, run).thenCompose(next -> runLevel(next, run));
    if (later.isEmpty()) return first;
    return first.thenCompose(v -> fetchLevel(later, run).thenCompose(next -> runLevel(next, run)));
  }

  /** One batched request per subgraph for a level's steps; gives the next level's work. */
  private CompletableFuture<List<Work>> fetchLevel(List<Work> level, Run run) {
    if (level.isEmpty()) return CompletableFuture.completedFuture(List.of());
    Map<String, List<EntitiesRequest.Part>> byGraph = new LinkedHashMap<>();
    for (Work w : level) {
      EntitiesRequest.Part part = representations.part(w.step(), w.anchors());
      if (part != null) {
        byGraph.computeIfAbsent(w.step().graph(), k -> new ArrayList<>()).add(part);
      }
    }
    List<CompletableFuture<List<Work>>> calls = new ArrayList<>();
    byGraph.forEach((graph, parts) -> calls.add(fetch(graph, new EntitiesRequest(parts), run)));
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<Work> next = new ArrayList<>();
              for (CompletableFuture<List<Work>> c : calls) next.addAll(c.join());
              return next;
            });
  }

  /** Sends one entities request, merges its answers into their objects, re-paths its errors. */
  private CompletableFuture<List<Work>> fetch(String graph, EntitiesRequest request, Run run) {
    EntityBatcher batcher =
        batchers.computeIfAbsent(
            graph,
            g ->
                new EntityBatcher(
                    (doc, vars, auth) -> clients.apply(g).execute(doc, vars, auth),
                    entityBatchInFlight));
    return batcher
        .execute(
            request.document(run.op()),
            request.variables(run.op(), run.variables()),
            request.representationVariables(),
            run.auth())
        .thenApply(
            resp -> {
              List<Work> next = new ArrayList<>();
              Map<String, Object> d =
                  resp.get("data") instanceof Map<?, ?> m ? ResponseMerger.cast(m) : Map.of();
              List<EntitiesRequest.Part> parts = request.parts();
              for (int i = 0; i < parts.size(); i++) {
                EntitiesRequest.Part part = parts.get(i);
                List<Anchor> ents = part.entities();
                List<?> results = EntitiesRequest.results(d, i);
                if (results != null) {
                  synchronized (run.data()) {
                    for (int j = 0; j < results.size() && j < ents.size(); j++) {
                      if (results.get(j) instanceof Map<?, ?> m) {
                        merger.mergeAnswer(ents.get(j).obj(), m, part.step().aliased());
                      }
                    }
                  }
                }
                for (Step c : part.step().children()) next.add(new Work(c, ents));
              }
              ErrorPaths.addErrors(
                  resp, run.errors(), request::clientPath, request.unavailablePaths());
              return next;
            });
  }
}
