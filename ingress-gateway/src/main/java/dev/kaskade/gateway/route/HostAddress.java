package dev.kaskade.gateway.route;

import java.util.Locale;
import java.util.Optional;

/**
 * A resource addressed by host, as KServe's ingress does: {@code <name>.<namespace>.<domain>} (the
 * {@code status.url} the control plane reports), or the predictor's own {@code
 * <name>-predictor[-default].<namespace>.<domain>}.
 *
 * @param name resource name
 * @param namespace its namespace
 */
public record HostAddress(String name, String namespace) {

  /** The address a host names under the domain, or empty (an IP, localhost, another domain). */
  public static Optional<HostAddress> parse(String host, String domain) {
    if (host == null || domain == null || domain.isEmpty()) {
      return Optional.empty();
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    String suffix = "." + domain.toLowerCase(Locale.ROOT);
    if (!h.endsWith(suffix)) {
      return Optional.empty();
    }
    String[] labels = h.substring(0, h.length() - suffix.length()).split("\\.", -1);
    if (labels.length != 2 || labels[0].isEmpty() || labels[1].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HostAddress(labels[0], labels[1]));
  }

  /** The same address without a {@code -predictor[-default]} suffix, KServe's component host. */
  public HostAddress withoutComponent() {
    return new HostAddress(name.replaceFirst("-predictor(-default)?$", ""), namespace);
  }
}
