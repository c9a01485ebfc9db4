package dev.kaskade.kafka.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The secrets of a secured embedded broker, kept in one directory (mode 0700, files 0600) so that a
 * restart on the same data dir reuses them: {@value #CA_FILE} (the CA outside clients trust), the
 * broker's PKCS12 keystore, and {@value #CREDENTIALS_FILE} with the keystore password and one
 * SCRAM-SHA-512 password per user. {@link #writeClientProperties} writes a Kafka client properties
 * file per user for clients outside the JVM (Java, kcat, kafkajs).
 */
public final class BrokerSecrets {
  /** The bootstrap principal: a super user, used by the broker itself and to create ACLs. */
  public static final String ADMIN = "kaskade-admin";

  public static final String MECHANISM = "SCRAM-SHA-512";
  public static final String CA_FILE = "ca.pem";
  public static final String KEYSTORE_FILE = "broker.p12";
  public static final String CREDENTIALS_FILE = "credentials.properties";
  private static final String KEYSTORE_PASSWORD = "keystore.password";
  private static final String USER_PREFIX = "user.";
  private static final String SECRET_PREFIX = "secret.";

  private final Path dir;
  private final Properties credentials;

  private BrokerSecrets(Path dir, Properties credentials) {
    this.dir = dir;
    this.credentials = credentials;
  }

  /**
   * Reads the secrets in {@code dir}, creating the CA, keystore and passwords the first time and a
   * password for any user not seen before ({@link #ADMIN} always exists).
   */
  public static BrokerSecrets loadOrCreate(Path dir, Collection<String> users) {
    return loadOrCreate(dir, users, java.util.List.of());
  }

  /**
   * As {@link #loadOrCreate(Path, Collection)}, also keeping a generated password per name in
   * {@code secrets} that is not a Kafka user (e.g. the schema registry's basic auth).
   */
  public static synchronized BrokerSecrets loadOrCreate(
      Path dir, Collection<String> users, Collection<String> secrets) {
    try {
      createPrivateDirectory(dir);
      Path credentialsFile = dir.resolve(CREDENTIALS_FILE);
      Properties credentials = new Properties();
      if (Files.exists(credentialsFile) && Files.exists(dir.resolve(KEYSTORE_FILE))) {
        try (InputStream in = Files.newInputStream(credentialsFile)) {
          credentials.load(in);
        }
      } else {
        credentials.setProperty(KEYSTORE_PASSWORD, newPassword());
        createCertificates(dir, credentials.getProperty(KEYSTORE_PASSWORD));
      }
      boolean added = false;
      for (String user : concat(ADMIN, users)) {
        if (credentials.getProperty(USER_PREFIX + user) == null) {
          credentials.setProperty(USER_PREFIX + user, newPassword());
          added = true;
        }
      }
      for (String secret : secrets) {
        if (credentials.getProperty(SECRET_PREFIX + secret) == null) {
          credentials.setProperty(SECRET_PREFIX + secret, newPassword());
          added = true;
        }
      }
      if (added || !Files.exists(credentialsFile)) {
        StringWriter text = new StringWriter();
        credentials.store(text, "Kaskade broker secrets: keep private");
        writePrivate(credentialsFile, text.toString());
      }
      return new BrokerSecrets(dir, credentials);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Kafka secrets in " + dir, e);
    }
  }

  public Path dir() {
    return dir;
  }

  public Path caFile() {
    return dir.resolve(CA_FILE);
  }

  public Path keystoreFile() {
    return dir.resolve(KEYSTORE_FILE);
  }

  public String keystorePassword() {
    return credentials.getProperty(KEYSTORE_PASSWORD);
  }

  /** The SCRAM password of a user. */
  public String password(String user) {
    String password = credentials.getProperty(USER_PREFIX + user);
    if (password == null) {
      throw new IllegalArgumentException("no Kafka credentials for user " + user);
    }
    return password;
  }

  /** A generated secret that is not a Kafka user's password. */
  public String secret(String name) {
    String secret = credentials.getProperty(SECRET_PREFIX + name);
    if (secret == null) {
      throw new IllegalArgumentException("no secret " + name);
    }
    return secret;
  }

  /** Every user and its SCRAM password. */
  public Map<String, String> users() {
    Map<String, String> users = new TreeMap<>();
    credentials.stringPropertyNames().stream()
        .filter(key -> key.startsWith(USER_PREFIX))
        .forEach(
            key -> users.put(key.substring(USER_PREFIX.length()), credentials.getProperty(key)));
    return users;
  }

  /** Kafka client properties that log in as {@code user} over SASL_SSL, trusting the CA. */
  public Map<String, String> clientProperties(String user) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("security.protocol", "SASL_SSL");
    props.put("sasl.mechanism", MECHANISM);
    props.put("sasl.jaas.config", scramJaas(user, password(user)));
    props.put("ssl.truststore.type", "PEM");
    props.put("ssl.truststore.location", caFile().toAbsolutePath().toString());
    return props;
  }

  /**
   * Writes {@link #clientProperties} of {@code user} plus {@code extra} (e.g. the registry's
   * credentials) to {@code <dir>/<fileName>}, mode 0600, and returns the path.
   */
  public Path writeClientProperties(String user, String fileName, Map<String, String> extra) {
    Map<String, String> props = new LinkedHashMap<>(clientProperties(user));
    props.putAll(extra);
    StringBuilder text =
        new StringBuilder("# Kafka client settings for ").append(user).append('\n');
    props.forEach((key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
    Path file = dir.resolve(fileName);
    try {
      writePrivate(file, text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  static String scramJaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static void createCertificates(Path dir, String keystorePassword) throws IOException {
    SelfSignedCa ca = SelfSignedCa.create("Kaskade standalone CA");
    KeyPair brokerKeys = SelfSignedCa.newKeyPair();
    var brokerCert = ca.issueServer(brokerKeys.getPublic(), "localhost");
    writePrivate(dir.resolve(CA_FILE), SelfSignedCa.pem(ca.certificate()));
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "broker",
          brokerKeys.getPrivate(),
          keystorePassword.toCharArray(),
          new Certificate[] {brokerCert, ca.certificate()});
      Path keystore = dir.resolve(KEYSTORE_FILE);
      createPrivateFile(keystore);
      try (OutputStream out = Files.newOutputStream(keystore)) {
        store.store(out, keystorePassword.toCharArray());
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the broker keystore", e);
    }
  }

  /** Passwords without characters that need quoting in JAAS or properties files. */
  private static String newPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      Files.createDirectories(dir);
    }
    if (isPosix(dir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private static void createPrivateFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      if (isPosix(file.getParent())) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    }
    if (isPosix(file)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  private static void writePrivate(Path file, String text) throws IOException {
    createPrivateFile(file);
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\");
  }

  private static java.util.List<String> concat(String first, Collection<String> rest) {
    java.util.List<String> all = new java.util.ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
