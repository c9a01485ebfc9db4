package dev.kaskade.cli;

import dev.kaskade.reconciler.core.ManifestException;
import dev.kaskade.reconciler.standalone.ApplyResult;
import dev.kaskade.reconciler.standalone.ControlPlaneClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaskade apply -f FILE|DIR}. */
@Command(
    name = "apply",
    description =
        "Apply KServe manifests (multi-document YAML or JSON; a folder applies every file) to the"
            + " running instance. Nothing is published if any document is invalid.")
final class ApplyCommand implements Runnable {
  @Mixin DataDirOption dataDir;

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE|DIR",
      description = "Manifest file or folder (repeatable).")
  List<Path> files = new ArrayList<>();

  @Option(
      names = {"-n", "--namespace"},
      description = "Namespace for documents that name none (default: default).")
  String namespace;

  @Override
  public void run() {
    for (Path file : files) {
      if (!Files.exists(file)) {
        throw new CliException("no such file or folder: " + file);
      }
    }
    try (InstanceConnection connection = InstanceConnection.open(dataDir.dataDir(), settings());
        ControlPlaneClient client = new ControlPlaneClient(connection.context())) {
      List<ApplyResult> results = new ArrayList<>();
      for (Path file : files) {
        results.addAll(client.apply(file));
      }
      results.forEach(System.out::println);
    } catch (ManifestException e) {
      throw new CliException(e.getMessage());
    }
  }

  private Map<String, String> settings() {
    return namespace == null ? Map.of() : Map.of(ControlPlaneClient.NAMESPACE_SETTING, namespace);
  }
}
