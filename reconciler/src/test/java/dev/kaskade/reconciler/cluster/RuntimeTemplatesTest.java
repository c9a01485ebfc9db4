package dev.kaskade.reconciler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class RuntimeTemplatesTest {
  private static final ObjectMeta META =
      new ObjectMetaBuilder()
          .withName("iris")
          .withNamespace("ml")
          .addToLabels("modelClass", "mlserver_sklearn.SKLearnModel")
          .addToAnnotations("serving.kserve.io/x", "a\"b")
          .build();

  @Test
  void rendersKServesObjectMetaPlaceholdersInEveryField() {
    Container runtime =
        new ContainerBuilder()
            .withName("kserve-container")
            .withImage("repo/{{.Namespace}}:1")
            .withArgs("--model_name={{.Name}}", "--http_port=8080")
            .addNewEnv()
            .withName("MLSERVER_MODEL_IMPLEMENTATION")
            .withValue("{{.Labels.modelClass}}")
            .endEnv()
            .build();

    Container rendered = RuntimeTemplates.render(runtime, META);

    assertThat(rendered.getImage()).isEqualTo("repo/ml:1");
    assertThat(rendered.getArgs()).containsExactly("--model_name=iris", "--http_port=8080");
    assertThat(rendered.getEnv().get(0).getValue()).isEqualTo("mlserver_sklearn.SKLearnModel");
  }

  @Test
  void missingKeysRenderAsGoDoesAndValuesStayValidJson() {
    assertThat(RuntimeTemplates.renderText("{{.Annotations.modelFormat}}", META))
        .isEqualTo("<no value>");
    assertThat(
            RuntimeTemplates.renderText("{{ index .Annotations \"serving.kserve.io/x\" }}", META))
        .isEqualTo("a\\\"b");
    assertThat(RuntimeTemplates.renderText("--name={{ .Name }} {{.Unknown}}", META))
        .isEqualTo("--name=iris {{.Unknown}}");
  }
}
