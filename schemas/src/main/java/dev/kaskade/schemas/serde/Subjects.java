package dev.kaskade.schemas.serde;

/** Subject names by Confluent's TopicNameStrategy. */
public final class Subjects {
  private Subjects() {}

  public static String forTopic(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }

  public static String valueSubject(String topic) {
    return forTopic(topic, false);
  }
}
