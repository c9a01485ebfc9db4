package dev.kaskade.loadtests.workers;

import dev.kaskade.loadtests.harness.MachineInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The markdown block a benchmark prints: title, machine ({@link MachineInfo#describe()}), command,
 * settings, a table and notes. Printed to stdout and, with {@code -Dbench.out=FILE}, appended to
 * that file.
 */
public final class BenchReport {
  private final String title;
  private final String command;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final List<String> header = new ArrayList<>();
  private final List<List<String>> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public BenchReport(String title, String command) {
    this.title = title;
    this.command = command;
  }

  public BenchReport setting(String name, Object value) {
    settings.put(name, String.valueOf(value));
    return this;
  }

  public BenchReport columns(String... names) {
    header.clear();
    header.addAll(List.of(names));
    return this;
  }

  public BenchReport row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(String.valueOf(cell));
    }
    rows.add(row);
    return this;
  }

  public BenchReport note(String text) {
    notes.add(text);
    return this;
  }

  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("### ").append(title).append("\n\n");
    out.append("- date: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
    out.append("- machine: ").append(MachineInfo.describe()).append('\n');
    out.append("- command: `").append(command).append("`\n");
    for (var entry : settings.entrySet()) {
      out.append("- ").append(entry.getKey()).append(": ").append(entry.getValue()).append('\n');
    }
    out.append('\n');
    if (!header.isEmpty()) {
      out.append("| ").append(String.join(" | ", header)).append(" |\n");
      out.append("|").append(" --- |".repeat(header.size())).append('\n');
      for (List<String> row : rows) {
        out.append("| ").append(String.join(" | ", row)).append(" |\n");
      }
      out.append('\n');
    }
    for (String note : notes) {
      out.append(note).append("\n\n");
    }
    return out.toString();
  }

  /** Prints the block and appends it to {@code -Dbench.out} when set. */
  public void publish() {
    String text = markdown();
    System.out.println();
    System.out.print(text);
    System.out.flush();
    String file = System.getProperty("bench.out");
    if (file != null && !file.isBlank()) {
      try {
        Path path = Path.of(file);
        if (path.toAbsolutePath().getParent() != null) {
          Files.createDirectories(path.toAbsolutePath().getParent());
        }
        Files.writeString(
            path,
            text,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to " + file, e);
      }
    }
  }

  public static String fmt(double value) {
    if (value >= 100) {
      return String.format("%.0f", value);
    }
    if (value >= 10) {
      return String.format("%.1f", value);
    }
    return String.format("%.2f", value);
  }
}
