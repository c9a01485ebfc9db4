package dev.kaskade.loadtests.product;

import dev.kaskade.kafka.embedded.EmbeddedKafka;
import dev.kaskade.kafka.embedded.EmbeddedKafkaConfig;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.loadtests.workers.Testbed;
import java.nio.file.Path;

/**
 * Just the embedded KRaft broker of {@code kaskade up} ({@link EmbeddedKafka}, its default
 * configuration on {@code --port} in an empty {@code --dir}), started in a fresh JVM so that its
 * cold start can be timed the way {@code kaskade up}'s is: from process start to the {@value
 * #READY} line. Runs until its standard input closes or it is terminated.
 */
public final class BrokerColdStart {
  static final String READY = "broker ready";

  private BrokerColdStart() {}

  public static void main(String[] argv) throws Exception {
    Testbed.quietLogs();
    BenchArgs args = new BenchArgs(argv);
    long started = System.nanoTime();
    EmbeddedKafka kafka =
        EmbeddedKafka.start(
            EmbeddedKafkaConfig.at(Path.of(args.string("dir", "target/broker")))
                .withPort(args.integer("port", 9092)));
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
    System.out.printf(
        "%s at %s in %.1f s%n",
        READY, kafka.bootstrapServers(), (System.nanoTime() - started) / 1e9);
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the orchestrator to close our standard input
    }
    System.exit(0);
  }
}
