package dev.kaskade.helmtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the PrometheusRule of helm/kaskade read only metrics that the gateway
 * and the processors really export (or the Kafka exporter's consumer lag), with PromQL that closes,
 * and the chart scrapes the ports those metrics are served on.
 */
class MonitoringTest {
  private static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h|d)");
  private static Set<String> known;

  @BeforeAll
  static void collectRegisteredMetrics() throws Exception {
    known = new HashSet<>(RegisteredMetrics.gatewayAndProcessors());
    known.addAll(RegisteredMetrics.EXTERNAL);
  }

  @Test
  void theComponentsExportTheMetricsTheDashboardIsBuiltOn() {
    assertThat(known)
        .contains(
            "kaskade_gateway_requests_seconds_bucket",
            "kaskade_gateway_requests_seconds_count",
            "kaskade_gateway_inflight",
            "kaskade_gateway_openai_ttft_seconds_bucket",
            "kaskade_drift_p_value",
            "kaskade_drift_detected");
  }

  @Test
  void everyDashboardPanelQueriesRegisteredMetricsWithValidPromQl() throws Exception {
    JsonObject dashboard = dashboard();
    assertThat(dashboard.get("uid").getAsString()).isNotBlank();
    List<JsonObject> panels = new ArrayList<>();
    dashboard.getAsJsonArray("panels").forEach(p -> panels.add(p.getAsJsonObject()));
    List<JsonObject> charts = panels.stream().filter(p -> !type(p).equals("row")).toList();
    assertThat(charts).hasSizeGreaterThanOrEqualTo(15);
    Set<Integer> ids = new HashSet<>();
    for (JsonObject panel : panels) {
      assertThat(ids.add(panel.get("id").getAsInt())).as("unique panel id").isTrue();
      JsonObject grid = panel.getAsJsonObject("gridPos");
      assertThat(grid.get("x").getAsInt() + grid.get("w").getAsInt())
          .as("%s fits the 24-column grid", title(panel))
          .isLessThanOrEqualTo(24);
    }
    Set<String> read = new TreeSet<>();
    for (JsonObject panel : charts) {
      assertThat(panel.getAsJsonArray("targets")).as(title(panel)).isNotEmpty();
      for (JsonElement target : panel.getAsJsonArray("targets")) {
        String expr = target.getAsJsonObject().get("expr").getAsString();
        Set<String> metrics = PromQl.metricNames(expr);
        assertThat(known).as("%s: %s", title(panel), expr).containsAll(metrics);
        read.addAll(metrics);
      }
    }
    assertThat(read)
        .as("the figures the issue asks for")
        .contains(
            "kaskade_gateway_requests_seconds_count",
            "kaskade_gateway_requests_seconds_bucket",
            "kafka_consumergroup_lag",
            "kaskade_drift_p_value",
            "kaskade_gateway_openai_ttft_seconds_bucket");
    String modelQuery =
        dashboard
            .getAsJsonObject("templating")
            .getAsJsonArray("list")
            .get(1)
            .getAsJsonObject()
            .get("definition")
            .getAsString();
    assertThat(modelQuery).startsWith("label_values(kaskade_gateway_requests_seconds_count,");
    assertThat(known).contains("kaskade_gateway_requests_seconds_count");
  }

  @Test
  void alertRulesAreAPrometheusRuleOnRegisteredMetrics() {
    GenericKubernetesResource rule =
        only(Chart.objects(Chart.SECURED), "PrometheusRule", GenericKubernetesResource.class);
    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> groups =
        (List<Map<String, Object>>)
            ((Map<String, Object>) rule.getAdditionalProperties().get("spec")).get("groups");
    Set<String> alerts = new TreeSet<>();
    for (Map<String, Object> group : groups) {
      assertThat(group).containsOnlyKeys("name", "rules");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
      for (Map<String, Object> r : rules) {
        String alert = (String) r.get("alert");
        assertThat(alerts.add(alert)).as("alert names are unique: %s", alert).isTrue();
        assertThat(r).containsOnlyKeys("alert", "expr", "for", "labels", "annotations");
        assertThat(String.valueOf(r.get("for"))).as(alert).matches(DURATION);
        assertThat(asMap(r.get("labels"))).as(alert).containsKey("severity");
        assertThat(asMap(r.get("annotations"))).as(alert).containsKeys("summary", "description");
        String expr = (String) r.get("expr");
        assertThat(expr).as(alert).containsPattern("[<>=]=? *[0-9.]+\\s*$");
        assertThat(known).as("%s: %s", alert, expr).containsAll(PromQl.metricNames(expr));
      }
    }
    assertThat(alerts)
        .contains(
            "KaskadeModelErrorRate",
            "KaskadeModelLatencyP99",
            "KaskadeWorkerConsumerLag",
            "KaskadeAuditSinkLag",
            "KaskadeFeatureDrift",
            "KaskadeGenerationTimeToFirstToken");
  }

  @Test
  void thresholdsComeFromTheValues() {
    String yaml =
        Chart.render(
            Map.of(
                "monitoring.prometheusRule.enabled", "true",
                "monitoring.prometheusRule.errorRatio", "0.2",
                "monitoring.prometheusRule.auditSinkGroup", "team-audit"));
    assertThat(yaml)
        .contains("[5m])) > 0.2")
        .contains("kafka_consumergroup_lag{consumergroup=\"team-audit\"}")
        .contains("summary: \"Model {{ $labels.model }} answers more than 0.2 of its calls");
  }

  @Test
  void theDashboardConfigMapCarriesTheDashboardForGrafanasSidecar() throws Exception {
    ConfigMap map = only(Chart.objects(Chart.SECURED), "ConfigMap", ConfigMap.class);
    assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(JsonParser.parseString(map.getData().get("kaskade.json")))
        .isEqualTo(JsonParser.parseString(Files.readString(dashboardFile())));
  }

  @Test
  void podMonitorScrapesTheGatewayAndProcessorsPortsThatServeMetrics() {
    List<HasMetadata> objects = Chart.objects(Chart.SECURED);
    List<GenericKubernetesResource> monitors =
        objects.stream()
            .filter(o -> o.getKind().equals("PodMonitor"))
            .map(GenericKubernetesResource.class::cast)
            .toList();
    assertThat(monitors).as("components' and workers' PodMonitors").hasSize(2);
    GenericKubernetesResource workers =
        monitors.stream()
            .filter(m -> m.getMetadata().getName().endsWith("-worker-metrics"))
            .findFirst()
            .orElseThrow();
    assertThat(workers.getAdditionalProperties().get("spec").toString())
        .contains("port=metrics", "any=true", "app.kubernetes.io/managed-by=kaskade");
    GenericKubernetesResource monitor =
        monitors.stream().filter(m -> m != workers).findFirst().orElseThrow();
    String spec = monitor.getAdditionalProperties().get("spec").toString();
    assertThat(spec).contains("port=http", "port=metrics", "path=/metrics", "gateway, processors");
    Container gateway = container(objects, "gateway");
    Container processors = container(objects, "processors");
    assertThat(gateway.getPorts()).extracting(ContainerPort::getName).contains("http");
    assertThat(processors.getPorts()).extracting(ContainerPort::getName).containsExactly("metrics");
    assertThat(processors.getEnv())
        .anyMatch(
            e ->
                e.getName().equals("KASKADE_PROCESSORS_METRICS_PORT")
                    && e.getValue().equals("9464"));
    assertThat(Chart.render(Chart.PLAIN.with("s3.endpoint", "")))
        .as("monitoring objects are opt-in")
        .doesNotContain("kind: PodMonitor", "kind: PrometheusRule", "grafana_dashboard");
  }

  @Test
  void thePromQlCheckCatchesTyposAndUnclosedQueries() {
    assertThatThrownBy(() -> PromQl.metricNames("sum(rate(x_total[5m])"))
        .hasMessageContaining("missing ')'");
    assertThatThrownBy(() -> PromQl.metricNames("histogram_quantle(0.9, x_bucket)"))
        .hasMessageContaining("unknown function histogram_quantle");
    assertThatThrownBy(() -> PromQl.metricNames("x{model=\"a}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            PromQl.metricNames(
                "sum by (model) (rate(a_total{status=~\"5..\"}[5m])) / sum by (model) (rate(b[$__rate_interval])) > 0.05"))
        .containsExactly("a_total", "b");
    assertThat(known).doesNotContain("kaskade_gateway_request_seconds_count");
  }

  private static JsonObject dashboard() throws Exception {
    return JsonParser.parseString(Files.readString(dashboardFile())).getAsJsonObject();
  }

  private static java.nio.file.Path dashboardFile() {
    return Chart.DIR.resolve("dashboards/kaskade.json");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return (Map<String, Object>) value;
  }

  private static String type(JsonObject panel) {
    return panel.get("type").getAsString();
  }

  private static String title(JsonObject panel) {
    return panel.get("title").getAsString();
  }

  private static <T> T only(List<HasMetadata> objects, String kind, Class<T> type) {
    List<HasMetadata> found = objects.stream().filter(o -> o.getKind().equals(kind)).toList();
    assertThat(found).as(kind).hasSize(1);
    return type.cast(found.get(0));
  }

  private static Container container(List<HasMetadata> objects, String component) {
    return objects.stream()
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .filter(d -> d.getMetadata().getName().endsWith("-" + component))
        .findFirst()
        .orElseThrow()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }
}
