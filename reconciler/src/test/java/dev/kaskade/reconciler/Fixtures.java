package dev.kaskade.reconciler;

import dev.kaskade.reconciler.core.BuiltInRuntimes;
import dev.kaskade.reconciler.core.Manifest;
import dev.kaskade.reconciler.core.ManifestCodec;
import dev.kaskade.reconciler.core.Plan;
import dev.kaskade.reconciler.core.ResourceKind;
import dev.kaskade.reconciler.core.ResourcePlanner;
import dev.kaskade.reconciler.publish.ControlSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared test data: the sample manifests and a control state with the built-in runtimes. */
public final class Fixtures {
  private Fixtures() {}

  /** The text of {@code src/test/resources/manifests/<name>}. */
  public static String manifestText(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/manifests/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test manifest " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path manifestsDir() {
    try {
      return Path.of(Fixtures.class.getResource("/manifests").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The single document of a sample manifest. */
  public static Manifest manifest(String name) {
    return ManifestCodec.parse(manifestText(name), name, null, "default").get(0);
  }

  /** A manifest from YAML text. */
  public static Manifest yaml(String text) {
    return ManifestCodec.parse(text, "test.yaml", null, "default").get(0);
  }

  /** An empty control state with kaskade-onnx and kaskade-tensorrt published. */
  public static ControlSnapshot stateWithBuiltIns() {
    ControlSnapshot state = new ControlSnapshot(Map.of(), Map.of());
    for (var runtime : BuiltInRuntimes.all()) {
      Plan plan =
          ResourcePlanner.plan(
              new Manifest(
                  ResourceKind.CLUSTER_SERVING_RUNTIME,
                  runtime,
                  ManifestCodec.toMap(runtime),
                  null),
              state);
      state.put(plan.event());
    }
    return state;
  }

  /** Plans the documents in order, each seeing the earlier ones. */
  public static List<Plan> planAll(ControlSnapshot state, String... names) {
    return java.util.Arrays.stream(names)
        .map(
            n -> {
              Plan plan = ResourcePlanner.plan(manifest(n), state);
              state.put(plan.event());
              return plan;
            })
        .toList();
  }
}
