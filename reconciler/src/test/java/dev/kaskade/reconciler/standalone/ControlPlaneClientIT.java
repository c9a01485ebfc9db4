package dev.kaskade.reconciler.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.reconciler.Fixtures;
import dev.kaskade.reconciler.core.BuiltInRuntimes;
import dev.kaskade.reconciler.core.ManifestException;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.route.TrafficSplit;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlPlaneClientIT {
  private StandaloneHarness harness;
  private ControlPlaneClient client;

  @BeforeEach
  void setUp() {
    harness = new StandaloneHarness();
    client = new ControlPlaneClient(harness.ctx);
    client.applyBuiltInRuntimes();
  }

  @AfterEach
  void tearDown() {
    client.close();
    harness.close();
  }

  private Path sample(String name) {
    return harness.write(name, Fixtures.manifestText(name));
  }

  private long controlRecords() {
    return harness.records(harness.ctx.topics().controlResources()).size();
  }

  @Test
  void appliedInferenceServiceIsListedWithItsRevisionAndRuntime() {
    List<ApplyResult> results = client.apply(sample("onnx-style.yaml"));

    assertThat(results)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.action()).isEqualTo("created");
              assertThat(r.revision()).matches("style-sample-predictor-[0-9a-f]{8}");
              assertThat(r.warning()).isNull();
            });
    List<ResourceView> views = client.get("isvc", null, "default");
    assertThat(views).extracting(ResourceView::name).containsExactly("style-sample");
    InferenceServiceSpec spec = (InferenceServiceSpec) views.get(0).event().getSpec();
    assertThat(spec.getPredictor().getRuntime()).isEqualTo("kaskade-onnx");
    assertThat(harness.ctx.topics().predictor("default", "style-sample", results.get(0).revision()))
        .isNotBlank();
    String table = client.render(views, "table");
    assertThat(table.lines().findFirst().orElseThrow())
        .startsWith("NAME")
        .contains("READY", "URL", "REVISION/LATEST", "PREV", "TRAFFIC", "REASON", "DRIFT");
    assertThat(table).contains("style-sample", "http://style-sample.default.example.com", "100");
  }

  @Test
  void theStartsApplyPlansRuntimesAndManifestsTogetherAsOneApply() {
    Path first = sample("onnx-style.yaml");
    Path second = sample("canary-v1.yaml");
    long before = controlRecords();

    List<ApplyResult> results = client.applyBuiltInRuntimesAnd(List.of(first, second));

    // The runtimes are already there (setUp): unchanged, and the services see them.
    assertThat(results).hasSize(BuiltInRuntimes.all().size() + 2);
    assertThat(results.subList(0, BuiltInRuntimes.all().size()))
        .extracting(ApplyResult::action)
        .containsOnly("unchanged");
    assertThat(results.subList(BuiltInRuntimes.all().size(), results.size()))
        .extracting(ApplyResult::action)
        .containsExactly("created", "created");
    assertThat(client.get("isvc", null, "default"))
        .extracting(v -> ((InferenceServiceSpec) v.event().getSpec()).getPredictor().getRuntime())
        .containsOnly("kaskade-onnx");
    assertThat(controlRecords()).isGreaterThan(before);
    assertThat(client.applyBuiltInRuntimesAnd(List.of(first, second)))
        .extracting(ApplyResult::action)
        .containsOnly("unchanged");
  }

  @Test
  void reapplyingTheSameManifestPublishesNothing() {
    Path file = sample("canary-v1.yaml");
    client.apply(file);
    long before = controlRecords();

    assertThat(client.apply(file)).extracting(ApplyResult::action).containsExactly("unchanged");
    assertThat(controlRecords()).isEqualTo(before);
  }

  @Test
  void stateSurvivesARestartOfTheClient() {
    client.apply(sample("canary-v1.yaml"));
    client.close();

    try (ControlPlaneClient restarted = new ControlPlaneClient(harness.ctx)) {
      assertThat(restarted.get("inferenceservices", "flowers", "default"))
          .extracting(ResourceView::name)
          .containsExactly("flowers");
      assertThat(restarted.get("clusterservingruntime", null, null))
          .extracting(ResourceView::name)
          .containsExactlyInAnyOrderElementsOf(
              BuiltInRuntimes.all().stream().map(r -> r.getMetadata().getName()).toList());
    }
  }

  @Test
  void invalidDocumentRejectsTheWholeApplyAndPublishesNothing() {
    String valid = Fixtures.manifestText("canary-v1.yaml");
    String invalid =
        Fixtures.manifestText("canary-v2.yaml")
            .replace("20", "120")
            .replace("\"flowers\"", "\"roses\"");
    Path file = harness.write("both.yaml", valid + "\n---\n" + invalid);
    long before = controlRecords();

    assertThatThrownBy(() -> client.apply(file))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("InferenceService default/roses")
        .hasMessageContaining(
            "spec.predictor.canaryTrafficPercent: must be between 0 and 100, got 120");
    assertThat(controlRecords()).isEqualTo(before);
    assertThat(client.get("isvc", null, "default")).isEmpty();
  }

  @Test
  void unknownKindIsAClearError() {
    Path file =
        harness.write(
            "odd.yaml",
            "apiVersion: serving.kserve.io/v1beta1\nkind: Predictor\nmetadata: {name: x}\n");
    assertThatThrownBy(() -> client.apply(file))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("kind: unknown kind 'Predictor'");
  }

  @Test
  void unservableSampleIsAcceptedWithAReason() {
    assertThat(client.apply(sample("tensorflow-flowers.yaml")))
        .singleElement()
        .satisfies(r -> assertThat(r.warning()).startsWith("NoSupportingRuntime"));

    ResourceView view = client.get("isvc", "flower-sample", null).get(0);
    InferenceServiceStatus status = (InferenceServiceStatus) view.status();
    assertThat(status.getModelStatus().getTransitionStatus()).isEqualTo("InvalidSpec");
    assertThat(client.render(List.of(view), "table")).contains("NoSupportingRuntime");
    assertThat(client.render(List.of(view), "yaml"))
        .contains("kind: \"InferenceService\"", "lastFailureInfo", "NoSupportingRuntime");
  }

  @Test
  void aClusterStorageContainerIsListedAndAUriOnlyItFetchesIsNotReadyNamingIt() {
    client.apply(
        harness.write("csc.yaml", dev.kaskade.reconciler.core.StorageContainersTest.CUSTOM));
    assertThat(client.render(client.get("clusterstoragecontainer", null, null), "table"))
        .contains("custom");
    assertThat(client.render(client.get("clusterstoragecontainers", "custom", null), "yaml"))
        .contains("example.com/custom-initializer:1");

    assertThat(
            client.apply(
                harness.write(
                    "custom-isvc.yaml", dev.kaskade.reconciler.core.StorageContainersTest.ISVC)))
        .singleElement()
        .satisfies(r -> assertThat(r.warning()).startsWith("StorageContainerNotRunnable"));
    assertThat(client.render(client.get("isvc", "iris", null), "yaml"))
        .contains("StorageContainerNotRunnable", "ClusterStorageContainer 'custom'");
  }

  @Test
  void inferenceServiceWaitingForARuntimeIsReplannedWhenOneIsApplied() {
    // A format no built-in runtime supports (Kaskade serves sklearn natively).
    String iris =
        Fixtures.manifestText("sklearn-iris.yaml")
            .replace("gs://", "s3://")
            .replace("name: sklearn", "name: tensorflow");
    client.apply(harness.write("iris.yaml", iris));
    assertThat(client.render(client.get("isvc", "sklearn-iris", null), "table"))
        .contains("NoSupportingRuntime");

    String runtime =
        Fixtures.manifestText("servingruntime.yaml").replace("name: sklearn", "name: tensorflow");
    List<ApplyResult> results = client.apply(harness.write("servingruntime.yaml", runtime));

    assertThat(results)
        .extracting(ApplyResult::name)
        .containsExactly("kserve-sklearnserver", "sklearn-iris");
    ResourceView view = client.get("isvc", "sklearn-iris", null).get(0);
    assertThat(((InferenceServiceSpec) view.event().getSpec()).getPredictor().getRuntime())
        .isEqualTo("kserve-sklearnserver");
    InferenceServiceStatus status = (InferenceServiceStatus) view.status();
    assertThat(status.getModelStatus().getTransitionStatus()).isEqualTo("InProgress");
    assertThat(status.getServingRuntimeName()).isEqualTo("kserve-sklearnserver");
  }

  @Test
  void latestDriftAlertShowsInTheTable() {
    client.apply(sample("canary-v1.yaml"));
    String topic = harness.ctx.topics().monitorDrift();
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
            dev.kaskade.schemas.kafka.ClientConfigs.producer(
                harness.ctx.bootstrapServers(), 1 << 20))) {
      var serializer =
          new dev.kaskade.schemas.serde.AvroSerializer<dev.kaskade.events.DriftAlert>(
              harness.ctx.registry());
      for (long end : new long[] {1000, 2000}) {
        var alert =
            dev.kaskade.events.DriftAlert.newBuilder()
                .setNamespace("default")
                .setModel("flowers")
                .setFeature(end == 2000 ? "petal_width" : "sepal_length")
                .setStatistic(0.4)
                .setPValue(0.001)
                .setDrift(end == 2000)
                .setWindowEnd(end)
                .build();
        producer.send(
            new org.apache.kafka.clients.producer.ProducerRecord<>(
                topic, "flowers", serializer.serialize(topic, alert)));
      }
    }
    assertThat(client.render(client.get("isvc", "flowers", null), "table"))
        .contains("Drift(petal_width)");
  }

  @Test
  void deleteRemovesTheResourceAndItsStatus() {
    client.apply(sample("sklearn-iris.yaml"));

    assertThat(client.delete("isvc", "sklearn-iris", "default")).isTrue();
    assertThat(client.get("isvc", null, "default")).isEmpty();
    assertThatThrownBy(() -> client.get("isvc", "sklearn-iris", "default"))
        .isInstanceOfSatisfying(
            KaskadeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    assertThat(client.delete("isvc", "sklearn-iris", "default")).isFalse();
  }

  @Test
  void applyingAFolderAppliesEveryManifestInOrder() {
    Path dir = Fixtures.manifestsDir();
    List<ApplyResult> results = client.apply(dir.resolve("onnx-style.yaml"));
    results = client.apply(dir.resolve("trainedmodel.yaml"));
    assertThat(results).extracting(ApplyResult::kind).containsExactly("TrainedModel");
    assertThat(client.render(client.get("tm", null, null), "json")).contains("\"model1\"");
  }

  @Test
  void canarySplitSendsAboutTwentyPercentToTheNewRevision() {
    client.apply(sample("canary-v1.yaml"));
    client.apply(sample("canary-v2.yaml"));
    ResourceView view = client.get("isvc", "flowers", "default").get(0);
    InferenceServiceSpec spec = (InferenceServiceSpec) view.event().getSpec();
    assertThat(client.render(List.of(view), "table")).contains("80/20");

    int n = 2000;
    int latest = 0;
    for (int i = 0; i < n; i++) {
      if (TrafficSplit.revisionFor(UUID.randomUUID().toString(), spec)
          .equals(spec.getPredictor().getRevision())) {
        latest++;
      }
    }
    double sigma = Math.sqrt(n * 0.2 * 0.8);
    assertThat((double) latest).isBetween(n * 0.2 - 4 * sigma, n * 0.2 + 4 * sigma);
  }
}
