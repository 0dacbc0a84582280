package io.retain.support.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.observation.ObservationRegistry;
import io.retain.support.events.EventBatchHandler;
import io.retain.support.events.EventCodec;
import io.retain.support.events.PositionWriter;
import io.retain.support.test.TestKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events per second from an outbox to a consumer's database, HTTP feed against Kafka, in one run on
 * one machine (deploy/bench/events-bench; skipped unless {@code -Devents.bench=true}). Both
 * transports deliver the same outbox rows to the same consumer logic ({@link EventsDatabase}: one
 * transaction per batch storing the position), once with no effect but the position (the
 * transport's own cost) and once with two row writes per event. The feed is a page of JSON over
 * HTTP read after a cursor (as customer-service's activityChanges, without GraphQL); Kafka is the
 * relay, a 6-partition topic and one consumer.
 */
@EnabledIfSystemProperty(named = "events.bench", matches = "true")
class EventTransportBenchmark {

  static final int PAGE = 1000;
  final JsonMapper json = JsonMapper.builder().build();

  @Test
  void eventsPerSecondThroughTheHttpFeedAndThroughKafka() throws Exception {
    int n = Integer.getInteger("events.bench.n", 20_000);
    int withEffects = Integer.getInteger("events.bench.effects", 5_000);
    try (TestKafka kafka = TestKafka.start();
        EventsDatabase data = new EventsDatabase("events_bench")) {
      data.db
          .sql("create table feed_cursor (name text primary key, position bigint not null)")
          .then()
          .block();
      List<String> rows = new ArrayList<>();
      for (boolean effects : new boolean[] {false, true}) {
        int count = effects ? withEffects : n;
        data.reset();
        data.db.sql("truncate feed_cursor").then().block();
        data.db
            .sql(
                "insert into outbox (customer_id, amount) select 'c' || (g % 1000), g % 7 + 1"
                    + " from generate_series(1, $1) g")
            .bind(0, count)
            .then()
            .block();
        EventBatchHandler<Moved> handler =
            effects
                ? data.handler("bench")
                : (events, position) -> data.tx.transactional(position.through(events.size() - 1));
        double feed = feed(data, handler, count);
        Map<String, Long> feedState = data.totals();
        data.db.sql("truncate effect, total, kafka_offset").then().block();
        double viaKafka = kafka(kafka, data, handler, count, effects ? "fx" : "bare");
        assertThat(data.totals()).isEqualTo(feedState);
        rows.add(
            String.format(
                Locale.ROOT,
                "| %s | %d | %.0f | %.0f | %.2f |",
                effects ? "2 row writes per event" : "position only",
                count,
                feed,
                viaKafka,
                viaKafka / feed));
      }
      System.out.println(
          "\n| consumer logic | events | HTTP feed events/s | Kafka events/s | Kafka / feed |\n"
              + "|---|---|---|---|---|\n"
              + String.join("\n", rows));
    }
  }

  /** Pages of JSON after a cursor over HTTP, applied with the cursor saved in their transaction. */
  private double feed(EventsDatabase data, EventBatchHandler<Moved> handler, int count)
      throws IOException, InterruptedException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/feed",
        exchange -> {
          long after = Long.parseLong(exchange.getRequestURI().getQuery().split("=")[1]);
          List<Moved> page =
              data.db
                  .sql(
                      "select seq, customer_id, amount from outbox where seq > $1 order by seq"
                          + " limit $2")
                  .bind(0, after)
                  .bind(1, PAGE)
                  .map(
                      (r, m) ->
                          new Moved(
                              1,
                              r.get("seq", Long.class),
                              r.get("customer_id", String.class),
                              r.get("amount", Integer.class)))
                  .all()
                  .collectList()
                  .block();
          byte[] body = EventCodec.write(page).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/feed?after=";
    long t0 = System.nanoTime();
    long cursor = 0;
    int applied = 0;
    try {
      while (true) {
        String body =
            http.send(
                    HttpRequest.newBuilder(URI.create(base + cursor)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        List<Moved> page = json.readValue(body, new TypeReference<List<Moved>>() {});
        if (page.isEmpty()) {
          break;
        }
        PositionWriter position =
            i ->
                data.db
                    .sql(
                        "insert into feed_cursor values ('bench', $1)"
                            + " on conflict (name) do update set position = excluded.position")
                    .bind(0, page.get(i).seq())
                    .then();
        handler.apply(page, position).block();
        cursor = page.get(page.size() - 1).seq();
        applied += page.size();
      }
    } finally {
      server.stop(0);
    }
    assertThat(applied).isEqualTo(count);
    return count / ((System.nanoTime() - t0) / 1e9);
  }

  /** The relay publishing the outbox while one consumer of a 6-partition topic applies it. */
  private double kafka(
      TestKafka kafka,
      EventsDatabase data,
      EventBatchHandler<Moved> handler,
      int count,
      String run) {
    String topic = "bench-" + run;
    kafka.createTopic(topic, 6);
    OutboxRelay relay =
        new OutboxRelay(
            topic,
            data.outbox(),
            kafka.template(),
            data.db,
            data.tx,
            PAGE,
            Duration.ofMillis(50),
            ObservationRegistry.NOOP);
    var listener =
        new KafkaEventListener<>(
            Moved.CODEC,
            handler,
            new OffsetStore(data.db, "bench-" + run),
            kafka.template(),
            Duration.ofMinutes(2));
    ConcurrentMessageListenerContainer<String, String> consumer =
        KafkaEvents.container(
            kafka.consumers(PAGE), topic, "bench-" + run, 1, listener, Duration.ofMillis(200));
    consumer.start();
    // the group joined before the clock starts: the join is a one-off, not a per-event cost
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                consumer.getAssignedPartitions() != null
                    && !consumer.getAssignedPartitions().isEmpty());
    long t0 = System.nanoTime();
    relay.start();
    try {
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> data.storedOffsets("bench-" + run) == count);
      return count / ((System.nanoTime() - t0) / 1e9);
    } finally {
      relay.stop();
      consumer.stop();
    }
  }
}
