package dev.kaskade.schemas.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Host lists against SSRF, shared by everything that reaches a manifest-chosen URL (model
 * downloads, the payload logger): an entry is a host name, {@code *.suffix}, an IP literal or a
 * CIDR range, and IP entries are checked against every address the name resolves to.
 *
 * <p>The JDK resolves the name again when it connects, so a DNS server that answers differently the
 * second time is not stopped here; an egress NetworkPolicy is the backstop.
 */
public final class HostDenyList {
  /**
   * Link-local (169.254.0.0/16 holds the AWS, GCP and Azure metadata service 169.254.169.254,
   * fe80::/10), AWS's IPv6 metadata address, "this network" and the metadata host names.
   */
  public static final String DEFAULT_DENIED =
      "169.254.0.0/16,fe80::/10,fd00:ec2::254/128,0.0.0.0/8,metadata.google.internal,"
          + "metadata.azure.internal";

  /** {@link #DEFAULT_DENIED} as entries. */
  public static final List<String> DEFAULT_ENTRIES = entries(DEFAULT_DENIED);

  private HostDenyList() {}

  /** A comma-separated list as lower-case entries, blanks dropped. */
  public static List<String> entries(String value) {
    return Arrays.stream(value.split(","))
        .map(s -> s.trim().toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** The host in lower case without IPv6 brackets. */
  public static String normalize(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
  }

  /** Every address of {@code name}; none when it does not resolve (the caller's request fails). */
  public static InetAddress[] resolve(String name) {
    try {
      return InetAddress.getAllByName(name);
    } catch (UnknownHostException e) {
      return new InetAddress[0];
    }
  }

  /** The first entry that {@code host} or one of its addresses matches, or null. */
  public static String firstMatch(List<String> entries, String host) {
    String name = normalize(host);
    InetAddress[] addresses = resolve(name);
    for (String entry : entries) {
      if (matches(entry, name, addresses)) {
        return entry;
      }
    }
    return null;
  }

  /** Whether {@code entry} matches the (normalized) name or one of its addresses. */
  public static boolean matches(String entry, String name, InetAddress[] addresses) {
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
  public static boolean inRange(String cidr, InetAddress address) {
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
