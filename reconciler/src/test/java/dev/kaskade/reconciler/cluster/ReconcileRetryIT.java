package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.standalone.StandaloneHarness;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.File;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reconcile that fails on the API server is retried with backoff until it succeeds, without any
 * change to the resource: the Kubernetes mock server (CRUD mode) answers the first Deployment
 * creates with 500, then stores them.
 */
@EnableKubernetesMockClient(crud = true)
class ReconcileRetryIT {
  private static final int FAILING_CREATES = 3;

  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  void deploymentWhoseFirstCreatesFailIsCreatedWithoutASpecChange() {
    for (File crd : new File("../helm/kaskade/crds").listFiles()) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    server
        .expect()
        .post()
        .withPath("/apis/apps/v1/namespaces/retry/deployments")
        .andReturn(
            500,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(500)
                .withMessage("etcdserver: request timed out")
                .build())
        .times(FAILING_CREATES);
    try (StandaloneHarness harness =
            new StandaloneHarness(
                Map.of("webhook.enabled", "false", ClusterConfig.WORKER_IMAGE, "kaskade/w:1"));
        ClusterControlPlane plane = new ClusterControlPlane(harness.ctx, client)) {
      plane.start();
      InferenceService isvc = (InferenceService) Fixtures.manifest("canary-v1.yaml").resource();
      isvc.getMetadata().setNamespace("retry");
      client.resource(isvc).create();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> !client.apps().deployments().inNamespace("retry").list().getItems().isEmpty());
      InferenceService stored =
          client.resources(InferenceService.class).inNamespace("retry").withName("flowers").get();
      assertThat(stored.getMetadata().getGeneration()).isEqualTo(1L);
      assertThat(server.getRequestCount()).isGreaterThan(FAILING_CREATES);
    }
  }
}
