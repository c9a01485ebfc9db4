package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.model.ClusterServingRuntime;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.ServingRuntime;
import dev.kaskade.reconciler.model.TrainedModel;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against fabric8's Kubernetes mock API server in CRUD mode, with Kaskade's
 * generated CRDs installed. The mock server does not garbage-collect: deleting an InferenceService
 * leaves its children, so the tests assert the owner references that make a real cluster do it.
 */
@EnableKubernetesMockClient(crud = true)
class InferenceServiceReconcilerIT {
  static KubernetesClient client;

  private InMemoryControlChannel channel;
  private InferenceServiceReconciler reconciler;

  private static boolean crdsInstalled;

  @BeforeEach
  void setUp() {
    if (!crdsInstalled) {
      for (File crd : new File("../helm/kaskade/crds").listFiles()) {
        client.apiextensions().v1().customResourceDefinitions().load(crd).create();
      }
      crdsInstalled = true;
    }
    channel = new InMemoryControlChannel();
    ClusterConfig config =
        new ClusterConfig(
            "kaskade/worker:test", "kafka:9092", "http://registry:8081", "kaskade", 10, 10);
    reconciler = new InferenceServiceReconciler(client, channel, config, "example.com");
  }

  private InferenceService create(String yaml, String namespace) {
    InferenceService isvc =
        (InferenceService) ManifestCodec.parse(yaml, "t.yaml", null, namespace).get(0).resource();
    return client.resource(isvc).createOr(existing -> existing.update());
  }

  private InferenceService createSample(String sample, String namespace) {
    return create(Fixtures.manifestText(sample), namespace);
  }

  private String latestRevision(String ns, String name) {
    return ((InferenceServiceSpec)
            channel.current("InferenceService", ns, name).orElseThrow().getSpec())
        .getPredictor()
        .getRevision();
  }

  private List<Deployment> deployments(String ns) {
    return client.apps().deployments().inNamespace(ns).list().getItems();
  }

  private static void assertOwnedBy(HasMetadata child, InferenceService isvc) {
    OwnerReference owner = child.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getKind()).isEqualTo("InferenceService");
    assertThat(owner.getApiVersion()).isEqualTo("serving.kserve.io/v1beta1");
    assertThat(owner.getName()).isEqualTo(isvc.getMetadata().getName());
    assertThat(owner.getUid()).isEqualTo(isvc.getMetadata().getUid());
    assertThat(owner.getController()).isTrue();
  }

  @Test
  void rawDeploymentGetsWorkerDeploymentServiceAndHpa() {
    InferenceService isvc = createSample("onnx-style.yaml", "raw");
    reconciler.reconcile(isvc);

    String revision = latestRevision("raw", "style-sample");
    Deployment deployment = client.apps().deployments().inNamespace("raw").withName(revision).get();
    assertOwnedBy(deployment, isvc);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getName()).isEqualTo("kserve-container");
    assertThat(container.getImage()).isEqualTo("kaskade/worker:test");
    assertThat(container.getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "KASKADE_PREDICTOR_TOPIC", "kaskade.raw.style-sample.predictor." + revision),
            org.assertj.core.groups.Tuple.tuple("STORAGE_URI", "s3://models/onnx/style"));
    assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("4Gi");
    var service = client.services().inNamespace("raw").withName(revision).get();
    assertOwnedBy(service, isvc);
    assertThat(service.getSpec().getSelector())
        .containsEntry(DesiredState.REVISION_LABEL, revision);
    var hpa =
        client
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace("raw")
            .withName(revision)
            .get();
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(3);
    assertOwnedBy(hpa, isvc);
    assertThat(
            client
                .genericKubernetesResources(Workloads.SCALED_OBJECT)
                .inNamespace("raw")
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void serverlessWithMinZeroGetsKedaScaledObjectOnConsumerLag() {
    InferenceService isvc = createSample("onnx-scale-to-zero.yaml", "models");
    reconciler.reconcile(isvc);

    String revision = latestRevision("models", "mnist");
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("models")
                .withName(revision)
                .get()
                .getSpec()
                .getReplicas())
        .isZero();
    GenericKubernetesResource scaled =
        client
            .genericKubernetesResources(Workloads.SCALED_OBJECT)
            .inNamespace("models")
            .withName(revision)
            .get();
    assertOwnedBy(scaled, isvc);
    Map<String, Object> spec = (Map<String, Object>) scaled.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("minReplicaCount", 0).containsEntry("maxReplicaCount", 5);
    Map<String, Object> trigger = ((List<Map<String, Object>>) spec.get("triggers")).get(0);
    assertThat(trigger).containsEntry("type", "kafka");
    assertThat((Map<String, Object>) trigger.get("metadata"))
        .containsEntry("consumerGroup", "kaskade-worker-models-mnist-" + revision)
        .containsEntry("topic", "kaskade.models.mnist.predictor." + revision)
        .containsEntry("lagThreshold", "10")
        .containsEntry("activationLagThreshold", "0")
        .containsEntry("offsetResetPolicy", "earliest")
        .containsEntry("bootstrapServers", "kafka:9092");
    assertThat(
            client
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace("models")
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  void unservableSampleIsAcceptedWithStatusAndNoWorkloads() {
    InferenceService isvc = createSample("tensorflow-flowers.yaml", "iris");
    reconciler.reconcile(isvc);

    assertThat(channel.current("InferenceService", "iris", "flower-sample")).isPresent();
    assertThat(deployments("iris")).isEmpty();
    InferenceService stored =
        client
            .resources(InferenceService.class)
            .inNamespace("iris")
            .withName("flower-sample")
            .get();
    assertThat(stored.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("PredictorReady"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("NoSupportingRuntime");
            });
    assertThat(stored.getSpec().getPredictor().getModel().getStorageUri()).startsWith("gs://");
  }

  @Test
  void invalidSpecGetsInvalidSpecConditionNamingTheField() {
    InferenceService isvc =
        create(Fixtures.manifestText("canary-v2.yaml").replace("20", "150"), "bad");
    reconciler.reconcile(isvc);

    assertThat(channel.resources).isEmpty();
    Condition ready =
        client
            .resources(InferenceService.class)
            .inNamespace("bad")
            .withName("flowers")
            .get()
            .getStatus()
            .getConditions()
            .get(0);
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage())
        .contains("spec.predictor.canaryTrafficPercent: must be between 0 and 100, got 150");
    assertThat(events("bad"))
        .singleElement()
        .asString()
        .startsWith("Warning/InvalidSpec: spec.predictor.canaryTrafficPercent");
  }

  @Test
  void privilegedCustomContainerGetsReadyFalseNamingTheFieldAndNoWorkloads() {
    String yaml =
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: root-model}
        spec:
          predictor:
            containers:
              - name: kserve-container
                image: example.com/custom-model:1
                securityContext: {privileged: true}
        """;
    reconciler.reconcile(create(yaml, "privileged"));

    assertThat(channel.resources).isEmpty();
    assertThat(deployments("privileged")).isEmpty();
    Condition ready =
        client
            .resources(InferenceService.class)
            .inNamespace("privileged")
            .withName("root-model")
            .get()
            .getStatus()
            .getConditions()
            .get(0);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("PrivilegesNotAllowed");
    assertThat(ready.getMessage())
        .contains("spec.predictor.containers[0].securityContext.privileged: true is not allowed");
  }

  @Test
  void canaryKeepsPreviousDeploymentUntilPromotion() {
    InferenceService v1 = createSample("canary-v1.yaml", "canary");
    reconciler.reconcile(v1);
    String r1 = latestRevision("canary", "flowers");

    reconciler.reconcile(createSample("canary-v2.yaml", "canary"));
    String r2 = latestRevision("canary", "flowers");
    assertThat(deployments("canary"))
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder(r1, r2);

    String promoted =
        Fixtures.manifestText("canary-v2.yaml").replace("canaryTrafficPercent: 20", "");
    reconciler.reconcile(create(promoted, "canary"));
    assertThat(latestRevision("canary", "flowers")).isEqualTo(r2);
    // r2 has not reported Ready: r1 keeps running and serving
    assertThat(deployments("canary"))
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder(r1, r2);

    report("canary", r2, ModelState.Ready, null);
    reconciler.reconcile(client.resource(v1).get());
    assertThat(deployments("canary"))
        .extracting(d -> d.getMetadata().getName())
        .containsExactly(r2);
    assertThat(
            client
                .genericKubernetesResources(Workloads.SCALED_OBJECT)
                .inNamespace("canary")
                .list()
                .getItems())
        .extracting(o -> o.getMetadata().getName())
        .containsExactly(r2);
  }

  private void report(String ns, String revision, ModelState state, String message) {
    channel.report(
        ComponentStatus.newBuilder()
            .setNamespace(ns)
            .setName("flowers")
            .setComponent("predictor")
            .setRevision(revision)
            .setState(state)
            .setReason(state == ModelState.FailedToLoad ? "ModelLoadFailed" : null)
            .setMessage(message)
            .setInstance("pod-" + revision)
            .setTimestampMs(System.currentTimeMillis())
            .build());
  }

  private List<String> events(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .map(e -> e.getType() + "/" + e.getReason() + ": " + e.getMessage())
        .toList();
  }

  @Test
  void aRevisionThatFailsLeavesTrafficOnThePreviousOneWithStatusAndEvents() {
    reconciler.reconcile(createSample("canary-v1.yaml", "rollout"));
    String r1 = latestRevision("rollout", "flowers");
    report("rollout", r1, ModelState.Ready, null);
    reconciler.writeStatus("rollout", "flowers");
    assertThat(events("rollout"))
        .anyMatch(e -> e.startsWith("Normal/RevisionCreated: created revision " + r1))
        .anyMatch(e -> e.startsWith("Normal/RevisionReady: revision " + r1));

    String v2 = Fixtures.manifestText("canary-v2.yaml").replace("canaryTrafficPercent: 20", "");
    reconciler.reconcile(create(v2, "rollout"));
    String r2 = latestRevision("rollout", "flowers");
    report("rollout", r2, ModelState.FailedToLoad, "model.onnx is not an ONNX file");
    reconciler.writeStatus("rollout", "flowers");

    assertThat(deployments("rollout"))
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder(r1, r2);
    var status =
        client
            .resources(InferenceService.class)
            .inNamespace("rollout")
            .withName("flowers")
            .get()
            .getStatus();
    var predictor = status.getComponents().get("predictor");
    assertThat(predictor.getTraffic())
        .extracting(t -> t.getRevisionName() + "=" + t.getPercent())
        .containsExactly(r2 + "=0", r1 + "=100");
    assertThat(status.getConditions())
        .filteredOn(c -> c.getType().equals("LatestDeploymentReady"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("RevisionFailed");
              assertThat(c.getMessage()).contains("traffic stays on " + r1);
            });
    assertThat(predictor.getRolloutHistory())
        .extracting(m -> m.get("reason"))
        .containsExactly("Promoted", "AwaitingReadiness");
    assertThat(events("rollout"))
        .anyMatch(e -> e.startsWith("Warning/RevisionFailed: revision " + r2))
        .anyMatch(e -> e.startsWith("Normal/TrafficMoved: traffic now " + r2 + "=0%"));
  }

  @Test
  void statusIsWrittenFromWorkerEvents() {
    InferenceService isvc = createSample("canary-v1.yaml", "status");
    reconciler.reconcile(isvc);
    String revision = latestRevision("status", "flowers");

    channel.report(
        ComponentStatus.newBuilder()
            .setNamespace("status")
            .setName("flowers")
            .setComponent("predictor")
            .setRevision(revision)
            .setState(ModelState.Ready)
            .setInstance("pod-1")
            .build());
    reconciler.writeStatus("status", "flowers");

    var status =
        client
            .resources(InferenceService.class)
            .inNamespace("status")
            .withName("flowers")
            .get()
            .getStatus();
    assertThat(status.getConditions())
        .filteredOn(c -> c.getType().equals("Ready"))
        .extracting(Condition::getStatus)
        .containsExactly("True");
    assertThat(status.getUrl()).isEqualTo("http://flowers.status.example.com");
    assertThat(status.getComponents().get("predictor").getLatestReadyRevision())
        .isEqualTo(revision);
    assertThat(status.getClusterServingRuntimeName()).isEqualTo("kaskade-onnx");
  }

  @Test
  void deleteTombstonesTheServiceAndChildrenCarryOwnerReferencesForGarbageCollection() {
    InferenceService isvc = createSample("canary-v1.yaml", "gone");
    reconciler.reconcile(isvc);
    String revision = latestRevision("gone", "flowers");

    client.resource(isvc).delete();
    reconciler.delete("gone", "flowers");

    assertThat(channel.tombstones).containsExactly("InferenceService/gone/flowers");
    // The mock server has no garbage collector; a real API server deletes these via the owner.
    assertOwnedBy(client.apps().deployments().inNamespace("gone").withName(revision).get(), isvc);
    assertOwnedBy(client.services().inNamespace("gone").withName(revision).get(), isvc);
  }

  @Test
  void namespacedServingRuntimeIsSelectedAndItsContainerUsed() {
    ServingRuntime runtime = (ServingRuntime) Fixtures.manifest("servingruntime.yaml").resource();
    runtime.getMetadata().setNamespace("sk");
    client.resource(runtime).create();
    String iris = Fixtures.manifestText("sklearn-iris.yaml").replace("gs://", "s3://");
    reconciler.reconcile(create(iris, "sk"));

    InferenceServiceSpec spec =
        (InferenceServiceSpec)
            channel.current("InferenceService", "sk", "sklearn-iris").orElseThrow().getSpec();
    assertThat(spec.getPredictor().getRuntime()).isEqualTo("kserve-sklearnserver");
    var container =
        client
            .apps()
            .deployments()
            .inNamespace("sk")
            .withName(spec.getPredictor().getRevision())
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getImage()).isEqualTo("kserve/sklearnserver:latest");
    assertThat(container.getArgs()).contains("--model_name=sklearn-iris");
  }

  @Test
  void servingRuntimePodRunsTheModelServerWithStorageInitializerAndBridgeSidecar() {
    ServingRuntime runtime = (ServingRuntime) Fixtures.manifest("servingruntime.yaml").resource();
    runtime.getMetadata().setNamespace("bridge");
    client.resource(runtime).create();
    reconciler.reconcile(createSample("sklearn-iris.yaml", "bridge"));

    String revision = latestRevision("bridge", "sklearn-iris");
    var pod =
        client
            .apps()
            .deployments()
            .inNamespace("bridge")
            .withName(revision)
            .get()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getContainers())
        .extracting(c -> c.getName() + "=" + c.getImage())
        .containsExactly(
            "kserve-container=kserve/sklearnserver:latest", "kaskade-bridge=kaskade/worker:test");
    assertThat(pod.getContainers().get(0).getArgs()).contains("--model_name=sklearn-iris");
    assertThat(pod.getContainers().get(1).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "KASKADE_WORKER_UPSTREAM_URL", "http://localhost:8080"));
    assertThat(pod.getInitContainers().get(0).getArgs().get(0)).startsWith("gs://");
  }

  @Test
  void customPredictorContainersAreDeployedWithTheBridgeSidecar() {
    String yaml =
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: custom-model}
        spec:
          predictor:
            containers:
              - {name: kserve-container, image: example.com/custom-model:1}
        """;
    reconciler.reconcile(create(yaml, "custom"));

    assertThat(deployments("custom"))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.getSpec().getTemplate().getSpec().getContainers())
                    .extracting(c -> c.getName() + "=" + c.getImage())
                    .containsExactly(
                        "kserve-container=example.com/custom-model:1",
                        "kaskade-bridge=kaskade/worker:test"));
  }

  @Test
  void upstreamAnnotationIsServedByABridgeWithoutARuntime() {
    String annotated =
        Fixtures.manifestText("sklearn-iris.yaml")
            .replace(
                "metadata:\n",
                "metadata:\n  annotations:\n    kaskade.dev/upstream-url: http://sklearn:8080\n");
    reconciler.reconcile(create(annotated, "upstream"));

    InferenceServiceSpec spec =
        (InferenceServiceSpec)
            channel.current("InferenceService", "upstream", "sklearn-iris").orElseThrow().getSpec();
    assertThat(spec.getPredictor().getParameters())
        .containsEntry("upstream-url", "http://sklearn:8080");
    assertThat(deployments("upstream"))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo("kaskade/worker:test"));
  }

  @Test
  void clusterRuntimeWithHigherPriorityBeatsTheBuiltIn() {
    String yaml =
        """
        apiVersion: serving.kserve.io/v1alpha1
        kind: ClusterServingRuntime
        metadata: {name: triton-onnx}
        spec:
          supportedModelFormats: [{name: onnx, autoSelect: true, priority: 5}]
          protocolVersions: [v2, grpc-v2]
          containers: [{name: kserve-container, image: nvcr.io/nvidia/tritonserver:24.01-py3}]
        """;
    client
        .resource((ClusterServingRuntime) Fixtures.yaml(yaml).resource())
        .createOr(c -> c.update());
    reconciler.reconcile(createSample("onnx-style.yaml", "prio"));

    InferenceServiceSpec spec =
        (InferenceServiceSpec)
            channel.current("InferenceService", "prio", "style-sample").orElseThrow().getSpec();
    assertThat(spec.getPredictor().getRuntime()).isEqualTo("triton-onnx");
    client.resources(ClusterServingRuntime.class).withName("triton-onnx").delete();
  }

  @Test
  void modelMeshPlacesServicesOnOneSharedRuntimeDeployment() {
    String runtime =
        """
        apiVersion: serving.kserve.io/v1alpha1
        kind: ClusterServingRuntime
        metadata: {name: kaskade-mm}
        spec:
          multiModel: true
          supportedModelFormats: [{name: onnx, autoSelect: true}]
        """;
    client
        .resource((ClusterServingRuntime) Fixtures.yaml(runtime).resource())
        .createOr(c -> c.update());
    String a =
        Fixtures.manifestText("canary-v1.yaml")
            .replace(
                "name: \"flowers\"",
                "name: \"flowers\"\n  annotations:\n    serving.kserve.io/deploymentMode: ModelMesh");
    InferenceService first = create(a, "mm");
    reconciler.reconcile(first);
    InferenceService second = create(a.replace("\"flowers\"", "\"roses\""), "mm");
    reconciler.reconcile(second);

    assertThat(deployments("mm"))
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("modelmesh-kaskade-mm");
    assertThat(deployments("mm").get(0).getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getName)
        .containsExactlyInAnyOrder("flowers", "roses");

    TrainedModel tm = (TrainedModel) Fixtures.manifest("trainedmodel.yaml").resource();
    tm.getMetadata().setNamespace("mm");
    tm.getSpec().setInferenceService("flowers");
    assertThat(new ResourceReconciler(client, channel).reconcile(client.resource(tm).create()))
        .isTrue();
    assertThat(channel.current("TrainedModel", "mm", "model1")).isPresent();
    client.resources(ClusterServingRuntime.class).withName("kaskade-mm").delete();
  }

  @Test
  void inferenceGraphIsPublishedOnlyWhenItsServicesExist() {
    ResourceReconciler resources = new ResourceReconciler(client, channel);
    var graph =
        (dev.kaskade.reconciler.model.InferenceGraph)
            Fixtures.manifest("inferencegraph.yaml").resource();
    graph.getMetadata().setNamespace("graph");
    var created = client.resource(graph).create();
    assertThat(resources.reconcile(created)).isFalse();
    assertThat(channel.current("InferenceGraph", "graph", "model-chainer")).isEmpty();

    createSample("onnx-style.yaml", "graph");
    createSample("canary-v1.yaml", "graph");
    assertThat(resources.reconcile(created)).isTrue();
    var spec =
        (dev.kaskade.events.InferenceGraphSpec)
            channel.current("InferenceGraph", "graph", "model-chainer").orElseThrow().getSpec();
    assertThat(spec.getNodesJson()).contains("\"serviceName\":\"flowers\"");

    resources.delete(created);
    assertThat(channel.tombstones).contains("InferenceGraph/graph/model-chainer");
  }
}
