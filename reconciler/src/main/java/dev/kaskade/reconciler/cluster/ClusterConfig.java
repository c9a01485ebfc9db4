package dev.kaskade.reconciler.cluster;

import dev.kaskade.schemas.runtime.KaskadeContext;

/**
 * Settings of the cluster reconciler (all from {@link KaskadeContext#settings()}).
 *
 * @param workerImage image of Kaskade's model worker (built-in runtimes), setting {@code
 *     reconciler.worker-image}
 * @param bootstrapServers Kafka bootstrap servers the workers use, setting {@code
 *     reconciler.worker-bootstrap-servers} (default: the reconciler's own)
 * @param registryUrl schema registry URL the workers use, setting {@code
 *     reconciler.worker-registry-url}
 * @param topicPrefix topic prefix, from the context
 * @param defaultMaxReplicas upper bound when {@code maxReplicas} is 0 (unset), setting {@code
 *     reconciler.default-max-replicas}
 * @param lagThreshold KEDA lag per replica when {@code scaleTarget} is unset, setting {@code
 *     reconciler.lag-threshold}
 * @param workerKafkaSecret Secret in the serving namespace whose keys are {@code KASKADE_KAFKA_*}
 *     variables (e.g. {@code KASKADE_KAFKA_SECURITY_PROTOCOL}, {@code
 *     KASKADE_KAFKA_SASL_JAAS_CONFIG}, {@code KASKADE_KAFKA_SSL_TRUSTSTORE_CERTIFICATES}), added to
 *     worker containers with {@code envFrom}; setting {@code reconciler.worker-kafka-secret}, empty
 *     = none
 * @param kedaAuthentication name of the KEDA ClusterTriggerAuthentication the Kafka triggers use,
 *     setting {@code reconciler.keda-trigger-authentication}, empty = none
 * @param runtimePolicy what ServingRuntime and custom predictor containers may ask for ({@link
 *     RuntimePolicy})
 */
public record ClusterConfig(
    String workerImage,
    String bootstrapServers,
    String registryUrl,
    String topicPrefix,
    int defaultMaxReplicas,
    int lagThreshold,
    String workerKafkaSecret,
    String kedaAuthentication,
    RuntimePolicy runtimePolicy) {

  public static final String WORKER_IMAGE = "reconciler.worker-image";
  public static final String WORKER_BOOTSTRAP = "reconciler.worker-bootstrap-servers";
  public static final String WORKER_REGISTRY = "reconciler.worker-registry-url";
  public static final String DEFAULT_MAX_REPLICAS = "reconciler.default-max-replicas";
  public static final String LAG_THRESHOLD = "reconciler.lag-threshold";
  public static final String WORKER_KAFKA_SECRET = "reconciler.worker-kafka-secret";
  public static final String KEDA_AUTHENTICATION = "reconciler.keda-trigger-authentication";

  /** With the strict runtime policy. */
  public ClusterConfig(
      String workerImage,
      String bootstrapServers,
      String registryUrl,
      String topicPrefix,
      int defaultMaxReplicas,
      int lagThreshold,
      String workerKafkaSecret,
      String kedaAuthentication) {
    this(
        workerImage,
        bootstrapServers,
        registryUrl,
        topicPrefix,
        defaultMaxReplicas,
        lagThreshold,
        workerKafkaSecret,
        kedaAuthentication,
        RuntimePolicy.STRICT);
  }

  /** Without Kafka client security for workers and triggers. */
  public ClusterConfig(
      String workerImage,
      String bootstrapServers,
      String registryUrl,
      String topicPrefix,
      int defaultMaxReplicas,
      int lagThreshold) {
    this(
        workerImage,
        bootstrapServers,
        registryUrl,
        topicPrefix,
        defaultMaxReplicas,
        lagThreshold,
        "",
        "");
  }

  public static ClusterConfig from(KaskadeContext ctx) {
    return new ClusterConfig(
        ctx.setting(WORKER_IMAGE, "ghcr.io/kaskade/kaskade:latest"),
        ctx.setting(WORKER_BOOTSTRAP, ctx.bootstrapServers()),
        ctx.setting(WORKER_REGISTRY, "http://kaskade-registry:8081"),
        ctx.topics().prefix(),
        ctx.intSetting(DEFAULT_MAX_REPLICAS, 10),
        ctx.intSetting(LAG_THRESHOLD, 10),
        ctx.setting(WORKER_KAFKA_SECRET, ""),
        ctx.setting(KEDA_AUTHENTICATION, ""),
        RuntimePolicy.from(ctx));
  }
}
