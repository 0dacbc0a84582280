package io.retain.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retain.launcher.DemoLoader;
import io.retain.launcher.LocalKafka;
import io.retain.launcher.ServiceSpec;
import io.retain.support.events.kafka.KafkaEvents;
import io.retain.support.security.Role;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Issue #22: every service safe at two replicas. Suites on the same demo data, one after the other:
 * a reference with one instance of each service, and one with two replicas of scoring- and
 * retention-service and two gateways. Each runs a full rescoring (as of a later date, so tiers drop
 * and warnings flow to retention's plans) and drains its feeds. In the replicated suite the
 * rescoring is started on both scoring replicas (the second is refused, JOB_RUNNING), then the
 * replica running it and the holder of retention's warning-feed lease are killed with SIGKILL while
 * a client keeps asking the README's query through both gateways; the job is started again on the
 * survivor. The end state must equal the reference: the same scores, tiers, warnings and plans,
 * none doubled, none missing, and no client request failed. A third suite does the same with the
 * events on Kafka (consumer groups instead of leases), compared with the same reference.
 */
class ReplicasEndToEndTest {

  private static final Logger log = LoggerFactory.getLogger(ReplicasEndToEndTest.class);
  static final int CUSTOMERS = 1000;
  static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
  // later than the data: recency grows, tiers drop, warnings are raised and plans opened
  static final LocalDate RESCORE_AS_OF = TODAY.plusDays(120);

  /** Short leases and job watchdog so that failover happens within seconds, not 30 s. */
  static final Map<String, String> ENV =
      Map.of(
          "RETAIN_JAVA_OPTS", "-XX:+UseSerialGC -Xmx384m -XX:TieredStopAtLevel=1",
          "RETAIN_JOBS_LEASE_TTL", "10s",
          "RETAIN_JOBS_LEASE_RENEW_EVERY", "2s",
          "RETAIN_SCORING_JOBS_STALE_AFTER", "12s",
          "WARNING_FEED_POLL_INTERVAL", "1s");

  static final String START_JOB =
      """
      mutation($asOf: Date!) { startRescoringJob(input: {asOf: $asOf}) {
        job { id status } errors { code message runningJobId } } }
      """;
  static final String JOB = "query($id: ID!) { rescoringJob(id: $id) { status scored error } }";

  /** The state of the 1-replica reference run, by query: computed once for both replica runs. */
  private static final Map<String, List<String>> expected = new LinkedHashMap<>();

  @BeforeAll
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  static void referenceRunWithOneInstanceOfEach() throws Exception {
    // one suite after the other: eleven JVMs at once do not start on a 2-core machine
    try (RunningSuite ref = suite("replicas_ref", ENV, Map.of("gateway", 0))) {
      // the reference: the import's change feed read, one full rescoring, feeds drained. The
      // rescoring starts after the change feed is read in every suite: a feed page scored as of
      // today after the rescoring's later date would make the order of the two matter
      awaitDrained(ref);
      String refJob = startJob(ref, "scoring-service").get("job").get("id").asString();
      awaitJob(ref, "scoring-service", refJob, "SUCCEEDED");
      awaitDrained(ref);
      for (String[] q : STATE) expected.put(q[1], rows(ref, q[0], q[1]));
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void twoReplicasWithOneOfEachKilledMidRunEndInTheStateOfOneReplica() throws Exception {
    try (RunningSuite rep =
        suite(
            "replicas", ENV, Map.of("scoring-service", 2, "retention-service", 2, "gateway", 2))) {
      // the replicated suite: a client keeps asking through both gateways all along
      Traffic traffic = new Traffic(rep);
      Thread client = new Thread(traffic, "gateway-client");
      client.start();
      try {
        awaitDrained(rep);
        // the job runs on the first scoring instance, the first URL in retention's SCORING_URL:
        // once it is killed, retention's warning-feed calls must go to the other (ADR 0023)
        JsonNode first = startJob(rep, "scoring-service");
        String job = first.get("job").get("id").asString();
        JsonNode second = startJob(rep, "scoring-service-2");
        // asserted: the second start is refused with a clear error naming the running job
        assertThat(second.get("job").isNull()).isTrue();
        assertThat(second.get("errors").get(0).get("code").asString()).isEqualTo("JOB_RUNNING");
        assertThat(second.get("errors").get(0).get("runningJobId").asString()).isEqualTo(job);

        awaitJob(rep, "scoring-service", job, "RUNNING");
        String warningFeedHolder =
            value(
                rep,
                "retention",
                "select owner from job_lease where name = 'retention.warning-feed'");
        // the replica running the rescoring dies, with the holder of retention's warning feed
        rep.suite.kill("scoring-service");
        rep.suite.kill(warningFeedHolder);
        log.info(
            "Killed scoring-service during job {} and {} (warning-feed lease)",
            job,
            warningFeedHolder);
        long sentAtKill = traffic.sent.get();
        finishOnSurvivor(rep, job, "scoring-service-2");
        awaitDrained(rep);
        // the other retention replica took the warning feed over
        assertThat(
                value(
                    rep,
                    "retention",
                    "select owner from job_lease where name = 'retention.warning-feed'"))
            .isNotEqualTo(warningFeedHolder);
        await().atMost(Duration.ofMinutes(1)).until(() -> traffic.sent.get() > sentAtKill + 20);
      } finally {
        traffic.stop.set(true);
        client.join(TimeUnit.SECONDS.toMillis(90));
      }
      log.info("Gateway client: {} requests, failures {}", traffic.sent.get(), traffic.failures);
      assertThat(traffic.failures).as("failed gateway requests").isEmpty();

      assertSameStateAsReference(rep);
    }
  }

  /**
   * The same under {@code RETAIN_EVENTS=kafka} (ADR 0007, 0023): an embedded KRaft broker, both
   * scoring replicas in the {@code scoring-rescoring} consumer group and both retention replicas in
   * {@code retention-plan-opener}. The rescoring runs on the first scoring instance; once it runs,
   * it and the first retention instance are killed with SIGKILL while warnings flow through the
   * topic. Each group then rebalances (asserted: one member left) and the survivors read the dead
   * replicas' partitions from the offsets in their databases. The end state must equal the
   * 1-replica reference (which ran on the HTTP feeds): the transport and the replicas change
   * nothing.
   */
  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void underKafkaConsumerGroupsWithOneReplicaOfEachKilledEndInTheStateOfOneReplica()
      throws Exception {
    try (LocalKafka kafka = LocalKafka.start(Map.of("RETAIN_EVENTS", "kafka"));
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      Map<String, String> env = new LinkedHashMap<>(ENV);
      env.putAll(kafka.serviceEnv());
      // a killed consumer leaves its group after 6 s (the broker's minimum), not Kafka's 45 s
      env.put(
          "SPRING_APPLICATION_JSON",
          "{\"spring\":{\"kafka\":{\"consumer\":{\"properties\":"
              + "{\"session.timeout.ms\":\"6000\",\"heartbeat.interval.ms\":\"1000\"}}}}}");
      try (RunningSuite rep =
          suite(
              "replicas_kafka",
              env,
              Map.of("scoring-service", 2, "retention-service", 2, "gateway", 0))) {
        KafkaDrain drained = new KafkaDrain(rep, admin);
        drained.await();
        awaitMembers(admin, SCORING_GROUP, 2);
        awaitMembers(admin, RETENTION_GROUP, 2);

        String job = startJob(rep, "scoring-service").get("job").get("id").asString();
        awaitJob(rep, "scoring-service", job, "RUNNING");
        rep.suite.kill("scoring-service");
        rep.suite.kill("retention-service");
        log.info("Killed scoring-service during job {} and retention-service", job);
        // the groups notice within the session timeout; the survivors own every partition
        awaitMembers(admin, SCORING_GROUP, 1);
        awaitMembers(admin, RETENTION_GROUP, 1);
        finishOnSurvivor(rep, job, "scoring-service-2");
        drained.await();
        assertSameStateAsReference(rep);
      }
    }
  }

  static final String SCORING_GROUP = "scoring-rescoring";
  static final String RETENTION_GROUP = "retention-plan-opener";

  /**
   * After the replica running {@code job} was killed: the {@code survivor}'s watchdog marks the job
   * interrupted (or it had just finished: 1,000 customers rescore in seconds); an interrupted job
   * is started again on the survivor and awaited.
   */
  private static void finishOnSurvivor(RunningSuite s, String job, String survivor)
      throws Exception {
    JsonNode ended = awaitEnd(s, survivor, job);
    log.info("Job {} after the kill: {}", job, ended);
    if (ended.get("status").asString().equals("FAILED")) {
      assertThat(ended.get("error").asString()).startsWith("interrupted");
      String again = startJob(s, survivor).get("job").get("id").asString();
      awaitJob(s, survivor, again, "SUCCEEDED");
    } else {
      assertThat(ended.get("status").asString()).isEqualTo("SUCCEEDED");
    }
  }

  /** The reference's rows in every table compared; no warning and no plan stored twice. */
  private static void assertSameStateAsReference(RunningSuite rep) throws Exception {
    for (String[] q : STATE) {
      assertThat(expected.get(q[1])).as(q[1]).isNotEmpty();
      assertThat(rows(rep, q[0], q[1])).as(q[1]).containsExactlyElementsOf(expected.get(q[1]));
    }
    assertThat(
            rows(
                rep,
                "scoring",
                "select customer_id, as_of, count(*) from warning group by 1, 2, from_tier, to_tier having count(*) > 1"))
        .as("warnings stored twice")
        .isEmpty();
    assertThat(
            rows(
                rep,
                "retention",
                "select warning_seq, count(*) from action_plan where warning_seq is not null group by 1, problem_code having count(*) > 1"))
        .as("plans opened twice for one warning")
        .isEmpty();
  }

  /** Waits until the consumer group has this many members (a dead one leaves after its session). */
  private static void awaitMembers(Admin admin, String group, int members) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(
                        admin
                            .describeConsumerGroups(List.of(group))
                            .all()
                            .get(10, TimeUnit.SECONDS)
                            .get(group)
                            .members())
                    .as("members of %s", group)
                    .hasSize(members));
  }

  /**
   * Under Kafka, drained means: each relay has published its whole outbox, and each consumer group
   * has applied every record of its topic (the offsets in its database are the broker's end
   * offsets, partition by partition).
   */
  record KafkaDrain(RunningSuite s, Admin admin) {

    void await() {
      eventually(
          () -> {
            assertRelayed("customer", KafkaEvents.CUSTOMER_ACTIVITY_CHANGED, "activity_change");
            assertRelayed("scoring", KafkaEvents.LOYALTY_WARNING_RAISED, "warning");
            assertThat(applied("scoring", SCORING_GROUP, KafkaEvents.CUSTOMER_ACTIVITY_CHANGED))
                .isEqualTo(endOffsets(KafkaEvents.CUSTOMER_ACTIVITY_CHANGED));
            assertThat(applied("retention", RETENTION_GROUP, KafkaEvents.LOYALTY_WARNING_RAISED))
                .isEqualTo(endOffsets(KafkaEvents.LOYALTY_WARNING_RAISED));
          });
    }

    /** The relay of {@code db} has published every row of its outbox table to the topic. */
    void assertRelayed(String db, String topic, String outbox) throws Exception {
      assertThat(
              value(
                  s,
                  db,
                  "select coalesce(max(position), 0) from outbox_relay where topic = '"
                      + topic
                      + "'"))
          .as("%s relayed to %s", outbox, topic)
          .isEqualTo(value(s, db, "select coalesce(max(seq), 0) from " + outbox));
    }

    int partitions(String topic) throws Exception {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(10, TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .size();
    }

    /** Partition → the broker's end offset; partitions with no record left out. */
    Map<Integer, Long> endOffsets(String topic) throws Exception {
      Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
      for (int p = 0; p < partitions(topic); p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<Integer, Long> out = new TreeMap<>();
      admin
          .listOffsets(request)
          .all()
          .get(10, TimeUnit.SECONDS)
          .forEach(
              (tp, info) -> {
                if (info.offset() > 0) out.put(tp.partition(), info.offset());
              });
      return out;
    }

    /** Partition → the next offset the group reads, from the consumer's own database. */
    Map<Integer, Long> applied(String db, String group, String topic) throws Exception {
      Map<Integer, Long> out = new TreeMap<>();
      for (String row :
          rows(
              s,
              db,
              "select partition, next_offset from kafka_offset where consumer = '"
                  + group
                  + "' and topic = '"
                  + topic
                  + "' and next_offset > 0")) {
        String[] c = row.split(" \\| ");
        out.put(Integer.parseInt(c[0]), Long.parseLong(c[1]));
      }
      return out;
    }
  }

  /** The state compared, per database, in a stable order (sequence numbers left out). */
  static final String[][] STATE = {
    {
      "scoring",
      "select customer_id, as_of, score, tier, risk_codes from assessment_latest order by 1"
    },
    {"scoring", "select customer_id, as_of, score, tier from assessment_history order by 1, 2"},
    {
      "scoring",
      "select customer_id, as_of, from_tier, to_tier, score_before, score_after, reasons from warning"
          + " order by 1, 2, 3, 4, 5, 6, 7"
    },
    {
      "retention",
      "select customer_id, tier, problem_code, source, status from action_plan order by 1, 2, 3, 4, 5"
    },
  };

  private static RunningSuite suite(
      String name, Map<String, String> env, Map<String, Integer> replicas) {
    AtomicBoolean imported = new AtomicBoolean();
    try {
      RunningSuite s =
          new RunningSuite(
              name,
              env,
              replicas,
              suite -> {
                Path dir = RunningSuite.ROOT.resolve("deploy/e2e/target/demo-data-" + name);
                DemoLoader.importData(suite, dir, CUSTOMERS, TODAY);
                imported.set(true);
              });
      if (!imported.get()) {
        s.close();
        throw new IllegalStateException("the demo data was not imported into " + name);
      }
      return s;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode startJob(RunningSuite s, String instance) throws Exception {
    JsonNode r = graphql(s, instance, START_JOB, Map.of("asOf", RESCORE_AS_OF.toString()));
    return r.get("data").get("startRescoringJob");
  }

  /** Waits for the job's status; a different final status fails at once. */
  private static void awaitJob(RunningSuite s, String instance, String id, String status)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    String now = null;
    while (System.nanoTime() < deadline) {
      JsonNode job = graphql(s, instance, JOB, Map.of("id", id)).at("/data/rescoringJob");
      now = job.get("status").asString();
      if (now.equals(status)) return;
      if (!now.equals("QUEUED") && !now.equals("RUNNING")) {
        throw new AssertionError("job " + id + " ended " + job + " while waiting for " + status);
      }
      Thread.sleep(200); // polling the job's status, bounded by the deadline above
    }
    throw new AssertionError("job " + id + " still " + now + " after 4 min, expected " + status);
  }

  /** The job once it is neither QUEUED nor RUNNING. */
  private static JsonNode awaitEnd(RunningSuite s, String instance, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (System.nanoTime() < deadline) {
      JsonNode job = graphql(s, instance, JOB, Map.of("id", id)).at("/data/rescoringJob");
      String now = job.get("status").asString();
      if (!now.equals("QUEUED") && !now.equals("RUNNING")) return job;
      Thread.sleep(200); // polling the job's status, bounded by the deadline above
    }
    throw new AssertionError("job " + id + " still running 4 min after its replica was killed");
  }

  /** Polls {@code check} until it passes, 4 minutes at most. */
  static void eventually(org.awaitility.core.ThrowingRunnable check) {
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).untilAsserted(check);
  }

  /** Scoring has read customer-service's whole change feed and retention scoring's warnings. */
  private static void awaitDrained(RunningSuite s) {
    eventually(
        () -> {
          assertThat(
                  value(
                      s,
                      "scoring",
                      "select position from feed_cursor where name = 'customer-activity'"))
              .isEqualTo(value(s, "customer", "select coalesce(max(seq), 0) from activity_change"));
          assertThat(
                  value(
                      s,
                      "retention",
                      "select last_seq from feed_cursor where feed = 'scoring.warningFeed'"))
              .isEqualTo(value(s, "scoring", "select coalesce(max(seq), 0) from warning"));
        });
  }

  /** POSTs to one instance directly (not through a gateway) with an ADMIN token. */
  private static JsonNode graphql(
      RunningSuite s, String instance, String query, Map<String, Object> variables)
      throws Exception {
    ServiceSpec target = s.suite.service(instance);
    JsonNode r =
        RunningSuite.JSON.readTree(
            s.post(
                    target.id(),
                    "/graphql",
                    s.token(Role.ADMIN),
                    "application/json",
                    RunningSuite.JSON.writeValueAsString(
                        Map.of("query", query, "variables", variables)))
                .body());
    assertThat(r.get("errors")).as("errors from %s: %s", instance, r).isNull();
    return r;
  }

  private static String value(RunningSuite s, String db, String sql) throws Exception {
    List<String> r = rows(s, db, sql);
    return r.isEmpty() ? null : r.get(0);
  }

  /** Each row as its columns joined with " | ". */
  static List<String> rows(RunningSuite s, String db, String sql) throws Exception {
    String database = s.suite.service(db + "-service").database();
    List<String> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(s.pg.jdbcUrl(database), s.pg.user(), s.pg.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          if (i > 1) b.append(" | ");
          b.append(rs.getString(i));
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  /** The README's query through both gateways in turn until stopped; failures kept. */
  static final class Traffic implements Runnable {
    final RunningSuite suite;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong sent = new AtomicLong();
    final Map<Long, String> failures = new ConcurrentHashMap<>();
    final AtomicInteger next = new AtomicInteger();

    Traffic(RunningSuite suite) {
      this.suite = suite;
    }

    @Override
    public void run() {
      List<ServiceSpec> gateways = suite.suite.replicas("gateway");
      String token = suite.token(Role.ADMIN);
      while (!stop.get()) {
        ServiceSpec gw = gateways.get(next.getAndIncrement() % gateways.size());
        long n = sent.incrementAndGet();
        try {
          var r =
              suite.graphqlResponse(
                  gw.id(), token, WorkedExampleEndToEndTest.ONE_REQUEST, Map.of());
          JsonNode body = RunningSuite.JSON.readTree(r.body());
          if (r.statusCode() != 200 || body.has("errors")) {
            failures.put(n, gw.id() + ": HTTP " + r.statusCode() + " " + body.get("errors"));
          }
        } catch (Exception e) {
          failures.put(n, gw.id() + ": " + e);
        }
      }
    }
  }
}
