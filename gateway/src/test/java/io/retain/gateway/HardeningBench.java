package io.retain.gateway;

import io.retain.gateway.document.DocumentCache;
import io.retain.gateway.document.ParserLimits;
import io.retain.gateway.execute.GatewayEngine;
import io.retain.gateway.limits.Bombs;
import io.retain.gateway.limits.QueryLimits;
import io.retain.gateway.supergraph.Supergraph;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The numbers in docs/benchmarks/gateway-hardening.md, one JVM, no subgraphs: {@code bomb} times
 * the limit check of the fragment-spread bomb (thread CPU); {@code heap <supergraph> <n>} runs n
 * unique 60 KB documents through the limits and the engine and prints the heap after GC. Run with
 * the module's test classpath, e.g. {@code java -Xmx768m -cp <cp> io.retain.gateway.HardeningBench
 * heap gateway/src/test/resources/supergraph/catalog.graphql 1000}.
 */
public final class HardeningBench {

  private HardeningBench() {}

  public static void main(String[] args) throws Exception {
    DocumentCache cache = new DocumentCache(ParserLimits.defaults(), 64L << 20);
    QueryLimits limits = new QueryLimits(QueryLimits.Limits.defaults(), cache);
    if (args[0].equals("bomb")) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      for (int n : new int[] {12, 14, 16, 20, 24}) {
        String q = Bombs.bomb(n);
        long before = threads.getCurrentThreadCpuTime();
        var v = limits.check(q, null, Map.of());
        long ns = threads.getCurrentThreadCpuTime() - before;
        System.out.printf(
            "n=%d bytes=%d cpu=%.1f ms %s%n",
            n, q.length(), ns / 1e6, v.map(x -> x.code() + " " + x.actual()).orElse("accepted"));
      }
      return;
    }
    GatewayEngine engine =
        new GatewayEngine(Supergraph.parse(Files.readString(Path.of(args[1]))), n -> null, cache);
    int docs = Integer.parseInt(args[2]);
    var memory = ManagementFactory.getMemoryMXBean();
    for (int d = 0; d < docs; d++) {
      StringBuilder b = new StringBuilder("{ a" + d + ": __typename");
      while (b.length() < 60_000) b.append(" __typename");
      String q = b.append(" }").toString();
      if (limits.check(q, null, Map.of()).isPresent()) throw new IllegalStateException("refused");
      if (!engine.execute(q, null, Map.of(), null).get().getErrors().isEmpty()) {
        throw new IllegalStateException("errors");
      }
      if ((d + 1) % 250 == 0) {
        System.gc();
        long used = memory.getHeapMemoryUsage().getUsed() >> 20;
        System.out.printf(
            "docs=%d heap after GC=%d MB, cache estimate %d MB%n",
            d + 1, used, cache.weightedBytes() >> 20);
      }
    }
  }
}
