package dev.kaskade.loadtests.product;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux reports about one process in {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}:
 * CPU time used so far (user + system, in clock ticks), thread count and resident memory.
 */
public record ProcStats(long cpuTicks, int threads, long rssBytes) {
  /** Linux's USER_HZ: {@code /proc} reports CPU times in 1/100 s on every common architecture. */
  public static final int TICKS_PER_SECOND = 100;

  /** Reads the process's numbers now. */
  public static ProcStats of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    String status = Files.readString(proc.resolve("status"));
    return new ProcStats(
        cpuTicks(Files.readString(proc.resolve("stat"))),
        (int) statusValue(status, "Threads:"),
        statusValue(status, "VmRSS:") * 1024);
  }

  /**
   * CPU ticks so far of the process's JIT compiler threads (Linux names them {@code C1
   * CompilerThre…} and {@code C2 CompilerThre…}): start-up warm-up that an idle figure includes
   * until the JIT has compiled the idle loops, reported next to it.
   */
  public static long jitTicks(long pid) throws IOException {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          if (isJitThread(Files.readString(task.resolve("comm")).strip())) {
            ticks += cpuTicks(Files.readString(task.resolve("stat")));
          }
        } catch (IOException e) {
          // the thread ended between the listing and the read
        }
      }
    }
    return ticks;
  }

  static boolean isJitThread(String comm) {
    return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
  }

  /**
   * utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. The command name (field 2)
   * is in parentheses and may itself hold spaces and parentheses, so fields are counted from the
   * last ')'.
   */
  public static long cpuTicks(String statLine) {
    int close = statLine.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
    }
    String[] fields = statLine.substring(close + 1).trim().split("\\s+");
    // fields[0] is field 3 (state), so field n is fields[n - 3]
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }

  /** The number after {@code key} in {@code /proc/<pid>/status} (kB for memory lines). */
  public static long statusValue(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalArgumentException("no " + key + " in /proc/<pid>/status");
  }

  /** CPU used between two readings {@code seconds} apart, in percent of one core. */
  public static double cpuPercentOfOneCore(ProcStats before, ProcStats after, double seconds) {
    double cpuSeconds = (after.cpuTicks() - before.cpuTicks()) / (double) TICKS_PER_SECOND;
    return 100.0 * cpuSeconds / seconds;
  }
}
