package dev.kaskade.workers.storage;

import dev.kaskade.schemas.net.HostDenyList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the operator lets a manifest's {@code storageUri} do: how much it may download and unpack,
 * which hosts it may reach, and which manifest-chosen S3 endpoints may receive the worker's
 * credentials. Every limit error names its setting.
 *
 * @param maxDownloadBytes {@value #MAX_DOWNLOAD_BYTES}: bytes one storageUri may download in all
 *     (http body, or the sum of the S3 objects); default 20 GiB
 * @param maxExtractedBytes {@value #MAX_EXTRACTED_BYTES}: bytes an archive may unpack to; default
 *     40 GiB
 * @param maxEntries {@value #MAX_ENTRIES}: files an archive or an S3 prefix may hold; default
 *     100000
 * @param allowedHosts {@value #ALLOWED_HOSTS}: when not empty, the only hosts http(s) and S3
 *     downloads may reach (names, {@code *.suffix} or IP literals)
 * @param deniedHosts {@value #DENIED_HOSTS}: hosts never reached (names, {@code *.suffix}, IP
 *     literals or CIDR ranges), checked against every resolved address; default the link-local and
 *     cloud metadata addresses
 * @param allowedS3Endpoints {@value #S3_ALLOWED_ENDPOINTS}: endpoints (host[:port]) a manifest's
 *     {@code serving.kserve.io/s3-endpoint} may name and still get the worker's credentials
 * @param allowInsecureHttp {@value #ALLOW_INSECURE_HTTP}: when true, plain {@code http://} to a
 *     non-loopback host is downloaded without a sha256 (a man in the middle could swap the model);
 *     default false
 */
public record StoragePolicy(
    long maxDownloadBytes,
    long maxExtractedBytes,
    int maxEntries,
    List<String> allowedHosts,
    List<String> deniedHosts,
    List<String> allowedS3Endpoints,
    boolean allowInsecureHttp) {
  public static final String MAX_DOWNLOAD_BYTES = "storage.max.download.bytes";
  public static final String MAX_EXTRACTED_BYTES = "storage.max.extracted.bytes";
  public static final String MAX_ENTRIES = "storage.max.entries";
  public static final String ALLOWED_HOSTS = "storage.hosts.allowed";
  public static final String DENIED_HOSTS = "storage.hosts.denied";
  public static final String S3_ALLOWED_ENDPOINTS = "storage.s3.endpoints.allowed";
  public static final String ALLOW_INSECURE_HTTP = "storage.allow.insecure.http";

  /** Link-local and cloud metadata addresses ({@link HostDenyList#DEFAULT_DENIED}). */
  public static final String DEFAULT_DENIED = HostDenyList.DEFAULT_DENIED;

  public static final StoragePolicy DEFAULT = from(Map.of());

  public StoragePolicy {
    allowedHosts = List.copyOf(allowedHosts);
    deniedHosts = List.copyOf(deniedHosts);
    allowedS3Endpoints = List.copyOf(allowedS3Endpoints);
  }

  public static StoragePolicy from(Map<String, String> settings) {
    return new StoragePolicy(
        positive(settings, MAX_DOWNLOAD_BYTES, 20L << 30),
        positive(settings, MAX_EXTRACTED_BYTES, 40L << 30),
        (int) Math.min(Integer.MAX_VALUE, positive(settings, MAX_ENTRIES, 100_000)),
        list(settings.getOrDefault(ALLOWED_HOSTS, "")),
        list(settings.getOrDefault(DENIED_HOSTS, DEFAULT_DENIED)),
        list(settings.getOrDefault(S3_ALLOWED_ENDPOINTS, "")),
        Boolean.parseBoolean(settings.getOrDefault(ALLOW_INSECURE_HTTP, "false").trim()));
  }

  public StoragePolicy withLimits(long download, long extracted, int entries) {
    return new StoragePolicy(
        download,
        extracted,
        entries,
        allowedHosts,
        deniedHosts,
        allowedS3Endpoints,
        allowInsecureHttp);
  }

  public StoragePolicy withHosts(List<String> allowed, List<String> denied) {
    return new StoragePolicy(
        maxDownloadBytes,
        maxExtractedBytes,
        maxEntries,
        allowed,
        denied,
        allowedS3Endpoints,
        allowInsecureHttp);
  }

  public StoragePolicy withS3Endpoints(List<String> endpoints) {
    return new StoragePolicy(
        maxDownloadBytes,
        maxExtractedBytes,
        maxEntries,
        allowedHosts,
        deniedHosts,
        endpoints,
        allowInsecureHttp);
  }

  public StoragePolicy withInsecureHttp(boolean allow) {
    return new StoragePolicy(
        maxDownloadBytes,
        maxExtractedBytes,
        maxEntries,
        allowedHosts,
        deniedHosts,
        allowedS3Endpoints,
        allow);
  }

  /**
   * Whether a manifest may point the worker's S3 credentials at {@code hostPort} ({@code
   * host:port}); entries are {@code host:port}, a bare host (any port) or a URL.
   */
  public boolean allowsS3Endpoint(String hostPort) {
    String wanted = hostPort.toLowerCase(Locale.ROOT);
    String host = wanted.substring(0, wanted.lastIndexOf(':'));
    for (String entry : allowedS3Endpoints) {
      String e = entry.contains("://") ? entry.substring(entry.indexOf("://") + 3) : entry;
      e = e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
      if (e.equals(wanted) || e.equals(host)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> list(String value) {
    return HostDenyList.entries(value);
  }

  private static long positive(Map<String, String> settings, String key, long defaultValue) {
    String value = settings.get(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException(
        "setting " + key + " must be a positive number of bytes/entries, got '" + value + "'");
  }
}
