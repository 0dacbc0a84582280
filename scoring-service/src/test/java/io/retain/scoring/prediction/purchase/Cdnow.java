package io.retain.scoring.prediction.purchase;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The CDNOW sample summarised the way customer-service summarises orders (one purchase a day). */
final class Cdnow {

  /** Calibration end, inclusive: T counts the days from the first purchase to this date. */
  static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);

  private Cdnow() {}

  static List<PurchaseHistory> histories() {
    Map<String, TreeMap<LocalDate, Double>> spendByDay = new LinkedHashMap<>();
    var format = DateTimeFormatter.BASIC_ISO_DATE;
    try (var in =
        new BufferedReader(
            new InputStreamReader(
                Objects.requireNonNull(Cdnow.class.getResourceAsStream("/cdnow/CDNOW_sample.txt")),
                StandardCharsets.US_ASCII))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.trim().split("\\s+");
        LocalDate day = LocalDate.parse(f[2], format);
        var days = spendByDay.computeIfAbsent(f[1], id -> new TreeMap<>());
        if (!day.isAfter(CALIBRATION_END)) {
          days.merge(day, Double.parseDouble(f[4]), Double::sum);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<PurchaseHistory> out = new ArrayList<>();
    for (var days : spendByDay.values()) {
      LocalDate first = days.firstKey();
      int x = days.size() - 1;
      double repeatSpend = days.tailMap(first, false).values().stream().mapToDouble(d -> d).sum();
      out.add(
          new PurchaseHistory(
              x,
              (int) ChronoUnit.DAYS.between(first, days.lastKey()),
              (int) ChronoUnit.DAYS.between(first, CALIBRATION_END),
              x > 0 ? repeatSpend / x : 0));
    }
    return out;
  }
}
