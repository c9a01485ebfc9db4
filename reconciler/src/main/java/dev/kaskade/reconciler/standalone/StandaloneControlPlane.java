package dev.kaskade.reconciler.standalone;

import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.reconciler.status.StatusView;
import dev.kaskade.schemas.route.ResourceHost;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane of {@code kaskade up}: publishes the built-in ClusterServingRuntimes, applies
 * the manifest folders given with {@code --manifests}, and keeps a live KServe status view.
 */
public final class StandaloneControlPlane implements KaskadeComponent {
  /** Setting: comma-separated manifest folders applied at start. */
  public static final String MANIFESTS_SETTING = "control.manifests";

  private static final Logger LOG = LoggerFactory.getLogger(StandaloneControlPlane.class);

  private final KaskadeContext ctx;
  private final List<Path> manifestDirs;
  private final ControlPlaneClient client;
  private StatusView view;

  public StandaloneControlPlane(KaskadeContext ctx) {
    this(
        ctx,
        Arrays.stream(ctx.setting(MANIFESTS_SETTING, "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(Path::of)
            .toList());
  }

  public StandaloneControlPlane(KaskadeContext ctx, List<Path> manifestDirs) {
    this.ctx = ctx;
    this.manifestDirs = List.copyOf(manifestDirs);
    this.client = new ControlPlaneClient(ctx);
  }

  @Override
  public String name() {
    return "control-plane";
  }

  @Override
  public void start() {
    client.applyBuiltInRuntimesAnd(manifestDirs).forEach(result -> LOG.info("{}", result));
    view =
        new StatusView(
            ctx,
            ctx.setting(ResourceHost.DOMAIN_SETTING, ResourceHost.DEFAULT_DOMAIN),
            this::onStatus);
    view.start();
  }

  /** A revision reporting Ready may complete a promotion that waited for it. */
  private void onStatus(dev.kaskade.events.ComponentStatus status) {
    if (!"InferenceService".equals(status.getKind())
        || status.getState() != dev.kaskade.events.ModelState.Ready
        || !dev.kaskade.schemas.kafka.StatusComponents.PREDICTOR.equals(status.getComponent())) {
      return;
    }
    Thread.ofVirtual()
        .name("kaskade-rollout-" + status.getName())
        .start(
            () -> {
              try {
                client
                    .completeRollout(status.getNamespace(), status.getName())
                    .ifPresent(r -> LOG.info("rollout completed: {}", r));
              } catch (RuntimeException e) {
                LOG.warn("cannot complete the rollout of {}: {}", status.getName(), e.toString());
              }
            });
  }

  /** The client sharing this control plane's producer (for CLI commands in the same JVM). */
  public ControlPlaneClient client() {
    return client;
  }

  /** The live KServe status of an InferenceService. */
  public Optional<InferenceServiceStatus> status(String namespace, String name) {
    return view == null ? Optional.empty() : view.inferenceService(namespace, name);
  }

  @Override
  public void close() {
    if (view != null) {
      view.close();
    }
    client.close();
  }
}
