package dev.kaskade.gateway.auth;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners' TLS from PEM files: certificate chain, key and, for mTLS, the CA bundle client
 * certificates must chain to. HTTP/2 is negotiated by ALPN, so gRPC runs over TLS on the same
 * ports. {@link #watch} checks the files periodically and hands changed contents to the running
 * servers ({@code updateSSLOptions}): new connections get the new certificate, open ones keep
 * theirs. A change that does not load (a key written before its certificate) is retried on the next
 * check.
 */
public final class TlsFiles {
  private static final Logger LOG = LoggerFactory.getLogger(TlsFiles.class);

  private final SecurityConfig.Tls tls;
  private volatile List<Object> stamp;

  public TlsFiles(SecurityConfig.Tls tls) {
    this.tls = tls;
    this.stamp = stamp();
  }

  /** Turns TLS on in listener options, with the files' current contents. */
  public HttpServerOptions apply(HttpServerOptions options) {
    ServerSSLOptions ssl = sslOptions();
    return options
        .setSsl(true)
        .setUseAlpn(true)
        .setKeyCertOptions(ssl.getKeyCertOptions())
        .setTrustOptions(ssl.getTrustOptions())
        .setClientAuth(ssl.getClientAuth());
  }

  /** The SSL options from the files as they are now. */
  public ServerSSLOptions sslOptions() {
    ServerSSLOptions ssl =
        new ServerSSLOptions()
            .setUseAlpn(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertValue(read(tls.cert()))
                    .setKeyValue(read(tls.key())));
    if (tls.clientCa() != null) {
      ssl.setTrustOptions(new PemTrustOptions().addCertValue(read(tls.clientCa())))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return ssl;
  }

  /** Reloads the servers' certificates whenever the files change; returns the timer id. */
  public long watch(Vertx vertx, List<HttpServer> servers) {
    return vertx.setPeriodic(
        Math.max(100, tls.reloadInterval().toMillis()),
        id -> {
          List<Object> now = stamp();
          if (now.equals(stamp)) {
            return;
          }
          vertx
              .executeBlocking(this::sslOptions, false)
              .compose(
                  ssl ->
                      io.vertx.core.Future.all(
                          servers.stream()
                              .filter(Objects::nonNull)
                              .map(s -> s.updateSSLOptions(ssl, true))
                              .toList()))
              .onSuccess(
                  done -> {
                    stamp = now;
                    LOG.info("gateway TLS certificate reloaded from {}", tls.cert());
                  })
              .onFailure(e -> LOG.warn("cannot reload the gateway TLS files: {}", e.toString()));
        });
  }

  /** The files' contents (hashed): what tells a change, even one within the same second. */
  private List<Object> stamp() {
    List<Object> out = new ArrayList<>();
    for (Path p : new Path[] {tls.cert(), tls.key(), tls.clientCa()}) {
      if (p == null) {
        continue;
      }
      try {
        out.add(java.util.Arrays.hashCode(Files.readAllBytes(p)));
      } catch (IOException e) {
        out.add("missing");
      }
    }
    return out;
  }

  private static Buffer read(Path file) {
    try {
      return Buffer.buffer(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
