package dev.kaskade.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded broker per test JVM: integration tests of every module call {@link #get()} and share
 * it, each using its own topics and group ids. The broker stops when the JVM exits.
 */
public final class SharedKafka {
  private static EmbeddedKafka instance;

  private SharedKafka() {}

  public static synchronized EmbeddedKafka get() {
    if (instance == null) {
      try {
        Path dir = Files.createTempDirectory("kaskade-it-kafka");
        instance = EmbeddedKafka.start(EmbeddedKafkaConfig.at(dir));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "shared-kafka-stop"));
    }
    return instance;
  }
}
