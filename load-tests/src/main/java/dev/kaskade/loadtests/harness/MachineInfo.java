package dev.kaskade.loadtests.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line describing where a benchmark ran, for docs/benchmarks.md. */
public final class MachineInfo {
  private MachineInfo() {}

  public static String describe() {
    return "%s, %d cores, %d GiB RAM, Java %s (%s), %s"
        .formatted(
            cpuModel(),
            Runtime.getRuntime().availableProcessors(),
            totalMemoryGiB(),
            Runtime.version(),
            System.getProperty("java.vm.vendor"),
            System.getProperty("os.name") + " " + System.getProperty("os.version"));
  }

  /** The 1/5/15-minute load averages from /proc/loadavg (other work on the machine shows). */
  public static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " / " + parts[1] + " / " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static long totalMemoryGiB() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
              .filter(l -> l.startsWith("MemTotal"))
              .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
              .findFirst()
              .orElse(0L)
          / (1024 * 1024);
    } catch (IOException e) {
      return 0;
    }
  }
}
