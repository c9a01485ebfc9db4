package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.ClusterServingRuntime;
import dev.kaskade.reconciler.model.ServingRuntimeSpec;
import dev.kaskade.reconciler.model.SupportedModelFormat;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ClusterServingRuntimes Kaskade ships, one per in-process backend of the model workers. The
 * native ones carry KServe's model format names, versions and priorities (those of
 * kserve-sklearnserver, kserve-xgbserver, kserve-lgbserver and kserve-pmmlserver), so manifests
 * written for KServe select them unchanged; see docs/model-formats.md.
 */
public final class BuiltInRuntimes {
  public static final String ONNX = "kaskade-onnx";
  public static final String TENSORRT = "kaskade-tensorrt";
  public static final String SKLEARN = "kaskade-sklearn";
  public static final String XGBOOST = "kaskade-xgboost";
  public static final String LIGHTGBM = "kaskade-lightgbm";
  public static final String PMML = "kaskade-pmml";
  public static final String TRITON = "kaskade-triton";
  public static final String TINY_LM = "kaskade-tiny-lm";
  public static final String HUGGINGFACE = "kaskade-huggingface";
  public static final String LLAMA_CPP = "kaskade-llamacpp";

  /**
   * KServe's own ClusterServingRuntime names. A manifest that names one explicitly ({@code runtime:
   * kserve-tritonserver}) where no runtime of that name exists selects by its model format instead,
   * so KServe manifests need no edit.
   */
  static final Set<String> KSERVE_RUNTIMES =
      Set.of(
          "kserve-sklearnserver",
          "kserve-xgbserver",
          "kserve-lgbserver",
          "kserve-pmmlserver",
          "kserve-tritonserver",
          "kserve-torchserve",
          "kserve-tensorflow-serving",
          "kserve-huggingfaceserver",
          "kserve-huggingfaceserver-multinode",
          "kserve-mlserver",
          "kserve-paddleserver");

  /** The KServe model server to put behind the bridge for a format Kaskade does not run itself. */
  static final Map<String, String> BRIDGE_SERVERS =
      Map.of(
          "pytorch", "kserve-torchserve (TorchServe) or kserve-tritonserver",
          "tensorflow", "kserve-tensorflow-serving (TensorFlow Serving) or kserve-tritonserver");

  static final List<String> PROTOCOLS = List.of("v1", "v2", "grpc-v2");

  /**
   * One {@code supportedModelFormats} entry.
   *
   * @param version KServe's major version, or null for any
   * @param priority KServe's priority, or null for unset
   */
  record Format(String name, String version, Integer priority) {}

  private BuiltInRuntimes() {}

  public static List<ClusterServingRuntime> all() {
    return List.of(
        runtime(ONNX, List.of(new Format("onnx", null, null))),
        runtime(TENSORRT, List.of(new Format("tensorrt", null, null))),
        // KServe's sklearnserver: sklearn "1", priority 1. Served from an ONNX or PMML export.
        runtime(SKLEARN, List.of(new Format("sklearn", "1", 1))),
        // KServe's xgbserver lists "1"; xgboost4j also reads the files of XGBoost 2 and 3.
        runtime(
            XGBOOST,
            List.of(
                new Format("xgboost", "1", 1),
                new Format("xgboost", "2", 1),
                new Format("xgboost", "3", 1))),
        // KServe's lgbserver lists "3"; the text format of LightGBM 4 loads too.
        runtime(LIGHTGBM, List.of(new Format("lightgbm", "3", 1), new Format("lightgbm", "4", 1))),
        runtime(PMML, List.of(new Format("pmml", "3", 1), new Format("pmml", "4", 1))),
        // KServe's tritonserver lists triton "2"; Kaskade runs its ONNX and TensorRT models.
        runtime(TRITON, List.of(new Format("triton", "2", 1))),
        // The project's own byte n-gram LM on ONNX Runtime, served over the OpenAI API.
        runtime(TINY_LM, List.of(new Format("tiny-lm", null, null))),

        // KServe's kserve-huggingfaceserver: huggingface "1", priority 1. Predictive tasks of an
        // ONNX export + tokenizer.json in-process; generation is the OpenAI path (#13).
        runtime(HUGGINGFACE, List.of(new Format("huggingface", "1", 1))),
        // GGUF files the user brings, run in-process by llama.cpp over the OpenAI API.
        runtime(
            LLAMA_CPP,
            List.of(new Format("gguf", null, null), new Format("llama.cpp", null, null))));
  }

  /** The bridge's annotation naming an upstream KServe-compatible model server. */
  public static final String BRIDGE_ANNOTATION = "kaskade.dev/upstream-url";

  /**
   * The end of a NoSupportingRuntime message: which formats are served in-process and how to reach
   * a model server for any other (KServe's tensorflow, pytorch, triton, huggingface, …).
   */
  static String unservedHint(String format) {
    String server = BRIDGE_SERVERS.get(format.toLowerCase(Locale.ROOT));
    String other =
        server == null
            ? "serve another format with its own model server"
            : "serve " + format + " with KServe's " + server + " model server";
    List<String> served =
        all().stream()
            .flatMap(r -> r.getSpec().getSupportedModelFormats().stream())
            .map(SupportedModelFormat::getName)
            .distinct()
            .toList();
    return ". Kaskade serves "
        + String.join(", ", served)
        + " in-process; "
        + other
        + " through the bridge"
        + " (annotation "
        + BRIDGE_ANNOTATION
        + "), see docs/model-formats.md";
  }

  private static ClusterServingRuntime runtime(String name, List<Format> formats) {
    ServingRuntimeSpec spec = new ServingRuntimeSpec();
    spec.setSupportedModelFormats(formats.stream().map(BuiltInRuntimes::supported).toList());
    spec.setProtocolVersions(PROTOCOLS);
    spec.setMultiModel(false);
    spec.setDisabled(false);
    ClusterServingRuntime runtime = new ClusterServingRuntime();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setLabels(Map.of("app.kubernetes.io/managed-by", "kaskade"));
    runtime.setMetadata(meta);
    runtime.setSpec(spec);
    return runtime;
  }

  private static SupportedModelFormat supported(Format format) {
    SupportedModelFormat supported = new SupportedModelFormat();
    supported.setName(format.name());
    supported.setVersion(format.version());
    supported.setAutoSelect(true);
    supported.setPriority(format.priority());
    return supported;
  }
}
