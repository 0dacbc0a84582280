package io.retain.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time used by processes of this machine, from {@code /proc/<pid>/stat} (user + system, in
 * clock ticks of 1/100 s). On a machine that is CPU-bound during a rescoring, the seconds of CPU
 * each side used say where the time went better than wall-clock phases, which count the time a
 * thread waited for a core.
 */
final class CpuTime {

  private static final double TICKS_PER_SECOND = 100;

  private CpuTime() {}

  /** CPU seconds used so far by one process (0 when it is gone or unreadable). */
  static double of(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    // the command name is in parentheses and may contain spaces: fields are counted after it
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after the name: state (field 3) ... utime (14), stime (15)
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }

  /**
   * CPU seconds used so far by each process of this command name (e.g. {@code postgres}: the
   * server, its background workers and every backend), by pid.
   */
  static Map<Long, Double> ofCommand(String name) {
    Map<Long, Double> byPid = new HashMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String pid = p.getFileName().toString();
        if (!pid.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          if (Files.readString(p.resolve("comm")).strip().equals(name)) {
            byPid.put(Long.parseLong(pid), of(Long.parseLong(pid)));
          }
        } catch (IOException | RuntimeException e) {
          // exited while listed
        }
      }
    } catch (IOException e) {
      // /proc unreadable: nothing counted
    }
    return byPid;
  }

  /** A reading of the three sides of a rescoring. */
  record Reading(double scoring, double customer, Map<Long, Double> postgres) {
    static Reading now(long scoringPid, long customerPid) {
      return new Reading(
          scoringPid > 0 ? of(scoringPid) : 0,
          customerPid > 0 ? of(customerPid) : 0,
          ofCommand("postgres"));
    }

    /**
     * CPU seconds {scoring, customer, PostgreSQL} used between two readings. PostgreSQL counts the
     * processes alive at the later one (a backend started in between from zero); a backend that
     * exited in between takes its time with it, and one that was exiting at the earlier reading is
     * not subtracted (the services keep their pooled connections open across a run).
     */
    double[] since(Reading before) {
      double pg = 0;
      for (Map.Entry<Long, Double> e : postgres.entrySet()) {
        pg += e.getValue() - before.postgres.getOrDefault(e.getKey(), 0.0);
      }
      return new double[] {scoring - before.scoring, customer - before.customer, pg};
    }
  }
}
