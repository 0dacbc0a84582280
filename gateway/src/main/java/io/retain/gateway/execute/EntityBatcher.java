package io.retain.gateway.execute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cross-request batching of {@code _entities} calls to one subgraph (ADR 0017). Requests of
 * different clients that send the same entities document with the same client variables and the
 * same {@code Authorization} share a lane; while {@code maxInFlight} calls of a lane are out,
 * further requests queue, and when a call returns everything queued goes as ONE call whose
 * representation lists ({@code $r0}, {@code $r1}, …) are the queued requests' lists end to end.
 * Each caller gets its own slice of every answer list and the errors whose path points into its
 * slice; errors without such a path (a failed call, a request error) go to every caller of the
 * call.
 *
 * <p>A request whose variables equal those of a request already queued or out in its lane (the same
 * entities: many screens asking for the same list) joins that request instead of adding its
 * representations again, and gets its own copy of that request's answer: without this, identical
 * requests, which deduplication would have sent once, queued behind the first and went out as one
 * call of N copies (on the fixed benchmark mix, 0.58× the unbatched throughput).
 *
 * <p>No timer: a request waits only while its lane is busy, so an idle gateway sends at once and a
 * busy one sends fewer, larger calls (group commit). The document text stays the same whatever the
 * batch size, so the subgraph's document caches keep hitting.
 */
final class EntityBatcher {

  /** Sends one call: document, variables, authorization. */
  interface Sender {
    CompletableFuture<Map<String, Object>> send(
        String document, Map<String, Object> variables, String authorization);
  }

  /** The largest number of representations in one batched call, from all its callers. */
  static final int MAX_REPRESENTATIONS = 1000;

  private final Sender sender;
  private final int maxInFlight;
  private final ConcurrentHashMap<List<Object>, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * @param maxInFlight calls of one lane out at once; 0 sends every request alone (no batching)
   */
  EntityBatcher(Sender sender, int maxInFlight) {
    this.sender = sender;
    this.maxInFlight = maxInFlight;
  }

  /**
   * A request in a lane, and the identical requests that joined it ({@code joined}: changed only
   * under the lane's lock, read after it has left the lane). A class, not a record: a lane finds
   * its requests by identity, and two of them may carry equal variables once one has left.
   */
  private static final class Pending {
    private final Map<String, Object> variables;
    private final int size;
    private final CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
    private final List<CompletableFuture<Map<String, Object>>> joined = new ArrayList<>(0);

    Pending(Map<String, Object> variables, int size) {
      this.variables = variables;
      this.size = size;
    }

    Map<String, Object> variables() {
      return variables;
    }

    int size() {
      return size;
    }

    CompletableFuture<Map<String, Object>> answer() {
      return answer;
    }

    List<CompletableFuture<Map<String, Object>>> joined() {
      return joined;
    }

    void complete(Map<String, Object> result) {
      // every joined request gets its own copy: the executor merges into the maps it gets
      for (CompletableFuture<Map<String, Object>> j : joined) {
        j.complete(SubgraphClient.copy(result));
      }
      answer.complete(result);
    }

    void fail(Throwable error) {
      for (CompletableFuture<Map<String, Object>> j : joined) j.completeExceptionally(error);
      answer.completeExceptionally(error);
    }
  }

  /**
   * A lane's calls out (their requests in {@code sending}) and requests waiting; guarded by the
   * map's lock on its key.
   */
  private static final class Lane {
    int inFlight;
    List<Pending> sending = new ArrayList<>();
    List<Pending> queue = new ArrayList<>();

    /** The request out or waiting with these variables, or null. */
    Pending same(Map<String, Object> variables) {
      for (Pending p : sending) if (p.variables().equals(variables)) return p;
      for (Pending p : queue) if (p.variables().equals(variables)) return p;
      return null;
    }
  }

  /**
   * Sends or queues one entities request. {@code representations} names its representation
   * variables; every other variable is a client variable and part of the lane's key.
   */
  CompletableFuture<Map<String, Object>> execute(
      String document,
      Map<String, Object> variables,
      List<String> representations,
      String authorization) {
    if (maxInFlight <= 0) return sender.send(document, variables, authorization);
    Map<String, Object> others = new HashMap<>(variables);
    int size = 0;
    for (String r : representations) {
      others.remove(r);
      if (variables.get(r) instanceof List<?> l) size += l.size();
    }
    List<Object> key =
        List.of(document, others, authorization == null ? "" : authorization, representations);
    Pending mine = new Pending(variables, size);
    CompletableFuture<Map<String, Object>> joined = new CompletableFuture<>();
    boolean[] sendNow = {false};
    boolean[] join = {false};
    lanes.compute(
        key,
        (k, lane) -> {
          if (lane == null) lane = new Lane();
          Pending same = lane.same(variables);
          if (same != null) {
            same.joined().add(joined);
            join[0] = true;
          } else if (lane.inFlight < maxInFlight) {
            lane.inFlight++;
            lane.sending.add(mine);
            sendNow[0] = true;
          } else {
            lane.queue.add(mine);
          }
          return lane;
        });
    if (join[0]) return joined;
    if (sendNow[0]) send(key, List.of(mine));
    return mine.answer();
  }

  @SuppressWarnings("unchecked")
  private void send(List<Object> key, List<Pending> batch) {
    String document = (String) key.get(0);
    String authorization = (String) key.get(2);
    List<String> reps = (List<String>) key.get(3);
    CompletableFuture<Map<String, Object>> call;
    try {
      call =
          batch.size() == 1
              ? sender.send(document, batch.get(0).variables(), authorization)
              : sender.send(document, merged(batch, reps), authorization);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (resp, err) -> {
          // the next batch goes out before this one's callers merge their answers; from here on
          // nobody joins this batch's requests
          next(key, batch);
          for (int i = 0; i < batch.size(); i++) {
            if (err != null) batch.get(i).fail(err);
            else batch.get(i).complete(batch.size() == 1 ? resp : slice(resp, batch, i, reps));
          }
        });
  }

  /**
   * After a call: its requests leave the lane; sends what queued meanwhile (up to the cap), or
   * frees the lane's slot.
   */
  private void next(List<Object> key, List<Pending> done) {
    List<List<Pending>> taken = new ArrayList<>(1);
    lanes.computeIfPresent(
        key,
        (k, lane) -> {
          lane.sending.removeAll(done);
          if (lane.queue.isEmpty()) {
            lane.inFlight--;
            return lane.inFlight == 0 ? null : lane;
          }
          int n = 0;
          int total = 0;
          // at least one, then whole requests while under the cap
          while (n < lane.queue.size()
              && (n == 0 || total + lane.queue.get(n).size() <= MAX_REPRESENTATIONS)) {
            total += lane.queue.get(n).size();
            n++;
          }
          taken.add(new ArrayList<>(lane.queue.subList(0, n)));
          lane.sending.addAll(taken.get(0));
          lane.queue = new ArrayList<>(lane.queue.subList(n, lane.queue.size()));
          return lane;
        });
    if (!taken.isEmpty()) send(key, taken.get(0));
  }

  /** The batch's variables: the client variables, each representation list end to end. */
  private static Map<String, Object> merged(List<Pending> batch, List<String> reps) {
    Map<String, Object> out = new LinkedHashMap<>(batch.get(0).variables());
    for (String r : reps) {
      List<Object> all = new ArrayList<>();
      for (Pending p : batch) {
        if (p.variables().get(r) instanceof List<?> l) all.addAll(l);
      }
      out.put(r, all);
    }
    return out;
  }

  /**
   * Caller {@code i}'s answer: its slice of each answer list ({@code null} entries where the call
   * gave no list), the errors pointing into its slice with indexes made its own, and the errors
   * pointing nowhere.
   */
  static Map<String, Object> slice(
      Map<String, Object> resp, List<Pending> batch, int i, List<String> reps) {
    Map<String, Object> data =
        resp.get("data") instanceof Map<?, ?> d ? ResponseMerger.cast(d) : null;
    Map<String, int[]> ranges = new HashMap<>();
    Map<String, Object> mine = data == null ? null : new LinkedHashMap<>();
    for (String r : reps) {
      int from = 0;
      for (int j = 0; j < i; j++) from += listSize(batch.get(j).variables().get(r));
      int to = from + listSize(batch.get(i).variables().get(r));
      ranges.put(r, new int[] {from, to});
      if (mine != null && data.get(r) instanceof List<?> l && l.size() >= to) {
        mine.put(r, l.subList(from, to));
      } else if (mine != null) {
        mine.put(r, null);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (data != null || resp.containsKey("data")) out.put("data", mine);
    if (resp.get("errors") instanceof List<?> errors) {
      List<Object> kept = new ArrayList<>();
      for (Object o : errors) {
        Object e = errorFor(o, ranges);
        if (e != null) kept.add(e);
      }
      if (!kept.isEmpty()) out.put("errors", kept);
    }
    return out;
  }

  /** The error as caller with these ranges sees it, or null when it is another caller's. */
  private static Object errorFor(Object o, Map<String, int[]> ranges) {
    if (!(o instanceof Map<?, ?> m)
        || !(m.get("path") instanceof List<?> p)
        || p.size() < 2
        || !(p.get(0) instanceof String alias)
        || !ranges.containsKey(alias)
        || !(p.get(1) instanceof Number n)) {
      return o;
    }
    int[] range = ranges.get(alias);
    if (n.intValue() < range[0] || n.intValue() >= range[1]) return null;
    List<Object> path = new ArrayList<>(p);
    path.set(1, n.intValue() - range[0]);
    Map<String, Object> copy = new LinkedHashMap<>(ResponseMerger.cast(m));
    copy.put("path", path);
    return copy;
  }

  private static int listSize(Object o) {
    return o instanceof List<?> l ? l.size() : 0;
  }
}
