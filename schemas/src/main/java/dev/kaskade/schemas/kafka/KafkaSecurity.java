package dev.kaskade.schemas.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Kafka client security settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*})
 * that every producer, consumer, admin and Streams client of one component uses. They come from one
 * place, the component settings: a client properties file named by setting {@value #FILE_SETTING}
 * (env {@code KASKADE_KAFKA_CONFIG}, flag {@code --kafka-config}), then settings {@code
 * kafka.<property>} (env {@code KASKADE_KAFKA_SECURITY_PROTOCOL} → {@code security.protocol}),
 * which win over the file. Keys other than security ones are ignored so that a properties file
 * cannot change the tuning {@link ClientConfigs} chose.
 *
 * @param properties Kafka client properties, security keys only
 */
public record KafkaSecurity(Map<String, String> properties) {
  /** Setting naming a Kafka client properties file. */
  public static final String FILE_SETTING = "kafka.config";

  /** Prefix of settings that become Kafka client properties. */
  public static final String SETTING_PREFIX = "kafka.";

  private static final String ENV_PREFIX = "KAFKA_";

  public KafkaSecurity {
    properties = Map.copyOf(properties);
  }

  /** No security settings: PLAINTEXT, as before. */
  public static KafkaSecurity none() {
    return new KafkaSecurity(Map.of());
  }

  /** Whether a Kafka client property is a security setting this class passes on. */
  public static boolean isSecurityKey(String key) {
    return key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.");
  }

  /**
   * From component settings: the file of {@value #FILE_SETTING}, then {@code kafka.<property>} keys
   * and their environment form {@code KAFKA_<PROPERTY>} ({@code _} read as {@code .}).
   */
  public static KafkaSecurity fromSettings(Map<String, String> settings) {
    Map<String, String> props = new TreeMap<>();
    String file = settings.get(FILE_SETTING);
    if (file != null && !file.isBlank()) {
      props.putAll(fromFile(Path.of(file.trim())).properties());
    }
    settings.forEach(
        (key, value) -> {
          String property = propertyOf(key);
          if (property != null && isSecurityKey(property) && value != null) {
            props.put(property, value);
          }
        });
    return new KafkaSecurity(props);
  }

  /** The security keys of a Kafka client properties file. */
  public static KafkaSecurity fromFile(Path file) {
    Properties loaded = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      loaded.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Kafka client config " + file, e);
    }
    Map<String, String> props = new TreeMap<>();
    loaded.stringPropertyNames().stream()
        .filter(KafkaSecurity::isSecurityKey)
        .forEach(key -> props.put(key, loaded.getProperty(key).trim()));
    return new KafkaSecurity(props);
  }

  /** Adds these settings to a client config (they win over what is there) and returns it. */
  public <M extends Map<String, Object>> M applyTo(M config) {
    config.putAll(properties);
    return config;
  }

  /** Whether any security setting is given. */
  public boolean isEmpty() {
    return properties.isEmpty();
  }

  /** {@code kafka.sasl.mechanism} or {@code KAFKA_SASL_MECHANISM} → {@code sasl.mechanism}. */
  private static String propertyOf(String settingKey) {
    if (settingKey.startsWith(SETTING_PREFIX)) {
      return settingKey.substring(SETTING_PREFIX.length());
    }
    if (settingKey.startsWith(ENV_PREFIX)) {
      return settingKey.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }
    return null;
  }

  /** Masks secrets: JAAS configs (passwords inside) and every {@code *password*} key. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach(
        (key, value) ->
            shown.put(key, key.contains("password") || key.contains("jaas") ? "****" : value));
    return "KafkaSecurity" + shown;
  }
}
