package dev.kaskade.reconciler.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.core.BuiltInRuntimes;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.core.RuntimeCandidate;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionReviewsTest {
  private final AdmissionReviews reviews =
      new AdmissionReviews(
          () ->
              BuiltInRuntimes.all().stream()
                  .map(
                      r ->
                          new RuntimeCandidate(
                              r.getMetadata().getName(), null, true, r.getSpec(), null))
                  .toList());

  /** An AdmissionReview request for a manifest (YAML), as the API server sends it. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> review(String yaml, String operation) {
    Map<String, Object> object =
        (Map<String, Object>)
            new org.snakeyaml.engine.v2.api.Load(
                    org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                .loadFromString(yaml);
    return Map.of(
        "apiVersion", "admission.k8s.io/v1",
        "kind", "AdmissionReview",
        "request",
            Map.of(
                "uid", "1234-abcd", "operation", operation, "namespace", "ns1", "object", object));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> response(Map<String, Object> answer) {
    return (Map<String, Object>) answer.get("response");
  }

  @SuppressWarnings("unchecked")
  private static String message(Map<String, Object> answer) {
    return (String) ((Map<String, Object>) response(answer).get("status")).get("message");
  }

  private Map<String, Object> validate(String yaml) {
    return reviews.handle(review(yaml, "CREATE"), false);
  }

  private static String withPredictor(String predictor) {
    return "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: a}\n"
        + "spec:\n  predictor:\n"
        + predictor.indent(4);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> patch(Map<String, Object> answer) {
    String encoded = (String) response(answer).get("patch");
    return encoded == null
        ? List.of()
        : ManifestCodec.fromJson(
            new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8), List.class);
  }

  @Test
  void allowsKServeSampleAndEchoesTheUid() {
    Map<String, Object> answer = validate(Fixtures.manifestText("sklearn-iris.yaml"));
    assertThat(answer)
        .containsEntry("kind", "AdmissionReview")
        .containsEntry("apiVersion", "admission.k8s.io/v1");
    assertThat(response(answer)).containsEntry("uid", "1234-abcd").containsEntry("allowed", true);
  }

  @Test
  void deniesCanaryPercentOutOfRangeNamingTheField() {
    Map<String, Object> answer =
        validate(Fixtures.manifestText("canary-v2.yaml").replace("20", "120"));
    assertThat(response(answer)).containsEntry("allowed", false);
    assertThat(message(answer))
        .contains("spec.predictor.canaryTrafficPercent: must be between 0 and 100, got 120");
  }

  @Test
  void deniesTwoImplementations() {
    assertThat(
            message(
                validate(
                    withPredictor("sklearn: {storageUri: s3://a}\nonnx: {storageUri: s3://b}"))))
        .contains("spec.predictor: exactly one model implementation is allowed, got sklearn, onnx");
  }

  @Test
  void deniesUnsupportedStorageScheme() {
    assertThat(message(validate(withPredictor("onnx: {storageUri: 'ftp://h/m'}"))))
        .contains("spec.predictor.onnx.storageUri: unsupported scheme 'ftp'");
  }

  @Test
  void deniesAClusterStorageContainerWithAnInvalidRegexNamingTheField() {
    String csc = dev.kaskade.reconciler.core.StorageContainersTest.CUSTOM.replace("(.+?)", "(.+?");
    assertThat(response(validate(csc))).containsEntry("allowed", false);
    assertThat(message(validate(csc)))
        .contains("spec.supportedUriFormats[1].regex: not a valid regular expression");
  }

  @Test
  void allowsASchemeAClusterStorageContainerFetches() {
    var csc =
        (dev.kaskade.reconciler.model.ClusterStorageContainer)
            Fixtures.yaml(dev.kaskade.reconciler.core.StorageContainersTest.CUSTOM).resource();
    var withContainer =
        new AdmissionReviews(
            List::of,
            new dev.kaskade.reconciler.core.KnownResources() {
              @Override
              public boolean inferenceServiceExists(String namespace, String name) {
                return true;
              }

              @Override
              public List<dev.kaskade.reconciler.model.ClusterStorageContainer>
                  storageContainers() {
                return List.of(csc);
              }
            });
    String isvc = withPredictor("onnx: {storageUri: 'custom://bucket/m'}");
    assertThat(response(withContainer.handle(review(isvc, "CREATE"), false)))
        .containsEntry("allowed", true);
    assertThat(message(validate(isvc))).contains("unsupported scheme 'custom'");
  }

  @Test
  void deniesMaxReplicasBelowMin() {
    assertThat(
            message(
                validate(
                    withPredictor("minReplicas: 2\nmaxReplicas: 1\nonnx: {storageUri: s3://a}"))))
        .contains("spec.predictor.maxReplicas: must be >= minReplicas (2) unless 0, got 1");
  }

  @Test
  void deniesNameThatIsNotDns1123() {
    assertThat(
            message(
                validate(
                    withPredictor("onnx: {storageUri: s3://a}")
                        .replace("name: a", "name: My_Model"))))
        .contains("metadata.name: must be a DNS-1123 label");
  }

  @Test
  void deniesGraphWithoutRoot() {
    String graph =
        "apiVersion: serving.kserve.io/v1alpha1\nkind: InferenceGraph\nmetadata: {name: g}\n"
            + "spec: {nodes: {first: {routerType: Sequence, steps: [{serviceName: a}]}}}\n";
    assertThat(message(validate(graph))).contains("spec.nodes: a node named root is required");
  }

  @Test
  void deniesGraphStepToAMissingServiceWhenReferencesAreKnown() {
    AdmissionReviews checking =
        new AdmissionReviews(List::of, (ns, name) -> name.equals("style-sample"));
    Map<String, Object> answer =
        checking.handle(review(Fixtures.manifestText("inferencegraph.yaml"), "CREATE"), false);
    assertThat(message(answer))
        .contains(
            "spec.nodes.root.steps[1].serviceName: InferenceService 'flowers' does not exist in namespace ns1")
        .doesNotContain("steps[0]");
  }

  @Test
  void allowsAnUnknownFieldButWarnsAboutItByPath() {
    Map<String, Object> answer =
        validate(withPredictor("sklearn:\n  storgeUri: s3://models/iris\n  storageUri: s3://m/i"));
    assertThat(response(answer)).containsEntry("allowed", true);
    assertThat(response(answer))
        .containsEntry("warnings", List.of("unknown field \"spec.predictor.sklearn.storgeUri\""));
  }

  @Test
  void allowsKindsThatAreNotKaskades() {
    String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: Not_Valid_But_Not_Ours}\n";
    assertThat(response(validate(pod))).containsEntry("allowed", true);
  }

  @Test
  void allowsDeletesWithoutValidating() {
    String invalid = Fixtures.manifestText("canary-v2.yaml").replace("20", "120");
    assertThat(response(reviews.handle(review(invalid, "DELETE"), false)))
        .containsEntry("allowed", true);
  }

  @Test
  void defaultingPatchesProtocolVersionAndRuntime() {
    Map<String, Object> answer =
        reviews.handle(review(Fixtures.manifestText("canary-v1.yaml"), "CREATE"), true);
    assertThat(response(answer))
        .containsEntry("allowed", true)
        .containsEntry("patchType", "JSONPatch");
    assertThat(patch(answer))
        .containsExactly(
            Map.of("op", "add", "path", "/spec/predictor/model/protocolVersion", "value", "v1"),
            Map.of("op", "add", "path", "/spec/predictor/model/runtime", "value", "kaskade-onnx"));
  }

  @Test
  void defaultingLeavesExplicitValuesAlone() {
    String explicit =
        withPredictor("onnx: {storageUri: s3://a, protocolVersion: v2, runtime: mine}");
    Map<String, Object> answer = reviews.handle(review(explicit, "CREATE"), true);
    assertThat(response(answer)).doesNotContainKey("patch");
  }

  @Test
  void defaultingSkipsRuntimeWhenNoneSupportsTheFormat() {
    Map<String, Object> answer =
        reviews.handle(review(Fixtures.manifestText("tensorflow-flowers.yaml"), "CREATE"), true);
    assertThat(patch(answer))
        .containsExactly(
            Map.of("op", "add", "path", "/spec/predictor/model/protocolVersion", "value", "v1"));
  }
}
