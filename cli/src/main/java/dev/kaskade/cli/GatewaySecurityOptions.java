package dev.kaskade.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code kaskade up}'s gateway security flags, turned into the gateway's settings (the keys are
 * {@code GatewayConfig}'s; ingress-gateway is a runtime-only dependency of the CLI).
 */
final class GatewaySecurityOptions {
  static final String HOST = "gateway.host";
  static final String LOOPBACK = "127.0.0.1";
  static final String AUTH_JWKS = "gateway.auth.jwks";

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description = "Interface the gateway binds to (default 127.0.0.1; 0.0.0.0 for all).")
  String host;

  @Option(
      names = "--auth-jwks",
      paramLabel = "FILE|URL",
      description = "Require bearer JWTs signed by a key of this JWKS (file or http(s) URL).")
  String authJwks;

  @Option(names = "--auth-issuer", paramLabel = "ISS", description = "Required JWT issuer.")
  String authIssuer;

  @Option(
      names = "--auth-audience",
      paramLabel = "AUD",
      description = "Accepted JWT audience (comma-separated for several).")
  String authAudience;

  @Option(
      names = "--auth-policy",
      paramLabel = "FILE",
      description = "YAML authorization rules (default: any valid token may call everything).")
  Path authPolicy;

  @Option(names = "--auth-metrics", description = "Put /metrics behind authentication too.")
  boolean authMetrics;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key.")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description = "PEM CA bundle; clients must present a certificate it signed (mTLS).")
  Path tlsClientCa;

  /** The settings the flags given stand for. */
  Map<String, String> settings() {
    Map<String, String> s = new HashMap<>();
    put(s, HOST, host);
    put(s, AUTH_JWKS, authJwks);
    put(s, "gateway.auth.issuer", authIssuer);
    put(s, "gateway.auth.audience", authAudience);
    put(s, "gateway.auth.policy", authPolicy);
    if (authMetrics) {
      s.put("gateway.auth.metrics", "true");
    }
    put(s, "gateway.tls.cert", tlsCert);
    put(s, "gateway.tls.key", tlsKey);
    put(s, "gateway.tls.client.ca", tlsClientCa);
    return s;
  }

  private static void put(Map<String, String> s, String key, Object value) {
    if (value != null) {
      s.put(key, value instanceof Path p ? p.toAbsolutePath().toString() : value.toString());
    }
  }

  /**
   * The one-line warning for a gateway reachable from other machines without authentication, or
   * null.
   */
  static String exposureWarning(Map<String, String> settings) {
    String host = settings.get(HOST);
    String jwks = settings.get(AUTH_JWKS);
    if (host == null || isLoopback(host) || (jwks != null && !jwks.isBlank())) {
      return null;
    }
    return "warning: the gateway listens on "
        + host
        + " without authentication: anyone who can reach it can call every model"
        + " (add --auth-jwks, or bind 127.0.0.1)";
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
