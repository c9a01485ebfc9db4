package dev.kaskade.reconciler.webhook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The webhook's key and certificate: loaded from PEM files or generated self-signed. */
public final class WebhookTls {
  private WebhookTls() {}

  /** A private key and its certificate. */
  public record Material(PrivateKey key, X509Certificate certificate) {}

  /** Loads a PEM certificate and a PEM PKCS#8 private key (RSA or EC). */
  public static Material fromPem(Path certificate, Path key) {
    try (InputStream in = Files.newInputStream(certificate)) {
      X509Certificate cert =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      String pem = Files.readString(key);
      if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
        throw new IllegalArgumentException(
            key
                + ": the private key must be PKCS#8 (BEGIN PRIVATE KEY); with cert-manager set"
                + " privateKey.encoding: PKCS8");
      }
      byte[] der =
          Base64.getMimeDecoder()
              .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      return new Material(privateKey(der, cert.getPublicKey().getAlgorithm()), cert);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read webhook TLS files: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(byte[] der, String algorithm)
      throws GeneralSecurityException {
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  /**
   * A self-signed RSA certificate for the given DNS names (and 127.0.0.1), made with the JDK's
   * {@code keytool} so no internal JDK API is needed.
   */
  public static Material selfSigned(List<String> dnsNames) {
    try {
      Path dir = Files.createTempDirectory("kaskade-webhook-tls");
      Path store = dir.resolve("webhook.p12");
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      StringBuilder san = new StringBuilder("SAN=ip:127.0.0.1");
      dnsNames.forEach(n -> san.append(",dns:").append(n));
      Process process =
          new ProcessBuilder(
                  keytool,
                  "-genkeypair",
                  "-alias",
                  "webhook",
                  "-keyalg",
                  "RSA",
                  "-keysize",
                  "2048",
                  "-validity",
                  "3650",
                  "-dname",
                  "CN=" + dnsNames.get(0),
                  "-ext",
                  san.toString(),
                  "-keystore",
                  store.toString(),
                  "-storetype",
                  "PKCS12",
                  "-storepass",
                  "changeit",
                  "-keypass",
                  "changeit")
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keyStore.load(in, "changeit".toCharArray());
      }
      return new Material(
          (PrivateKey) keyStore.getKey("webhook", "changeit".toCharArray()),
          (X509Certificate) keyStore.getCertificate("webhook"));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot generate a self-signed certificate: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted generating a certificate", e);
    }
  }

  /** A certificate as PEM text. */
  public static String pem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate parse(String pem) throws GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
