package dev.kaskade.reconciler.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.ModelState;
import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.model.ClusterStorageContainer;
import dev.kaskade.reconciler.publish.ControlSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

public class StorageContainersTest {
  public static final String CUSTOM =
      """
      apiVersion: serving.kserve.io/v1alpha1
      kind: ClusterStorageContainer
      metadata: {name: custom}
      spec:
        container:
          name: storage-initializer
          image: example.com/custom-initializer:1
        supportedUriFormats:
          - prefix: custom://
          - regex: "https://(.+?)\\\\.models\\\\.example\\\\.com/(.+)"
      """;

  public static final String ISVC =
      """
      apiVersion: serving.kserve.io/v1beta1
      kind: InferenceService
      metadata: {name: iris}
      spec:
        predictor:
          onnx: {storageUri: 'custom://bucket/iris'}
      """;

  private static ClusterStorageContainer csc(String yaml) {
    return (ClusterStorageContainer) Fixtures.yaml(yaml).resource();
  }

  private static List<String> errors(String yaml) {
    return Validator.validate(Fixtures.yaml(yaml), KnownResources.ANY);
  }

  @Test
  void matchesAPrefixOrARegexFoundAnywhereInTheUri() {
    List<ClusterStorageContainer> all = List.of(csc(CUSTOM));
    assertThat(StorageContainers.initContainerFor("custom://b/m", all)).isPresent();
    assertThat(StorageContainers.initContainerFor("https://eu.models.example.com/m", all))
        .isPresent();
    assertThat(StorageContainers.initContainerFor("s3://b/m", all)).isEmpty();
    assertThat(StorageContainers.initContainerFor(null, all)).isEmpty();
  }

  @Test
  void disabledContainersAndDownloadJobContainersAreNotInitContainers() {
    ClusterStorageContainer disabled = csc(CUSTOM.replace("spec:", "disabled: true\nspec:"));
    assertThat(disabled.disabled()).isTrue();
    assertThat(StorageContainers.initContainerFor("custom://b/m", List.of(disabled))).isEmpty();
    ClusterStorageContainer job =
        csc(CUSTOM.replace("spec:", "spec:\n  workloadType: localModelDownloadJob"));
    assertThat(StorageContainers.initContainerFor("custom://b/m", List.of(job))).isEmpty();
    assertThat(StorageContainers.matching("custom://b/m", List.of(job), "localModelDownloadJob"))
        .isPresent();
  }

  @Test
  void theFirstMatchByNameWinsWhateverTheListingOrder() {
    ClusterStorageContainer b = csc(CUSTOM.replace("name: custom", "name: b"));
    ClusterStorageContainer a = csc(CUSTOM.replace("name: custom", "name: a"));
    assertThat(StorageContainers.initContainerFor("custom://x", List.of(b, a)))
        .get()
        .extracting(c -> c.getMetadata().getName())
        .isEqualTo("a");
  }

  @Test
  void aValidContainerPassesValidation() {
    assertThat(errors(CUSTOM)).isEmpty();
  }

  @Test
  void refusesAMissingImageEmptyFormatsAndAnInvalidRegexNamingTheField() {
    assertThat(errors(CUSTOM.replace("    image: example.com/custom-initializer:1\n", "")))
        .containsExactly("spec.container.image: required");
    assertThat(
            errors(
                CUSTOM.substring(0, CUSTOM.indexOf("  supportedUriFormats"))
                    + "  supportedUriFormats: []\n"))
        .containsExactly("spec.supportedUriFormats: at least one prefix or regex is required");
    assertThat(errors(CUSTOM.replace("(.+?)", "(.+?")))
        .singleElement()
        .asString()
        .startsWith("spec.supportedUriFormats[1].regex: not a valid regular expression");
    assertThat(errors(CUSTOM.replace("- prefix: custom://", "- {}")))
        .containsExactly("spec.supportedUriFormats[0]: exactly one of prefix or regex is required");
    assertThat(errors(CUSTOM.replace("spec:", "spec:\n  workloadType: sidecar")))
        .containsExactly(
            "spec.workloadType: must be initContainer or localModelDownloadJob, got 'sidecar'");
    assertThat(
            errors(
                """
                apiVersion: serving.kserve.io/v1alpha1
                kind: ClusterStorageContainer
                metadata: {name: empty}
                spec:
                  supportedUriFormats: [{prefix: "x://"}]
                """))
        .containsExactly("spec.container: required (the storage initializer container)");
  }

  @Test
  void disabledIsAcceptedBesideSpecButOtherTopLevelFieldsAreNot() {
    assertThat(errors(CUSTOM.replace("spec:", "disabled: false\nspec:"))).isEmpty();
    assertThatThrownBy(() -> Fixtures.yaml(CUSTOM.replace("spec:", "enabled: true\nspec:")))
        .hasMessageContaining("enabled: unknown top-level field");
  }

  @Test
  void aSchemeOnlyAContainerFetchesIsRefusedWithoutOneAndAcceptedWithOne() {
    ControlSnapshot state = Fixtures.stateWithBuiltIns();
    assertThatThrownBy(() -> ResourcePlanner.plan(Fixtures.yaml(ISVC), state))
        .hasMessageContaining("storageUri: unsupported scheme 'custom'");
    state.put(ResourcePlanner.plan(Fixtures.yaml(CUSTOM), state).event());
    Plan plan = ResourcePlanner.plan(Fixtures.yaml(ISVC), state);
    assertThat(plan.statuses())
        .singleElement()
        .satisfies(
            s -> {
              // standalone runs no containers: Ready=False naming the container
              assertThat(s.value().getState()).isEqualTo(ModelState.FailedToLoad);
              assertThat(s.value().getReason())
                  .isEqualTo(InferenceServicePlan.STORAGE_CONTAINER_NOT_RUN);
              assertThat(s.value().getMessage())
                  .contains(
                      "custom://bucket/iris",
                      "ClusterStorageContainer 'custom'",
                      "example.com/custom-initializer:1",
                      "standalone");
            });
  }

  @Test
  void aCacheSourceOnlyADownloadJobContainerFetchesIsAcceptedWithOne() {
    String cache =
        """
        apiVersion: serving.kserve.io/v1alpha1
        kind: LocalModelCache
        metadata: {name: big}
        spec: {sourceModelUri: 'custom://bucket/big', modelSize: 1Gi, nodeGroups: [all]}
        """;
    assertThat(errors(cache)).singleElement().asString().contains("unsupported scheme 'custom'");
    ControlSnapshot state = Fixtures.stateWithBuiltIns();
    state.put(ResourcePlanner.plan(Fixtures.yaml(CUSTOM), state).event());
    assertThat(Validator.validate(Fixtures.yaml(cache), state))
        .as("an initContainer container does not download caches")
        .isNotEmpty();
    String job =
        CUSTOM
            .replace("name: custom", "name: job")
            .replace("spec:", "spec:\n  workloadType: localModelDownloadJob");
    state.put(ResourcePlanner.plan(Fixtures.yaml(job), state).event());
    assertThat(Validator.validate(Fixtures.yaml(cache), state)).isEmpty();
  }

  @Test
  void aContainerForABuiltInSchemeLeavesStandaloneDownloadingItself() {
    ControlSnapshot state = Fixtures.stateWithBuiltIns();
    state.put(
        ResourcePlanner.plan(Fixtures.yaml(CUSTOM.replace("custom://", "s3://")), state).event());
    Plan plan = ResourcePlanner.plan(Fixtures.yaml(ISVC.replace("custom://", "s3://")), state);
    assertThat(plan.statuses())
        .singleElement()
        .satisfies(s -> assertThat(s.value()).as("no issue: the worker downloads s3").isNull());
  }
}
