package dev.kaskade.cli;

import dev.kaskade.reconciler.standalone.ControlPlaneClient;
import dev.kaskade.reconciler.standalone.ResourceView;
import dev.kaskade.schemas.error.KaskadeException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kaskade get KIND [NAME] [-o table|yaml|json]}. */
@Command(
    name = "get",
    description =
        "Show resources: readiness, revision, traffic split, status reason and drift state."
            + " KIND: isvc|inferenceservice, servingruntime, clusterservingruntime,"
            + " trainedmodel|tm, inferencegraph|ig, localmodelcache (state and size per node),"
            + " localmodelnodegroup, localmodelnode, clusterstoragecontainer.")
final class GetCommand implements Runnable {
  @Mixin DataDirOption dataDir;

  @Parameters(index = "0", paramLabel = "KIND")
  String kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
  String name;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table, yaml or json.")
  String output;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default")
  String namespace;

  @Override
  public void run() {
    if (!List.of("table", "yaml", "json").contains(output)) {
      throw new CliException("-o must be table, yaml or json, got '" + output + "'", 2);
    }
    try (InstanceConnection connection =
            InstanceConnection.open(dataDir.dataDir(), java.util.Map.of());
        ControlPlaneClient client = new ControlPlaneClient(connection.context())) {
      List<ResourceView> views = client.get(kind, name, namespace);
      // Like kubectl: naming a resource prints it, listing a kind prints a List (even of one).
      System.out.print(
          name == null ? client.render(views, output) : client.renderOne(views.get(0), output));
      System.out.flush();
    } catch (KaskadeException | IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }
}
