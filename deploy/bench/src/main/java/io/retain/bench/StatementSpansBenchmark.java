package io.retain.bench;

import static io.retain.bench.PoolGuardBenchmark.run;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.proxy.ProxyConnectionFactory;
import io.r2dbc.proxy.observation.ObservationProxyExecutionListener;
import io.r2dbc.spi.ConnectionFactory;
import io.retain.bench.PoolGuardBenchmark.Round;
import io.retain.support.r2dbc.GuardedConnectionFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the R2DBC statement spans (ADR 0016: r2dbc-proxy's observation listener, now on by default
 * under the cancel guard) cost a read, side by side in one JVM on the same PostgreSQL, pools of 10
 * under the guard as in the services, one-row queries at concurrency 16:
 *
 * <ol>
 *   <li>{@code spans off}: the guard over the driver (as with {@code
 *       retain.tracing.database-spans=false});
 *   <li>{@code spans, unsampled}: the guard over the proxy, a tracer sampling nothing (the local
 *       default: a request without a sampled traceparent);
 *   <li>{@code spans, sampled}: the same, every statement recorded and handed to a batch exporter
 *       that drops it (a traced request, without the network);
 * </ol>
 *
 * rounds in the order A B C C B A. Then the sampled spans with one query in N cancelled while its
 * rows arrive: queries late (> 3 s) would mean the proxy kept the guard from recovering a
 * connection (as when Boot put the proxy over the guard, ADR 0016).
 */
public final class StatementSpansBenchmark {

  static final List<String> TARGETS = List.of("spans off", "spans, unsampled", "spans, sampled");

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2)
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "5"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "2"));
    int cancelEvery = Integer.parseInt(a.getOrDefault("cancel-every", "100"));
    Path out = Path.of(a.getOrDefault("out", "docs/benchmarks/statement-spans.md"));
    ConnectionFactory driver =
        new PostgresqlConnectionFactory(
            PostgresqlConnectionConfiguration.builder()
                .host(a.getOrDefault("host", "127.0.0.1"))
                .port(Integer.parseInt(a.getOrDefault("port", "5432")))
                .database("postgres")
                .username(a.getOrDefault("user", "postgres"))
                .password(a.getOrDefault("password", ""))
                .build());
    Duration check = Duration.ofSeconds(2);
    AtomicLong exported = new AtomicLong();
    Map<String, ConnectionFactory> targets = new LinkedHashMap<>();
    targets.put(TARGETS.get(0), new GuardedConnectionFactory(driver, check));
    targets.put(
        TARGETS.get(1),
        new GuardedConnectionFactory(spans(driver, Sampler.alwaysOff(), null), check));
    targets.put(
        TARGETS.get(2),
        new GuardedConnectionFactory(spans(driver, Sampler.alwaysOn(), exported), check));

    for (var t : targets.entrySet()) run(t.getKey(), t.getValue(), 16, 3, 0); // warm-up
    List<Round> plain = new ArrayList<>();
    List<String> order = new ArrayList<>(TARGETS);
    for (int i = TARGETS.size() - 1; i >= 0; i--) order.add(TARGETS.get(i));
    for (int r = 0; r < rounds; r++) {
      for (String target : order) {
        Round round = run(target, targets.get(target), 16, seconds, 0);
        plain.add(round);
        System.out.println(round);
      }
    }
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "%n## Run %s: concurrency 16, %d s rounds, pools of 10, %d cores%n%n"
                + "| target | rounds | queries/s | JVM CPU µs/query | PostgreSQL CPU µs/query |%n"
                + "|---|---:|---:|---:|---:|%n",
            Instant.now().toString().substring(0, 19),
            seconds,
            Runtime.getRuntime().availableProcessors()));
    for (String target : TARGETS) {
      List<Round> rs = plain.stream().filter(x -> x.target().equals(target)).toList();
      long answered = rs.stream().mapToLong(Round::answered).sum();
      report.append(
          String.format(
              "| %s | %d | %.0f | %.1f | %.1f |%n",
              target,
              rs.size(),
              PoolGuardBenchmark.rate(plain, target),
              sum(rs, Round::jvmCpu) * 1e6 / answered,
              sum(rs, Round::pgCpu) * 1e6 / answered));
    }
    double off = PoolGuardBenchmark.rate(plain, TARGETS.get(0));
    report.append(
        String.format(
            "%nthroughput ÷ spans off: unsampled **%.3f**, sampled **%.3f** (%d spans exported)%n",
            PoolGuardBenchmark.rate(plain, TARGETS.get(1)) / off,
            PoolGuardBenchmark.rate(plain, TARGETS.get(2)) / off,
            exported.get()));

    report.append(PoolGuardBenchmark.cancelsHeading(cancelEvery));
    Round round = run(TARGETS.get(2), targets.get(TARGETS.get(2)), 16, seconds * 2, cancelEvery);
    System.out.println(round + " with cancels");
    report.append(
        String.format(
            "| %s | %d | %.0f | %d |%n",
            round.target(), round.answered(), round.perSecond(), round.late()));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.println(report);
  }

  /**
   * Boot's proxy with its observation listener, over a registry as the services build it: a meter
   * handler and a tracing handler on an OpenTelemetry tracer with the given sampler.
   */
  static ConnectionFactory spans(
      ConnectionFactory under, Sampler sampler, AtomicLong exportedOrNull) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setSampler(Sampler.parentBased(sampler))
            .addSpanProcessor(BatchSpanProcessor.builder(dropping(exportedOrNull)).build())
            .build();
    OtelCurrentTraceContext context = new OtelCurrentTraceContext();
    OtelTracer tracer = new OtelTracer(provider.get("bench"), context, event -> {});
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()))
        .observationHandler(new DefaultTracingObservationHandler(tracer));
    ObservationProxyExecutionListener listener =
        new ObservationProxyExecutionListener(registry, under, "127.0.0.1", 5432);
    listener.setIncludeParameterValues(false);
    return ProxyConnectionFactory.builder(under).listener(listener).build();
  }

  static SpanExporter dropping(AtomicLong count) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        if (count != null) count.addAndGet(spans.size());
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
  }

  static double sum(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
    return rounds.stream().mapToDouble(f).sum();
  }

  private StatementSpansBenchmark() {}
}
