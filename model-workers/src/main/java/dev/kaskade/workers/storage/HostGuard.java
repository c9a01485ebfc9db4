package dev.kaskade.workers.storage;

import dev.kaskade.schemas.net.HostDenyList;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.net.InetAddress;
import java.net.URI;

/**
 * Keeps manifest-chosen downloads away from hosts the operator did not allow (SSRF): checks the
 * host name and every address it resolves to against {@link StoragePolicy#deniedHosts()} and, when
 * set, {@link StoragePolicy#allowedHosts()} (matching is {@link HostDenyList}'s, shared with the
 * payload logger). Called for the first URI and again for every redirect.
 */
final class HostGuard {
  private HostGuard() {}

  static void check(URI uri, StoragePolicy policy) throws StorageException {
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new StorageException(Kind.INVALID_URI, "URI has no host: " + Redact.uri(uri));
    }
    String name = HostDenyList.normalize(host);
    InetAddress[] addresses = HostDenyList.resolve(name);
    for (String entry : policy.deniedHosts()) {
      if (HostDenyList.matches(entry, name, addresses)) {
        throw new StorageException(
            Kind.FORBIDDEN,
            "storage host "
                + host
                + " is denied by "
                + StoragePolicy.DENIED_HOSTS
                + " (entry "
                + entry
                + ")");
      }
    }
    if (policy.allowedHosts().isEmpty()) {
      return;
    }
    for (String entry : policy.allowedHosts()) {
      if (HostDenyList.matches(entry, name, addresses)) {
        return;
      }
    }
    throw new StorageException(
        Kind.FORBIDDEN, "storage host " + host + " is not in " + StoragePolicy.ALLOWED_HOSTS);
  }

  /**
   * Whether {@code uri}'s host is {@code localhost} or resolves only to loopback addresses: plain
   * http there never crosses a network, so it needs no checksum (standalone's test servers).
   */
  static boolean isLoopback(URI uri) {
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return false;
    }
    InetAddress[] addresses = HostDenyList.resolve(HostDenyList.normalize(host));
    for (InetAddress a : addresses) {
      if (!a.isLoopbackAddress()) {
        return false;
      }
    }
    return addresses.length > 0;
  }
}
