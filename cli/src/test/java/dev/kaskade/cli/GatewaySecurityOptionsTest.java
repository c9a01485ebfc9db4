package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.gateway.GatewayConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewaySecurityOptionsTest {
  private static Map<String, String> settingsOf(String... args) {
    UpCommand up = new UpCommand();
    new CommandLine(up).parseArgs(args);
    return new StandaloneLauncher(
            new StandaloneOptions(
                Path.of("data"),
                0,
                0,
                0,
                0,
                List.of(),
                false,
                null,
                up.gatewaySecurity.settings(),
                false,
                null),
            System.out)
        .settings();
  }

  @Test
  void upBindsTheGatewayToLoopbackUnlessAHostIsGiven() {
    assertThat(settingsOf()).containsEntry(GatewayConfig.HOST, "127.0.0.1");
    assertThat(settingsOf("--host", "0.0.0.0")).containsEntry(GatewayConfig.HOST, "0.0.0.0");
  }

  @Test
  void authAndTlsFlagsBecomeGatewaySettings() {
    Map<String, String> s =
        settingsOf(
            "--auth-jwks",
            "https://idp/jwks",
            "--auth-issuer",
            "https://idp",
            "--auth-audience",
            "kaskade",
            "--auth-policy",
            "policy.yaml",
            "--auth-metrics",
            "--tls-cert",
            "c.pem",
            "--tls-key",
            "k.pem",
            "--tls-client-ca",
            "ca.pem");

    assertThat(s)
        .containsEntry(GatewayConfig.AUTH_JWKS, "https://idp/jwks")
        .containsEntry(GatewayConfig.AUTH_ISSUER, "https://idp")
        .containsEntry(GatewayConfig.AUTH_AUDIENCE, "kaskade")
        .containsEntry(
            GatewayConfig.AUTH_POLICY, Path.of("policy.yaml").toAbsolutePath().toString())
        .containsEntry(GatewayConfig.AUTH_METRICS, "true")
        .containsEntry(GatewayConfig.TLS_CERT, Path.of("c.pem").toAbsolutePath().toString())
        .containsEntry(GatewayConfig.TLS_KEY, Path.of("k.pem").toAbsolutePath().toString())
        .containsEntry(GatewayConfig.TLS_CLIENT_CA, Path.of("ca.pem").toAbsolutePath().toString());
  }

  @Test
  void aNonLoopbackHostWithoutAuthenticationIsWarnedAbout() {
    assertThat(GatewaySecurityOptions.exposureWarning(settingsOf("--host", "0.0.0.0")))
        .startsWith("warning: the gateway listens on 0.0.0.0 without authentication");
    assertThat(GatewaySecurityOptions.exposureWarning(settingsOf())).isNull();
    assertThat(
            GatewaySecurityOptions.exposureWarning(
                settingsOf("--host", "0.0.0.0", "--auth-jwks", "jwks.json")))
        .isNull();
  }
}
