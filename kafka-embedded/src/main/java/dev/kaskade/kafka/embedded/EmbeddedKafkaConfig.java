package dev.kaskade.kafka.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to start the embedded broker.
 *
 * @param dataDir where KRaft metadata and logs live
 * @param port the client port, 0 for any free port
 * @param maxMessageBytes the largest record the broker accepts (kept equal to the producers' and
 *     consumers' limits so that oversized payloads fail loudly)
 * @param overrides extra broker properties
 * @param secrets when not null, the broker accepts only SASL_SSL (SCRAM-SHA-512) with the users of
 *     these secrets, authorizes with the StandardAuthorizer ({@link BrokerSecrets#ADMIN} is the
 *     only super user), and the controller listener takes only the admin (SASL_SSL, PLAIN)
 */
public record EmbeddedKafkaConfig(
    Path dataDir,
    int port,
    int maxMessageBytes,
    Map<String, String> overrides,
    BrokerSecrets secrets) {
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  public EmbeddedKafkaConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException("maxMessageBytes must be at least 1024");
    }
    overrides = Map.copyOf(overrides);
  }

  /** A PLAINTEXT broker. */
  public EmbeddedKafkaConfig(
      Path dataDir, int port, int maxMessageBytes, Map<String, String> overrides) {
    this(dataDir, port, maxMessageBytes, overrides, null);
  }

  /** The same broker secured with these secrets. */
  public EmbeddedKafkaConfig secured(BrokerSecrets value) {
    return new EmbeddedKafkaConfig(dataDir, port, maxMessageBytes, overrides, value);
  }

  public static EmbeddedKafkaConfig at(Path dataDir) {
    return new EmbeddedKafkaConfig(dataDir, 0, DEFAULT_MAX_MESSAGE_BYTES, Map.of());
  }

  public EmbeddedKafkaConfig withPort(int newPort) {
    return new EmbeddedKafkaConfig(dataDir, newPort, maxMessageBytes, overrides, secrets);
  }
}
