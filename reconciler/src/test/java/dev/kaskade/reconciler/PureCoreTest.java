package dev.kaskade.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The import rule that keeps desired-state code pure: no Kafka or Kubernetes clients in it. */
class PureCoreTest {
  private static final Path MAIN = Path.of("src/main/java/dev/kaskade/reconciler");
  private static final List<String> CLIENT_IMPORTS =
      List.of(
          "import org.apache.kafka.clients",
          "import io.fabric8.kubernetes.client.KubernetesClient",
          "import io.fabric8.kubernetes.client.dsl",
          "import java.net.http");

  private static List<Path> sources(String... relative) throws IOException {
    List<Path> files = new java.util.ArrayList<>();
    for (String r : relative) {
      Path path = MAIN.resolve(r);
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
        }
      } else {
        files.add(path);
      }
    }
    return files;
  }

  @Test
  void modelCoreAndDesiredStateImportNoClient() throws IOException {
    List<Path> pure =
        sources(
            "model",
            "core",
            "status/StatusAggregator.java",
            "cluster/DesiredState.java",
            "webhook/AdmissionReviews.java");
    assertThat(pure).hasSizeGreaterThan(30);
    for (Path file : pure) {
      String text = Files.readString(file);
      assertThat(CLIENT_IMPORTS).as(file.toString()).noneMatch(text::contains);
    }
  }
}
