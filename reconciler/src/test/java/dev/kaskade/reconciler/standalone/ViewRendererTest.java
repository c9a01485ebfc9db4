package dev.kaskade.reconciler.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.events.ResourceEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class ViewRendererTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void listingOneResourceAsJsonIsAKubectlListOfOneItem() throws Exception {
    JsonNode rendered = JSON.readTree(ViewRenderer.render(List.of(view("iris")), "json"));

    assertThat(rendered.get("apiVersion").asText()).isEqualTo("v1");
    assertThat(rendered.get("kind").asText()).isEqualTo("List");
    assertThat(rendered.get("items")).hasSize(1);
    assertThat(rendered.at("/items/0/metadata/name").asText()).isEqualTo("iris");
  }

  @Test
  void listingNoResourceAsYamlIsAnEmptyList() {
    JsonNode rendered = yaml(ViewRenderer.render(List.of(), "yaml"));

    assertThat(rendered.get("kind").asText()).isEqualTo("List");
    assertThat(rendered.get("items")).isEmpty();
  }

  @Test
  void listingTwoResourcesAsYamlKeepsTheirOrder() throws Exception {
    JsonNode rendered = yaml(ViewRenderer.render(List.of(view("a"), view("b")), "yaml"));

    assertThat(rendered.get("kind").asText()).isEqualTo("List");
    assertThat(rendered.at("/items/0/metadata/name").asText()).isEqualTo("a");
    assertThat(rendered.at("/items/1/metadata/name").asText()).isEqualTo("b");
  }

  @Test
  void oneNamedResourceAsJsonOrYamlIsTheResourceItself() throws Exception {
    JsonNode json = JSON.readTree(ViewRenderer.renderOne(view("iris"), "json"));
    JsonNode yaml = yaml(ViewRenderer.renderOne(view("iris"), "yaml"));

    for (JsonNode rendered : List.of(json, yaml)) {
      assertThat(rendered.get("kind").asText()).isEqualTo("InferenceService");
      assertThat(rendered.at("/metadata/name").asText()).isEqualTo("iris");
      assertThat(rendered.has("items")).isFalse();
    }
  }

  @Test
  void yamlOutputMasksSecretEnvValuesAndUrlCredentialsButKeepsTheRest() {
    String manifest =
        """
        {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
         "metadata": {"name": "shop", "namespace": "default",
                      "annotations": {"example.com/api-token": "t0k3n", "team": "ml"}},
         "spec": {"predictor": {
           "model": {"storageUri": "https://user:hunter2@models.example.com/m.onnx?sig=s3cr3t"},
           "logger": {"url": "http://sink.example.com/ingest?token=abc"},
           "containers": [{"name": "c", "env": [
             {"name": "AWS_SECRET_ACCESS_KEY", "value": "wJalrXUt"},
             {"name": "LOG_LEVEL", "value": "debug"}]}]}}}""";
    ResourceEvent event =
        ResourceEvent.newBuilder()
            .setKind("InferenceService")
            .setName("shop")
            .setManifestJson(manifest)
            .build();

    String yaml = ViewRenderer.renderOne(new ResourceView(event, null, null), "yaml");

    assertThat(yaml)
        .doesNotContain("hunter2")
        .doesNotContain("s3cr3t")
        .doesNotContain("token=abc")
        .doesNotContain("wJalrXUt")
        .doesNotContain("t0k3n")
        .contains("models.example.com/m.onnx")
        .contains("debug")
        .contains("ml");
  }

  private static JsonNode yaml(String text) {
    return JSON.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(text));
  }

  private static ResourceView view(String name) {
    String manifest =
        """
        {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
         "metadata": {"name": "%s", "namespace": "default"}}"""
            .formatted(name);
    ResourceEvent event =
        ResourceEvent.newBuilder()
            .setKind("InferenceService")
            .setName(name)
            .setManifestJson(manifest)
            .build();
    return new ResourceView(event, null, null);
  }
}
