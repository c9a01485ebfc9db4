package dev.kaskade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code kaskade} jar as a separate process, as a user would. */
final class KaskadeProcess implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private java.io.Writer log;

  private KaskadeProcess(Process process) {
    this.process = process;
    this.reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (BufferedReader reader =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                      lines.add(line);
                      copy(line);
                    }
                  } catch (IOException e) {
                    // process ended
                  }
                });
  }

  static KaskadeProcess start(Path workDir, String... args) throws IOException {
    return start(workDir, java.util.Map.of(), args);
  }

  /** Starts with extra environment variables. */
  static KaskadeProcess start(Path workDir, java.util.Map<String, String> env, String... args)
      throws IOException {
    return start(workDir, env, List.of(), args);
  }

  /** Starts with extra JVM flags (before {@code -jar}) and environment variables. */
  static KaskadeProcess start(
      Path workDir, java.util.Map<String, String> env, List<String> jvmFlags, String... args)
      throws IOException {
    Path jar = Path.of("target", "kaskade.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run the package phase first");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC"));
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    return new KaskadeProcess(process);
  }

  /**
   * Runs a {@code main} of the test classpath instead of the jar (a helper process a test kills,
   * such as a broker with members).
   */
  static KaskadeProcess startMain(Path workDir, Class<?> mainClass, String... args)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(java, "-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(List.of(args));
    return new KaskadeProcess(
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start());
  }

  /** Waits until a line containing the text appears; false on timeout or exit. */
  boolean awaitLine(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (lines.stream().anyMatch(l -> l.contains(text))) {
        return true;
      }
      if (!process.isAlive() && lines.stream().noneMatch(l -> l.contains(text))) {
        Thread.sleep(100);
        return lines.stream().anyMatch(l -> l.contains(text));
      }
      Thread.sleep(50);
    }
    return false;
  }

  /**
   * Also writes the output (what came so far and what comes) to a file, to read while a long test
   * runs and after it.
   */
  synchronized KaskadeProcess logTo(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    log = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    for (String line : lines) {
      log.write(line + "\n");
    }
    log.flush();
    return this;
  }

  private synchronized void copy(String line) {
    if (log == null) {
      return;
    }
    try {
      log.write(line + "\n");
      log.flush();
    } catch (IOException e) {
      log = null; // the file is only a convenience
    }
  }

  List<String> output() {
    return List.copyOf(lines);
  }

  /** SIGTERM, then the seconds until the process exited (or -1 if it did not within the limit). */
  double terminate(Duration limit) throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      return -1;
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return Integer.MIN_VALUE;
    }
    reader.join(5_000); // the output is read on its own thread: let it reach the end first
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /**
   * The audit records of a model, as {@code kaskade audit query --model M -o jsonl} prints them.
   */
  static List<JsonNode> auditRecords(Path workDir, Path dataDir, String model, Duration wait)
      throws Exception {
    KaskadeProcess query =
        start(
            workDir,
            "audit",
            "query",
            "--model",
            model,
            "-o",
            "jsonl",
            "--data-dir",
            dataDir.toString());
    if (query.awaitExit(wait) != 0) {
      throw new IllegalStateException("audit query failed: " + query.output());
    }
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> records = new ArrayList<>();
    for (String line : query.output()) {
      if (line.startsWith("{")) {
        records.add(json.readTree(line));
      }
    }
    return records;
  }
}
