package dev.kaskade.reconciler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Lints and renders helm/kaskade with the real Helm library (helm-java). */
class HelmChartTest {
  private static final Path CHART = Path.of("../helm/kaskade").toAbsolutePath().normalize();

  @Test
  void chartLintsCleanInStrictMode() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void rendersReconcilerGatewayRbacAndWebhookWithExternalKafka() {
    String yaml =
        new Helm(CHART)
            .template()
            .withName("prod")
            .set("kafka.bootstrapServers", "kafka.example:9093")
            .set("schemaRegistry.url", "http://registry.example:8081")
            .call();
    assertThat(yaml)
        .contains("name: prod-kaskade-reconciler")
        .contains("name: prod-kaskade-gateway")
        .contains("kind: ClusterRole")
        .contains("kind: ValidatingWebhookConfiguration")
        .contains("kind: MutatingWebhookConfiguration")
        .contains("cert-manager.io/inject-ca-from")
        .contains("value: \"kafka.example:9093\"")
        .contains("resources: [\"scaledobjects\"]");
  }

  @Test
  void podMonitorScrapesTheWorkersMetricsPortInEveryNamespace() {
    String off = new Helm(CHART).template().withName("prod").call();
    assertThat(off).doesNotContain("name: prod-kaskade-worker-metrics");

    String yaml =
        new Helm(CHART)
            .template()
            .withName("prod")
            .set("monitoring.podMonitor.enabled", "true")
            .call();
    String workers = yaml.substring(yaml.indexOf("name: prod-kaskade-worker-metrics"));
    workers = workers.split("\n---")[0];
    assertThat(workers)
        .contains("any: true")
        .contains("app.kubernetes.io/managed-by: kaskade")
        .contains("- port: metrics");
  }

  @Test
  void webhookCanBeTurnedOff() {
    String yaml = new Helm(CHART).template().withName("dev").set("webhook.enabled", "false").call();
    assertThat(yaml)
        .doesNotContain("WebhookConfiguration")
        .contains("prod".isEmpty() ? "" : "dev-kaskade-reconciler");
  }

  @Test
  void securedKafkaMountsEachComponentsClientPropertiesAndCreatesTheKedaAuthentication() {
    String yaml =
        new Helm(CHART)
            .template()
            .withName("prod")
            .set("kafka.security.secrets.default", "kaskade-kafka")
            .set("kafka.security.secrets.gateway", "kaskade-kafka-gateway")
            .set("kafka.security.workerSecret", "kaskade-kafka-worker")
            .set("kafka.security.keda.triggerAuthentication", "kaskade-kafka")
            .set("kafka.security.keda.create", "true")
            .set("kafka.security.keda.secretName", "kaskade-keda-kafka")
            .call();
    assertThat(yaml)
        .contains("value: /etc/kaskade/kafka/client.properties")
        .contains("secretName: kaskade-kafka-gateway")
        .contains("secretName: kaskade-kafka\n")
        .contains("name: KASKADE_RECONCILER_WORKER_KAFKA_SECRET")
        .contains("name: KASKADE_RECONCILER_KEDA_TRIGGER_AUTHENTICATION")
        .contains("kind: ClusterTriggerAuthentication")
        .contains("parameter: sasl");
    assertThat(new Helm(CHART).template().withName("plain").call())
        .doesNotContain("KASKADE_KAFKA_CONFIG")
        .doesNotContain("ClusterTriggerAuthentication");
  }
}
