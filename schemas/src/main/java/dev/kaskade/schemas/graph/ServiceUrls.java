package dev.kaskade.schemas.graph;

import java.net.URI;
import java.util.Optional;

/**
 * The InferenceService a graph step's {@code serviceUrl} names, by KServe's host rule: {@code
 * http://<isvc>[-predictor[-default]].<namespace>.<domain>/...}; a single-label host is in the
 * graph's namespace. One rule for the reconciler's validation and the graph router.
 */
public final class ServiceUrls {
  private ServiceUrls() {}

  /** InferenceService name and namespace. */
  public record Target(String name, String namespace) {}

  /** The target, or empty when the URL has no host. */
  public static Optional<Target> target(String serviceUrl, String graphNamespace) {
    String host;
    try {
      host = URI.create(serviceUrl).getHost();
    } catch (IllegalArgumentException e) {
      host = null;
    }
    if (host == null || host.isEmpty()) {
      return Optional.empty();
    }
    String[] labels = host.split("\\.");
    String name = labels[0].replaceFirst("-predictor(-default)?$", "");
    return Optional.of(new Target(name, labels.length > 1 ? labels[1] : graphNamespace));
  }
}
