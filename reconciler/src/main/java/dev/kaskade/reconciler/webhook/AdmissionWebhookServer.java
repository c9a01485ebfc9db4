package dev.kaskade.reconciler.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kaskade.reconciler.core.ManifestCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhook: AdmissionReview v1 JSON over HTTPS on {@code /validate} and {@code
 * /mutate}, on the JDK's HttpsServer. The certificate comes from PEM files (e.g. a cert-manager
 * secret) or is generated self-signed at start ({@link #certificatePem()} is then the caBundle).
 */
public final class AdmissionWebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionWebhookServer.class);
  private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  private final AdmissionReviews reviews;
  private final WebhookTls.Material tls;
  private final int requestedPort;
  private HttpsServer server;
  private ExecutorService executor;

  public AdmissionWebhookServer(AdmissionReviews reviews, WebhookTls.Material tls, int port) {
    this.reviews = reviews;
    this.tls = tls;
    this.requestedPort = port;
  }

  public synchronized AdmissionWebhookServer start() throws IOException {
    server = HttpsServer.create(new InetSocketAddress(requestedPort), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(sslContext()));
    server.createContext("/validate", exchange -> handle(exchange, false));
    server.createContext("/mutate", exchange -> handle(exchange, true));
    server.createContext(
        "/healthz", exchange -> respond(exchange, 200, "ok".getBytes(StandardCharsets.UTF_8)));
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.start();
    LOG.info("admission webhook listening on https port {}", port());
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The serving certificate in PEM, for {@code caBundle} of a webhook configuration. */
  public String certificatePem() {
    return WebhookTls.pem(tls.certificate());
  }

  public X509Certificate certificate() {
    return tls.certificate();
  }

  private SSLContext sslContext() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = "webhook".toCharArray();
      store.setKeyEntry("webhook", tls.key(), password, new X509Certificate[] {tls.certificate()});
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS for the webhook: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private void handle(HttpExchange exchange, boolean mutate) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, "POST an AdmissionReview".getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY_BYTES + 1);
      }
      if (body.length > MAX_BODY_BYTES) {
        respond(exchange, 413, "AdmissionReview too large".getBytes(StandardCharsets.UTF_8));
        return;
      }
      Map<String, Object> review;
      try {
        review = ManifestCodec.fromJson(new String(body, StandardCharsets.UTF_8), Map.class);
      } catch (RuntimeException e) {
        respond(
            exchange,
            400,
            ("not an AdmissionReview: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] answer =
          ManifestCodec.toJson(reviews.handle(review, mutate)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      respond(exchange, 200, answer);
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }
}
