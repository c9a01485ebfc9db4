package dev.kaskade.helmtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1Deployment;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object helm/kaskade renders, for an existing Kafka plain and secured and for the other
 * value choices docs/operations.md names, is valid against the Kubernetes 1.35 OpenAPI document
 * (see {@link KubernetesOpenApi}); the few custom resources are the known third-party kinds.
 */
class ChartOpenApiTest {
  /** apiVersion/kind of the custom resources the chart may render (their CRDs are not ours). */
  private static final Set<String> THIRD_PARTY =
      Set.of(
          "cert-manager.io/v1/Issuer",
          "cert-manager.io/v1/Certificate",
          "keda.sh/v1alpha1/ClusterTriggerAuthentication",
          "monitoring.coreos.com/v1/PodMonitor",
          "monitoring.coreos.com/v1/PrometheusRule");

  static Stream<Arguments> valueSets() {
    Chart.Values ownWebhookCert =
        Chart.PLAIN
            .with("webhook.certManager.enabled", "false")
            .with("webhook.tls.secretName", "kaskade-webhook-tls")
            .with("webhook.caBundle", Base64.getEncoder().encodeToString("ca".getBytes()));
    Chart.Values lean =
        Chart.PLAIN
            .with("webhook.enabled", "false")
            .with("networkPolicy.enabled", "false")
            .with("serviceAccount.create", "false")
            .with("auditSink.enabled", "false")
            .with("processors.metricsPort", "0");
    return Stream.of(
        Arguments.of("strimzi-plain.yaml", Chart.PLAIN),
        Arguments.of("strimzi-secured.yaml (SASL_SSL, S3, policies, monitoring)", Chart.SECURED),
        Arguments.of("webhook with its own certificate", ownWebhookCert),
        Arguments.of("no webhook, policies or service account", lean),
        Arguments.of(
            "local model agent DaemonSet", Chart.PLAIN.with("localModelAgent.enabled", "true")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void everyRenderedObjectIsValidKubernetes(String name, Chart.Values values) {
    List<HasMetadata> objects = Chart.objects(values);
    List<String> validated = new ArrayList<>();
    for (HasMetadata object : objects) {
      String kind = object.getApiVersion() + "/" + object.getKind();
      if (KubernetesOpenApi.modelOf(object.getApiVersion(), object.getKind()).isPresent()) {
        KubernetesOpenApi.validate(object);
        validated.add(kind);
      } else {
        assertThat(THIRD_PARTY).as("a custom resource the chart renders").contains(kind);
      }
    }
    assertThat(validated).as(name).contains("apps/v1/Deployment", "v1/ServiceAccount");
    assertThat(validated.stream().filter(k -> k.equals("apps/v1/Deployment")))
        .as("reconciler, gateway and (unless turned off) processors and audit sink")
        .hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void theLocalModelAgentRunsOnEveryNodeAndSwitchesTheReconcilerToLocalModelNodes() {
    List<HasMetadata> objects = Chart.objects(Chart.PLAIN.with("localModelAgent.enabled", "true"));
    var agent =
        objects.stream()
            .filter(io.fabric8.kubernetes.api.model.apps.DaemonSet.class::isInstance)
            .map(io.fabric8.kubernetes.api.model.apps.DaemonSet.class::cast)
            .findFirst()
            .orElseThrow();
    var pod = agent.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(container.getArgs()).startsWith("local-model-agent");
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("NODE_NAME");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
            });
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getHostPath() != null)
        .extracting(v -> v.getHostPath().getPath())
        .containsExactly("/models");
    Deployment reconciler =
        objects.stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .filter(d -> d.getMetadata().getName().endsWith("-reconciler"))
            .findFirst()
            .orElseThrow();
    assertThat(reconciler.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            e -> assertThat(e.getName()).isEqualTo("KASKADE_RECONCILER_LOCALMODEL_NODE_AGENT"));
    assertThat(Chart.objects(Chart.PLAIN))
        .noneMatch(io.fabric8.kubernetes.api.model.apps.DaemonSet.class::isInstance);
  }

  @Test
  void theChartsCrdsAreValidCustomResourceDefinitions() throws Exception {
    File[] crds = Chart.DIR.resolve("crds").toFile().listFiles();
    assertThat(crds).hasSize(9);
    for (File crd : crds) {
      String json = Serialization.asJson(Serialization.unmarshal(Files.readString(crd.toPath())));
      KubernetesOpenApi.validate(json, V1CustomResourceDefinition.class, crd.getName());
    }
  }

  @Test
  void theValidationRejectsUnknownFieldsMissingRequiredFieldsAndWrongTypes() {
    Deployment gateway =
        Chart.objects(Chart.PLAIN).stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .filter(d -> d.getMetadata().getName().equals("prod-kaskade-gateway"))
            .findFirst()
            .orElseThrow();
    String json = Serialization.asJson(gateway);
    KubernetesOpenApi.validate(json, V1Deployment.class, "as rendered");

    JsonObject typo = JsonParser.parseString(json).getAsJsonObject();
    typo.getAsJsonObject("spec").addProperty("replica", 2);
    assertThatThrownBy(
            () -> KubernetesOpenApi.validate(typo.toString(), V1Deployment.class, "typo"))
        .hasMessageContaining("replica");

    JsonObject nameless = JsonParser.parseString(json).getAsJsonObject();
    container(nameless).remove("name");
    assertThatThrownBy(
            () -> KubernetesOpenApi.validate(nameless.toString(), V1Deployment.class, "nameless"))
        .hasMessageContaining("name");

    JsonObject wrongType = JsonParser.parseString(json).getAsJsonObject();
    wrongType.getAsJsonObject("spec").addProperty("replicas", "two");
    assertThatThrownBy(
            () -> KubernetesOpenApi.validate(wrongType.toString(), V1Deployment.class, "type"))
        .isInstanceOf(AssertionError.class);
  }

  private static JsonObject container(JsonObject deployment) {
    return deployment
        .getAsJsonObject("spec")
        .getAsJsonObject("template")
        .getAsJsonObject("spec")
        .getAsJsonArray("containers")
        .get(0)
        .getAsJsonObject();
  }
}
