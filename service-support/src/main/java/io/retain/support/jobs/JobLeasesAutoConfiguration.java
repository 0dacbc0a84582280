package io.retain.support.jobs;

import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * {@link JobLeases} for every service with a database, and a {@link LeaseKeeper} renewing the held
 * ones; the service's migrations create {@code job_lease}.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration")
@ConditionalOnClass(DatabaseClient.class)
@ConditionalOnBean(DatabaseClient.class)
@ConditionalOnBooleanProperty(name = "retain.jobs.leases.enabled", matchIfMissing = true)
@EnableScheduling
public class JobLeasesAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  JobLeases jobLeases(
      DatabaseClient db,
      @Value("${retain.jobs.lease.ttl:30s}") Duration ttl,
      @Value("${retain.jobs.owner:}") String owner,
      ObjectProvider<ObservationRegistry> observations) {
    return new JobLeases(
        db,
        owner.isBlank() ? defaultOwner() : owner,
        ttl,
        observations.getIfAvailable(() -> ObservationRegistry.NOOP));
  }

  @Bean
  LeaseKeeper leaseKeeper(JobLeases leases) {
    return new LeaseKeeper(leases);
  }

  /** The pod's (or host's) name, the process id and a random part: unique per running replica. */
  static String defaultOwner() {
    String host = System.getenv().getOrDefault("HOSTNAME", "host");
    return host
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }
}
