package dev.kaskade.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How to reach a Confluent-compatible schema registry.
 *
 * @param urls base URLs; the client fails over to the next one on connection errors and 5xx
 * @param basicAuth credentials for HTTP basic auth, or null
 * @param sslContext TLS context for {@code https} URLs (custom truststore), or null for the JDK's
 * @param timeout connect and per-request timeout
 * @param maxAttempts attempts per call on connection errors and 5xx answers (1 = no retry)
 */
public record SchemaRegistryClientConfig(
    List<URI> urls, BasicAuth basicAuth, SSLContext sslContext, Duration timeout, int maxAttempts) {

  /** Confluent's client key for the registry URLs (comma-separated). */
  public static final String URL_KEY = "schema.registry.url";

  /** Confluent's client key for basic auth credentials, {@code user:password}. */
  public static final String USER_INFO_KEY = "basic.auth.user.info";

  /** Path of a truststore (PKCS12 or JKS) holding the registry's CA. */
  public static final String TRUSTSTORE_LOCATION_KEY = "schema.registry.ssl.truststore.location";

  /** Password of that truststore. */
  public static final String TRUSTSTORE_PASSWORD_KEY = "schema.registry.ssl.truststore.password";

  /** Type of that truststore, PKCS12 by default. */
  public static final String TRUSTSTORE_TYPE_KEY = "schema.registry.ssl.truststore.type";

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_ATTEMPTS = 4;

  public SchemaRegistryClientConfig {
    Objects.requireNonNull(urls, "urls");
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(URL_KEY + " needs at least one URL");
    }
    urls = urls.stream().map(SchemaRegistryClientConfig::withoutTrailingSlash).toList();
    Objects.requireNonNull(timeout, "timeout");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
  }

  /** One or more comma-separated URLs with default timeout and retries, no auth. */
  public static SchemaRegistryClientConfig of(String urls) {
    List<URI> parsed =
        Arrays.stream(urls.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(URI::create)
            .toList();
    return new SchemaRegistryClientConfig(
        parsed, null, null, DEFAULT_TIMEOUT, DEFAULT_MAX_ATTEMPTS);
  }

  /**
   * Reads Confluent's client keys ({@value #URL_KEY}, {@value #USER_INFO_KEY}) and the truststore
   * keys of this class from a settings map.
   */
  public static SchemaRegistryClientConfig fromSettings(Map<String, String> settings) {
    String urls = settings.get(URL_KEY);
    if (urls == null || urls.isBlank()) {
      throw new IllegalArgumentException("missing setting " + URL_KEY);
    }
    SchemaRegistryClientConfig config = of(urls);
    String userInfo = settings.get(USER_INFO_KEY);
    if (userInfo != null && !userInfo.isBlank()) {
      config = config.withBasicAuth(BasicAuth.parse(userInfo));
    }
    String truststore = settings.get(TRUSTSTORE_LOCATION_KEY);
    if (truststore != null && !truststore.isBlank()) {
      config =
          config.withSslContext(
              trustingStore(
                  Path.of(truststore),
                  settings.getOrDefault(TRUSTSTORE_PASSWORD_KEY, ""),
                  settings.getOrDefault(TRUSTSTORE_TYPE_KEY, "PKCS12")));
    }
    return config;
  }

  public SchemaRegistryClientConfig withBasicAuth(BasicAuth auth) {
    return new SchemaRegistryClientConfig(urls, auth, sslContext, timeout, maxAttempts);
  }

  public SchemaRegistryClientConfig withBasicAuth(String user, String password) {
    return withBasicAuth(new BasicAuth(user, password));
  }

  public SchemaRegistryClientConfig withSslContext(SSLContext context) {
    return new SchemaRegistryClientConfig(urls, basicAuth, context, timeout, maxAttempts);
  }

  public SchemaRegistryClientConfig withTimeout(Duration value) {
    return new SchemaRegistryClientConfig(urls, basicAuth, sslContext, value, maxAttempts);
  }

  public SchemaRegistryClientConfig withMaxAttempts(int value) {
    return new SchemaRegistryClientConfig(urls, basicAuth, sslContext, timeout, value);
  }

  /** An SSL context trusting the certificates of a truststore file. */
  public static SSLContext trustingStore(Path path, String password, String type) {
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password.toCharArray());
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot load " + TRUSTSTORE_LOCATION_KEY + " " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SchemaRegistryClientConfig[urls="
        + urls
        + ", basicAuth="
        + basicAuth
        + ", sslContext="
        + (sslContext == null ? "default" : "custom")
        + ", timeout="
        + timeout
        + ", maxAttempts="
        + maxAttempts
        + "]";
  }

  private static URI withoutTrailingSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
  }

  /** HTTP basic auth credentials; {@link #toString()} masks the password. */
  public record BasicAuth(String user, String password) {
    public BasicAuth {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
    }

    /** Parses Confluent's {@code user:password} form. */
    public static BasicAuth parse(String userInfo) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(USER_INFO_KEY + " must be user:password");
      }
      return new BasicAuth(userInfo.substring(0, colon), userInfo.substring(colon + 1));
    }

    @Override
    public String toString() {
      return "BasicAuth[user=" + user + ", password=****]";
    }
  }
}
