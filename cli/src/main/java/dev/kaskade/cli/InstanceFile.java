package dev.kaskade.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code <data-dir>/instance.json}: how other commands find the instance {@code up} started in a
 * data dir (Kafka bootstrap, registry URL, ports, pid). Written when ready, removed at shutdown.
 */
public record InstanceFile(
    String bootstrapServers, String registryUrl, int httpPort, int grpcPort, long pid) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String NAME = "instance.json";

  public static Path path(Path dataDir) {
    return dataDir.resolve(NAME);
  }

  public void write(Path dataDir) {
    try {
      Path tmp = dataDir.resolve(NAME + ".tmp");
      Files.deleteIfExists(tmp);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        // 0600 from the start: it names the broker and, with --secure, sits beside its secrets
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
      Files.move(tmp, path(dataDir), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path(dataDir), e);
    }
  }

  /** The running instance of this data dir, or a clear error when none runs. */
  public static InstanceFile read(Path dataDir) {
    Path file = path(dataDir);
    if (!Files.exists(file)) {
      throw new CliException(
          "no running Kaskade found in "
              + dataDir
              + ": start one with `./kaskade up --data-dir "
              + dataDir
              + "`");
    }
    InstanceFile instance;
    try {
      instance = JSON.readValue(file.toFile(), InstanceFile.class);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
    if (ProcessHandle.of(instance.pid()).map(ProcessHandle::isAlive).orElse(false)) {
      return instance;
    }
    throw new CliException(
        "the Kaskade that wrote " + file + " (pid " + instance.pid() + ") is not running");
  }

  public static void delete(Path dataDir) {
    try {
      Files.deleteIfExists(path(dataDir));
    } catch (IOException e) {
      // best effort at shutdown
    }
  }
}
