package dev.kaskade.reconciler.cluster;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.ServingRuntimeSpec;
import dev.kaskade.schemas.topic.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pure desired state of the workloads of one InferenceService predictor revision: a worker
 * Deployment and Service, and a KEDA ScaledObject (scale on consumer lag, to zero) or an HPA. No
 * client calls; unit-tested on plain objects.
 */
public final class DesiredState {
  public static final String ISVC_LABEL = "serving.kserve.io/inferenceservice";
  public static final String COMPONENT_LABEL = "component";
  public static final String REVISION_LABEL = "kaskade.dev/revision";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String RUNTIME_LABEL = "kaskade.dev/runtime";
  public static final int HTTP_PORT = 8080;

  /**
   * The port of {@code kaskade worker}'s Prometheus {@code /metrics} (its {@code --metrics-port}
   * default), declared as container port {@code metrics} for the chart's PodMonitor; the
   * processors' is 9464.
   */
  public static final int WORKER_METRICS_PORT = 9465;

  static final String WORKER_CONTAINER = "kserve-container";

  private DesiredState() {}

  /**
   * What to deploy for one revision.
   *
   * @param isvc the owner
   * @param spec the control-event spec
   * @param predictor the revision to deploy (latest or kept previous)
   * @param runtime the selected runtime's spec, or null for Kaskade's built-ins
   * @param config cluster settings
   */
  public record RevisionInput(
      InferenceService isvc,
      InferenceServiceSpec spec,
      PredictorSpec predictor,
      ServingRuntimeSpec runtime,
      ClusterConfig config) {

    String namespace() {
      return isvc.getMetadata().getNamespace();
    }

    String name() {
      return isvc.getMetadata().getName();
    }

    String revision() {
      return predictor.getRevision();
    }
  }

  /** The consumer group of a revision's workers (the KEDA lag trigger watches it). */
  public static String consumerGroup(String namespace, String isvc, String revision) {
    return "kaskade-worker-" + namespace + "-" + isvc + "-" + revision;
  }

  public static OwnerReference ownerReference(InferenceService isvc) {
    return new OwnerReferenceBuilder()
        .withApiVersion(InferenceService.API_VERSION)
        .withKind(InferenceService.KIND)
        .withName(isvc.getMetadata().getName())
        .withUid(isvc.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  public static Map<String, String> labels(RevisionInput in) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ISVC_LABEL, in.name());
    labels.put(COMPONENT_LABEL, "predictor");
    labels.put(REVISION_LABEL, in.revision());
    labels.put(MANAGED_BY_LABEL, "kaskade");
    return labels;
  }

  private static ObjectMeta metadata(RevisionInput in, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(in.namespace())
        .withLabels(labels(in))
        .withOwnerReferences(ownerReference(in.isvc()))
        .build();
  }

  /** Replicas the Deployment starts with: minReplicas, at least one unless scaled by KEDA. */
  static int initialReplicas(RevisionInput in) {
    int min = in.predictor().getMinReplicas();
    return usesKeda(in) ? min : Math.max(1, min);
  }

  /** KEDA lag scaling in Serverless mode or whenever minReplicas is 0 (scale to zero). */
  public static boolean usesKeda(RevisionInput in) {
    return "Serverless".equals(in.spec().getDeploymentMode())
        || in.predictor().getMinReplicas() == 0;
  }

  public static Deployment generateDeployment(RevisionInput in) {
    return new DeploymentBuilder()
        .withMetadata(metadata(in, in.revision()))
        .withNewSpec()
        .withReplicas(initialReplicas(in))
        .withNewSelector()
        .withMatchLabels(Map.of(REVISION_LABEL, in.revision()))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels(in))
        .endMetadata()
        .withSpec(podSpec(in))
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * Kaskade's worker alone (built-in runtimes), or a runtime's own model server with the worker as
   * runtime bridge sidecar ({@link RuntimeBridgePod}).
   */
  static PodSpec podSpec(RevisionInput in) {
    if (RuntimeBridgePod.applies(in)) {
      return WorkloadSecurity.harden(
          RuntimeBridgePod.podSpec(in),
          Set.of(RuntimeBridgePod.BRIDGE_CONTAINER, RuntimeBridgePod.INITIALIZER_CONTAINER),
          Set.of(RuntimeBridgePod.BRIDGE_CONTAINER),
          serviceAccount(in));
    }
    Set<String> worker = Set.of(WORKER_CONTAINER);
    return WorkloadSecurity.harden(
        new PodSpecBuilder().withContainers(workerContainer(in)).build(),
        worker,
        worker,
        serviceAccount(in));
  }

  /** KServe's {@code spec.predictor.serviceAccountName}, or null. */
  static String serviceAccount(RevisionInput in) {
    var predictor = in.isvc().getSpec() == null ? null : in.isvc().getSpec().getPredictor();
    return predictor == null ? null : predictor.getServiceAccountName();
  }

  /** The worker's command line: the Kaskade worker for one revision. */
  static List<String> workerArgs(RevisionInput in) {
    List<String> args =
        new ArrayList<>(List.of("worker", "--isvc", in.name(), "--revision", in.revision()));
    args.addAll(WorkloadSecurity.DATA_DIR_ARGS);
    return args;
  }

  static Container workerContainer(RevisionInput in) {
    Container template =
        in.runtime() != null
                && in.runtime().getContainers() != null
                && !in.runtime().getContainers().isEmpty()
            ? in.runtime().getContainers().get(0)
            : null;
    ContainerBuilder builder =
        template == null
            ? new ContainerBuilder()
                .withImage(in.config().workerImage())
                .withArgs(workerArgs(in))
                .addToPorts(metricsPort())
            : new ContainerBuilder(template)
                .withArgs(
                    template.getArgs() == null
                        ? List.of()
                        : template.getArgs().stream()
                            .map(a -> a.replace("{{.Name}}", in.name()))
                            .toList());
    List<EnvVar> env =
        new ArrayList<>(
            template == null || template.getEnv() == null ? List.of() : template.getEnv());
    env.addAll(workerEnv(in));
    return builder
        .withName(WORKER_CONTAINER)
        .withEnv(env)
        .addAllToEnvFrom(kafkaSecurityEnv(in))
        .withResources(resources(in.predictor().getResources()))
        .addNewPort()
        .withName("http")
        .withContainerPort(HTTP_PORT)
        .endPort()
        .build();
  }

  /** The Kaskade worker's {@code /metrics} port (not declared for a runtime's own image). */
  static ContainerPort metricsPort() {
    return new ContainerPortBuilder()
        .withName("metrics")
        .withContainerPort(WORKER_METRICS_PORT)
        .build();
  }

  /** The worker's Kafka client security ({@code KASKADE_KAFKA_*} keys of a Secret), if any. */
  static List<io.fabric8.kubernetes.api.model.EnvFromSource> kafkaSecurityEnv(RevisionInput in) {
    String secret = in.config().workerKafkaSecret();
    if (secret.isBlank()) {
      return List.of();
    }
    return List.of(
        new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
            .withNewSecretRef()
            .withName(secret)
            .endSecretRef()
            .build());
  }

  static List<EnvVar> workerEnv(RevisionInput in) {
    Topics topics = new Topics(in.config().topicPrefix());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KASKADE_BOOTSTRAP_SERVERS", in.config().bootstrapServers());
    env.put("KASKADE_SCHEMA_REGISTRY_URL", in.config().registryUrl());
    env.put("KASKADE_TOPIC_PREFIX", in.config().topicPrefix());
    env.put("KASKADE_NAMESPACE", in.namespace());
    env.put("KASKADE_INFERENCE_SERVICE", in.name());
    env.put("KASKADE_REVISION", in.revision());
    env.put("KASKADE_PREDICTOR_TOPIC", topics.predictor(in.namespace(), in.name(), in.revision()));
    env.put("KASKADE_CONSUMER_GROUP", consumerGroup(in.namespace(), in.name(), in.revision()));
    if (in.predictor().getStorageUri() != null) {
      env.put("STORAGE_URI", in.predictor().getStorageUri());
    }
    return env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
  }

  static ResourceRequirements resources(Map<String, String> flat) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    flat.forEach(
        (key, value) -> {
          if (key.startsWith("requests.")) {
            requests.put(key.substring("requests.".length()), new Quantity(value));
          } else if (key.startsWith("limits.")) {
            limits.put(key.substring("limits.".length()), new Quantity(value));
          }
        });
    ResourceRequirements resources = new ResourceRequirements();
    resources.setRequests(requests.isEmpty() ? null : requests);
    resources.setLimits(limits.isEmpty() ? null : limits);
    return resources;
  }

  public static Service generateService(RevisionInput in) {
    return new ServiceBuilder()
        .withMetadata(metadata(in, in.revision()))
        .withNewSpec()
        .withSelector(Map.of(REVISION_LABEL, in.revision()))
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withNewTargetPort(HTTP_PORT)
        .endPort()
        .endSpec()
        .build();
  }

  /** A KEDA ScaledObject scaling the revision's Deployment on its consumer group's lag. */
  public static GenericKubernetesResource generateScaledObject(RevisionInput in) {
    int max =
        in.predictor().getMaxReplicas() > 0
            ? in.predictor().getMaxReplicas()
            : in.config().defaultMaxReplicas();
    Map<String, Object> trigger = new LinkedHashMap<>();
    trigger.put("type", "kafka");
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("bootstrapServers", in.config().bootstrapServers());
    metadata.put("consumerGroup", consumerGroup(in.namespace(), in.name(), in.revision()));
    metadata.put(
        "topic",
        new Topics(in.config().topicPrefix()).predictor(in.namespace(), in.name(), in.revision()));
    metadata.put("lagThreshold", String.valueOf(scaleTarget(in)));
    // 0 -> 1 as soon as one request waits (KEDA's activation is "lag > activationLagThreshold"):
    // a scaled-to-zero revision wakes on its first request, not after lagThreshold of them.
    metadata.put("activationLagThreshold", "0");
    metadata.put("offsetResetPolicy", "earliest");
    trigger.put("metadata", metadata);
    if (!in.config().kedaAuthentication().isBlank()) {
      // SASL and TLS settings of the scaler (sasl, username, password, tls, ca) come from it.
      trigger.put(
          "authenticationRef",
          Map.of("name", in.config().kedaAuthentication(), "kind", "ClusterTriggerAuthentication"));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("scaleTargetRef", Map.of("name", in.revision()));
    spec.put("minReplicaCount", in.predictor().getMinReplicas());
    spec.put("maxReplicaCount", max);
    spec.put("triggers", List.of(trigger));
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("keda.sh/v1alpha1")
        .withKind("ScaledObject")
        .withMetadata(metadata(in, in.revision()))
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  private static int scaleTarget(RevisionInput in) {
    Integer target =
        in.isvc().getSpec() == null || in.isvc().getSpec().getPredictor() == null
            ? null
            : in.isvc().getSpec().getPredictor().getScaleTarget();
    return target == null || target <= 0 ? in.config().lagThreshold() : target;
  }

  /** An autoscaling/v2 HPA on CPU (or memory with {@code scaleMetric: memory}). */
  public static HorizontalPodAutoscaler generateHpa(RevisionInput in, String metric, int target) {
    int min = Math.max(1, in.predictor().getMinReplicas());
    int max = Math.max(min, in.predictor().getMaxReplicas());
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(metadata(in, in.revision()))
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(in.revision())
        .endScaleTargetRef()
        .withMinReplicas(min)
        .withMaxReplicas(max)
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName(metric)
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(target)
        .endTarget()
        .endResource()
        .endMetric()
        .endSpec()
        .build();
  }

  /**
   * ModelMesh: one shared multi-model worker Deployment per runtime and namespace; every
   * InferenceService and TrainedModel placed on it is loaded by key from the control topic.
   */
  public static Deployment generateModelMeshDeployment(
      String namespace,
      String runtime,
      List<OwnerReference> owners,
      ClusterConfig config,
      int replicas) {
    String name = "modelmesh-" + runtime;
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(RUNTIME_LABEL, runtime);
    labels.put(MANAGED_BY_LABEL, "kaskade");
    labels.put("modelmesh-service", "modelmesh-serving");
    List<OwnerReference> shared =
        owners.stream()
            .map(o -> new OwnerReferenceBuilder(o).withController(false).build())
            .toList();
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .withOwnerReferences(shared)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(Map.of(RUNTIME_LABEL, runtime))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withSpec(modelMeshPod(namespace, runtime, config))
        .endTemplate()
        .endSpec()
        .build();
  }

  private static PodSpec modelMeshPod(String namespace, String runtime, ClusterConfig config) {
    List<String> args =
        new ArrayList<>(
            List.of("worker", "--multi-model", "--runtime", runtime, "--namespace", namespace));
    args.addAll(WorkloadSecurity.DATA_DIR_ARGS);
    PodSpec pod =
        new PodSpecBuilder()
            .addNewContainer()
            .withName(WORKER_CONTAINER)
            .withImage(config.workerImage())
            .withArgs(args)
            .addToPorts(metricsPort())
            .addNewEnv()
            .withName("KASKADE_BOOTSTRAP_SERVERS")
            .withValue(config.bootstrapServers())
            .endEnv()
            .addNewEnv()
            .withName("KASKADE_SCHEMA_REGISTRY_URL")
            .withValue(config.registryUrl())
            .endEnv()
            .addNewEnv()
            .withName("KASKADE_TOPIC_PREFIX")
            .withValue(config.topicPrefix())
            .endEnv()
            .endContainer()
            .build();
    // Shared by many InferenceServices: no one predictor's service account applies.
    Set<String> worker = Set.of(WORKER_CONTAINER);
    return WorkloadSecurity.harden(pod, worker, worker, null);
  }
}
