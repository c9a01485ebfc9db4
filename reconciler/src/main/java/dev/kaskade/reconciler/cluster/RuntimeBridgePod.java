package dev.kaskade.reconciler.cluster;

import dev.kaskade.reconciler.cluster.DesiredState.RevisionInput;
import dev.kaskade.reconciler.core.PredictorImplementations;
import dev.kaskade.schemas.runtime.RuntimeBridgeRules;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pod of a revision whose ServingRuntime (or custom predictor) brings its own model server
 * (sklearnserver, tritonserver, torchserve, mlserver, a custom image, …): its containers run as
 * KServe runs them — image, command, args, env, ports, resources unchanged, placeholders rendered
 * ({@link RuntimeTemplates}), the storage initializer filling {@value #MODEL_DIR} — and Kaskade's
 * worker runs beside them as the runtime bridge sidecar: it consumes the revision's predictor topic
 * and calls the model server on {@code localhost}. Pure.
 */
final class RuntimeBridgePod {
  static final String MODEL_DIR = "/mnt/models";
  static final String MODEL_VOLUME = "kserve-provision-location";
  static final String PREDICTOR_CONTAINER = "kserve-container";
  static final String BRIDGE_CONTAINER = "kaskade-bridge";
  static final String INITIALIZER_CONTAINER = "storage-initializer";

  /** KServe's storage initializer image; annotation {@value #INITIALIZER_ANNOTATION} overrides. */
  static final String INITIALIZER_IMAGE = "kserve/storage-initializer:v0.15.2";

  static final String INITIALIZER_ANNOTATION = "kaskade.dev/storage-initializer-image";

  /** The sidecar's setting {@code worker.upstream.url} in environment form. */
  static final String UPSTREAM_ENV = "KASKADE_WORKER_UPSTREAM_URL";

  static final int DEFAULT_PORT = 8080;

  private RuntimeBridgePod() {}

  /** Whether the revision has a model server of its own to run. */
  static boolean applies(RevisionInput in) {
    return !modelServer(in).isEmpty();
  }

  /**
   * The selected runtime's containers, else a custom predictor's own ({@code
   * spec.predictor.containers}, KServe's custom model server); empty for Kaskade's built-ins.
   */
  static List<Container> modelServer(RevisionInput in) {
    if (in.runtime() != null
        && in.runtime().getContainers() != null
        && !in.runtime().getContainers().isEmpty()) {
      return in.runtime().getContainers();
    }
    var predictor = in.isvc().getSpec() == null ? null : in.isvc().getSpec().getPredictor();
    return predictor != null && PredictorImplementations.isCustomContainer(predictor)
        ? predictor.getContainers()
        : List.of();
  }

  /**
   * What the model server's containers (and pod fields given beside them) ask for that the
   * operator's {@link RuntimePolicy} does not allow, each error naming its field.
   */
  static List<String> privilegeViolations(RevisionInput in) {
    RuntimePolicy policy = in.config().runtimePolicy();
    var predictor = in.isvc().getSpec() == null ? null : in.isvc().getSpec().getPredictor();
    List<String> errors = new ArrayList<>();
    boolean fromRuntime =
        in.runtime() != null
            && in.runtime().getContainers() != null
            && !in.runtime().getContainers().isEmpty();
    if (fromRuntime) {
      errors.addAll(
          policy.violations(
              "ServingRuntime " + in.predictor().getRuntime() + ": spec",
              in.runtime().getContainers(),
              in.runtime().getAdditionalProperties()));
    }
    if (predictor != null) {
      errors.addAll(
          policy.violations(
              "spec.predictor",
              fromRuntime || predictor.getContainers() == null
                  ? List.of()
                  : predictor.getContainers(),
              predictor.getAdditionalProperties()));
    }
    return errors;
  }

  static PodSpec podSpec(RevisionInput in) {
    boolean storage = in.predictor().getStorageUri() != null;
    List<Container> containers = new ArrayList<>();
    List<Container> runtime = modelServer(in);
    for (int i = 0; i < runtime.size(); i++) {
      Container rendered = RuntimeTemplates.render(runtime.get(i), in.isvc().getMetadata());
      containers.add(i == 0 ? predictor(in, rendered, storage) : rendered);
    }
    containers.add(bridge(in, containers.get(0)));
    PodSpecBuilder pod = new PodSpecBuilder().withContainers(containers);
    if (storage) {
      pod.addNewVolume().withName(MODEL_VOLUME).withNewEmptyDir().endEmptyDir().endVolume();
      pod.withInitContainers(storageInitializer(in));
    }
    return pod.build();
  }

  /** The model server: KServe's name, the predictor's resources when set, a readiness probe. */
  private static Container predictor(RevisionInput in, Container rendered, boolean storage) {
    ContainerBuilder c = new ContainerBuilder(rendered).withName(PREDICTOR_CONTAINER);
    var resources = DesiredState.resources(in.predictor().getResources());
    if (resources.getRequests() != null || resources.getLimits() != null) {
      c.withResources(resources);
    }
    if (rendered.getReadinessProbe() == null) {
      c.withReadinessProbe(readiness(in, port(rendered)));
    }
    if (storage) {
      c.addToVolumeMounts(
          new VolumeMountBuilder()
              .withName(MODEL_VOLUME)
              .withMountPath(MODEL_DIR)
              .withReadOnly(true)
              .build());
    }
    return c.build();
  }

  /**
   * {@code /v2/health/ready} for Open Inference Protocol servers, else {@code /v1/models/<name>}.
   */
  static Probe readiness(RevisionInput in, int port) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(readyPath(in))
        .withPort(new IntOrString(port))
        .endHttpGet()
        .withPeriodSeconds(5)
        .build();
  }

  static String readyPath(RevisionInput in) {
    return RuntimeBridgeRules.readyPath(
        RuntimeBridgeRules.openInferenceProtocol(in.predictor().getProtocolVersion()), in.name());
  }

  /** The model server's HTTP port: its first declared container port, else KServe's 8080. */
  static int port(Container container) {
    List<ContainerPort> ports = container.getPorts();
    if (ports == null) {
      return DEFAULT_PORT;
    }
    return ports.stream()
        .filter(p -> p.getName() == null || !p.getName().toLowerCase(Locale.ROOT).contains("grpc"))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElse(DEFAULT_PORT);
  }

  /** Kaskade's worker as sidecar, bridged to the model server on localhost. */
  private static Container bridge(RevisionInput in, Container predictor) {
    List<EnvVar> env = new ArrayList<>(DesiredState.workerEnv(in));
    env.add(new EnvVar(UPSTREAM_ENV, "http://localhost:" + port(predictor), null));
    return new ContainerBuilder()
        .withName(BRIDGE_CONTAINER)
        .withImage(in.config().workerImage())
        .withArgs(DesiredState.workerArgs(in))
        .addToPorts(DesiredState.metricsPort())
        .withEnv(env)
        .build();
  }

  /** KServe's storage initializer: downloads the storage URI into the shared model volume. */
  private static Container storageInitializer(RevisionInput in) {
    var annotations = in.isvc().getMetadata().getAnnotations();
    String image =
        annotations == null
            ? INITIALIZER_IMAGE
            : annotations.getOrDefault(INITIALIZER_ANNOTATION, INITIALIZER_IMAGE);
    return new ContainerBuilder()
        .withName(INITIALIZER_CONTAINER)
        .withImage(image)
        .withArgs(in.predictor().getStorageUri(), MODEL_DIR)
        .addNewVolumeMount()
        .withName(MODEL_VOLUME)
        .withMountPath(MODEL_DIR)
        .endVolumeMount()
        .build();
  }
}
