package dev.kaskade.reconciler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every Deployment of helm/kaskade (reconciler, gateway, processors, audit sink) runs hardened on
 * an existing Kafka, and the NetworkPolicies shipped cover every component: each rendered object is
 * parsed into its Kubernetes type and checked.
 */
class HelmWorkloadsTest {
  private static final Path CHART = Path.of("../helm/kaskade").toAbsolutePath().normalize();
  private static final Set<String> COMPONENTS =
      Set.of("reconciler", "gateway", "processors", "audit-sink");

  @Test
  void everyComponentHasAHardenedDeploymentOnTheExistingKafka() {
    List<HasMetadata> objects = render(t -> t);
    assertThat(objects).allSatisfy(HelmWorkloadsTest::hasKindApiVersionAndName);
    Map<String, Deployment> deployments = deployments(objects);
    assertThat(deployments).containsOnlyKeys(COMPONENTS);
    deployments.forEach(
        (component, deployment) -> {
          PodSpec pod = deployment.getSpec().getTemplate().getSpec();
          Container container = pod.getContainers().get(0);
          Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
          assertThat(selector)
              .as(component)
              .containsEntry("app.kubernetes.io/component", component);
          assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
              .as("%s pods match their selector", component)
              .containsAllEntriesOf(selector);
          assertThat(container.getArgs()).as(component).startsWith(component);
          assertThat(container.getImage()).as(component).startsWith("ghcr.io/kaskade/kaskade:");
          assertThat(env(container))
              .as(component)
              .containsEntry("KASKADE_BOOTSTRAP_SERVERS", "kafka.example:9093")
              .containsEntry("KASKADE_SCHEMA_REGISTRY_URL", "http://registry.example:8081");
          assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(component).isTrue();
          assertThat(pod.getSecurityContext().getRunAsUser()).as(component).isPositive();
          var hardened = container.getSecurityContext();
          assertThat(hardened.getReadOnlyRootFilesystem()).as(component).isTrue();
          assertThat(hardened.getAllowPrivilegeEscalation()).as(component).isFalse();
          assertThat(hardened.getCapabilities().getDrop()).as(component).containsExactly("ALL");
          assertThat(container.getVolumeMounts())
              .as("%s writes only to its volumes", component)
              .extracting(m -> m.getMountPath())
              .contains("/tmp", "/var/lib/kaskade");
          assertThat(pod.getServiceAccountName())
              .as(component)
              .isEqualTo(
                  component.equals("reconciler")
                      ? "prod-kaskade-reconciler"
                      : "prod-kaskade-workload");
        });
    assertThat(objects)
        .anyMatch(
            o ->
                o.getKind().equals("ServiceAccount")
                    && o.getMetadata().getName().equals("prod-kaskade-workload"));
  }

  @Test
  void serviceAccountAndS3CredentialsSecretAreHonoured() {
    Map<String, Deployment> deployments =
        deployments(
            render(
                t ->
                    t.set("serviceAccount.create", "false")
                        .set("serviceAccount.name", "team-sa")
                        .set("s3.credentialsSecret", "s3-creds")
                        .set("s3.endpoint", "http://minio.minio:9000")));
    for (String component : List.of("gateway", "processors", "audit-sink")) {
      assertThat(
              deployments.get(component).getSpec().getTemplate().getSpec().getServiceAccountName())
          .as(component)
          .isEqualTo("team-sa");
    }
    Container sink =
        deployments.get("audit-sink").getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(env(sink))
        .containsEntry("KASKADE_AUDIT_STORE", "s3://kaskade-audit/audit")
        .containsEntry("KASKADE_AUDIT_S3_ENDPOINT", "http://minio.minio:9000");
    assertThat(sink.getEnv())
        .filteredOn(e -> e.getName().startsWith("AWS_") && e.getValueFrom() != null)
        .extracting(e -> e.getValueFrom().getSecretKeyRef().getName())
        .containsExactly("s3-creds", "s3-creds");
  }

  @Test
  void networkPoliciesDenyByDefaultAndOpenOnlyTheGatewayAndTheWebhook() {
    List<NetworkPolicy> policies =
        render(t -> t).stream()
            .filter(NetworkPolicy.class::isInstance)
            .map(NetworkPolicy.class::cast)
            .toList();
    assertThat(policies)
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "prod-kaskade-reconciler",
            "prod-kaskade-gateway",
            "prod-kaskade-processors",
            "prod-kaskade-audit-sink",
            "prod-kaskade-workers");
    for (NetworkPolicy policy : policies) {
      String name = policy.getMetadata().getName();
      assertThat(policy.getSpec().getPolicyTypes()).as(name).contains("Ingress", "Egress");
      assertThat(policy.getSpec().getEgress())
          .as("%s reaches Kafka", name)
          .anyMatch(
              rule -> rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 9092));
      boolean servesCalls = name.endsWith("-gateway") || name.endsWith("-reconciler");
      assertThat(policy.getSpec().getIngress()).as(name).hasSize(servesCalls ? 1 : 0);
    }
    assertThat(render(t -> t.set("networkPolicy.enabled", "false")))
        .noneMatch(NetworkPolicy.class::isInstance);
  }

  @Test
  void processorsAndAuditSinkCanBeLeftOut() {
    assertThat(
            deployments(
                render(
                    t -> t.set("processors.enabled", "false").set("auditSink.enabled", "false"))))
        .containsOnlyKeys("reconciler", "gateway");
  }

  private static void hasKindApiVersionAndName(HasMetadata object) {
    assertThat(object.getKind()).isNotBlank();
    assertThat(object.getApiVersion()).as(object.getKind()).isNotBlank();
    assertThat(object.getMetadata().getName()).as(object.getKind()).isNotBlank();
    if (!object.getApiVersion().startsWith("cert-manager.io/")) {
      // a typo in apiVersion or kind leaves the Kubernetes model as a generic resource
      assertThat(object.getClass().getSimpleName())
          .as("%s %s is a known Kubernetes type", object.getApiVersion(), object.getKind())
          .isNotEqualTo("GenericKubernetesResource");
    }
  }

  private static List<HasMetadata> render(UnaryOperator<TemplateCommand> values) {
    String yaml =
        values
            .apply(
                new Helm(CHART)
                    .template()
                    .withName("prod")
                    .set("kafka.bootstrapServers", "kafka.example:9093")
                    .set("schemaRegistry.url", "http://registry.example:8081"))
            .call();
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
        objects.add(Serialization.unmarshal(document, HasMetadata.class));
      }
    }
    return objects;
  }

  private static Map<String, Deployment> deployments(List<HasMetadata> objects) {
    return objects.stream()
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .collect(
            Collectors.toMap(
                d -> d.getMetadata().getLabels().get("app.kubernetes.io/component"), d -> d));
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
