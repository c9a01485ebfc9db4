package dev.kaskade.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a custom truststore, against an HTTPS endpoint with a self-signed certificate. */
class HttpSchemaRegistryClientTlsTest {
  private static final String PASSWORD = "changeit";
  @TempDir Path dir;
  private HttpsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void trustsTheRegistryCertificateFromTheConfiguredTruststore() throws Exception {
    Path keystore = dir.resolve("server.p12");
    Path cert = dir.resolve("server.crt");
    Path truststore = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "sr",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        "sr",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "sr",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        PASSWORD);
    String url = startHttps(keystore);

    var config =
        SchemaRegistryClientConfig.fromSettings(
            Map.of(
                SchemaRegistryClientConfig.URL_KEY, url,
                SchemaRegistryClientConfig.TRUSTSTORE_LOCATION_KEY, truststore.toString(),
                SchemaRegistryClientConfig.TRUSTSTORE_PASSWORD_KEY, PASSWORD));
    try (var client = new HttpSchemaRegistryClient(config)) {
      assertThat(client.subjects()).containsExactly("tls-value");
    }
    try (var untrusting =
        new HttpSchemaRegistryClient(SchemaRegistryClientConfig.of(url).withMaxAttempts(1))) {
      assertThatThrownBy(untrusting::subjects).isInstanceOf(SchemaRegistryException.class);
    }
  }

  private String startHttps(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("localhost", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "[\"tls-value\"]".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return "https://localhost:" + server.getAddress().getPort();
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
  }
}
