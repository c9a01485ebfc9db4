package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorTest {
  private static final KnownResources NONE = (ns, name) -> false;

  private static List<String> isvcErrors(String predictorYaml) {
    return isvcErrors("a", predictorYaml);
  }

  private static List<String> isvcErrors(String name, String predictorYaml) {
    String yaml =
        "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: "
            + name
            + "\nspec:\n  predictor:\n"
            + predictorYaml.indent(4);
    return Validator.validate(Fixtures.yaml(yaml), NONE);
  }

  private static final String MODEL =
      "model:\n  modelFormat: {name: onnx}\n  storageUri: s3://b/m\n";

  @Test
  void acceptsKServeSamples() {
    for (String sample :
        List.of("sklearn-iris.yaml", "onnx-style.yaml", "canary-v2.yaml", "servingruntime.yaml")) {
      assertThat(Validator.validate(Fixtures.manifest(sample), NONE)).as(sample).isEmpty();
    }
  }

  @Test
  void rejectsCanaryTrafficPercentAbove100NamingTheField() {
    assertThat(isvcErrors("canaryTrafficPercent: 120\n" + MODEL))
        .containsExactly("spec.predictor.canaryTrafficPercent: must be between 0 and 100, got 120");
  }

  @Test
  void rejectsNegativeCanaryTrafficPercent() {
    assertThat(isvcErrors("canaryTrafficPercent: -1\n" + MODEL))
        .containsExactly("spec.predictor.canaryTrafficPercent: must be between 0 and 100, got -1");
  }

  @Test
  void rejectsTwoModelImplementations() {
    assertThat(isvcErrors(MODEL + "sklearn: {storageUri: s3://b/m}\n"))
        .containsExactly(
            "spec.predictor: exactly one model implementation is allowed, got model, sklearn");
  }

  @Test
  void rejectsPredictorWithoutImplementation() {
    assertThat(isvcErrors("minReplicas: 1\n"))
        .singleElement()
        .asString()
        .startsWith("spec.predictor: exactly one of model, sklearn");
  }

  @Test
  void acceptsCustomContainerAsImplementation() {
    assertThat(isvcErrors("containers:\n- name: kserve-container\n  image: me/server:1\n"))
        .isEmpty();
  }

  @Test
  void rejectsUnknownStorageScheme() {
    assertThat(isvcErrors("model:\n  modelFormat: {name: onnx}\n  storageUri: ftp://h/m\n"))
        .singleElement()
        .asString()
        .startsWith("spec.predictor.model.storageUri: unsupported scheme 'ftp'");
  }

  @Test
  void acceptsEveryKServeSchemeAndPlainPaths() {
    for (String uri :
        List.of(
            "file:///m",
            "pvc://c/m",
            "http://h/m",
            "https://h/m",
            "s3://b/m",
            "gs://b/m",
            "hdfs://h/m",
            "webhdfs://h/m",
            "oci://r/i:1",
            "hf://org/repo",
            "/models/m.onnx",
            "./model.onnx")) {
      assertThat(isvcErrors("model:\n  modelFormat: {name: onnx}\n  storageUri: " + uri + "\n"))
          .as(uri)
          .isEmpty();
    }
  }

  @Test
  void rejectsNegativeMinReplicas() {
    assertThat(isvcErrors("minReplicas: -1\n" + MODEL))
        .containsExactly("spec.predictor.minReplicas: must be >= 0, got -1");
  }

  @Test
  void rejectsMaxReplicasBelowMinReplicas() {
    assertThat(isvcErrors("minReplicas: 3\nmaxReplicas: 2\n" + MODEL))
        .containsExactly("spec.predictor.maxReplicas: must be >= minReplicas (3) unless 0, got 2");
  }

  @Test
  void acceptsMaxReplicasZeroAsUnset() {
    assertThat(isvcErrors("minReplicas: 3\nmaxReplicas: 0\n" + MODEL)).isEmpty();
  }

  @Test
  void rejectsNameThatIsNotDns1123() {
    assertThat(isvcErrors("Iris_Model", MODEL))
        .singleElement()
        .asString()
        .startsWith("metadata.name: must be a DNS-1123 label");
  }

  @Test
  void rejectsModelWithoutFormat() {
    assertThat(isvcErrors("model:\n  storageUri: s3://b/m\n"))
        .containsExactly("spec.predictor.model.modelFormat.name: required");
  }

  @Test
  void rejectsUnknownProtocolVersion() {
    assertThat(isvcErrors("model:\n  modelFormat: {name: onnx}\n  protocolVersion: v3\n"))
        .singleElement()
        .asString()
        .startsWith("spec.predictor.model.protocolVersion: must be one of");
  }

  @Test
  void rejectsMissingPredictor() {
    assertThat(
            Validator.validate(
                Fixtures.yaml(
                    "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\n"
                        + "metadata: {name: a}\nspec: {}\n"),
                NONE))
        .containsExactly("spec.predictor: required");
  }

  @Test
  void rejectsGraphWithoutRootNode() {
    String yaml =
        "apiVersion: serving.kserve.io/v1alpha1\nkind: InferenceGraph\nmetadata: {name: g}\n"
            + "spec:\n  nodes:\n    start:\n      routerType: Sequence\n"
            + "      steps: [{serviceUrl: 'http://x'}]\n";
    assertThat(Validator.validate(Fixtures.yaml(yaml), NONE))
        .containsExactly("spec.nodes: a node named root is required (the graph's entry point)");
  }

  @Test
  void rejectsGraphStepReferencingMissingInferenceService() {
    assertThat(Validator.validate(Fixtures.manifest("inferencegraph.yaml"), NONE))
        .contains(
            "spec.nodes.root.steps[0].serviceName: InferenceService 'style-sample' does not exist"
                + " in namespace default");
  }

  @Test
  void acceptsGraphWhenReferencedServicesExist() {
    assertThat(Validator.validate(Fixtures.manifest("inferencegraph.yaml"), KnownResources.ANY))
        .isEmpty();
  }

  @Test
  void rejectsGraphStepReferencingMissingNode() {
    String yaml =
        "apiVersion: serving.kserve.io/v1alpha1\nkind: InferenceGraph\nmetadata: {name: g}\n"
            + "spec:\n  nodes:\n    root:\n      routerType: Sequence\n"
            + "      steps: [{nodeName: other}]\n";
    assertThat(Validator.validate(Fixtures.yaml(yaml), NONE))
        .containsExactly("spec.nodes.root.steps[0].nodeName: no node named 'other' in spec.nodes");
  }

  @Test
  void rejectsGraphWhoseNodeCallsItself() {
    String yaml =
        "apiVersion: serving.kserve.io/v1alpha1\nkind: InferenceGraph\nmetadata: {name: g}\n"
            + "spec:\n  nodes:\n    root:\n      routerType: Sequence\n"
            + "      steps: [{stepName: a, nodeName: root}]\n";
    assertThat(Validator.validate(Fixtures.yaml(yaml), NONE))
        .containsExactly(
            "spec.nodes: the nodes form a cycle (root -> root); a graph must not call a node it"
                + " is already in");
  }

  @Test
  void rejectsGraphWhoseNodesFormALongerCycle() {
    String yaml =
        "apiVersion: serving.kserve.io/v1alpha1\nkind: InferenceGraph\nmetadata: {name: g}\n"
            + "spec:\n  nodes:\n    root:\n      routerType: Sequence\n"
            + "      steps: [{nodeName: a}]\n"
            + "    a:\n      routerType: Ensemble\n"
            + "      steps: [{serviceUrl: 'http://x'}, {nodeName: root}]\n";
    assertThat(Validator.validate(Fixtures.yaml(yaml), NONE))
        .singleElement()
        .asString()
        .contains("(root -> a -> root)");
  }

  @Test
  void rejectsServiceUrlInAnotherNamespaceNamingTheField() {
    String yaml =
        "apiVersion: serving.kserve.io/v1alpha1\nkind: InferenceGraph\n"
            + "metadata: {name: g, namespace: team}\n"
            + "spec:\n  nodes:\n    root:\n      routerType: Sequence\n"
            + "      steps: [{serviceUrl: 'http://iris-predictor.team.svc.cluster.local/v1'},"
            + " {serviceUrl: 'http://payroll.finance.example.com/v1/models/payroll:predict'}]\n";
    assertThat(Validator.validate(Fixtures.yaml(yaml), NONE))
        .singleElement()
        .asString()
        .startsWith("spec.nodes.root.steps[1].serviceUrl: ")
        .contains("targets namespace finance");
  }

  @Test
  void rejectsSwitchStepWithoutCondition() {
    String yaml =
        "apiVersion: serving.kserve.io/v1alpha1\nkind: InferenceGraph\nmetadata: {name: g}\n"
            + "spec:\n  nodes:\n    root:\n      routerType: Switch\n"
            + "      steps: [{serviceUrl: 'http://a', condition: 'instances'},"
            + " {serviceUrl: 'http://b'}]\n";
    assertThat(Validator.validate(Fixtures.yaml(yaml), NONE))
        .singleElement()
        .asString()
        .startsWith("spec.nodes.root.steps[1].condition: required for a Switch step");
  }

  @Test
  void rejectsSplitterWeightsNotSummingTo100() {
    String yaml =
        "apiVersion: serving.kserve.io/v1alpha1\nkind: InferenceGraph\nmetadata: {name: g}\n"
            + "spec:\n  nodes:\n    root:\n      routerType: Splitter\n"
            + "      steps: [{serviceUrl: 'http://a', weight: 30}, {serviceUrl: 'http://b',"
            + " weight: 30}]\n";
    assertThat(Validator.validate(Fixtures.yaml(yaml), NONE))
        .containsExactly("spec.nodes.root.steps: Splitter weights must sum to 100, got 60");
  }

  @Test
  void rejectsUnknownRouterType() {
    String yaml =
        "apiVersion: serving.kserve.io/v1alpha1\nkind: InferenceGraph\nmetadata: {name: g}\n"
            + "spec:\n  nodes:\n    root:\n      routerType: Random\n"
            + "      steps: [{serviceUrl: 'http://a'}]\n";
    assertThat(Validator.validate(Fixtures.yaml(yaml), NONE))
        .singleElement()
        .asString()
        .startsWith("spec.nodes.root.routerType: must be one of");
  }

  @Test
  void rejectsTrainedModelWhoseParentDoesNotExist() {
    assertThat(Validator.validate(Fixtures.manifest("trainedmodel.yaml"), NONE))
        .containsExactly(
            "spec.inferenceService: InferenceService 'style-sample' does not exist in namespace"
                + " default");
  }

  @Test
  void rejectsUnknownDeploymentMode() {
    String yaml =
        "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: a\n"
            + "  annotations: {serving.kserve.io/deploymentMode: Magic}\n"
            + "spec:\n  predictor:\n"
            + MODEL.indent(4);
    assertThat(Validator.validate(Fixtures.yaml(yaml), NONE))
        .singleElement()
        .asString()
        .startsWith("metadata.annotations[serving.kserve.io/deploymentMode]: must be one of");
  }

  private static List<String> monitorErrors(String monitorJson) {
    String yaml =
        "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: a\n"
            + "  annotations:\n    kaskade.dev/monitor: '"
            + monitorJson
            + "'\nspec:\n  predictor:\n"
            + MODEL.indent(4);
    return Validator.validate(Fixtures.yaml(yaml), NONE);
  }

  @Test
  void rejectsOutlierProbabilityOutsideZeroOneNamingTheAnnotation() {
    assertThat(monitorErrors("{\"outlier\": {\"p\": 1.5}}"))
        .containsExactly(
            "metadata.annotations[kaskade.dev/monitor]: outlier.p must be a number in (0, 1),"
                + " got 1.5");
  }

  @Test
  void rejectsBadDriftSettingsAndUnknownKeysEachNamed() {
    assertThat(
            monitorErrors(
                "{\"drift\": {\"alpha\": 2, \"window\": 1, \"aplha\": 0.1},"
                    + " \"feature_names\": [\"x\", \"x\"]}"))
        .containsExactlyInAnyOrder(
            "metadata.annotations[kaskade.dev/monitor]: drift.aplha: unknown key (known: [alpha,"
                + " categorical, reference, reference_size, window, window_ms])",
            "metadata.annotations[kaskade.dev/monitor]: drift.window: must be an integer >= 2,"
                + " got 1",
            "metadata.annotations[kaskade.dev/monitor]: drift.alpha: must be a number in (0, 1),"
                + " got 2",
            "metadata.annotations[kaskade.dev/monitor]: feature_names[1]: duplicate name 'x'");
  }

  @Test
  void acceptsValidMonitorSettings() {
    assertThat(
            monitorErrors(
                "{\"feature_names\": [\"a\", \"b\"], \"drift\": {\"window\": 50, \"alpha\":"
                    + " 0.01, \"categorical\": [1]}, \"outlier\": {\"p\": 0.99}}"))
        .isEmpty();
  }
}
