package dev.kaskade.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

  /**
   * Creates {@code dir} (or tightens an existing one) with mode 0700: it holds Kafka logs, the
   * audit store, the model cache and secrets, which other local users must not read (a no-op for
   * the mode on file systems without POSIX permissions).
   */
  public static Path createPrivate(Path dir) {
    try {
      Files.createDirectories(dir);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    }
  }
}
