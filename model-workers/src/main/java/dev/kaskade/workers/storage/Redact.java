package dev.kaskade.workers.storage;

import java.net.URI;

/**
 * URIs for messages, status reasons and logs: without user info and query (a password, a
 * presigned-URL signature) and without the fragment.
 */
final class Redact {
  private Redact() {}

  static String uri(URI uri) {
    if (uri.getHost() == null) {
      return uri.getScheme() == null ? "(uri)" : uri.getScheme() + ":…";
    }
    StringBuilder out = new StringBuilder();
    out.append(uri.getScheme()).append("://");
    if (uri.getRawUserInfo() != null) {
      out.append("…@");
    }
    out.append(uri.getHost());
    if (uri.getPort() >= 0) {
      out.append(':').append(uri.getPort());
    }
    out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      out.append("?…");
    }
    return out.toString();
  }

  static String uri(String uri) {
    try {
      return uri(URI.create(uri.replaceAll("#.*$", "")));
    } catch (IllegalArgumentException e) {
      return "(malformed URI)";
    }
  }
}
