package dev.kaskade.cli;

import dev.kaskade.reconciler.standalone.ControlPlaneClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kaskade delete KIND NAME}. */
@Command(name = "delete", description = "Delete a resource from the running instance.")
final class DeleteCommand implements Runnable {
  @Mixin DataDirOption dataDir;

  @Parameters(index = "0", paramLabel = "KIND")
  String kind;

  @Parameters(index = "1", paramLabel = "NAME")
  String name;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default")
  String namespace;

  @Override
  public void run() {
    try (InstanceConnection connection =
            InstanceConnection.open(dataDir.dataDir(), java.util.Map.of());
        ControlPlaneClient client = new ControlPlaneClient(connection.context())) {
      if (!client.delete(kind, name, namespace)) {
        throw new CliException(kind + " " + namespace + "/" + name + " not found");
      }
      System.out.println(kind + "/" + name + " deleted");
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }
}
