package dev.kaskade.schemas.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the scheduling priority of the calling thread on Linux (nice {@value #NICE}), for work
 * that no caller waits on: the payload logger and the audit sink. When both cores are busy, the
 * kernel then runs a woken thread of a call's path (gateway event loop, worker, Kafka clients)
 * ahead of them, and they take the time the calls leave.
 *
 * <p>Java's thread priorities do nothing on Linux by default and the foreign-function API is not
 * final in Java 21, so this runs util-linux's {@code renice} on the thread's id (read from {@code
 * /proc/thread-self}), once per thread. Raising a priority back would need privileges, so it is
 * one-way. Without Linux or {@code renice} it does nothing.
 */
public final class BackgroundPriority {
  /**
   * The nice value background threads get: Linux's scheduler weighs them 110 against a default
   * thread's 1024. Under a saturating load nice 10 once left the payload logger fenced in a loop,
   * but that loop came from ticks that emitted hundreds of thousands of expired halves in one
   * transaction, which the logger no longer does (a bound per tick, and a pairing window on the
   * records' time: docs/performance.md, changes 16 and 17); nice 5 (335) stood in meanwhile.
   */
  public static final int NICE = 10;

  private static final Path THREAD_SELF = Path.of("/proc/thread-self");

  private BackgroundPriority() {}

  /**
   * Gives the calling platform thread nice {@value #NICE}, unless it already runs at that or lower
   * priority; true when it now does.
   */
  public static boolean lowerCurrentThread() {
    OptionalLong tid = currentThreadId();
    if (tid.isEmpty()) {
      return false;
    }
    if (niceOf(tid.getAsLong()).orElse(0) >= NICE) {
      return true;
    }
    try {
      Process renice =
          new ProcessBuilder(
                  "renice", "-n", Integer.toString(NICE), "-p", Long.toString(tid.getAsLong()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!renice.waitFor(5, TimeUnit.SECONDS)) {
        renice.destroyForcibly();
        return false;
      }
      // util-linux 2.38 reads -n as the new value, POSIX as an increment: from nice 0 both agree
      return renice.exitValue() == 0 && niceOf(tid.getAsLong()).orElse(0) >= NICE;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The kernel's id of the calling platform thread ({@code /proc/thread-self -> <pid>/task/<tid>}).
   */
  static OptionalLong currentThreadId() {
    if (Thread.currentThread().isVirtual() || !Files.isSymbolicLink(THREAD_SELF)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(
          Long.parseLong(Files.readSymbolicLink(THREAD_SELF).getFileName().toString()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The nice value of a thread of this process, from {@code /proc/self/task/<tid>/stat}. */
  public static OptionalLong niceOf(long tid) {
    try {
      String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
      // fields after the command's closing parenthesis; nice is field 19 of the whole line
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return OptionalLong.of(Long.parseLong(fields[16]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
