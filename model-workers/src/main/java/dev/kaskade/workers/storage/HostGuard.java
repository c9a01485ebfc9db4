package dev.kaskade.workers.storage;

import dev.kaskade.workers.storage.StorageException.Kind;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Keeps manifest-chosen downloads away from hosts the operator did not allow (SSRF): checks the
 * host name and every address it resolves to against {@link StoragePolicy#deniedHosts()} and, when
 * set, {@link StoragePolicy#allowedHosts()}. Called for the first URI and again for every redirect.
 *
 * <p>The JDK resolves the name again when it connects, so a DNS server that answers differently the
 * second time is not stopped here; an egress NetworkPolicy is the backstop.
 */
final class HostGuard {
  private HostGuard() {}

  static void check(URI uri, StoragePolicy policy) throws StorageException {
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new StorageException(Kind.INVALID_URI, "URI has no host: " + Redact.uri(uri));
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(name);
    } catch (UnknownHostException e) {
      addresses = new InetAddress[0]; // the download itself reports the unknown host
    }
    for (String entry : policy.deniedHosts()) {
      if (matches(entry, name, addresses)) {
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
      if (matches(entry, name, addresses)) {
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
    String name = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    try {
      InetAddress[] addresses = InetAddress.getAllByName(name);
      for (InetAddress a : addresses) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return addresses.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean matches(String entry, String name, InetAddress[] addresses) {
    if (entry.contains("/")) {
      for (InetAddress a : addresses) {
        if (inRange(entry, a)) {
          return true;
        }
      }
      return false;
    }
    if (entry.startsWith("*.")) {
      return name.endsWith(entry.substring(1));
    }
    if (entry.equals(name)) {
      return true;
    }
    if (isLiteral(entry)) {
      for (InetAddress a : addresses) {
        if (entry.equals(a.getHostAddress())
            || inRange(entry + "/" + a.getAddress().length * 8, a)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isLiteral(String entry) {
    return entry.contains(":") || entry.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  /** Whether the address lies in the CIDR range (an IPv4 range never holds an IPv6 address). */
  static boolean inRange(String cidr, InetAddress address) {
    int slash = cidr.indexOf('/');
    byte[] network;
    try {
      network = InetAddress.getByName(cidr.substring(0, slash)).getAddress(); // a literal: no DNS
    } catch (UnknownHostException e) {
      return false;
    }
    byte[] bytes = address.getAddress();
    if (network.length != bytes.length) {
      return false;
    }
    int bits = Integer.parseInt(cidr.substring(slash + 1));
    for (int i = 0; i < bytes.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((bytes[i] & mask) != (network[i] & mask)) {
        return false;
      }
    }
    return true;
  }
}
