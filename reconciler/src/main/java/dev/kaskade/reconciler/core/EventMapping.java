package dev.kaskade.reconciler.core;

import dev.kaskade.events.BatcherSpec;
import dev.kaskade.events.ExplainerSpec;
import dev.kaskade.events.InferenceGraphSpec;
import dev.kaskade.events.LoggerSpec;
import dev.kaskade.events.ServingRuntimeSpec;
import dev.kaskade.events.SupportedModelFormat;
import dev.kaskade.events.TrainedModelSpec;
import dev.kaskade.events.TransformerSpec;
import dev.kaskade.reconciler.model.Batcher;
import dev.kaskade.reconciler.model.ComponentExtension;
import dev.kaskade.reconciler.model.InferenceGraph;
import dev.kaskade.reconciler.model.TrainedModel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pure conversions from the KServe model to the Avro control-event specs. */
final class EventMapping {
  static final String KASKADE_PREFIX = "kaskade.dev/";

  private EventMapping() {}

  static BatcherSpec batcher(Batcher batcher) {
    if (batcher == null) {
      return null;
    }
    BatcherSpec.Builder builder = BatcherSpec.newBuilder();
    if (batcher.getMaxBatchSize() != null) {
      builder.setMaxBatchSize(batcher.getMaxBatchSize());
    }
    if (batcher.getMaxLatency() != null) {
      builder.setMaxLatencyMs(batcher.getMaxLatency());
    }
    if (batcher.getTimeout() != null) {
      builder.setTimeoutSeconds(batcher.getTimeout().longValue());
    }
    return builder.build();
  }

  /** requests/limits flattened: {@code limits.memory=2Gi}. */
  static Map<String, String> resources(ResourceRequirements resources) {
    Map<String, String> flat = new TreeMap<>();
    if (resources == null) {
      return flat;
    }
    put(flat, "requests.", resources.getRequests());
    put(flat, "limits.", resources.getLimits());
    return flat;
  }

  private static void put(Map<String, String> flat, String prefix, Map<String, Quantity> values) {
    if (values != null) {
      values.forEach((k, v) -> flat.put(prefix + k, v.toString()));
    }
  }

  /** Annotations {@code kaskade.dev/<key>} as runtime parameters {@code <key>}. */
  static Map<String, String> kaskadeParameters(HasMetadata resource) {
    Map<String, String> parameters = new TreeMap<>();
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    if (annotations != null) {
      annotations.forEach(
          (k, v) -> {
            if (k.startsWith(KASKADE_PREFIX)) {
              parameters.put(k.substring(KASKADE_PREFIX.length()), v);
            }
          });
    }
    return parameters;
  }

  static String annotation(HasMetadata resource, String key, String defaultValue) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? defaultValue : annotations.getOrDefault(key, defaultValue);
  }

  static LoggerSpec logger(ComponentExtension component) {
    if (component.getLogger() == null) {
      return null;
    }
    Object redact = component.getLogger().getAdditionalProperties().get("redact");
    List<String> fields =
        redact instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    return LoggerSpec.newBuilder()
        .setMode(component.getLogger().getMode() == null ? "all" : component.getLogger().getMode())
        .setUrl(component.getLogger().getUrl())
        .setRedact(fields)
        .build();
  }

  static TransformerSpec transformer(
      HasMetadata isvc, ComponentExtension transformer, Path baseDir) {
    if (transformer == null) {
      return null;
    }
    Map<String, Object> extra = transformer.getAdditionalProperties();
    Object steps = extra.get("steps");
    Object storageUri = extra.get("storageUri");
    return TransformerSpec.newBuilder()
        .setRevision(Revisions.revision(isvc.getMetadata().getName(), "transformer", transformer))
        .setSpiClass(annotation(isvc, KASKADE_PREFIX + "transformer-class", null))
        .setStorageUri(
            storageUri == null ? null : StorageUris.resolve(String.valueOf(storageUri), baseDir))
        .setStepsJson(
            steps != null
                ? ManifestCodec.toJson(steps)
                : annotation(isvc, KASKADE_PREFIX + "transformer-steps", "[]"))
        .build();
  }

  static ExplainerSpec explainer(
      HasMetadata isvc, dev.kaskade.reconciler.model.ExplainerSpec explainer) {
    if (explainer == null) {
      return null;
    }
    String type =
        annotation(
            isvc,
            KASKADE_PREFIX + "explainer-type",
            explainer.getArt() != null && explainer.getArt().getType() != null
                ? explainer.getArt().getType()
                : "kernel_shap");
    Object config =
        explainer.getArt() != null && explainer.getArt().getConfig() != null
            ? explainer.getArt().getConfig()
            : explainer.getAdditionalProperties().getOrDefault("config", Map.of());
    return ExplainerSpec.newBuilder()
        .setType(type)
        .setConfigJson(ManifestCodec.toJson(config))
        .build();
  }

  static ServingRuntimeSpec runtime(
      dev.kaskade.reconciler.model.ServingRuntimeSpec spec, boolean cluster) {
    List<SupportedModelFormat> formats =
        spec.getSupportedModelFormats() == null
            ? List.of()
            : spec.getSupportedModelFormats().stream()
                .map(
                    f ->
                        SupportedModelFormat.newBuilder()
                            .setName(f.getName())
                            .setVersion(f.getVersion())
                            .setAutoSelect(Boolean.TRUE.equals(f.getAutoSelect()))
                            .setPriority(f.getPriority())
                            .build())
                .toList();
    return ServingRuntimeSpec.newBuilder()
        .setClusterScoped(cluster)
        .setDisabled(Boolean.TRUE.equals(spec.getDisabled()))
        .setMultiModel(Boolean.TRUE.equals(spec.getMultiModel()))
        .setProtocolVersions(
            spec.getProtocolVersions() == null
                ? List.of()
                : List.copyOf(spec.getProtocolVersions()))
        .setSupportedModelFormats(formats)
        .build();
  }

  static TrainedModelSpec trainedModel(TrainedModel tm, Path baseDir) {
    Quantity memory = tm.getSpec().getModel().getMemory();
    return TrainedModelSpec.newBuilder()
        .setInferenceService(tm.getSpec().getInferenceService())
        .setStorageUri(StorageUris.resolve(tm.getSpec().getModel().getStorageUri(), baseDir))
        .setFramework(tm.getSpec().getModel().getFramework())
        .setMemoryBytes(memory == null ? 0 : Quantity.getAmountInBytes(memory).longValue())
        .build();
  }

  static InferenceGraphSpec graph(InferenceGraph graph) {
    return InferenceGraphSpec.newBuilder()
        .setNodesJson(ManifestCodec.toJson(graph.getSpec().getNodes()))
        .setTimeoutSeconds(graph.getSpec().getTimeout())
        .build();
  }
}
