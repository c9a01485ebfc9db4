package dev.kaskade.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityConfigTest {
  @Test
  void withoutSettingsTheGatewayIsOpenAndPlaintext() {
    assertThat(SecurityConfig.from(Map.of())).isEqualTo(SecurityConfig.none());
  }

  @Test
  void authSettingsAreReadWithTheirDefaults() {
    SecurityConfig.Auth auth =
        SecurityConfig.from(
                Map.of(
                    "gateway.auth.jwks", "https://idp/jwks",
                    "gateway.auth.issuer", "https://idp",
                    "gateway.auth.audience", "kaskade, other"))
            .auth();

    assertThat(auth.audiences()).containsExactly("kaskade", "other");
    assertThat(auth.policy()).isNull();
    assertThat(auth.protectMetrics()).isFalse();
    assertThat(auth.clockSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(auth.jwksMinRefresh()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aJwksNeedsAnIssuerAndAnAudience() {
    assertThatThrownBy(() -> SecurityConfig.from(Map.of("gateway.auth.jwks", "j.json")))
        .hasMessageContaining("gateway.auth.issuer");
    assertThatThrownBy(
            () ->
                SecurityConfig.from(
                    Map.of("gateway.auth.jwks", "j.json", "gateway.auth.issuer", "i")))
        .hasMessageContaining("gateway.auth.audience");
    assertThatThrownBy(() -> SecurityConfig.from(Map.of("gateway.auth.policy", "p.yaml")))
        .hasMessageContaining("needs gateway.auth.jwks");
  }

  @Test
  void tlsNeedsBothCertificateAndKey() {
    assertThatThrownBy(() -> SecurityConfig.from(Map.of("gateway.tls.cert", "c.pem")))
        .hasMessageContaining("go together");
    assertThatThrownBy(() -> SecurityConfig.from(Map.of("gateway.tls.client.ca", "ca.pem")))
        .hasMessageContaining("gateway.tls.client.ca");
    SecurityConfig.Tls tls =
        SecurityConfig.from(
                Map.of(
                    "gateway.tls.cert", "c.pem",
                    "gateway.tls.key", "k.pem",
                    "gateway.tls.client.ca", "ca.pem"))
            .tls();
    assertThat(List.of(tls.cert(), tls.key(), tls.clientCa()))
        .containsExactly(Path.of("c.pem"), Path.of("k.pem"), Path.of("ca.pem"));
  }
}
