package dev.kaskade.loadtests.product;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process the benchmark starts: its output (stdout and stderr) is copied to a log file, and
 * {@link #awaitLine} tells when a line containing some text appeared, as nanoTime.
 */
final class Child implements AutoCloseable {
  private final String name;
  private final Process process;
  private final long startedNanos;
  private final Path log;
  private final CompletableFuture<Long> readyAt = new CompletableFuture<>();
  private final Thread copier;

  private Child(String name, Process process, long startedNanos, Path log, String readyText) {
    this.name = name;
    this.process = process;
    this.startedNanos = startedNanos;
    this.log = log;
    this.copier = Thread.ofPlatform().daemon().name("child-" + name).start(() -> copy(readyText));
  }

  /** Starts {@code command} in {@code dir}; {@code readyText} marks the line to wait for. */
  static Child start(String name, List<String> command, Path dir, Path logDir, String readyText)
      throws IOException {
    Files.createDirectories(logDir);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    long started = System.nanoTime();
    Process process = builder.start();
    System.err.printf("started %s (pid %d): %s%n", name, process.pid(), String.join(" ", command));
    return new Child(name, process, started, logDir.resolve(name + ".log"), readyText);
  }

  private void copy(String readyText) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (readyText != null && !readyAt.isDone() && line.contains(readyText)) {
          readyAt.complete(System.nanoTime());
        }
        out.println(line);
      }
    } catch (IOException e) {
      // the process went away
    }
    readyAt.completeExceptionally(
        new IllegalStateException(name + " ended before its ready line; see " + log));
  }

  /** Milliseconds from process start to the ready line. */
  double awaitReadyMillis(Duration max) throws Exception {
    return (readyAt.get(max.toMillis(), TimeUnit.MILLISECONDS) - startedNanos) / 1e6;
  }

  /** Waits for the process to exit by itself; returns its exit code. */
  int awaitExit(Duration max) throws InterruptedException {
    if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " still running after " + max + "; see " + log);
    }
    return process.exitValue();
  }

  /** Everything the process printed, once it exited and its log is complete. */
  String awaitOutput(Duration max) throws Exception {
    awaitExit(max);
    if (!copier.join(Duration.ofSeconds(10))) {
      throw new IllegalStateException(name + ": its output was not read to the end; see " + log);
    }
    return Files.readString(log);
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /**
   * SIGTERM, then SIGKILL after 20 s. Descendants first: {@code ./kaskade} runs Maven as a child
   * while it builds (it execs the JVM only afterwards).
   */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
