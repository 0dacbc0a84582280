import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.rescoring.StoredAssessment;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.ObjectMapper;

/**
 * What reading a stored assessment costs scoring's CPU, per row: before V7 a 1.1 kB JSON document
 * was parsed; since, the assessment is derived from the stored inputs by the engine. Rows are real
 * ones from a rescored database; the documents are what V3-V6 stored for them (the derived
 * assessment written as JSON). The two are timed in alternating rounds on one JVM (a ratio, since
 * the machine is shared). Run by deploy/bench/read-cost/run.
 */
public class ReadCost {
  record Row(String inputs, WeightProfile made, LocalDate asOf, Double prior, String document) {}

  public static void main(String[] args) throws Exception {
    String jdbc = args[0];
    int n = Integer.parseInt(args[1]);
    ObjectMapper json = new ObjectMapper();
    List<Row> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbc);
        ResultSet r =
            c.createStatement()
                .executeQuery(
                    "select inputs::text, profile_name, as_of, prior_score from assessment_history"
                        + " where inputs is not null and profile_version = 1 limit " + n)) {
      while (r.next()) {
        WeightProfile p =
            r.getString(2).equals("default")
                ? WeightProfile.defaults()
                : WeightProfile.industrialEquipment();
        LocalDate asOf = r.getObject(3, LocalDate.class);
        Double prior = r.getObject(4) == null ? null : r.getDouble(4);
        Assessment a = StoredAssessment.derive(r.getString(1), p, asOf, prior);
        rows.add(new Row(r.getString(1), p, asOf, prior, json.writeValueAsString(a)));
      }
    }
    double docBytes = rows.stream().mapToInt(x -> x.document().length()).average().orElse(0);
    double inBytes = rows.stream().mapToInt(x -> x.inputs().length()).average().orElse(0);
    System.out.printf(
        Locale.ROOT, "%,d rows; document %.0f bytes, inputs %.0f bytes on average%n",
        rows.size(), docBytes, inBytes);
    long sink = 0;
    for (int round = 1; round <= 12; round++) {
      long t0 = System.nanoTime();
      for (Row x : rows) {
        sink += json.readValue(x.document(), Assessment.class).riskFactors().size();
      }
      long t1 = System.nanoTime();
      for (Row x : rows) {
        sink += StoredAssessment.derive(x.inputs(), x.made(), x.asOf(), x.prior()).riskFactors().size();
      }
      long t2 = System.nanoTime();
      double doc = (t1 - t0) / (double) rows.size() / 1000;
      double derive = (t2 - t1) / (double) rows.size() / 1000;
      System.out.printf(
          Locale.ROOT,
          "round %2d: parse document %.2f µs/row, derive from inputs %.2f µs/row, ratio %.2f%s%n",
          round, doc, derive, derive / doc, round <= 4 ? " (warm-up)" : "");
    }
    System.out.println("(" + sink + ")");
  }
}
