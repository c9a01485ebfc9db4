package dev.kaskade.cli;

import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicReplication;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Option;

/**
 * Replication of the topics Kaskade creates: by default what fits the cluster (as many replicas as
 * brokers, at most 3; {@code min.insync.replicas} 2 with three replicas, else 1), or what the
 * operator sets.
 */
final class ReplicationOptions {
  @Option(
      names = "--replication-factor",
      paramLabel = "N",
      defaultValue = "${env:KASKADE_REPLICATION_FACTOR}",
      description =
          "Replicas of the topics Kaskade creates (env KASKADE_REPLICATION_FACTOR). Default: the"
              + " cluster's broker count, at most 3.")
  Short replicationFactor;

  @Option(
      names = "--min-insync-replicas",
      paramLabel = "N",
      defaultValue = "${env:KASKADE_MIN_INSYNC_REPLICAS}",
      description =
          "min.insync.replicas of the topics Kaskade creates (env KASKADE_MIN_INSYNC_REPLICAS)."
              + " Default: 2 with 3 or more replicas, else 1.")
  Integer minInsyncReplicas;

  /** The replication for the cluster this admin client talks to. */
  TopicReplication resolve(Admin admin) {
    try {
      return TopicReplication.resolve(
          TopicProvisioner.brokerCount(admin), replicationFactor, minInsyncReplicas);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), 2);
    }
  }
}
