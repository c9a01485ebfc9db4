package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kaskade.gateway.grpc.proto.GRPCInferenceServiceGrpcClient;
import dev.kaskade.gateway.grpc.proto.ServerLiveRequest;
import dev.kaskade.gateway.testing.Cluster;
import dev.kaskade.gateway.testing.TestCerts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway with {@code gateway.tls.*}: HTTPS and gRPC over TLS on the same ports, no plaintext,
 * a replaced certificate served to new connections, and client certificates required with a client
 * CA.
 */
class GatewayTlsIT {
  private static Path dir;
  private static TestCerts server;
  private static TestCerts client;
  private static TestCerts renewed;
  private static GatewayComponent tls;
  private static GatewayComponent mtls;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("gateway-tls-it");
    server = TestCerts.create(dir, "server");
    client = TestCerts.create(dir, "client");
    // What replaces the server's certificate in the reload test; trusted throughout, so the
    // tests pass in any order.
    renewed = TestCerts.create(dir, "renewed");
    Cluster.shared().createPlatformTopics();
    tls =
        gateway(
            Map.of(
                "gateway.tls.cert", server.cert().toString(),
                "gateway.tls.key", server.key().toString(),
                "gateway.tls.reload.ms", "200"));
    Path mtlsCert = Files.copy(server.cert(), dir.resolve("mtls.crt"));
    Path mtlsKey = Files.copy(server.key(), dir.resolve("mtls.key"));
    mtls =
        gateway(
            Map.of(
                "gateway.tls.cert", mtlsCert.toString(),
                "gateway.tls.key", mtlsKey.toString(),
                "gateway.tls.client.ca", client.cert().toString()));
  }

  private static GatewayComponent gateway(Map<String, String> tlsSettings) throws Exception {
    Map<String, String> settings = new java.util.HashMap<>(tlsSettings);
    settings.put("gateway.http.port", "0");
    settings.put("gateway.grpc.port", "0");
    settings.put("gateway.host", "127.0.0.1");
    GatewayComponent gateway =
        new GatewayComponent(
            Cluster.shared().context(Files.createTempDirectory(dir, "data"), settings));
    gateway.start();
    return gateway;
  }

  @AfterAll
  static void stop() {
    for (GatewayComponent g : new GatewayComponent[] {tls, mtls}) {
      if (g != null) {
        g.close();
      }
    }
  }

  private static HttpResponse<String> get(SSLContext ssl, String url) throws Exception {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (ssl != null) {
      b.sslContext(ssl);
    }
    try (HttpClient http = b.build()) {
      return http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void httpsSucceedsWithTheCertificateTrustedAndPlaintextFails() throws Exception {
    SSLContext trusting = TestCerts.context(List.of(server, renewed), null);
    String path = "127.0.0.1:" + tls.httpPort() + "/v2/health/live";

    assertThat(get(trusting, "https://" + path).statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> get(null, "http://" + path)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> get(TestCerts.context(List.of(client), null), "https://" + path))
        .isInstanceOf(IOException.class);
    assertThat(tls.endpoints().get(0)).startsWith("HTTP https://127.0.0.1:");
  }

  @Test
  void grpcRunsOverTlsOnBothPorts() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      GrpcClient grpc =
          GrpcClient.client(
              vertx,
              new HttpClientOptions()
                  .setSsl(true)
                  .setUseAlpn(true)
                  .setTrustOptions(
                      new PemTrustOptions()
                          .addCertPath(server.cert().toString())
                          .addCertPath(renewed.cert().toString())));
      for (int port : new int[] {tls.grpcPort(), tls.httpPort()}) {
        var live =
            GRPCInferenceServiceGrpcClient.create(
                    grpc, SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                .serverLive(ServerLiveRequest.getDefaultInstance())
                .await(30, TimeUnit.SECONDS);
        assertThat(live.getLive()).isTrue();
      }
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void mtlsRejectsAClientWithoutACertificateAndAcceptsOneWithIt() throws Exception {
    String url = "https://127.0.0.1:" + mtls.httpPort() + "/v2/health/live";

    assertThatThrownBy(() -> get(TestCerts.context(List.of(server), null), url))
        .isInstanceOf(IOException.class);
    assertThat(get(TestCerts.context(List.of(server), client), url).statusCode()).isEqualTo(200);
  }

  @Test
  void aReplacedCertificateIsServedToNewConnections() throws Exception {
    Path cert = server.cert();
    Path key = server.key();
    Files.copy(renewed.cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(renewed.key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    SSLContext both = TestCerts.context(List.of(server, renewed), null);
    String url = "https://127.0.0.1:" + tls.httpPort() + "/v2/health/live";

    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              HttpResponse<String> r = get(both, url);
              X509Certificate served =
                  (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
              assertThat(served).isEqualTo(renewed.certificate());
            });
  }
}
