package dev.kaskade.processors.kafka;

import dev.kaskade.schemas.topic.Topics;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The namespace and name an InferenceService topic belongs to, parsed from topics built by {@link
 * Topics} ({@code <prefix>.<namespace>.<name>.<hop>}). Namespaces and InferenceService names are
 * DNS labels, so neither contains a dot.
 */
public record ModelTopic(String namespace, String name) {

  /** Matches every per-InferenceService topic with this hop, e.g. "requests". */
  public static Pattern pattern(Topics topics, String hop) {
    return Pattern.compile(
        Pattern.quote(topics.prefix() + ".") + "[^.]+\\.[^.]+\\." + Pattern.quote(hop));
  }

  /** Parses a topic of this hop, or empty when it is not one. */
  public static Optional<ModelTopic> parse(Topics topics, String hop, String topic) {
    String head = topics.prefix() + ".";
    String tail = "." + hop;
    if (topic == null || !topic.startsWith(head) || !topic.endsWith(tail)) {
      return Optional.empty();
    }
    String middle = topic.substring(head.length(), topic.length() - tail.length());
    String[] parts = middle.split("\\.");
    if (parts.length != 2 || parts[0].equals("graph") || parts[1].equals("graph")) {
      return Optional.empty();
    }
    return Optional.of(new ModelTopic(parts[0], parts[1]));
  }

  /** Parses a revision hop ({@link Topics#isPredictorTopic}), or empty when it is not one. */
  public static Optional<ModelTopic> parsePredictor(Topics topics, String topic) {
    if (!topics.isPredictorTopic(topic)) {
      return Optional.empty();
    }
    String[] parts = topic.substring(topics.prefix().length() + 1).split("\\.");
    return Optional.of(new ModelTopic(parts[0], parts[1]));
  }
}
