package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.ClusterServingRuntime;
import dev.kaskade.reconciler.model.ServingRuntimeSpec;
import dev.kaskade.reconciler.model.SupportedModelFormat;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/** The ClusterServingRuntimes Kaskade ships: its in-process ONNX Runtime and TensorRT backends. */
public final class BuiltInRuntimes {
  public static final String ONNX = "kaskade-onnx";
  public static final String TENSORRT = "kaskade-tensorrt";

  private BuiltInRuntimes() {}

  public static List<ClusterServingRuntime> all() {
    return List.of(
        runtime(ONNX, "onnx", true, List.of("v1", "v2", "grpc-v2")),
        runtime(TENSORRT, "tensorrt", true, List.of("v1", "v2", "grpc-v2")));
  }

  private static ClusterServingRuntime runtime(
      String name, String format, boolean autoSelect, List<String> protocols) {
    SupportedModelFormat supported = new SupportedModelFormat();
    supported.setName(format);
    supported.setAutoSelect(autoSelect);
    ServingRuntimeSpec spec = new ServingRuntimeSpec();
    spec.setSupportedModelFormats(List.of(supported));
    spec.setProtocolVersions(protocols);
    spec.setMultiModel(false);
    spec.setDisabled(false);
    ClusterServingRuntime runtime = new ClusterServingRuntime();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setLabels(java.util.Map.of("app.kubernetes.io/managed-by", "kaskade"));
    runtime.setMetadata(meta);
    runtime.setSpec(spec);
    return runtime;
  }
}
