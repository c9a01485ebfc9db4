package dev.kaskade.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}, shared by every command: where {@code up} keeps state and is found. */
public final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Kaskade's state directory (default: .kaskade under the working directory).")
  Path dataDir;

  public Path dataDir() {
    return (dataDir != null ? dataDir : Path.of(".kaskade")).toAbsolutePath().normalize();
  }
}
