package dev.kaskade.cli;

import dev.kaskade.reconciler.cluster.ClusterControlPlane;
import dev.kaskade.reconciler.cluster.DesiredState;
import dev.kaskade.reconciler.standalone.StandaloneControlPlane;
import dev.kaskade.schemas.runtime.ComponentFactory;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.runtime.MetricsEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The per-component commands a cluster runs, one Deployment each (see helm/kaskade). */
final class ClusterCommands {
  private ClusterCommands() {}

  /** The components of this classpath whose {@code name()} is one of these. */
  static List<KaskadeComponent> named(KaskadeContext context, Set<String> names) {
    List<KaskadeComponent> chosen = new ArrayList<>();
    for (ComponentFactory factory : ServiceLoader.load(ComponentFactory.class)) {
      if (names.contains(factory.componentName())) {
        chosen.add(factory.create(context));
      }
    }
    if (chosen.size() != names.size()) {
      throw new CliException("this build lacks one of the components " + names);
    }
    return chosen;
  }

  @Command(
      name = "gateway",
      description =
          "Run an ingress gateway (HTTP + gRPC). Any number may run: each gets its replies on its"
              + " own topic.")
  static final class Gateway extends ClusterCommand {
    @Option(
        names = "--http-port",
        defaultValue = "${env:KASKADE_GATEWAY_HTTP_PORT:-8080}",
        description = "HTTP port (REST + gRPC).")
    int httpPort;

    @Option(
        names = "--grpc-port",
        defaultValue = "${env:KASKADE_GATEWAY_GRPC_PORT:-8081}",
        description = "gRPC port; -1 disables it.")
    int grpcPort;

    @Override
    Map<String, String> commandSettings() {
      return Map.of(
          "gateway.http.port", Integer.toString(httpPort),
          "gateway.grpc.port", Integer.toString(grpcPort));
    }

    @Override
    List<KaskadeComponent> components(KaskadeContext context) {
      return named(context, Set.of("gateway"));
    }
  }

  @Command(
      name = "reconciler",
      description =
          "Run the Kubernetes reconciler and admission webhook (in-cluster config), or with"
              + " --standalone the control plane of `kaskade up` (manifests from --manifests and"
              + " `kaskade apply`) for components run as processes outside Kubernetes.")
  static final class Reconciler extends ClusterCommand {
    @Option(
        names = "--standalone",
        description = "Run the standalone control plane instead of the Kubernetes reconciler.")
    boolean standalone;

    @Option(
        names = "--manifests",
        paramLabel = "DIR",
        description =
            "With --standalone: apply the manifests in this folder at start (repeatable).")
    List<Path> manifests = new ArrayList<>();

    @Override
    Map<String, String> commandSettings() {
      return manifests.isEmpty()
          ? Map.of()
          : Map.of(
              StandaloneControlPlane.MANIFESTS_SETTING,
              manifests.stream().map(Path::toString).collect(Collectors.joining(",")));
    }

    @Override
    List<KaskadeComponent> components(KaskadeContext context) {
      if (standalone) {
        return List.of(new StandaloneControlPlane(context));
      }
      if (!manifests.isEmpty()) {
        throw new CliException("--manifests needs --standalone (a cluster reads its CRs)", 2);
      }
      return List.of(new ClusterControlPlane(context));
    }
  }

  @Command(
      name = "worker",
      description = "Run a model worker for one InferenceService, or a multi-model runtime.")
  static final class Worker extends ClusterCommand {
    @Option(names = "--isvc", description = "The InferenceService this worker serves.")
    String isvc;

    @Option(names = "--revision", description = "Informational: the revision of this Deployment.")
    String revision;

    @Option(
        names = "--namespace",
        defaultValue = "${env:KASKADE_NAMESPACE:-default}",
        description = "Namespace of the InferenceService.")
    String namespace;

    @Option(names = "--multi-model", description = "Serve every multi-model InferenceService.")
    boolean multiModel;

    @Option(names = "--runtime", description = "Informational: the multi-model runtime.")
    String runtime;

    @Option(
        names = "--metrics-port",
        defaultValue =
            "${env:KASKADE_WORKER_METRICS_PORT:-" + DesiredState.WORKER_METRICS_PORT + "}",
        description =
            "Port of GET /metrics (Prometheus text: nv_inference_* per model); 0 = any free"
                + " port, -1 = not served.")
    int metricsPort;

    @Override
    Map<String, String> commandSettings() {
      return multiModel || isvc == null
          ? Map.of()
          : Map.of("worker.inference-services", namespace + "/" + isvc);
    }

    @Override
    List<KaskadeComponent> components(KaskadeContext context) {
      List<KaskadeComponent> components = new ArrayList<>(named(context, Set.of("model-workers")));
      if (metricsPort >= 0) {
        components.add(new MetricsEndpoint("--metrics-port", metricsPort));
      }
      return components;
    }
  }

  @Command(
      name = "processors",
      description =
          "Run the request dispatcher, stream processors (transformers, graphs, explainer,"
              + " monitors) and the payload logger.")
  static final class Processors extends ClusterCommand {
    @Override
    List<KaskadeComponent> components(KaskadeContext context) {
      return named(context, Set.of("dispatcher", "stream-processors", "payload-logger"));
    }
  }

  @Command(name = "audit-sink", description = "Run the audit store writer (S3 in clusters).")
  static final class AuditSink extends ClusterCommand {
    @Override
    List<KaskadeComponent> components(KaskadeContext context) {
      return named(context, Set.of("audit-sink"));
    }
  }
}
