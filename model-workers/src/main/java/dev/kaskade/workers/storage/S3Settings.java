package dev.kaskade.workers.storage;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * S3 connection settings, taken as KServe's storage initializer does (PROTOCOLS §8): each value
 * from the annotation {@code serving.kserve.io/s3-*} first, then the environment variable.
 *
 * <table>
 *   <caption>sources</caption>
 *   <tr><th>setting</th><th>annotation</th><th>env</th></tr>
 *   <tr><td>endpoint (host[:port] or URL)</td><td>s3-endpoint</td>
 *       <td>AWS_ENDPOINT_URL, S3_ENDPOINT</td></tr>
 *   <tr><td>https when the endpoint has no scheme ("0" = http)</td><td>s3-usehttps</td>
 *       <td>S3_USE_HTTPS</td></tr>
 *   <tr><td>region (default us-east-1)</td><td>s3-region</td>
 *       <td>AWS_DEFAULT_REGION, AWS_REGION</td></tr>
 *   <tr><td>verify TLS ("0" = trust all)</td><td>s3-verifyssl</td><td>S3_VERIFY_SSL</td></tr>
 *   <tr><td>anonymous</td><td>s3-useanoncredential</td><td>awsAnonymousCredential</td></tr>
 *   <tr><td>virtual-host buckets</td><td>s3-usevirtualbucket</td>
 *       <td>S3_USER_VIRTUAL_BUCKET</td></tr>
 *   <tr><td>credentials</td><td>-</td><td>AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 *       (AWS_SESSION_TOKEN)</td></tr>
 * </table>
 *
 * <p>With a custom endpoint, path-style addressing is used unless virtual buckets are asked for.
 * Without credentials and without "anonymous", the AWS default credential chain applies.
 *
 * <p>An endpoint named by the manifest's annotation (rather than the operator's environment) is
 * <em>approved</em> only when it equals the environment's endpoint or is listed in {@link
 * StoragePolicy#S3_ALLOWED_ENDPOINTS}; the worker's credentials go only to approved endpoints (see
 * {@link S3Fetcher}), and the annotation's {@code s3-verifyssl: "0"} counts only for them. {@link
 * #toString()} masks the secret key and session token.
 */
record S3Settings(
    URI endpoint,
    String region,
    boolean verifySsl,
    boolean anonymous,
    boolean pathStyle,
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    boolean approvedEndpoint) {

  static final String PREFIX = "serving.kserve.io/";

  static S3Settings from(StorageSettings settings, Map<String, String> annotations) {
    var env = settings.env();
    String operatorEndpoint = first(env.apply("AWS_ENDPOINT_URL"), env.apply("S3_ENDPOINT"));
    String manifestEndpoint = blankToNull(annotations.get(PREFIX + "s3-endpoint"));
    String endpoint = first(manifestEndpoint, operatorEndpoint);
    String useHttps = first(annotations.get(PREFIX + "s3-usehttps"), env.apply("S3_USE_HTTPS"));
    URI uri = endpoint == null ? null : endpointUri(endpoint, useHttps);
    boolean approved =
        manifestEndpoint == null
            || (operatorEndpoint != null
                && hostPort(endpointUri(operatorEndpoint, useHttps)).equals(hostPort(uri)))
            || settings.policy().allowsS3Endpoint(hostPort(uri));
    String region =
        first(
            annotations.get(PREFIX + "s3-region"),
            first(env.apply("AWS_DEFAULT_REGION"), env.apply("AWS_REGION")));
    String verify =
        approved
            ? first(annotations.get(PREFIX + "s3-verifyssl"), env.apply("S3_VERIFY_SSL"))
            : env.apply("S3_VERIFY_SSL");
    String anonymous =
        first(
            annotations.get(PREFIX + "s3-useanoncredential"), env.apply("awsAnonymousCredential"));
    String virtual =
        first(annotations.get(PREFIX + "s3-usevirtualbucket"), env.apply("S3_USER_VIRTUAL_BUCKET"));
    return new S3Settings(
        uri,
        region == null ? "us-east-1" : region.trim(),
        !isFalse(verify),
        isTrue(anonymous),
        uri != null && !isTrue(virtual),
        blankToNull(env.apply("AWS_ACCESS_KEY_ID")),
        blankToNull(env.apply("AWS_SECRET_ACCESS_KEY")),
        blankToNull(env.apply("AWS_SESSION_TOKEN")),
        approved);
  }

  private static URI endpointUri(String endpoint, String useHttps) {
    String e = endpoint.trim();
    if (!e.contains("://")) {
      e = (isFalse(useHttps) ? "http://" : "https://") + e;
    }
    return URI.create(e);
  }

  /** {@code host:port} of an endpoint, lower case, with the scheme's default port. */
  static String hostPort(URI endpoint) {
    int port = endpoint.getPort();
    if (port < 0) {
      port = "http".equalsIgnoreCase(endpoint.getScheme()) ? 80 : 443;
    }
    return String.valueOf(endpoint.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
  }

  /** Whether requests would carry the worker's credentials (not anonymous). */
  boolean sendsCredentials() {
    return !anonymous;
  }

  /**
   * Who the objects come from, for the model cache key: the endpoint, region and credential
   * identity (the access key id, never the secret), so that two manifests naming the same {@code
   * s3://} URI through different endpoints or accounts never share an entry.
   */
  String cacheIdentity() {
    return "endpoint="
        + endpoint
        + ";region="
        + region
        + ";key="
        + (anonymous ? "anonymous" : String.valueOf(accessKeyId));
  }

  @Override
  public String toString() {
    return "S3Settings[endpoint="
        + endpoint
        + ", region="
        + region
        + ", verifySsl="
        + verifySsl
        + ", anonymous="
        + anonymous
        + ", pathStyle="
        + pathStyle
        + ", accessKeyId="
        + (accessKeyId == null
            ? null
            : accessKeyId.substring(0, Math.min(4, accessKeyId.length())) + "…")
        + ", secretAccessKey="
        + (secretAccessKey == null ? null : "****")
        + ", sessionToken="
        + (sessionToken == null ? null : "****")
        + ", approvedEndpoint="
        + approvedEndpoint
        + "]";
  }

  private static String first(String a, String b) {
    return blankToNull(a) != null ? a : blankToNull(b);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  static boolean isTrue(String value) {
    if (value == null) {
      return false;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    return v.equals("1") || v.equals("true") || v.equals("yes");
  }

  static boolean isFalse(String value) {
    if (value == null) {
      return false;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    return v.equals("0") || v.equals("false") || v.equals("no");
  }
}
