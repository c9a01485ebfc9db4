package dev.kaskade.gateway.auth;

import static dev.kaskade.gateway.GatewayConfig.AUTH_AUDIENCE;
import static dev.kaskade.gateway.GatewayConfig.AUTH_CLOCK_SKEW_SECONDS;
import static dev.kaskade.gateway.GatewayConfig.AUTH_ISSUER;
import static dev.kaskade.gateway.GatewayConfig.AUTH_JWKS;
import static dev.kaskade.gateway.GatewayConfig.AUTH_JWKS_MIN_REFRESH_MS;
import static dev.kaskade.gateway.GatewayConfig.AUTH_JWKS_REFRESH_MS;
import static dev.kaskade.gateway.GatewayConfig.AUTH_METRICS;
import static dev.kaskade.gateway.GatewayConfig.AUTH_POLICY;
import static dev.kaskade.gateway.GatewayConfig.TLS_CERT;
import static dev.kaskade.gateway.GatewayConfig.TLS_CLIENT_CA;
import static dev.kaskade.gateway.GatewayConfig.TLS_KEY;
import static dev.kaskade.gateway.GatewayConfig.TLS_RELOAD_MS;

import dev.kaskade.gateway.GatewayConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The gateway's authentication and TLS settings (keys and defaults in {@link GatewayConfig#KEYS}).
 *
 * @param auth bearer-token settings, or null when calls need no token
 * @param tls listener TLS settings, or null for plaintext
 */
public record SecurityConfig(Auth auth, Tls tls) {

  /**
   * @param jwks a JWKS file path or http(s) URL
   * @param issuer the one accepted {@code iss}
   * @param audiences accepted {@code aud} values (a token must name one of them)
   * @param policy authorization rules file, or null: any valid token may call everything
   * @param protectMetrics whether {@code /metrics} needs a token
   * @param clockSkew allowed skew on {@code exp} and {@code nbf}
   * @param jwksRefresh how often a JWKS URL is fetched again
   * @param jwksMinRefresh least time between reloads caused by an unknown {@code kid}
   */
  public record Auth(
      String jwks,
      String issuer,
      List<String> audiences,
      Path policy,
      boolean protectMetrics,
      Duration clockSkew,
      Duration jwksRefresh,
      Duration jwksMinRefresh) {
    public Auth {
      audiences = List.copyOf(audiences);
      if (issuer == null || issuer.isBlank()) {
        throw new IllegalArgumentException(
            "setting " + AUTH_ISSUER + " is required with " + AUTH_JWKS);
      }
      if (audiences.isEmpty()) {
        throw new IllegalArgumentException(
            "setting " + AUTH_AUDIENCE + " is required with " + AUTH_JWKS);
      }
    }
  }

  /**
   * @param cert PEM certificate chain
   * @param key PEM private key
   * @param clientCa PEM CA bundle client certificates must chain to, or null (no mTLS)
   * @param reloadInterval how often the files are checked for changes
   */
  public record Tls(Path cert, Path key, Path clientCa, Duration reloadInterval) {}

  public static SecurityConfig from(Map<String, String> settings) {
    return new SecurityConfig(auth(settings), tls(settings));
  }

  public static SecurityConfig none() {
    return new SecurityConfig(null, null);
  }

  private static Auth auth(Map<String, String> s) {
    String jwks = text(s, AUTH_JWKS);
    if (jwks == null) {
      for (String key : List.of(AUTH_ISSUER, AUTH_AUDIENCE, AUTH_POLICY)) {
        if (text(s, key) != null) {
          throw new IllegalArgumentException("setting " + key + " needs " + AUTH_JWKS);
        }
      }
      return null;
    }
    String audience = text(s, AUTH_AUDIENCE);
    List<String> audiences =
        audience == null
            ? List.of()
            : Arrays.stream(audience.split(","))
                .map(String::trim)
                .filter(a -> !a.isEmpty())
                .toList();
    String policy = text(s, AUTH_POLICY);
    return new Auth(
        jwks,
        text(s, AUTH_ISSUER),
        audiences,
        policy == null ? null : Path.of(policy),
        Boolean.parseBoolean(s.getOrDefault(AUTH_METRICS, GatewayConfig.defaultOf(AUTH_METRICS))),
        Duration.ofSeconds(number(s, AUTH_CLOCK_SKEW_SECONDS)),
        Duration.ofMillis(number(s, AUTH_JWKS_REFRESH_MS)),
        Duration.ofMillis(number(s, AUTH_JWKS_MIN_REFRESH_MS)));
  }

  private static Tls tls(Map<String, String> s) {
    String cert = text(s, TLS_CERT);
    String key = text(s, TLS_KEY);
    String clientCa = text(s, TLS_CLIENT_CA);
    if (cert == null && key == null) {
      if (clientCa != null) {
        throw new IllegalArgumentException(
            "setting " + TLS_CLIENT_CA + " needs " + TLS_CERT + " and " + TLS_KEY);
      }
      return null;
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException(
          "settings " + TLS_CERT + " and " + TLS_KEY + " go together");
    }
    return new Tls(
        Path.of(cert),
        Path.of(key),
        clientCa == null ? null : Path.of(clientCa),
        Duration.ofMillis(number(s, TLS_RELOAD_MS)));
  }

  private static String text(Map<String, String> s, String key) {
    String value = s.get(key);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static long number(Map<String, String> s, String key) {
    String value = s.getOrDefault(key, GatewayConfig.defaultOf(key));
    try {
      long n = Long.parseLong(value.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "setting " + key + " must be a number >= 0, got '" + value + "'");
    }
  }
}
