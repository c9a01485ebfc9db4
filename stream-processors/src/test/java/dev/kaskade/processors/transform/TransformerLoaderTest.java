package dev.kaskade.processors.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.events.TransformerSpec;
import dev.kaskade.processors.testing.Fixtures;
import dev.kaskade.schemas.error.KaskadeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformerLoaderTest {

  @Test
  void shouldFindServiceInJarNamedByStorageUri(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("user-transformer.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("META-INF/services/" + Transformer.class.getName()));
      out.write(UppercaseModelTransformer.class.getName().getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Transformer transformer =
        new TransformerLoader(new TransformerPolicy(List.of("dev.kaskade.*"), true))
            .load(TransformerSpec.newBuilder().setStorageUri(jar.toUri().toString()).build());

    var request = Fixtures.request("r", "shop", new double[][] {{1}});
    assertThat(transformer.preprocess(request, Map.of()).getModel()).isEqualTo("SHOP");
  }

  @Test
  void refusesJarsFromStorageUriUnlessTheOperatorEnablesThem(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("user-transformer.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("META-INF/services/" + Transformer.class.getName()));
      out.write(UppercaseModelTransformer.class.getName().getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    TransformerSpec spec = TransformerSpec.newBuilder().setStorageUri(jar.toString()).build();

    assertThatThrownBy(() -> new TransformerLoader().load(spec))
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining(TransformerPolicy.JARS_ENABLED);
    assertThatThrownBy(
            () ->
                new TransformerLoader(new TransformerPolicy(List.of("com.acme.*"), true))
                    .load(spec))
        .as("a jar's transformer must be on the allow-list too")
        .hasMessageContaining(TransformerPolicy.ALLOWED_CLASSES);
  }

  @Test
  void refusesClassNotOnTheAllowListWithoutRunningAnyOfItsCode() {
    int before = SideEffects.RUNS.get();
    TransformerSpec spec =
        TransformerSpec.newBuilder().setSpiClass(SideEffects.Eager.class.getName()).build();

    assertThatThrownBy(
            () ->
                new TransformerLoader(
                        TransformerPolicy.from(
                            Map.of(TransformerPolicy.ALLOWED_CLASSES, "com.acme.Only")))
                    .load(spec))
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining("is not allowed")
        .hasMessageContaining(TransformerPolicy.ALLOWED_CLASSES);
    assertThatThrownBy(
            () ->
                new TransformerLoader()
                    .load(TransformerSpec.newBuilder().setSpiClass("java.lang.Thread").build()))
        .hasMessageContaining(TransformerPolicy.ALLOWED_CLASSES);
    assertThat(SideEffects.RUNS.get()).isEqualTo(before);
  }

  @Test
  void neverInstantiatesAnAllowedClassThatIsNotATransformer() {
    int before = SideEffects.RUNS.get();
    TransformerSpec spec =
        TransformerSpec.newBuilder()
            .setSpiClass(SideEffects.NotATransformer.class.getName())
            .build();

    assertThatThrownBy(() -> new TransformerLoader().load(spec))
        .hasMessageContaining("does not implement");
    assertThat(SideEffects.RUNS.get()).isEqualTo(before);
  }

  @Test
  void loadsAllowedTransformerClassNamedByTheManifest() {
    Transformer t =
        new TransformerLoader(
                TransformerPolicy.from(
                    Map.of(
                        TransformerPolicy.ALLOWED_CLASSES,
                        UppercaseModelTransformer.class.getName())))
            .load(
                TransformerSpec.newBuilder()
                    .setSpiClass(UppercaseModelTransformer.class.getName())
                    .build());

    var request = Fixtures.request("r", "shop", new double[][] {{1}});
    assertThat(t.preprocess(request, Map.of()).getModel()).isEqualTo("SHOP");
  }

  @Test
  void shouldFailWithUnavailableWhenJarIsMissingOrStepIsUnknown(@TempDir Path dir) {
    TransformerLoader loader = new TransformerLoader(new TransformerPolicy(List.of("x.*"), true));
    assertThatThrownBy(
            () ->
                loader.load(
                    TransformerSpec.newBuilder()
                        .setStorageUri(dir.resolve("none.jar").toString())
                        .build()))
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(
            () ->
                loader.load(
                    TransformerSpec.newBuilder().setStepsJson("[{\"type\":\"pca\"}]").build()))
        .hasMessageContaining("unknown transformer step type 'pca'");
  }

  @Test
  void keepsAtMostTheCapOfBuiltSpecs() {
    TransformerLoader loader = new TransformerLoader();
    for (int i = 0; i < TransformerLoader.MAX_CACHED + 20; i++) {
      loader.load(TransformerSpec.newBuilder().setStepsJson("[]" + " ".repeat(i)).build());
    }

    assertThat(loader.cached()).isEqualTo(TransformerLoader.MAX_CACHED);
  }
}
