package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.ModelSpec;
import dev.kaskade.reconciler.model.ServingRuntimeSpec;
import dev.kaskade.reconciler.model.SupportedModelFormat;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * KServe's runtime selection: an explicit {@code model.runtime} wins; otherwise candidates are
 * enabled runtimes whose multi-model setting matches, that list the model's protocol and that
 * support the format with {@code autoSelect: true}. Namespaced runtimes rank before cluster ones;
 * within each group a higher {@code priority} wins (set beats unset), then the best listed protocol
 * (v1 &lt; v2 &lt; grpc-v1 &lt; grpc-v2 &lt; none listed), then the newest, then name ascending.
 */
public final class RuntimeSelector {
  static final List<String> PROTOCOL_RANK = List.of("v1", "v2", "grpc-v1", "grpc-v2");

  private RuntimeSelector() {}

  /** Selects a runtime for the model of an InferenceService in {@code namespace}. */
  public static RuntimeSelection select(
      ModelSpec model, String namespace, boolean multiModel, List<RuntimeCandidate> runtimes) {
    String format = model.getModelFormat() == null ? "" : model.getModelFormat().getName();
    String version = model.getModelFormat() == null ? null : model.getModelFormat().getVersion();
    String protocol = model.getProtocolVersion() == null ? "v1" : model.getProtocolVersion();
    List<RuntimeCandidate> visible =
        runtimes.stream()
            .filter(r -> r.clusterScoped() || namespace.equals(r.namespace()))
            .toList();
    if (model.getRuntime() != null && !kserveRuntimeMissing(model.getRuntime(), visible)) {
      return explicit(model.getRuntime(), format, version, visible);
    }
    Comparator<RuntimeCandidate> ranking =
        Comparator.comparing(RuntimeCandidate::clusterScoped)
            .thenComparing(r -> priority(r.spec(), format, version), Comparator.reverseOrder())
            .thenComparingInt(r -> bestProtocolRank(r.spec()))
            .thenComparing(
                r -> r.created() == null ? Instant.MIN : r.created(), Comparator.reverseOrder())
            .thenComparing(RuntimeCandidate::name);
    return visible.stream()
        .filter(r -> !Boolean.TRUE.equals(r.spec().getDisabled()))
        .filter(r -> Boolean.TRUE.equals(r.spec().getMultiModel()) == multiModel)
        .filter(r -> supportsProtocol(r.spec(), protocol))
        .filter(r -> matchingFormat(r.spec(), format, version, true).isPresent())
        .min(ranking)
        .<RuntimeSelection>map(RuntimeSelection.Selected::new)
        .orElseGet(
            () ->
                new RuntimeSelection.Unservable(
                    "NoSupportingRuntime",
                    "no runtime found to support predictor with model type: "
                        + format
                        + (version == null ? "" : " version " + version)
                        + " and protocol "
                        + protocol
                        + BuiltInRuntimes.unservedHint(format)));
  }

  /** KServe's own runtime named where it does not exist: selected by format instead. */
  private static boolean kserveRuntimeMissing(String name, List<RuntimeCandidate> visible) {
    return BuiltInRuntimes.KSERVE_RUNTIMES.contains(name)
        && visible.stream().noneMatch(r -> r.name().equals(name));
  }

  private static RuntimeSelection explicit(
      String name, String format, String version, List<RuntimeCandidate> visible) {
    Optional<RuntimeCandidate> runtime =
        visible.stream()
            .filter(r -> r.name().equals(name))
            .min(Comparator.comparing(RuntimeCandidate::clusterScoped));
    if (runtime.isEmpty()) {
      return new RuntimeSelection.Unservable(
          "RuntimeNotRecognized", "no ServingRuntime or ClusterServingRuntime named " + name);
    }
    if (Boolean.TRUE.equals(runtime.get().spec().getDisabled())) {
      return new RuntimeSelection.Unservable("RuntimeDisabled", "runtime " + name + " is disabled");
    }
    if (matchingFormat(runtime.get().spec(), format, version, false).isEmpty()) {
      return new RuntimeSelection.Unservable(
          "NoSupportingRuntime", "runtime " + name + " does not support model format " + format);
    }
    return new RuntimeSelection.Selected(runtime.get());
  }

  static Optional<SupportedModelFormat> matchingFormat(
      ServingRuntimeSpec spec, String format, String version, boolean requireAutoSelect) {
    if (spec.getSupportedModelFormats() == null) {
      return Optional.empty();
    }
    return spec.getSupportedModelFormats().stream()
        .filter(f -> f.getName() != null && f.getName().equalsIgnoreCase(format))
        .filter(f -> !requireAutoSelect || Boolean.TRUE.equals(f.getAutoSelect()))
        .filter(f -> versionMatches(f.getVersion(), version))
        .findFirst();
  }

  /** An unversioned entry or model matches any; "1" matches "1" and "1.2.3". */
  static boolean versionMatches(String supported, String wanted) {
    if (supported == null || wanted == null) {
      return true;
    }
    return wanted.equals(supported) || wanted.startsWith(supported + ".");
  }

  static boolean supportsProtocol(ServingRuntimeSpec spec, String protocol) {
    List<String> protocols = spec.getProtocolVersions();
    return protocols == null || protocols.isEmpty() || protocols.contains(protocol);
  }

  static int bestProtocolRank(ServingRuntimeSpec spec) {
    List<String> protocols = spec.getProtocolVersions();
    if (protocols == null || protocols.isEmpty()) {
      return PROTOCOL_RANK.size();
    }
    return protocols.stream()
        .mapToInt(
            p -> PROTOCOL_RANK.indexOf(p) < 0 ? PROTOCOL_RANK.size() : PROTOCOL_RANK.indexOf(p))
        .min()
        .orElse(PROTOCOL_RANK.size());
  }

  /** The matching entry's priority; unset ranks below every set priority. */
  private static int priority(ServingRuntimeSpec spec, String format, String version) {
    return matchingFormat(spec, format, version, true)
        .map(SupportedModelFormat::getPriority)
        .orElse(0);
  }
}
