package io.retain.gateway;

import io.retain.gateway.compose.Composer;
import io.retain.gateway.document.DocumentCache;
import io.retain.gateway.execute.GatewayEngine;
import io.retain.gateway.execute.SubgraphClient;
import io.retain.gateway.execute.SubgraphGuards;
import io.retain.gateway.observe.GatewayTelemetry;
import io.retain.gateway.security.SubgraphToken;
import io.retain.gateway.supergraph.Supergraph;
import io.retain.gateway.supergraph.SupergraphSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/** Holds the current engine; loads the supergraph in the background and retries until it can. */
@Component("supergraph")
public class GatewayState implements HealthIndicator, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(GatewayState.class);

  private final GatewayProperties props;
  private final WebClient.Builder web;
  private final SubgraphGuards guards;
  private final DocumentCache documents;
  private final SubgraphToken subgraphToken;
  private final GatewayTelemetry telemetry;
  private final AtomicReference<GatewayEngine> engine = new AtomicReference<>();
  private final Map<String, SubgraphClient> clients = new ConcurrentHashMap<>();
  private volatile String lastError = "not loaded yet";
  private ScheduledExecutorService timer;

  public GatewayState(
      GatewayProperties props,
      WebClient.Builder web,
      SubgraphGuards guards,
      DocumentCache documents,
      SubgraphToken subgraphToken,
      GatewayTelemetry telemetry) {
    this.props = props;
    this.telemetry = telemetry;
    this.subgraphToken = subgraphToken;
    this.web = web;
    this.guards = guards;
    this.documents = documents;
  }

  /** The loaded engine, or null while none is loaded. */
  public GatewayEngine engine() {
    return engine.get();
  }

  /** Loads (or reloads) the supergraph now; keeps the previous engine on failure. */
  public synchronized void refresh() throws Exception {
    Supergraph sg;
    if (props.supergraph() != null && !props.supergraph().isBlank()) {
      sg = Supergraph.parse(SupergraphSource.read(props.supergraph()));
    } else {
      Map<String, String> active = new java.util.LinkedHashMap<>();
      props
          .subgraphs()
          .forEach(
              (k, v) -> {
                if (v != null && !v.isBlank()) active.put(k, v);
              });
      sg = Supergraph.parse(Composer.compose(active, subgraphToken.authorization()));
    }
    Supergraph loaded = sg;
    engine.set(
        new GatewayEngine(
            loaded, name -> client(loaded, name), documents, props.entityBatchInFlight()));
    lastError = null;
    log.info("supergraph loaded with subgraphs {}", sg.urls().keySet());
  }

  private SubgraphClient client(Supergraph sg, String graph) {
    String url = sg.urls().get(graph);
    return clients.computeIfAbsent(
        graph + "@" + url,
        k ->
            new SubgraphClient(
                sg.graphName(graph),
                url,
                web,
                guards,
                props.deduplicateInflight(),
                (int) Math.min(Integer.MAX_VALUE, props.maxSubgraphResponse().toBytes()),
                telemetry,
                props.subgraphHttp()));
  }

  @Override
  public Health health() {
    return engine.get() != null
        ? Health.up().build()
        : Health.outOfService().withDetail("reason", String.valueOf(lastError)).build();
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "supergraph-loader"));
    timer.execute(this::loadUntilLoaded);
    if (!props.refresh().isZero()) {
      long ms = props.refresh().toMillis();
      timer.scheduleWithFixedDelay(this::tryRefresh, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  private void loadUntilLoaded() {
    while (engine.get() == null && !timer.isShutdown()) {
      try {
        refresh();
      } catch (Composer.CompositionException e) {
        lastError = e.getMessage();
        log.error("supergraph composition failed: {}", e.getMessage());
        throw new IllegalStateException(e.getMessage(), e);
      } catch (Exception e) {
        lastError = e.toString();
        log.warn("supergraph not loaded yet: {}", e.toString());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void tryRefresh() {
    try {
      refresh();
    } catch (Exception e) {
      log.warn("supergraph refresh failed, keeping the previous one: {}", e.toString());
    }
  }

  @Override
  public void stop() {
    if (timer != null) timer.shutdownNow();
  }

  @Override
  public boolean isRunning() {
    return timer != null && !timer.isShutdown();
  }
}
