package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.reconciler.core.ResourcePlanner;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.ServingRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadSecurityTest {
  private static final ClusterConfig CONFIG =
      new ClusterConfig(
          "kaskade/worker:1", "kafka:9092", "http://registry:8081", "kaskade", 10, 25);

  private static DesiredState.RevisionInput input(String yaml, ClusterConfig config) {
    Plan plan = ResourcePlanner.plan(Fixtures.yaml(yaml), Fixtures.stateWithBuiltIns());
    InferenceService isvc = (InferenceService) plan.manifest().resource();
    InferenceServiceSpec spec = (InferenceServiceSpec) plan.event().getSpec();
    return new DesiredState.RevisionInput(isvc, spec, spec.getPredictor(), null, config);
  }

  private static DesiredState.RevisionInput builtIn() {
    Plan plan = Fixtures.planAll(Fixtures.stateWithBuiltIns(), "onnx-style.yaml").get(0);
    InferenceService isvc = (InferenceService) plan.manifest().resource();
    InferenceServiceSpec spec = (InferenceServiceSpec) plan.event().getSpec();
    return new DesiredState.RevisionInput(isvc, spec, spec.getPredictor(), null, CONFIG);
  }

  private static String custom(String predictorExtra, String securityContext) {
    return """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: custom-model}
        spec:
          predictor:
        %s
            containers:
              - name: kserve-container
                image: example.com/custom-model:1
                securityContext: %s
        """
        .formatted(predictorExtra, securityContext);
  }

  private static PodSpec pod(DesiredState.RevisionInput in) {
    return DesiredState.generateDeployment(in).getSpec().getTemplate().getSpec();
  }

  private static void assertKaskadeHardened(Container c) {
    var context = c.getSecurityContext();
    assertThat(context.getAllowPrivilegeEscalation()).isFalse();
    assertThat(context.getReadOnlyRootFilesystem()).isTrue();
    assertThat(context.getRunAsNonRoot()).isTrue();
    assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(context.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(c.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/tmp");
  }

  @Test
  void builtInWorkerPodRunsNonRootReadOnlyWithoutCapabilitiesOrToken() {
    PodSpec pod = pod(builtIn());

    var context = pod.getSecurityContext();
    assertThat(context.getRunAsNonRoot()).isTrue();
    assertThat(context.getRunAsUser()).isEqualTo(10001L);
    assertThat(context.getRunAsGroup()).isEqualTo(10001L);
    assertThat(context.getFsGroup()).isEqualTo(10001L);
    assertThat(context.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getServiceAccountName()).isNull();
    Container worker = pod.getContainers().get(0);
    assertKaskadeHardened(worker);
    assertThat(worker.getVolumeMounts())
        .extracting(VolumeMount::getMountPath)
        .containsExactlyInAnyOrder("/tmp", "/var/lib/kaskade");
    assertThat(worker.getArgs()).containsSubsequence("--data-dir", "/var/lib/kaskade");
    assertThat(pod.getVolumes())
        .allSatisfy(v -> assertThat(v.getEmptyDir()).isNotNull())
        .extracting(Volume::getName)
        .containsExactlyInAnyOrder("kaskade-tmp", "kaskade-data");
  }

  @Test
  void predictorServiceAccountIsUsedAndItsTokenMounted() {
    var in = builtIn();
    in.isvc().getSpec().getPredictor().setServiceAccountName("models-reader");

    PodSpec pod = pod(in);

    assertThat(pod.getServiceAccountName()).isEqualTo("models-reader");
    assertThat(pod.getAutomountServiceAccountToken()).isNull();
  }

  @Test
  void bridgePodHardensKaskadeContainersAndOnlyDefaultsTheRuntimes() {
    var in = builtIn();
    ServingRuntime runtime = (ServingRuntime) Fixtures.manifest("servingruntime.yaml").resource();
    var withRuntime =
        new DesiredState.RevisionInput(
            in.isvc(), in.spec(), in.predictor(), runtime.getSpec(), CONFIG);

    PodSpec pod = pod(withRuntime);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    Container server = pod.getContainers().get(0);
    // its own securityContext (runAsNonRoot) is kept; a writable root filesystem stays allowed
    assertThat(server.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(server.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(server.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isNull();
    Container bridge = pod.getContainers().get(1);
    assertKaskadeHardened(bridge);
    assertThat(bridge.getVolumeMounts())
        .extracting(VolumeMount::getMountPath)
        .contains("/var/lib/kaskade");
    Container init = pod.getInitContainers().get(0);
    assertKaskadeHardened(init);
    assertThat(init.getVolumeMounts())
        .extracting(VolumeMount::getMountPath)
        .containsExactlyInAnyOrder("/mnt/models", "/tmp");
  }

  @Test
  void modelMeshDeploymentIsHardenedToo() {
    PodSpec pod =
        DesiredState.generateModelMeshDeployment("ns", "kaskade-onnx", List.of(), CONFIG, 1)
            .getSpec()
            .getTemplate()
            .getSpec();

    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertKaskadeHardened(pod.getContainers().get(0));
  }

  @Test
  void unprivilegedCustomContainerIsAcceptedWithAnAllowListedCapability() {
    var strict = input(custom("", "{capabilities: {add: [NET_BIND_SERVICE]}}"), CONFIG);
    assertThat(RuntimeBridgePod.privilegeViolations(strict))
        .containsExactly(
            "spec.predictor.containers[0].securityContext.capabilities.add: NET_BIND_SERVICE is not"
                + " in reconciler.allowed-runtime-capabilities (the operator may allow it there or"
                + " with reconciler.allow-privileged-runtimes)");

    var allowing = withPolicy(new RuntimePolicy(false, Set.of("cap_net_bind_service")));
    var in = input(custom("", "{capabilities: {add: [NET_BIND_SERVICE]}}"), allowing);
    assertThat(RuntimeBridgePod.privilegeViolations(in)).isEmpty();
    // an added capability survives the default drop: [ALL] (Kubernetes applies add after drop)
    var caps = pod(in).getContainers().get(0).getSecurityContext().getCapabilities();
    assertThat(caps.getAdd()).containsExactly("NET_BIND_SERVICE");
    assertThat(caps.getDrop()).containsExactly("ALL");
  }

  @Test
  void privilegedEscalatingOrHostLevelRequestsAreRefusedNamingTheField() {
    String extra =
        """
            hostNetwork: true
            hostPID: true
            volumes: [{name: docker, hostPath: {path: /var/run/docker.sock}}]
        """;
    var in = input(custom(extra, "{privileged: true, allowPrivilegeEscalation: true}"), CONFIG);

    assertThat(RuntimeBridgePod.privilegeViolations(in))
        .containsExactlyInAnyOrder(
            "spec.predictor.containers[0].securityContext.privileged: true is not allowed (the"
                + " operator may allow it with reconciler.allow-privileged-runtimes)",
            "spec.predictor.containers[0].securityContext.allowPrivilegeEscalation: true is not"
                + " allowed (the operator may allow it with reconciler.allow-privileged-runtimes)",
            "spec.predictor.hostNetwork: true is not allowed (the operator may allow it with"
                + " reconciler.allow-privileged-runtimes)",
            "spec.predictor.hostPID: true is not allowed (the operator may allow it with"
                + " reconciler.allow-privileged-runtimes)",
            "spec.predictor.volumes[0].hostPath is not allowed (the operator may allow it with"
                + " reconciler.allow-privileged-runtimes)");
  }

  @Test
  void servingRuntimeAskingForPrivilegesIsRefusedUnlessTheOperatorAllowsIt() {
    var in = builtIn();
    ServingRuntime runtime = (ServingRuntime) Fixtures.manifest("servingruntime.yaml").resource();
    runtime.getSpec().getContainers().get(0).getSecurityContext().setPrivileged(true);
    runtime.getSpec().setAdditionalProperty("hostIPC", true);
    var strict =
        new DesiredState.RevisionInput(
            in.isvc(), in.spec(), in.predictor(), runtime.getSpec(), CONFIG);
    assertThat(RuntimeBridgePod.privilegeViolations(strict))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e).startsWith("ServingRuntime "))
        .anySatisfy(e -> assertThat(e).contains("spec.containers[0].securityContext.privileged"))
        .anySatisfy(e -> assertThat(e).contains("spec.hostIPC"));

    var allowed =
        new DesiredState.RevisionInput(
            in.isvc(),
            in.spec(),
            in.predictor(),
            runtime.getSpec(),
            withPolicy(new RuntimePolicy(true, Set.of())));
    assertThat(RuntimeBridgePod.privilegeViolations(allowed)).isEmpty();
  }

  private static ClusterConfig withPolicy(RuntimePolicy policy) {
    return new ClusterConfig(
        "kaskade/worker:1",
        "kafka:9092",
        "http://registry:8081",
        "kaskade",
        10,
        25,
        "",
        "",
        policy);
  }
}
