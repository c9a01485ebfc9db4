package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.model.ModelFormat;
import dev.kaskade.reconciler.model.ModelSpec;
import dev.kaskade.reconciler.model.ServingRuntimeSpec;
import dev.kaskade.reconciler.model.SupportedModelFormat;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeSelectorTest {

  private static ModelSpec model(String format, String version, String protocol) {
    ModelSpec model = new ModelSpec();
    ModelFormat f = new ModelFormat();
    f.setName(format);
    f.setVersion(version);
    model.setModelFormat(f);
    model.setProtocolVersion(protocol);
    return model;
  }

  private static RuntimeCandidate runtime(
      String name,
      boolean cluster,
      String format,
      String version,
      Boolean autoSelect,
      Integer priority,
      List<String> protocols) {
    SupportedModelFormat supported = new SupportedModelFormat();
    supported.setName(format);
    supported.setVersion(version);
    supported.setAutoSelect(autoSelect);
    supported.setPriority(priority);
    ServingRuntimeSpec spec = new ServingRuntimeSpec();
    spec.setSupportedModelFormats(List.of(supported));
    spec.setProtocolVersions(protocols);
    return new RuntimeCandidate(name, cluster ? null : "ns", cluster, spec, null);
  }

  private static RuntimeCandidate auto(String name, boolean cluster) {
    return runtime(name, cluster, "onnx", null, true, null, List.of("v1", "v2"));
  }

  private static String selected(RuntimeSelection selection) {
    return selection instanceof RuntimeSelection.Selected s
        ? s.runtime().name()
        : selection.toString();
  }

  @Test
  void explicitRuntimeWinsEvenWithoutAutoSelect() {
    ModelSpec model = model("onnx", null, "v1");
    model.setRuntime("manual");
    var runtimes =
        List.of(auto("a-auto", false), runtime("manual", true, "onnx", null, false, null, null));
    assertThat(selected(RuntimeSelector.select(model, "ns", false, runtimes))).isEqualTo("manual");
  }

  @Test
  void explicitUnknownRuntimeIsNotRecognized() {
    ModelSpec model = model("onnx", null, "v1");
    model.setRuntime("missing");
    assertThat(RuntimeSelector.select(model, "ns", false, List.of(auto("a", true))))
        .isEqualTo(
            new RuntimeSelection.Unservable(
                "RuntimeNotRecognized",
                "no ServingRuntime or ClusterServingRuntime named missing"));
  }

  @Test
  void explicitDisabledRuntimeIsReported() {
    ModelSpec model = model("onnx", null, "v1");
    model.setRuntime("off");
    RuntimeCandidate off = auto("off", true);
    off.spec().setDisabled(true);
    assertThat(RuntimeSelector.select(model, "ns", false, List.of(off)))
        .isInstanceOfSatisfying(
            RuntimeSelection.Unservable.class,
            u -> assertThat(u.reason()).isEqualTo("RuntimeDisabled"));
  }

  @Test
  void autoSelectionRequiresAutoSelectFlag() {
    var runtimes = List.of(runtime("manual", true, "onnx", null, false, null, null));
    assertThat(RuntimeSelector.select(model("onnx", null, "v1"), "ns", false, runtimes))
        .isInstanceOfSatisfying(
            RuntimeSelection.Unservable.class,
            u -> assertThat(u.reason()).isEqualTo("NoSupportingRuntime"));
  }

  @Test
  void formatNameMustMatch() {
    var runtimes = List.of(auto("onnx-rt", true));
    assertThat(RuntimeSelector.select(model("sklearn", null, "v1"), "ns", false, runtimes))
        .isInstanceOf(RuntimeSelection.Unservable.class);
  }

  @Test
  void formatVersionMustMatchWhenBothGiveOne() {
    var runtimes =
        List.of(
            runtime("v1-only", true, "onnx", "1", true, null, null),
            runtime("v2-only", true, "onnx", "2", true, null, null));
    assertThat(selected(RuntimeSelector.select(model("onnx", "2.1", "v1"), "ns", false, runtimes)))
        .isEqualTo("v2-only");
  }

  @Test
  void runtimeMustListTheModelsProtocol() {
    var runtimes =
        List.of(
            runtime("v1rt", true, "onnx", null, true, null, List.of("v1")),
            runtime("grpc", true, "onnx", null, true, null, List.of("grpc-v2")));
    assertThat(
            selected(RuntimeSelector.select(model("onnx", null, "grpc-v2"), "ns", false, runtimes)))
        .isEqualTo("grpc");
  }

  @Test
  void runtimeWithBetterRankedProtocolWins() {
    var runtimes =
        List.of(
            runtime("a-v2", true, "onnx", null, true, null, List.of("v2")),
            runtime("b-v1", true, "onnx", null, true, null, List.of("v1", "v2")));
    assertThat(selected(RuntimeSelector.select(model("onnx", null, "v2"), "ns", false, runtimes)))
        .isEqualTo("b-v1");
  }

  @Test
  void namespacedRuntimeRanksBeforeClusterRuntime() {
    var runtimes = List.of(auto("a-cluster", true), auto("z-namespaced", false));
    assertThat(selected(RuntimeSelector.select(model("onnx", null, "v1"), "ns", false, runtimes)))
        .isEqualTo("z-namespaced");
  }

  @Test
  void runtimesOfOtherNamespacesAreInvisible() {
    var runtimes = List.of(auto("mine", false));
    assertThat(RuntimeSelector.select(model("onnx", null, "v1"), "other", false, runtimes))
        .isInstanceOf(RuntimeSelection.Unservable.class);
  }

  @Test
  void higherPriorityWinsAndSetBeatsUnset() {
    var runtimes =
        List.of(
            runtime("a-unset", true, "onnx", null, true, null, List.of("v1")),
            runtime("b-low", true, "onnx", null, true, 1, List.of("v2")),
            runtime("c-high", true, "onnx", null, true, 5, List.of("v2")));
    assertThat(selected(RuntimeSelector.select(model("onnx", null, "v2"), "ns", false, runtimes)))
        .isEqualTo("c-high");
  }

  @Test
  void newerRuntimeWinsThenNameAscending() {
    RuntimeCandidate old = auto("a-old", true);
    RuntimeCandidate newer =
        new RuntimeCandidate(
            "b-new", null, true, auto("x", true).spec(), Instant.parse("2026-01-02T00:00:00Z"));
    RuntimeCandidate older =
        new RuntimeCandidate(
            "a-old", null, true, old.spec(), Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(
            selected(
                RuntimeSelector.select(
                    model("onnx", null, "v1"), "ns", false, List.of(older, newer))))
        .isEqualTo("b-new");
    assertThat(
            selected(
                RuntimeSelector.select(
                    model("onnx", null, "v1"),
                    "ns",
                    false,
                    List.of(auto("b", true), auto("a", true)))))
        .isEqualTo("a");
  }

  @Test
  void disabledRuntimeIsSkipped() {
    RuntimeCandidate off = auto("a-off", true);
    off.spec().setDisabled(true);
    var runtimes = List.of(off, auto("b-on", true));
    assertThat(selected(RuntimeSelector.select(model("onnx", null, "v1"), "ns", false, runtimes)))
        .isEqualTo("b-on");
  }

  @Test
  void multiModelSettingMustMatchDeployment() {
    RuntimeCandidate mm = auto("a-mm", true);
    mm.spec().setMultiModel(true);
    var runtimes = List.of(mm, auto("b-single", true));
    assertThat(selected(RuntimeSelector.select(model("onnx", null, "v1"), "ns", true, runtimes)))
        .isEqualTo("a-mm");
    assertThat(selected(RuntimeSelector.select(model("onnx", null, "v1"), "ns", false, runtimes)))
        .isEqualTo("b-single");
  }
}
