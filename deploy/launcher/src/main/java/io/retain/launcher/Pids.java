package io.retain.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Remembers what a launcher started, so a launcher killed hard (no shutdown hook) leaves nothing
 * behind past the next start.
 */
final class Pids {

  private Pids() {}

  static synchronized void record(Path file, String name, long pid) {
    if (pid <= 0) {
      return;
    }
    try {
      Files.writeString(
          file, name + " " + pid + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // best effort
    }
  }

  static void clear(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // best effort
    }
  }

  /** Stops processes a previous, hard-killed launcher left running. */
  static void killLeftovers(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    List<String> lines = Files.readAllLines(file);
    for (String line : lines) {
      String[] parts = line.trim().split(" ");
      if (parts.length != 2) {
        continue;
      }
      ProcessHandle.of(Long.parseLong(parts[1]))
          .filter(ProcessHandle::isAlive)
          .filter(
              h ->
                  h.info()
                      .command()
                      .map(c -> c.contains("java") || c.contains("postgres"))
                      .orElse(false))
          .ifPresent(
              h -> {
                System.err.println("Stopping leftover " + parts[0] + " (pid " + parts[1] + ")");
                h.destroy();
                h.onExit()
                    .orTimeout(15, java.util.concurrent.TimeUnit.SECONDS)
                    .exceptionally(
                        t -> {
                          h.destroyForcibly();
                          return h;
                        })
                    .join();
              });
    }
    Files.delete(file);
  }
}
