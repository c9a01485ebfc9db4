package dev.kaskade.schemas.runtime;

import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.KafkaSecurity;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.TopicSpecs;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What every component gets from its launcher: where Kafka and the registry are, topic naming and
 * sizing, the data directory, and component settings (flags) by key.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param registry schema registry client (cached)
 * @param topics topic names
 * @param topicSettings topic sizing (partitions, max message size, retention)
 * @param provisioner creates topics and registers their schemas
 * @param dataDir local state (audit store, model cache, Streams state)
 * @param settings component settings such as {@code gateway.http.port}, also accepted in their
 *     environment form ({@link Settings}); see each component's Config
 */
public record KaskadeContext(
    String bootstrapServers,
    SchemaRegistryClient registry,
    Topics topics,
    TopicSettings topicSettings,
    TopicProvisioner provisioner,
    Path dataDir,
    Map<String, String> settings) {

  public KaskadeContext {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(topicSettings, "topicSettings");
    Objects.requireNonNull(provisioner, "provisioner");
    Objects.requireNonNull(dataDir, "dataDir");
    settings = Settings.of(settings);
  }

  /**
   * Bootstrap servers plus this component's Kafka client security settings, read from the settings
   * ({@link KafkaSecurity#fromSettings}); build every client config from it with {@code
   * ClientConfigs}.
   */
  public KafkaConnection kafka() {
    return new KafkaConnection(bootstrapServers, KafkaSecurity.fromSettings(settings));
  }

  public TopicSpecs topicSpecs() {
    return new TopicSpecs(topics, topicSettings);
  }

  /** A setting, or the default when unset. */
  public String setting(String key, String defaultValue) {
    return settings.getOrDefault(key, defaultValue);
  }

  public int intSetting(String key, int defaultValue) {
    String value = settings.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "setting " + key + " must be an integer, got '" + value + "'");
    }
  }
}
