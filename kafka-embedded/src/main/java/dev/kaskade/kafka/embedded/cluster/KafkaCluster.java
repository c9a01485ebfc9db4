package dev.kaskade.kafka.embedded.cluster;

import java.util.List;

/**
 * A multi-broker Kafka cluster for failure tests: brokers that can be killed abruptly (as a crash
 * or the OOM killer would, no controlled shutdown) and started again on the same data. {@link
 * ProcessKafkaCluster} runs the brokers as child JVMs of the Kafka server jars; a Docker-backed
 * implementation runs the {@code apache/kafka} image (the {@code docker-kafka} Maven profile).
 */
public interface KafkaCluster extends AutoCloseable {
  /** Replication factor the cluster's topics get (3 brokers: 3). */
  int REPLICATION_FACTOR = 3;

  /** {@code min.insync.replicas} of the cluster: one broker may be down without refusing writes. */
  int MIN_INSYNC_REPLICAS = 2;

  String bootstrapServers();

  /** Node ids of the brokers, whether running or not. */
  List<Integer> nodeIds();

  /** Kills the broker abruptly ({@code kill -9}); its data stays. */
  void kill(int nodeId);

  /** Starts a killed broker again on its ports and data, and waits until it accepts clients. */
  void restart(int nodeId);

  /** Stops every broker and removes nothing the caller owns. */
  @Override
  void close();
}
