package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ModelState;
import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.standalone.StandaloneHarness;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * End to end in cluster mode: informers on the Kubernetes mock server, control events on the
 * embedded Kafka broker, a worker's status report turned into {@code .status}.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterControlPlaneIT {
  static KubernetesClient client;

  @Test
  void reconcilesWatchedInferenceServicesAndWritesStatusFromWorkerReports() {
    for (File crd : new File("../helm/kaskade/crds").listFiles()) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    try (StandaloneHarness harness =
            new StandaloneHarness(
                Map.of(
                    "webhook.enabled", "false", ClusterConfig.WORKER_IMAGE, "kaskade/worker:e2e"));
        ClusterControlPlane plane = new ClusterControlPlane(harness.ctx, client)) {
      plane.start();
      InferenceService isvc = (InferenceService) Fixtures.manifest("canary-v1.yaml").resource();
      isvc.getMetadata().setNamespace("e2e");
      client.resource(isvc).create();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !client.apps().deployments().inNamespace("e2e").list().getItems().isEmpty());
      Deployment deployment =
          client.apps().deployments().inNamespace("e2e").list().getItems().get(0);
      String revision = deployment.getMetadata().getName();
      assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("kaskade/worker:e2e");

      harness.reportStatus(
          ComponentStatus.newBuilder()
              .setNamespace("e2e")
              .setName("flowers")
              .setComponent("predictor")
              .setRevision(revision)
              .setState(ModelState.Ready)
              .setInstance("pod-0")
              .build());

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                InferenceService stored =
                    client
                        .resources(InferenceService.class)
                        .inNamespace("e2e")
                        .withName("flowers")
                        .get();
                assertThat(stored.getStatus()).isNotNull();
                assertThat(stored.getStatus().getConditions())
                    .filteredOn(c -> c.getType().equals("Ready"))
                    .extracting(Condition::getStatus)
                    .containsExactly("True");
              });

      client.resources(InferenceService.class).inNamespace("e2e").withName("flowers").delete();
      String key = "InferenceService/e2e/flowers";
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records =
                    harness.records(harness.ctx.topics().controlResources());
                assertThat(records)
                    .filteredOn(r -> r.key().equals(key))
                    .last()
                    .satisfies(r -> assertThat(r.value()).isNull());
              });
    }
  }
}
