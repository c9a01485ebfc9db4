package dev.kaskade.sink.sign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys of the audit signer as PEM files: the private key PKCS#8 ({@code PRIVATE KEY}, the
 * same as {@code openssl genpkey -algorithm ed25519}), the public key X.509 ({@code PUBLIC KEY},
 * {@code openssl pkey -pubout}). Only the JDK's own Ed25519 provider is used.
 */
public final class SigningKeys {
  public static final String ALGORITHM = "Ed25519";
  public static final String PRIVATE_FILE = "audit-signing.key";
  public static final String PUBLIC_FILE = "audit-signing.pub";

  private SigningKeys() {}

  /** {@code <data-dir>/secrets/audit-signing.key}: where standalone keeps the key. */
  public static Path defaultPrivateKey(Path dataDir) {
    return dataDir.resolve("secrets").resolve(PRIVATE_FILE);
  }

  /** The public key file beside a private key file. */
  public static Path publicKeyBeside(Path privateKey) {
    return privateKey.resolveSibling(PUBLIC_FILE);
  }

  /**
   * Generates a key pair and writes it: the private key with mode 0600 (created so, never readable
   * by others even for a moment), the public key beside it.
   */
  public static KeyPair generate(Path privateKey) throws IOException {
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no Ed25519", e);
    }
    Path dir = privateKey.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    restrict(dir, "rwx------");
    Path tmp = dir.resolve(privateKey.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not POSIX (Windows): the directory's ACL applies
    }
    Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.move(tmp, privateKey, StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(
        publicKeyBeside(privateKey), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    return pair;
  }

  /** Reads a private key and derives nothing else: the public key file is read separately. */
  public static PrivateKey readPrivate(Path file) throws IOException {
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePrivate(new PKCS8EncodedKeySpec(unpem(file, "PRIVATE KEY")));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " is not an Ed25519 private key (PKCS#8 PEM): " + e, e);
    }
  }

  public static PublicKey readPublic(Path file) throws IOException {
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(unpem(file, "PUBLIC KEY")));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " is not an Ed25519 public key (X.509 PEM): " + e, e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] unpem(Path file, String type) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IOException(file + " has no " + begin + " block");
    }
    return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
  }

  private static void restrict(Path path, String mode) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    } catch (UnsupportedOperationException e) {
      // not POSIX
    }
  }
}
