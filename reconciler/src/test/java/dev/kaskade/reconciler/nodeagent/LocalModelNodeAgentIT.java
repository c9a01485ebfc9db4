package dev.kaskade.reconciler.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.model.LocalModelNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent on fabric8's mock API server (CRUD mode, generated CRDs) with real files: it
 * downloads the models its LocalModelNode lists, reports KServe's per-model states, reports a
 * failing source as ModelDownloadError, and deletes a model no longer listed.
 */
@EnableKubernetesMockClient(crud = true)
class LocalModelNodeAgentIT {
  static KubernetesClient client;

  @TempDir Path sources;
  @TempDir Path root;

  /** Copies a file:// source, as the storage fetchers would download it. */
  private static void copy(String uri, Path target) throws Exception {
    Path source = Path.of(URI.create(uri));
    Files.copy(source, target.resolve(source.getFileName()));
  }

  private Map<String, String> modelStatus() {
    LocalModelNode node = client.resources(LocalModelNode.class).withName("node-a").get();
    return node.getStatus() == null ? Map.of() : node.getStatus().getModelStatus();
  }

  @Test
  void downloadsListedModelsReportsStatesAndDeletesUnlistedOnes() throws Exception {
    for (File crd : new File("../helm/kaskade/crds").listFiles()) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    Files.writeString(sources.resolve("iris.onnx"), "iris-bytes");
    Files.writeString(sources.resolve("mlp.onnx"), "mlp-bytes");
    String spec =
        """
        apiVersion: serving.kserve.io/v1alpha1
        kind: LocalModelNode
        metadata: {name: node-a}
        spec:
          localModels:
        %s
        """;
    String iris =
        "    - {modelName: iris, sourceModelUri: '" + sources.resolve("iris.onnx").toUri() + "'}";
    String mlp =
        "    - {modelName: mlp, sourceModelUri: '" + sources.resolve("mlp.onnx").toUri() + "'}";
    String escaping =
        "    - {modelName: ../escape, sourceModelUri: '"
            + sources.resolve("iris.onnx").toUri()
            + "'}";
    String missing = "    - {modelName: gone, sourceModelUri: 'file:///nonexistent/model.onnx'}";
    client
        .resource(
            ManifestCodec.parse(
                    spec.formatted(String.join("\n", iris, mlp, missing, escaping)),
                    "t",
                    null,
                    "default")
                .get(0)
                .resource())
        .create();

    try (var agent =
        new LocalModelNodeAgent(client, "node-a", root, LocalModelNodeAgentIT::copy).start()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(modelStatus())
                      .containsEntry("iris", LocalModelNodeAgent.DOWNLOADED)
                      .containsEntry("mlp", LocalModelNodeAgent.DOWNLOADED)
                      .containsEntry("gone", LocalModelNodeAgent.ERROR));
      assertThat(root.resolve("models/iris/iris.onnx")).hasContent("iris-bytes");
      assertThat(root.resolve("models/mlp/mlp.onnx")).hasContent("mlp-bytes");
      assertThat(root.resolve("models/gone")).doesNotExist();
      assertThat(modelStatus()).as("a name that is no folder name is ignored").hasSize(3);
      assertThat(root.resolve("escape")).doesNotExist();

      LocalModelNode node = client.resources(LocalModelNode.class).withName("node-a").get();
      node.getSpec().getLocalModels().removeIf(m -> !m.getModelName().equals("iris"));
      client.resources(LocalModelNode.class).resource(node).update();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(modelStatus()).containsOnlyKeys("iris");
                assertThat(root.resolve("models/mlp")).doesNotExist();
              });
      assertThat(root.resolve("models/iris/iris.onnx")).hasContent("iris-bytes");
    }
  }
}
