package dev.kaskade.reconciler.cluster;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events on a resource (what {@code kubectl describe} and {@code kubectl get events}
 * show). An Event that cannot be written is logged, never fails the reconcile.
 */
final class EventRecorder {
  static final String COMPONENT = "kaskade-reconciler";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final KubernetesClient client;

  EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  void record(HasMetadata subject, List<StatusEvents.Event> events) {
    for (StatusEvents.Event event : events) {
      record(subject, event);
    }
  }

  void record(HasMetadata subject, StatusEvents.Event event) {
    var meta = subject.getMetadata();
    String now = Instant.now().toString();
    var kube =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                meta.getName()
                    + "."
                    + Long.toHexString(System.currentTimeMillis())
                    + Long.toHexString(SEQUENCE.incrementAndGet()))
            .withNamespace(meta.getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(subject.getApiVersion())
            .withKind(subject.getKind())
            .withName(meta.getName())
            .withNamespace(meta.getNamespace())
            .withUid(meta.getUid())
            .endInvolvedObject()
            .withType(event.type())
            .withReason(event.reason())
            .withMessage(event.message())
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(kube).create();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot record event {} on {}: {}", event.reason(), meta.getName(), e.getMessage());
    }
  }
}
