package dev.kaskade.helmtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.reconciler.cluster.ClusterConfig;
import dev.kaskade.reconciler.cluster.DesiredState;
import dev.kaskade.reconciler.core.BuiltInRuntimes;
import dev.kaskade.reconciler.core.Manifest;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.reconciler.core.ResourceKind;
import dev.kaskade.reconciler.core.ResourcePlanner;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.publish.ControlSnapshot;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.testing.InMemorySchemaRegistry;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code helm install} of the secured Strimzi values on the fabric8 mock API server (CRUD mode):
 * the CRDs first, then every Kubernetes object the chart renders; then the worker Deployment,
 * Service and KEDA ScaledObject that the installed reconciler would create for an InferenceService,
 * computed from the reconciler's settings exactly as the chart sets them.
 */
@EnableKubernetesMockClient(crud = true)
class ChartInstallTest {
  private static final String SERVING = "models";
  private static final String ISVC =
      """
      apiVersion: serving.kserve.io/v1beta1
      kind: InferenceService
      metadata:
        name: iris
        namespace: models
      spec:
        predictor:
          minReplicas: 0
          maxReplicas: 4
          model:
            modelFormat: {name: onnx}
            storageUri: s3://models/iris
      """;

  static KubernetesClient client;

  @Test
  void theSecuredChartAndTheWorkersOfItsReconcilerInstallOnTheApiServer() {
    for (File crd : Chart.DIR.resolve("crds").toFile().listFiles()) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    List<HasMetadata> rendered = Chart.objects(Chart.SECURED);
    int installed = 0;
    for (HasMetadata object : rendered) {
      if (KubernetesOpenApi.modelOf(object.getApiVersion(), object.getKind()).isEmpty()) {
        continue; // cert-manager, KEDA and prometheus-operator kinds: their CRDs are not ours
      }
      if (object instanceof Namespaced) {
        object.getMetadata().setNamespace(Chart.NAMESPACE);
      }
      assertThat(client.resource(object).create().getMetadata().getUid())
          .as("%s %s", object.getKind(), object.getMetadata().getName())
          .isNotBlank();
      installed++;
    }
    assertThat(installed).isGreaterThanOrEqualTo(15);

    Deployment reconciler = deployment("prod-kaskade-reconciler");
    Deployment gateway = deployment("prod-kaskade-gateway");
    assertThat(deployment("prod-kaskade-processors")).isNotNull();
    assertThat(deployment("prod-kaskade-audit-sink")).isNotNull();
    assertThat(gateway.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .startsWith("gateway");
    Service service =
        client.services().inNamespace(Chart.NAMESPACE).withName("prod-kaskade-gateway").get();
    assertThat(service.getSpec().getSelector())
        .isEqualTo(gateway.getSpec().getSelector().getMatchLabels());

    InferenceService isvc = client.resource(inferenceService()).create();
    DesiredState.RevisionInput revision = revisionOf(isvc, clusterConfigOf(reconciler));
    Deployment worker = client.resource(DesiredState.generateDeployment(revision)).create();
    Service workerService = client.resource(DesiredState.generateService(revision)).create();
    KubernetesOpenApi.validate(worker);
    KubernetesOpenApi.validate(workerService);

    Container container = worker.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("ghcr.io/kaskade/kaskade:0.1.0");
    assertThat(env(container))
        .as("the workers reach the Kafka and the registry the chart was given")
        .containsEntry("KASKADE_BOOTSTRAP_SERVERS", "my-cluster-kafka-bootstrap.kafka:9093")
        .containsEntry("KASKADE_SCHEMA_REGISTRY_URL", "http://apicurio.kafka:8080/apis/ccompat/v7");
    assertThat(container.getEnvFrom())
        .as("the workers' Kafka credentials")
        .anyMatch(e -> e.getSecretRef().getName().equals("kaskade-kafka-worker"));
    assertThat(worker.getMetadata().getOwnerReferences().get(0).getUid())
        .isEqualTo(isvc.getMetadata().getUid());

    GenericKubernetesResource scaledObject = DesiredState.generateScaledObject(revision);
    String trigger = scaledObject.getAdditionalProperties().get("spec").toString();
    assertThat(trigger)
        .contains("type=kafka")
        .contains(
            "consumerGroup="
                + DesiredState.consumerGroup(SERVING, "iris", revision.predictor().getRevision()))
        .contains("name=kaskade-kafka")
        .contains("kind=ClusterTriggerAuthentication");
  }

  private static Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(Chart.NAMESPACE).withName(name).get();
  }

  /** The reconciler's settings as its container gets them from the chart (KASKADE_* variables). */
  private static ClusterConfig clusterConfigOf(Deployment reconciler) {
    Map<String, String> env =
        env(reconciler.getSpec().getTemplate().getSpec().getContainers().get(0));
    Map<String, String> settings = new HashMap<>();
    env.forEach((name, value) -> settings.put(name.substring("KASKADE_".length()), value));
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    KaskadeContext ctx =
        new KaskadeContext(
            env.get("KASKADE_BOOTSTRAP_SERVERS"),
            registry,
            new Topics(env.get("KASKADE_TOPIC_PREFIX")),
            TopicSettings.standalone(),
            new TopicProvisioner(null, registry, (short) 1),
            Path.of(System.getProperty("java.io.tmpdir")),
            settings);
    return ClusterConfig.from(ctx);
  }

  private static InferenceService inferenceService() {
    return (InferenceService)
        ManifestCodec.parse(ISVC, "isvc.yaml", null, SERVING).get(0).resource();
  }

  /** The revision the reconciler plans for an InferenceService, with the built-in runtimes. */
  private static DesiredState.RevisionInput revisionOf(
      InferenceService isvc, ClusterConfig config) {
    ControlSnapshot state = new ControlSnapshot(Map.of(), Map.of());
    for (var runtime : BuiltInRuntimes.all()) {
      Manifest manifest =
          new Manifest(
              ResourceKind.CLUSTER_SERVING_RUNTIME, runtime, ManifestCodec.toMap(runtime), null);
      state.put(ResourcePlanner.plan(manifest, state).event());
    }
    Manifest manifest = ManifestCodec.parse(ISVC, "isvc.yaml", null, SERVING).get(0);
    Plan plan = ResourcePlanner.plan(manifest, state);
    InferenceServiceSpec spec = (InferenceServiceSpec) plan.event().getSpec();
    return new DesiredState.RevisionInput(isvc, spec, spec.getPredictor(), null, config);
  }

  private static Map<String, String> env(Container container) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      }
    }
    return env;
  }
}
