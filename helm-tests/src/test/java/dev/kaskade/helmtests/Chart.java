package dev.kaskade.helmtests;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * helm/kaskade rendered by the real Helm engine (helm-java embeds Helm's Go library, so no {@code
 * helm} binary is needed), as {@code helm template} would for one set of values.
 */
final class Chart {
  static final Path DIR = Path.of("../helm/kaskade").toAbsolutePath().normalize();
  static final String RELEASE = "prod";
  static final String NAMESPACE = "kaskade";

  /** The Kubernetes release whose OpenAPI document {@link KubernetesOpenApi} validates against. */
  static final String KUBE_VERSION = "1.35.0";

  /** An existing (Strimzi) Kafka without client security: helm/examples/strimzi-plain.yaml. */
  static final Values PLAIN = Values.file("strimzi-plain.yaml");

  /**
   * The same Kafka over SASL_SSL (SCRAM) with one client-properties Secret per component, the
   * workers' Secret, KEDA's authentication, NetworkPolicy peers and the monitoring objects:
   * helm/examples/strimzi-secured.yaml.
   */
  static final Values SECURED = Values.file("strimzi-secured.yaml");

  private Chart() {}

  /** A values file of helm/examples plus {@code --set}s. */
  record Values(Path file, Map<String, String> sets) {
    static Values file(String name) {
      return new Values(DIR.resolveSibling("examples").resolve(name).normalize(), Map.of());
    }

    static Values sets(Map<String, String> sets) {
      return new Values(null, sets);
    }

    Values with(String key, String value) {
      Map<String, String> more = new LinkedHashMap<>(sets);
      more.put(key, value);
      return new Values(file, more);
    }
  }

  static String render(Map<String, String> sets) {
    return render(Values.sets(sets));
  }

  /** The rendered YAML stream. */
  static String render(Values values) {
    TemplateCommand template =
        new Helm(DIR)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    if (values.file() != null) {
      template.withValuesFile(values.file());
    }
    values.sets().forEach(template::set);
    return template.call();
  }

  /** Every rendered object, as fabric8 parses it (a known kind becomes its typed class). */
  static List<HasMetadata> objects(Values values) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : documents(render(values))) {
      objects.add(Serialization.unmarshal(document, HasMetadata.class));
    }
    return objects;
  }

  /** The YAML documents of a stream that hold an object (not just comments). */
  static List<String> documents(String yaml) {
    List<String> documents = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
        documents.add(document);
      }
    }
    return documents;
  }
}
