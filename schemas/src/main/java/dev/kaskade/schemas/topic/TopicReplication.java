package dev.kaskade.schemas.topic;

/**
 * How many copies of each partition Kaskade asks for, and how many must acknowledge a write ({@code
 * min.insync.replicas}; producers use {@code acks=all}).
 *
 * @param replicationFactor replicas per partition
 * @param minInsyncReplicas replicas that must have a record before a write succeeds
 */
public record TopicReplication(short replicationFactor, int minInsyncReplicas) {
  /** More copies add write cost but no safety a production cluster expects beyond three. */
  public static final short MAX_REPLICATION_FACTOR = 3;

  public TopicReplication {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replication factor must be >= 1");
    }
    if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException(
          "min.insync.replicas must be between 1 and the replication factor ("
              + replicationFactor
              + "), got "
              + minInsyncReplicas);
    }
  }

  /** One copy: the embedded single broker of {@code kaskade up}. */
  public static TopicReplication single() {
    return new TopicReplication((short) 1, 1);
  }

  /**
   * What fits a cluster of this many brokers: as many replicas as brokers up to three, and {@link
   * #defaultMinInsyncReplicas} of them in sync.
   */
  public static TopicReplication forBrokers(int brokers) {
    short factor = (short) Math.max(1, Math.min(brokers, MAX_REPLICATION_FACTOR));
    return forFactor(factor);
  }

  /** This replication factor with {@link #defaultMinInsyncReplicas}. */
  public static TopicReplication forFactor(short replicationFactor) {
    return new TopicReplication(replicationFactor, defaultMinInsyncReplicas(replicationFactor));
  }

  /**
   * Two of three so one broker may be down (rolling restart) while writes go on and an acknowledged
   * record survives a second failure; with two replicas, requiring both would stop every write
   * while either broker is down, so one.
   */
  public static int defaultMinInsyncReplicas(short replicationFactor) {
    return replicationFactor >= 3 ? 2 : 1;
  }

  /**
   * The replication for a cluster of this many brokers, with the operator's overrides (null: not
   * set) applied.
   */
  public static TopicReplication resolve(int brokers, Short factor, Integer minInsyncReplicas) {
    TopicReplication base = factor == null ? forBrokers(brokers) : forFactor(factor);
    return minInsyncReplicas == null
        ? base
        : new TopicReplication(base.replicationFactor(), minInsyncReplicas);
  }
}
