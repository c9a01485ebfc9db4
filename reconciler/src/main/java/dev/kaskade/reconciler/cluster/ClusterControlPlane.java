package dev.kaskade.reconciler.cluster;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.reconciler.core.ResourceKind;
import dev.kaskade.reconciler.core.RuntimeCandidate;
import dev.kaskade.reconciler.model.InferenceService;
import dev.kaskade.reconciler.model.ServingRuntime;
import dev.kaskade.reconciler.webhook.AdmissionReviews;
import dev.kaskade.reconciler.webhook.AdmissionWebhookServer;
import dev.kaskade.reconciler.webhook.WebhookTls;
import dev.kaskade.schemas.route.ResourceHost;
import dev.kaskade.schemas.runtime.KaskadeComponent;
import dev.kaskade.schemas.runtime.KaskadeContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The control plane in a cluster: watches the KServe resources, reconciles them, and writes {@code
 * .status} whenever a worker reports. Reconciles run one at a time on a single thread, so no two
 * reconciles of one resource overlap; a failed one is retried with per-resource exponential backoff
 * ({@link ReconcileQueue}) rather than waiting for the next spec change.
 */
public final class ClusterControlPlane implements KaskadeComponent {
  /** Setting: start the admission webhook (default true). */
  public static final String WEBHOOK_ENABLED = "webhook.enabled";

  /** Setting: HTTPS port of the webhook (default 9443). */
  public static final String WEBHOOK_PORT = "webhook.port";

  /** Setting: PEM certificate file; unset = self-signed at start. */
  public static final String WEBHOOK_TLS_CERT = "webhook.tls-cert";

  /** Setting: PEM PKCS#8 key file. */
  public static final String WEBHOOK_TLS_KEY = "webhook.tls-key";

  /** Setting: comma-separated DNS names of a self-signed certificate. */
  public static final String WEBHOOK_DNS_NAMES = "webhook.dns-names";

  private final KaskadeContext ctx;
  private final KubernetesClient client;
  private final ReconcileQueue queue;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private KafkaControlChannel channel;
  private InferenceServiceReconciler isvcReconciler;
  private ResourceReconciler resourceReconciler;
  private LocalModelCacheReconciler cacheReconciler;
  private AdmissionWebhookServer webhook;

  public ClusterControlPlane(KaskadeContext ctx) {
    this(ctx, new KubernetesClientBuilder().build());
  }

  public ClusterControlPlane(KaskadeContext ctx, KubernetesClient client) {
    this.ctx = ctx;
    this.client = client;
    this.queue = new ReconcileQueue(RetryBackoff.defaults());
  }

  @Override
  public String name() {
    return "reconciler";
  }

  @Override
  public void start() {
    String domain = ctx.setting(ResourceHost.DOMAIN_SETTING, ResourceHost.DEFAULT_DOMAIN);
    channel = new KafkaControlChannel(ctx, domain, this::onStatus);
    isvcReconciler =
        new InferenceServiceReconciler(client, channel, ClusterConfig.from(ctx), domain);
    resourceReconciler = new ResourceReconciler(client, channel);
    String jobNamespace =
        ctx.setting(
            LocalModelCacheReconciler.JOB_NAMESPACE,
            LocalModelCacheReconciler.DEFAULT_JOB_NAMESPACE);
    cacheReconciler =
        new LocalModelCacheReconciler(
            client,
            jobNamespace,
            RuntimeBridgePod.INITIALIZER_IMAGE,
            Boolean.parseBoolean(ctx.setting(LocalModelCacheReconciler.NODE_AGENT, "false")));
    for (ResourceKind kind : ResourceKind.values()) {
      informers.add(inform(kind));
    }
    informers.add(
        cacheReconciler.nodeAgent() ? informNodeAgents() : informDownloadJobs(jobNamespace));
    if (Boolean.parseBoolean(ctx.setting(WEBHOOK_ENABLED, "true"))) {
      webhook = startWebhook();
    }
  }

  private AdmissionWebhookServer startWebhook() {
    String cert = ctx.setting(WEBHOOK_TLS_CERT, "");
    WebhookTls.Material tls =
        cert.isEmpty()
            ? WebhookTls.selfSigned(
                List.of(ctx.setting(WEBHOOK_DNS_NAMES, "kaskade-webhook.kaskade.svc").split(",")))
            : WebhookTls.fromPem(Path.of(cert), Path.of(ctx.setting(WEBHOOK_TLS_KEY, "")));
    // ClusterState answers reference checks and lists the ClusterStorageContainers
    AdmissionReviews reviews =
        new AdmissionReviews(this::allRuntimes, new ClusterState(client, channel, ""));
    try {
      return new AdmissionWebhookServer(reviews, tls, ctx.intSetting(WEBHOOK_PORT, 9443)).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the admission webhook", e);
    }
  }

  /** Runtimes of every namespace; selection filters by the InferenceService's namespace. */
  private List<RuntimeCandidate> allRuntimes() {
    List<RuntimeCandidate> runtimes = new ArrayList<>();
    for (ServingRuntime sr :
        client.resources(ServingRuntime.class).inAnyNamespace().list().getItems()) {
      runtimes.add(
          new RuntimeCandidate(
              sr.getMetadata().getName(),
              sr.getMetadata().getNamespace(),
              false,
              sr.getSpec(),
              null));
    }
    runtimes.addAll(
        new ClusterState(client, channel, "")
            .runtimes().stream().filter(RuntimeCandidate::clusterScoped).toList());
    return runtimes;
  }

  private SharedIndexInformer<? extends HasMetadata> inform(ResourceKind kind) {
    var resources = client.resources(kind.type());
    var source = kind.namespaced() ? resources.inAnyNamespace() : resources;
    return source.inform(
        new ResourceEventHandler<HasMetadata>() {
          @Override
          public void onAdd(HasMetadata obj) {
            queue.submit(key(obj), () -> reconcile(obj));
          }

          @Override
          public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
            if (specChanged(oldObj, newObj)) {
              queue.submit(key(newObj), () -> reconcile(newObj));
            }
          }

          @Override
          public void onDelete(HasMetadata obj, boolean unknownFinalState) {
            queue.submit(key(obj), () -> delete(obj));
          }
        });
  }

  /** One queue key per resource: its latest event replaces an older one still to run. */
  static String key(HasMetadata resource) {
    var meta = resource.getMetadata();
    return resource.getKind()
        + "/"
        + (meta.getNamespace() == null ? "" : meta.getNamespace())
        + "/"
        + meta.getName();
  }

  /**
   * Status writes (ours) and resyncs do not need a reconcile: with a status subresource only spec
   * changes bump the generation; labels and annotations are compared too.
   */
  static boolean specChanged(HasMetadata before, HasMetadata after) {
    var a = before.getMetadata();
    var b = after.getMetadata();
    return a.getGeneration() == null
        || !a.getGeneration().equals(b.getGeneration())
        || !java.util.Objects.equals(a.getAnnotations(), b.getAnnotations())
        || !java.util.Objects.equals(a.getLabels(), b.getLabels());
  }

  /** A download Job changed: the status of its LocalModelCache follows. */
  private SharedIndexInformer<?> informDownloadJobs(String namespace) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withLabel(LocalModels.LABEL_CACHE)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(io.fabric8.kubernetes.api.model.batch.v1.Job job) {}

              @Override
              public void onUpdate(
                  io.fabric8.kubernetes.api.model.batch.v1.Job a,
                  io.fabric8.kubernetes.api.model.batch.v1.Job job) {
                String cache = job.getMetadata().getLabels().get(LocalModels.LABEL_CACHE);
                queue.submit(
                    "LocalModelCache//" + cache,
                    () -> {
                      var fresh =
                          client
                              .resources(dev.kaskade.reconciler.model.LocalModelCache.class)
                              .withName(cache)
                              .get();
                      if (fresh != null) {
                        cacheReconciler.reconcile(fresh);
                      }
                    });
              }

              @Override
              public void onDelete(
                  io.fabric8.kubernetes.api.model.batch.v1.Job job, boolean unknown) {}
            });
  }

  /** A node agent reported: the status of each cache its LocalModelNode lists follows. */
  private SharedIndexInformer<?> informNodeAgents() {
    return client
        .resources(dev.kaskade.reconciler.model.LocalModelNode.class)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(dev.kaskade.reconciler.model.LocalModelNode node) {}

              @Override
              public void onUpdate(
                  dev.kaskade.reconciler.model.LocalModelNode a,
                  dev.kaskade.reconciler.model.LocalModelNode node) {
                if (node.getStatus() == null || node.getStatus().getModelStatus() == null) {
                  return;
                }
                node.getStatus().getModelStatus().keySet().forEach(this::reconcileCache);
              }

              private void reconcileCache(String cache) {
                queue.submit("LocalModelCache//" + cache, () -> reconcileCacheNamed(cache));
              }

              @Override
              public void onDelete(
                  dev.kaskade.reconciler.model.LocalModelNode node, boolean unknown) {}
            });
  }

  private void reconcileCacheNamed(String cache) {
    var fresh =
        client.resources(dev.kaskade.reconciler.model.LocalModelCache.class).withName(cache).get();
    if (fresh != null) {
      cacheReconciler.reconcile(fresh);
    }
  }

  private void reconcile(HasMetadata resource) {
    if (resource instanceof InferenceService isvc) {
      isvcReconciler.reconcile(isvc);
    } else {
      resourceReconciler.reconcile(resource);
      if (resource instanceof dev.kaskade.reconciler.model.LocalModelCache cache) {
        cacheReconciler.reconcile(cache);
      }
      if (resource.getKind().endsWith("ServingRuntime")) {
        reconcileWaitingForRuntime(resource.getMetadata().getNamespace());
      }
    }
  }

  /** InferenceServices that found no runtime are retried when a runtime appears or changes. */
  private void reconcileWaitingForRuntime(String namespace) {
    var isvcs = client.resources(InferenceService.class);
    var list =
        namespace == null ? isvcs.inAnyNamespace().list() : isvcs.inNamespace(namespace).list();
    for (InferenceService isvc : list.getItems()) {
      channel
          .current(
              InferenceService.KIND,
              isvc.getMetadata().getNamespace(),
              isvc.getMetadata().getName())
          .filter(dev.kaskade.reconciler.core.ResourcePlanner::awaitsRuntime)
          .ifPresent(e -> isvcReconciler.reconcile(isvc));
    }
  }

  private void delete(HasMetadata resource) {
    if (resource instanceof InferenceService isvc) {
      isvcReconciler.delete(isvc.getMetadata().getNamespace(), isvc.getMetadata().getName());
    } else {
      resourceReconciler.delete(resource);
      if (resource instanceof dev.kaskade.reconciler.model.LocalModelCache
          && cacheReconciler.nodeAgent()) {
        cacheReconciler.syncNodes(); // the nodes' agents delete its copies
      }
    }
  }

  private void onStatus(ComponentStatus status) {
    if ("InferenceService".equals(status.getKind())
        && channel
            .current(InferenceService.KIND, status.getNamespace(), status.getName())
            .filter(e -> dev.kaskade.reconciler.core.RolloutReadiness.completes(e, status))
            .isPresent()) {
      // the revision a promotion waited for is ready: plan again to move the traffic
      String key = "InferenceService/" + status.getNamespace() + "/" + status.getName();
      queue.submit(
          key,
          () -> {
            InferenceService isvc =
                client
                    .resources(InferenceService.class)
                    .inNamespace(status.getNamespace())
                    .withName(status.getName())
                    .get();
            if (isvc != null) {
              isvcReconciler.reconcile(isvc);
            }
          });
    }
    if ("InferenceService".equals(status.getKind())) {
      queue.submit(
          "status/" + status.getNamespace() + "/" + status.getName(),
          () -> isvcReconciler.writeStatus(status.getNamespace(), status.getName()));
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    if (webhook != null) {
      webhook.close();
    }
    queue.close();
    if (channel != null) {
      channel.close();
    }
    client.close();
  }
}
