package dev.kaskade.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that cannot be decoded, naming where it came from (topic, partition, offset when the
 * consumer knows them) so it can be routed to a dead-letter topic.
 */
public class SerializationFailure extends SerializationException {
  public SerializationFailure(String message, Throwable cause) {
    super(message, cause);
  }

  public SerializationFailure(String message) {
    super(message);
  }
}
