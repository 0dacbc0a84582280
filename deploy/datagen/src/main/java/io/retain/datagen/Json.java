package io.retain.datagen;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/** The import formats' lines, one NDJSON object per row; no randomness but what is passed in. */
final class Json {

  private Json() {}

  static String customer(
      SplittableRandom r,
      String id,
      String name,
      boolean enterprise,
      String tier,
      String industry,
      String region,
      LocalDate since,
      String manager,
      String phone,
      String email) {
    StringBuilder c = new StringBuilder(256);
    c.append("{\"id\":\"")
        .append(id)
        .append("\",\"name\":\"")
        .append(name)
        .append("\",\"kind\":\"")
        .append(enterprise ? "ENTERPRISE" : "INDIVIDUAL")
        .append("\",\"industry\":\"")
        .append(industry)
        .append("\",\"valueTier\":\"")
        .append(tier)
        .append("\",\"region\":\"")
        .append(region)
        .append("\",\"since\":\"")
        .append(since)
        .append("\",\"accountManager\":\"")
        .append(manager)
        .append("\",\"contactName\":\"")
        .append(name)
        .append("\",\"phone\":\"")
        .append(phone)
        .append("\",\"email\":\"")
        .append(email)
        .append('"');
    if (enterprise) {
      c.append(",\"size\":\"")
          .append(new String[] {"SMALL", "MEDIUM", "LARGE"}[r.nextInt(3)])
          .append('"');
    } else {
      c.append(",\"ageBand\":\"")
          .append(new String[] {"18-25", "26-35", "36-45", "46-60", "60+"}[r.nextInt(5)])
          .append("\",\"incomeBand\":\"")
          .append(new String[] {"LOW", "MIDDLE", "HIGH"}[r.nextInt(3)])
          .append('"');
    }
    return c.append('}').toString();
  }

  static String order(
      String id,
      int seq,
      LocalDate day,
      double amount,
      String channel,
      String status,
      boolean test) {
    return "{\"id\":\"O-"
        + id.substring(1)
        + "-"
        + seq
        + "\",\"customerId\":\""
        + id
        + "\",\"placedAt\":\""
        + day
        + "\",\"amount\":"
        + amount
        + ",\"currency\":\"CNY\",\"channel\":\""
        + channel
        + "\",\"status\":\""
        + status
        + "\",\"test\":"
        + test
        + "}";
  }

  static String ticket(
      String id,
      int seq,
      Instant opened,
      @Nullable Instant responded,
      @Nullable Instant resolved,
      String category,
      boolean complaint) {
    return "{\"id\":\"T-"
        + id.substring(1)
        + "-"
        + seq
        + "\",\"customerId\":\""
        + id
        + "\",\"openedAt\":\""
        + opened
        + "\",\"firstResponseAt\":"
        + quoted(responded)
        + ",\"resolvedAt\":"
        + quoted(resolved)
        + ",\"category\":\""
        + category
        + "\",\"complaint\":"
        + complaint
        + ",\"severity\":\""
        + (complaint ? "HIGH" : "NORMAL")
        + "\"}";
  }

  static String survey(String id, int seq, LocalDate day, int score, int csat) {
    return "{\"id\":\"S-"
        + id.substring(1)
        + "-"
        + seq
        + "\",\"customerId\":\""
        + id
        + "\",\"answeredAt\":\""
        + day
        + "\",\"score\":"
        + score
        + ",\"csat\":"
        + csat
        + "}";
  }

  static String quoted(@Nullable Instant i) {
    return i == null ? "null" : "\"" + i + "\"";
  }

  static String churn(
      String id,
      LocalDate churnedAt,
      String type,
      String causeClass,
      List<String> reasons,
      @Nullable LocalDate wonBackAt) {
    return "{\"customerId\":\""
        + id
        + "\",\"churnedAt\":\""
        + churnedAt
        + "\",\"type\":\""
        + type
        + "\",\"causeClass\":\""
        + causeClass
        + "\",\"reasons\":\""
        + String.join(";", reasons)
        + "\",\"wonBackAt\":"
        + (wonBackAt == null ? "null" : "\"" + wonBackAt + "\"")
        + "}";
  }
}
