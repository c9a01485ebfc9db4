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

  /** An existing Kafka without client security, as docs/operations.md installs it. */
  static final Map<String, String> PLAIN =
      Map.of(
          "kafka.bootstrapServers", "my-cluster-kafka-bootstrap.kafka:9092",
          "schemaRegistry.url", "http://apicurio.kafka:8080/apis/ccompat/v7");

  /**
   * The same Kafka over SASL_SSL (SCRAM) with one client-properties Secret per component, the
   * workers' Secret, KEDA's authentication, and the monitoring objects: the values of
   * docs/operations.md "Install on Strimzi".
   */
  static final Map<String, String> SECURED = secured();

  private Chart() {}

  private static Map<String, String> secured() {
    Map<String, String> values = new LinkedHashMap<>(PLAIN);
    values.put("kafka.bootstrapServers", "my-cluster-kafka-bootstrap.kafka:9093");
    for (String component : List.of("gateway", "reconciler", "processors", "audit-sink")) {
      values.put("kafka.security.secrets." + component, "kaskade-kafka-" + component);
    }
    values.put("kafka.security.workerSecret", "kaskade-kafka-worker");
    values.put("kafka.security.keda.triggerAuthentication", "kaskade-kafka");
    values.put("kafka.security.keda.create", "true");
    values.put("kafka.security.keda.secretName", "kaskade-keda-kafka");
    values.put("s3.endpoint", "http://minio.minio:9000");
    values.put("s3.credentialsSecret", "kaskade-s3");
    values.put("auditSink.signingKeySecret", "kaskade-audit-signing");
    values.put("monitoring.podMonitor.enabled", "true");
    values.put("monitoring.prometheusRule.enabled", "true");
    values.put("monitoring.grafanaDashboard.enabled", "true");
    return Map.copyOf(values);
  }

  /** The rendered YAML stream. */
  static String render(Map<String, String> values) {
    TemplateCommand template = new Helm(DIR).template().withName(RELEASE);
    values.forEach(template::set);
    return template.call();
  }

  /** Every rendered object, as fabric8 parses it (a known kind becomes its typed class). */
  static List<HasMetadata> objects(Map<String, String> values) {
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
