package io.retain.retention.campaign;

import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Stores campaigns and their members. */
@Repository
class CampaignRepository {

  /** A campaign member as stored at launch. */
  record Member(long campaignId, String customerId, CampaignAssignment assignment) {}

  /** Rows written per insert statement at launch. */
  private static final int MEMBER_CHUNK = 5000;

  private static final String SELECT =
      "select c.*, (select count(*) from campaign_member m where m.campaign_id = c.id and"
          + " m.assignment = 'TREATMENT') as treatment_count, (select count(*) from"
          + " campaign_member m where m.campaign_id = c.id and m.assignment = 'HOLDOUT') as"
          + " holdout_count from campaign c";

  private final DatabaseClient db;

  CampaignRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Campaign> insert(CampaignDraft d, OffsetDateTime now) {
    return bindDraft(
            db.sql(
                "insert into campaign (name, objective, target_tiers, target_risk_codes,"
                    + " target_industries, target_kinds, target_value_tiers, target_rfm_segments,"
                    + " target_min_churn_probability, offer, channel, start_date, end_date,"
                    + " holdout_share, status, created_at, updated_at) values (:name, :objective,"
                    + " :tiers, :risks, :industries, :kinds, :values, :rfm, :minChurn, :offer,"
                    + " :channel, :start, :end, :holdout, 'DRAFT', :now, :now) returning id"),
            d)
        .bind("now", now)
        .map(r -> r.get("id", Long.class))
        .one()
        .flatMap(this::findById);
  }

  /** Replaces a DRAFT campaign's content; empty when it is not (or no longer) a draft. */
  Mono<Campaign> updateDraft(long id, CampaignDraft d, OffsetDateTime now) {
    return bindDraft(
            db.sql(
                "update campaign set name = :name, objective = :objective, target_tiers = :tiers,"
                    + " target_risk_codes = :risks, target_industries = :industries, target_kinds"
                    + " = :kinds, target_value_tiers = :values, target_rfm_segments = :rfm,"
                    + " target_min_churn_probability = :minChurn, offer"
                    + " = :offer, channel = :channel, start_date = :start, end_date = :end,"
                    + " holdout_share = :holdout, updated_at = :now where id = :id and status ="
                    + " 'DRAFT' returning id"),
            d)
        .bind("now", now)
        .bind("id", id)
        .map(r -> r.get("id", Long.class))
        .one()
        .flatMap(this::findById);
  }

  /**
   * Marks a DRAFT campaign LAUNCHED with the churn model its audience was selected with (null:
   * none); emits true, or false when it was not a draft any more. Run in the transaction that
   * stores the members.
   */
  Mono<Boolean> markLaunched(long id, @Nullable Integer churnModelVersion, OffsetDateTime now) {
    return db.sql(
            "update campaign set status = 'LAUNCHED', launched_at = :now, updated_at = :now,"
                + " churn_model_version = :model where id = :id and status = 'DRAFT'")
        .bind("now", now)
        .bind("id", id)
        .bind("model", Parameter.fromOrEmpty(churnModelVersion, Integer.class))
        .fetch()
        .rowsUpdated()
        .map(n -> n == 1);
  }

  /** Stores the members in chunks, one statement per chunk. */
  Mono<Void> insertMembers(long campaignId, List<Member> members) {
    return Flux.range(0, (members.size() + MEMBER_CHUNK - 1) / MEMBER_CHUNK)
        .map(
            i ->
                members.subList(i * MEMBER_CHUNK, Math.min(members.size(), (i + 1) * MEMBER_CHUNK)))
        .concatMap(
            chunk ->
                db.sql(
                        "insert into campaign_member (campaign_id, customer_id, assignment) select"
                            + " :id, c, a from unnest(cast(:customers as text[]), cast(:assignments as text[])) as"
                            + " t(c, a)")
                    .bind("id", campaignId)
                    .bind(
                        "customers", chunk.stream().map(Member::customerId).toArray(String[]::new))
                    .bind(
                        "assignments",
                        chunk.stream().map(m -> m.assignment().name()).toArray(String[]::new))
                    .then())
        .then();
  }

  Mono<Campaign> findById(long id) {
    return db.sql(SELECT + " where c.id = :id")
        .bind("id", id)
        .map(CampaignRepository::campaign)
        .one();
  }

  /** A keyset page, newest (highest id) first; one extra row tells if more follow. */
  Flux<Campaign> page(CampaignStatus status, Long beforeId, int limit) {
    String sql =
        SELECT
            + " where (cast(:status as text) is null or c.status = cast(:status as text))"
            + " and c.id < :before order by c.id desc limit :limit";
    var spec =
        db.sql(sql)
            .bind("before", beforeId == null ? Long.MAX_VALUE : beforeId)
            .bind("limit", limit);
    spec =
        status == null ? spec.bindNull("status", String.class) : spec.bind("status", status.name());
    return spec.map(CampaignRepository::campaign).all();
  }

  /** Members of one campaign. */
  Flux<Member> members(long campaignId) {
    return db.sql("select * from campaign_member where campaign_id = :id order by customer_id")
        .bind("id", campaignId)
        .map(CampaignRepository::member)
        .all();
  }

  /** Memberships of many customers at once (for batched Customer.campaigns), oldest first. */
  Flux<Member> membershipsOf(Collection<String> customerIds) {
    return db.sql(
            "select * from campaign_member where customer_id = any(:ids) order by customer_id,"
                + " campaign_id")
        .bind("ids", customerIds.toArray(String[]::new))
        .map(CampaignRepository::member)
        .all();
  }

  /** Campaigns by id, for the memberships of a request. */
  Flux<Campaign> findByIds(Collection<Long> ids) {
    return db.sql(SELECT + " where c.id = any(:ids)")
        .bind("ids", ids.toArray(Long[]::new))
        .map(CampaignRepository::campaign)
        .all();
  }

  private static DatabaseClient.GenericExecuteSpec bindDraft(
      DatabaseClient.GenericExecuteSpec spec, CampaignDraft d) {
    CampaignTarget t = d.target();
    return spec.bind("name", d.name().strip())
        .bind("objective", d.objective().strip())
        .bind("tiers", t.tiers().toArray(String[]::new))
        .bind("risks", t.riskCodes().toArray(String[]::new))
        .bind("industries", t.industries().toArray(String[]::new))
        .bind("kinds", t.kinds().toArray(String[]::new))
        .bind("values", t.valueTiers().toArray(String[]::new))
        .bind("rfm", t.rfmSegments().toArray(String[]::new))
        .bind("offer", d.offer().strip())
        .bind("channel", d.channel())
        .bind("start", d.startDate())
        .bind("end", d.endDate())
        .bind("holdout", d.holdoutShare())
        .bind("minChurn", Parameter.fromOrEmpty(minChurn(t), BigDecimal.class));
  }

  private static @Nullable BigDecimal minChurn(CampaignTarget t) {
    return t.minChurnProbability() == null ? null : BigDecimal.valueOf(t.minChurnProbability());
  }

  private static @Nullable Double minimum(@Nullable BigDecimal stored) {
    return stored == null ? null : stored.doubleValue();
  }

  private static Member member(Readable r) {
    return new Member(
        r.get("campaign_id", Long.class),
        r.get("customer_id", String.class),
        CampaignAssignment.valueOf(r.get("assignment", String.class)));
  }

  private static Campaign campaign(Readable r) {
    return new Campaign(
        r.get("id", Long.class),
        new CampaignDraft(
            r.get("name", String.class),
            r.get("objective", String.class),
            new CampaignTarget(
                List.of(r.get("target_tiers", String[].class)),
                List.of(r.get("target_risk_codes", String[].class)),
                List.of(r.get("target_industries", String[].class)),
                List.of(r.get("target_kinds", String[].class)),
                List.of(r.get("target_value_tiers", String[].class)),
                List.of(r.get("target_rfm_segments", String[].class)),
                minimum(r.get("target_min_churn_probability", BigDecimal.class))),
            r.get("offer", String.class),
            r.get("channel", String.class),
            r.get("start_date", LocalDate.class),
            r.get("end_date", LocalDate.class),
            r.get("holdout_share", BigDecimal.class)),
        CampaignStatus.valueOf(r.get("status", String.class)),
        r.get("launched_at", OffsetDateTime.class),
        r.get("churn_model_version", Integer.class),
        r.get("treatment_count", Long.class).intValue(),
        r.get("holdout_count", Long.class).intValue(),
        r.get("created_at", OffsetDateTime.class),
        r.get("updated_at", OffsetDateTime.class));
  }
}
