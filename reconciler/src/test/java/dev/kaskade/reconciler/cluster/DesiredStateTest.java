package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.ServingRuntime;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredStateTest {
  private static final ClusterConfig CONFIG =
      new ClusterConfig(
          "kaskade/worker:1", "kafka:9092", "http://registry:8081", "kaskade", 10, 25);

  private static DesiredState.RevisionInput input(String sample) {
    Plan plan = Fixtures.planAll(Fixtures.stateWithBuiltIns(), sample).get(0);
    InferenceService isvc = (InferenceService) plan.manifest().resource();
    isvc.getMetadata().setUid("uid-1");
    InferenceServiceSpec spec = (InferenceServiceSpec) plan.event().getSpec();
    return new DesiredState.RevisionInput(isvc, spec, spec.getPredictor(), null, CONFIG);
  }

  @Test
  void deploymentIsNamedAfterTheRevisionAndOwnedByTheInferenceService() {
    var in = input("onnx-style.yaml");
    var deployment = DesiredState.generateDeployment(in);
    assertThat(deployment.getMetadata().getName()).isEqualTo(in.revision());
    OwnerReference owner = deployment.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getUid()).isEqualTo("uid-1");
    assertThat(owner.getController()).isTrue();
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .containsEntry(DesiredState.REVISION_LABEL, in.revision());
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(DesiredState.ISVC_LABEL, "style-sample")
        .containsEntry("component", "predictor");
  }

  @Test
  void builtInRuntimeRunsTheKaskadeWorkerWithItsTopicAndGroup() {
    var in = input("onnx-style.yaml");
    var container =
        DesiredState.generateDeployment(in)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getImage()).isEqualTo("kaskade/worker:1");
    assertThat(container.getArgs())
        .containsExactly(
            "worker",
            "--isvc",
            "style-sample",
            "--revision",
            in.revision(),
            "--data-dir",
            "/var/lib/kaskade");
    assertThat(container.getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "KASKADE_CONSUMER_GROUP", "kaskade-worker-default-style-sample-" + in.revision()),
            org.assertj.core.groups.Tuple.tuple("KASKADE_BOOTSTRAP_SERVERS", "kafka:9092"));
    assertThat(container.getResources().getRequests().get("cpu").toString()).isEqualTo("1");
  }

  @Test
  void kaskadeWorkerDeclaresItsMetricsPortForThePodMonitor() {
    var container =
        DesiredState.generateDeployment(input("onnx-style.yaml"))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    var modelMesh =
        DesiredState.generateModelMeshDeployment("ns", "kaskade-mm", List.of(), CONFIG, 1)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);

    for (var worker : List.of(container, modelMesh)) {
      assertThat(worker.getPorts())
          .extracting(p -> p.getName(), p -> p.getContainerPort())
          .contains(
              org.assertj.core.groups.Tuple.tuple("metrics", DesiredState.WORKER_METRICS_PORT));
    }
    assertThat(DesiredState.WORKER_METRICS_PORT).as("not the processors' 9464").isEqualTo(9465);
  }

  @Test
  void servingRuntimeContainerIsUsedWithNameFilledIn() {
    var in = input("onnx-style.yaml");
    ServingRuntime runtime = (ServingRuntime) Fixtures.manifest("servingruntime.yaml").resource();
    var withRuntime =
        new DesiredState.RevisionInput(
            in.isvc(), in.spec(), in.predictor(), runtime.getSpec(), CONFIG);
    var container = DesiredState.workerContainer(withRuntime);
    assertThat(container.getImage()).isEqualTo("kserve/sklearnserver:latest");
    assertThat(container.getArgs()).contains("--model_name=style-sample");
    assertThat(container.getName()).isEqualTo("kserve-container");
  }

  @Test
  void servingRuntimeContainersRunUnchangedBesideTheBridgeSidecar() {
    var in = input("onnx-style.yaml");
    ServingRuntime runtime = (ServingRuntime) Fixtures.manifest("servingruntime.yaml").resource();
    var withRuntime =
        new DesiredState.RevisionInput(
            in.isvc(), in.spec(), in.predictor(), runtime.getSpec(), CONFIG);

    var pod = DesiredState.generateDeployment(withRuntime).getSpec().getTemplate().getSpec();

    assertThat(pod.getContainers())
        .extracting(c -> c.getName())
        .containsExactly("kserve-container", "kaskade-bridge");
    var server = pod.getContainers().get(0);
    assertThat(server.getImage()).isEqualTo("kserve/sklearnserver:latest");
    assertThat(server.getArgs())
        .containsExactly(
            "--model_name=style-sample", "--model_dir=/mnt/models", "--http_port=8080");
    assertThat(server.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(server.getReadinessProbe().getHttpGet().getPath())
        .isEqualTo(RuntimeBridgePod.readyPath(withRuntime));
    assertThat(server.getVolumeMounts().get(0).getMountPath()).isEqualTo("/mnt/models");
    var bridge = pod.getContainers().get(1);
    assertThat(bridge.getImage()).isEqualTo("kaskade/worker:1");
    assertThat(bridge.getPorts())
        .as("only its /metrics: the model server owns the http port")
        .extracting(p -> p.getName(), p -> p.getContainerPort())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("metrics", 9465));
    assertThat(bridge.getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "KASKADE_WORKER_UPSTREAM_URL", "http://localhost:8080"),
            org.assertj.core.groups.Tuple.tuple("KASKADE_REVISION", in.revision()));
    var init = pod.getInitContainers().get(0);
    assertThat(init.getName()).isEqualTo("storage-initializer");
    assertThat(init.getArgs()).containsExactly(in.predictor().getStorageUri(), "/mnt/models");
    assertThat(pod.getVolumes().get(0).getEmptyDir()).isNotNull();
  }

  @Test
  void customPredictorContainersRunBesideTheBridgeSidecar() {
    String yaml =
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: custom-model}
        spec:
          predictor:
            containers:
              - name: kserve-container
                image: example.com/custom-model:1
                args: ["--model_name={{.Name}}"]
                ports: [{containerPort: 8085}]
        """;
    Plan plan =
        dev.kaskade.reconciler.core.ResourcePlanner.plan(
            Fixtures.yaml(yaml), Fixtures.stateWithBuiltIns());
    InferenceService isvc = (InferenceService) plan.manifest().resource();
    InferenceServiceSpec spec = (InferenceServiceSpec) plan.event().getSpec();
    var in = new DesiredState.RevisionInput(isvc, spec, spec.getPredictor(), null, CONFIG);

    var pod = DesiredState.generateDeployment(in).getSpec().getTemplate().getSpec();

    assertThat(pod.getContainers().get(0).getImage()).isEqualTo("example.com/custom-model:1");
    assertThat(pod.getContainers().get(0).getArgs()).containsExactly("--model_name=custom-model");
    assertThat(pod.getContainers().get(1).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "KASKADE_WORKER_UPSTREAM_URL", "http://localhost:8085"));
    assertThat(pod.getInitContainers()).isNullOrEmpty();
  }

  @Test
  void readinessFollowsTheProtocolAndThePortTheModelServerDeclares() {
    var in = input("onnx-style.yaml");
    PredictorSpec v2 = PredictorSpec.newBuilder(in.predictor()).setProtocolVersion("v2").build();
    PredictorSpec v1 = PredictorSpec.newBuilder(in.predictor()).setProtocolVersion("v1").build();
    var v2in = new DesiredState.RevisionInput(in.isvc(), in.spec(), v2, null, CONFIG);
    var v1in = new DesiredState.RevisionInput(in.isvc(), in.spec(), v1, null, CONFIG);
    assertThat(RuntimeBridgePod.readyPath(v2in)).isEqualTo("/v2/health/ready");
    assertThat(RuntimeBridgePod.readyPath(v1in)).isEqualTo("/v1/models/style-sample");
    var triton =
        new io.fabric8.kubernetes.api.model.ContainerBuilder()
            .addNewPort()
            .withName("grpc")
            .withContainerPort(9000)
            .endPort()
            .addNewPort()
            .withName("http")
            .withContainerPort(8000)
            .endPort()
            .build();
    assertThat(RuntimeBridgePod.port(triton)).isEqualTo(8000);
    assertThat(RuntimeBridgePod.port(new io.fabric8.kubernetes.api.model.Container()))
        .isEqualTo(8080);
  }

  @Test
  void rawDeploymentScalesWithHpaFromMinToMax() {
    var in = input("onnx-style.yaml");
    assertThat(DesiredState.usesKeda(in)).isFalse();
    var hpa = DesiredState.generateHpa(in, "cpu", 80);
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization())
        .isEqualTo(80);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(in.revision());
  }

  @Test
  @SuppressWarnings("unchecked")
  void scaleToZeroUsesKedaWithDefaultLagThreshold() {
    var in = input("onnx-scale-to-zero.yaml");
    assertThat(DesiredState.usesKeda(in)).isTrue();
    assertThat(DesiredState.initialReplicas(in)).isZero();
    var scaled = DesiredState.generateScaledObject(in);
    assertThat(scaled.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
    assertThat(scaled.getKind()).isEqualTo("ScaledObject");
    Map<String, Object> spec = (Map<String, Object>) scaled.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("scaleTargetRef", Map.of("name", in.revision()));
    Map<String, Object> trigger = ((List<Map<String, Object>>) spec.get("triggers")).get(0);
    assertThat((Map<String, Object>) trigger.get("metadata")).containsEntry("lagThreshold", "25");
  }

  @Test
  @SuppressWarnings("unchecked")
  void securedKafkaReachesWorkersByEnvFromAndKedaByTriggerAuthentication() {
    ClusterConfig secured =
        new ClusterConfig(
            "kaskade/worker:1",
            "kafka:9093",
            "http://registry:8081",
            "kaskade",
            10,
            25,
            "kaskade-kafka-worker",
            "kaskade-kafka");
    var base = input("onnx-scale-to-zero.yaml");
    var in =
        new DesiredState.RevisionInput(
            base.isvc(), base.spec(), base.predictor(), base.runtime(), secured);

    var container = DesiredState.workerContainer(in);
    assertThat(container.getEnvFrom())
        .singleElement()
        .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("kaskade-kafka-worker"));
    Map<String, Object> spec =
        (Map<String, Object>)
            DesiredState.generateScaledObject(in).getAdditionalProperties().get("spec");
    Map<String, Object> trigger = ((List<Map<String, Object>>) spec.get("triggers")).get(0);
    assertThat(trigger)
        .containsEntry(
            "authenticationRef",
            Map.of("name", "kaskade-kafka", "kind", "ClusterTriggerAuthentication"));
    assertThat(DesiredState.workerContainer(input("onnx-scale-to-zero.yaml")).getEnvFrom())
        .isEmpty();
  }

  @Test
  void unsetMaxReplicasUsesTheConfiguredBound() {
    var in = input("canary-v1.yaml");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>)
            DesiredState.generateScaledObject(in).getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("maxReplicaCount", 10).containsEntry("minReplicaCount", 1);
  }

  @Test
  void serviceSelectsTheRevisionsPods() {
    var in = input("canary-v1.yaml");
    var service = DesiredState.generateService(in);
    assertThat(service.getSpec().getSelector())
        .isEqualTo(Map.of(DesiredState.REVISION_LABEL, in.revision()));
    assertThat(service.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(8080);
  }

  @Test
  void modelMeshDeploymentIsSharedWithNonControllingOwners() {
    var owner = DesiredState.ownerReference(input("canary-v1.yaml").isvc());
    var deployment =
        DesiredState.generateModelMeshDeployment("ns", "kaskade-mm", List.of(owner), CONFIG, 2);
    assertThat(deployment.getMetadata().getName()).isEqualTo("modelmesh-kaskade-mm");
    assertThat(deployment.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getController()).isFalse());
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void previousRevisionGetsItsOwnWorkloadsDuringACanary() {
    var plans = Fixtures.planAll(Fixtures.stateWithBuiltIns(), "canary-v1.yaml", "canary-v2.yaml");
    InferenceServiceSpec spec = (InferenceServiceSpec) plans.get(1).event().getSpec();
    PredictorSpec previous = spec.getPreviousPredictor();
    InferenceService isvc = (InferenceService) plans.get(1).manifest().resource();
    var in = new DesiredState.RevisionInput(isvc, spec, previous, null, CONFIG);
    assertThat(DesiredState.generateDeployment(in).getMetadata().getName())
        .isEqualTo(previous.getRevision())
        .isNotEqualTo(spec.getPredictor().getRevision());
  }
}
