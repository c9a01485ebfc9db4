package dev.kaskade.cli;

import dev.kaskade.reconciler.nodeagent.LocalModelNodeAgent;
import dev.kaskade.schemas.runtime.ModelFetcher;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kaskade local-model-agent}: KServe's per-node model agent (the chart's optional
 * DaemonSet). Runs until stopped.
 */
@Command(
    name = "local-model-agent",
    description =
        "Per-node model cache agent: downloads the models of this node's LocalModelNode into"
            + " <root>/models/<model>, deletes unlisted ones and writes LocalModelNode.status.")
final class LocalModelAgentCommand implements Runnable {
  @Option(
      names = "--node",
      defaultValue = "${env:NODE_NAME}",
      description = "This node's name (the LocalModelNode's name); default: $NODE_NAME.")
  String node;

  @Option(
      names = "--root",
      defaultValue = "/mnt/models",
      description = "Where the node group's volume is mounted (default: ${DEFAULT-VALUE}).")
  Path root;

  @Override
  public void run() {
    if (node == null || node.isBlank()) {
      throw new CliException(
          "local-model-agent: give the node name with --node NAME or the NODE_NAME environment"
              + " variable (the chart sets it from spec.nodeName)");
    }
    ModelFetcher fetcher = ModelFetcher.load(); // the workers' storage fetchers
    try (var client = new KubernetesClientBuilder().build();
        var agent = new LocalModelNodeAgent(client, node, root, fetcher::fetch).start()) {
      System.out.println("local-model-agent: node " + node + ", models under " + root);
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
