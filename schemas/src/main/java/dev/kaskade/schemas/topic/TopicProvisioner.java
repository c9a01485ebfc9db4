package dev.kaskade.schemas.topic;

import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.Subjects;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one component that creates Kaskade's topics: it creates missing topics with their configs and
 * registers each value schema under {@code <topic>-value}, so that outside clients can fetch the
 * schema before the first record exists. Idempotent.
 */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
  private static final long TIMEOUT_SECONDS = 30;
  private static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

  private final Admin admin;
  private final SchemaRegistryClient registry;
  private final TopicReplication replication;
  private final Set<String> ensured = ConcurrentHashMap.newKeySet();

  public TopicProvisioner(Admin admin, SchemaRegistryClient registry, short replicationFactor) {
    this(admin, registry, TopicReplication.forFactor(replicationFactor));
  }

  /**
   * Creates topics with this replication: its {@code min.insync.replicas} replaces the one a spec
   * names, so that every topic Kaskade creates fits the cluster.
   */
  public TopicProvisioner(
      Admin admin, SchemaRegistryClient registry, TopicReplication replication) {
    this.admin = admin;
    this.registry = registry;
    this.replication = replication;
  }

  /** The number of brokers of the cluster this admin client talks to. */
  public static int brokerCount(Admin admin) {
    try {
      return admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot reach the Kafka cluster: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing the Kafka cluster", e);
    }
  }

  public TopicReplication replication() {
    return replication;
  }

  /** Creates the topics that do not exist yet and registers their schemas. */
  public void ensure(Collection<TopicSpec> specs) {
    List<TopicSpec> missing = specs.stream().filter(s -> !ensured.contains(s.name())).toList();
    if (missing.isEmpty()) {
      return;
    }
    createTopics(missing);
    for (TopicSpec spec : missing) {
      if (spec.valueSchema() != null && registry != null) {
        registry.register(Subjects.valueSubject(spec.name()), spec.valueSchema());
      }
      ensured.add(spec.name());
    }
  }

  public void ensure(TopicSpec spec) {
    ensure(List.of(spec));
  }

  private void createTopics(List<TopicSpec> specs) {
    List<NewTopic> newTopics = new ArrayList<>();
    for (TopicSpec spec : specs) {
      Map<String, String> configs = new HashMap<>(spec.configs());
      configs.put(MIN_INSYNC_REPLICAS, Integer.toString(replication.minInsyncReplicas()));
      newTopics.add(
          new NewTopic(spec.name(), spec.partitions(), replication.replicationFactor())
              .configs(configs));
    }
    var result = admin.createTopics(newTopics);
    for (var entry : result.values().entrySet()) {
      try {
        entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.debug("created topic {}", entry.getKey());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("timed out creating topic " + entry.getKey(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted creating topic " + entry.getKey(), e);
      }
    }
    awaitLeaders(result.values().keySet());
  }

  /**
   * Waits until the brokers' metadata has every partition of the topics with a leader. The
   * controller acknowledges a creation before the brokers have applied it, and a client that reads
   * right away (the schema registry lists its topic's end offset) would get {@code
   * UnknownTopicOrPartitionException}, which the admin client does not retry.
   */
  private void awaitLeaders(Collection<String> topics) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      try {
        Map<String, TopicDescription> described =
            admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (described.values().stream()
            .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null))) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new IllegalStateException(
              "cannot describe topics " + topics + ": " + e.getCause().getMessage(), e);
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("timed out describing topics " + topics, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted describing topics " + topics, e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + topics + " have no leader after creation");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for topics " + topics, e);
      }
    }
  }
}
