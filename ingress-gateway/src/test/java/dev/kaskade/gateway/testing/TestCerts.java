package dev.kaskade.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed EC certificates made in the test with the JDK's keytool (no private key is
 * committed), written as PEM files the gateway reads.
 *
 * @param cert the PEM certificate (also the trust anchor: it is self-signed)
 * @param key the PEM PKCS#8 private key
 * @param certificate the certificate itself
 * @param privateKey the private key itself
 */
public record TestCerts(Path cert, Path key, X509Certificate certificate, PrivateKey privateKey) {
  private static final char[] PASSWORD = "test-only".toCharArray();

  /** A certificate for {@code cn}, valid for localhost and 127.0.0.1, in {@code dir}. */
  public static TestCerts create(Path dir, String cn) throws IOException, GeneralSecurityException {
    Path store = dir.resolve(cn + ".p12");
    Files.deleteIfExists(store);
    keytool(
        "-genkeypair",
        "-alias",
        cn,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + cn,
        "-ext",
        "san=dns:localhost,ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        new String(PASSWORD),
        "-keypass",
        new String(PASSWORD));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    X509Certificate certificate = (X509Certificate) ks.getCertificate(cn);
    PrivateKey key = (PrivateKey) ks.getKey(cn, PASSWORD);
    Files.delete(store);
    Path certFile = dir.resolve(cn + ".crt");
    Path keyFile = dir.resolve(cn + ".key");
    Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
    return new TestCerts(certFile, keyFile, certificate, key);
  }

  /** A client TLS context trusting {@code trusted}, presenting {@code identity} when not null. */
  public static SSLContext context(List<TestCerts> trusted, TestCerts identity)
      throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (TestCerts t : trusted) {
      trust.setCertificateEntry(
          t.certificate().getSubjectX500Principal().getName(), t.certificate());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (identity != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "me", identity.privateKey(), PASSWORD, new Certificate[] {identity.certificate()});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASSWORD);
    }
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ssl;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void keytool(String... args) throws IOException {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    List<String> command = new java.util.ArrayList<>(List.of(keytool));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
