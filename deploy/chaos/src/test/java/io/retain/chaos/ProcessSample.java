package io.retain.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One reading of a service process from {@code /proc} (Linux): resident memory and open file
 * descriptors, plus the heap in use as its actuator reports it (-1 when not read).
 */
record ProcessSample(long seconds, String service, long rssKb, long openFds, long heapUsedBytes) {

  static ProcessSample of(long seconds, String service, long pid, long heapUsedBytes) {
    return new ProcessSample(seconds, service, rssKb(pid), openFds(pid), heapUsedBytes);
  }

  static long rssKb(long pid) {
    try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
      return lines
          .filter(l -> l.startsWith("VmRSS:"))
          .map(l -> l.replaceAll("\\D", ""))
          .mapToLong(Long::parseLong)
          .findFirst()
          .orElse(-1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static long openFds(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return fds.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  String tsv() {
    return seconds + "\t" + service + "\t" + rssKb + "\t" + openFds + "\t" + heapUsedBytes;
  }
}
