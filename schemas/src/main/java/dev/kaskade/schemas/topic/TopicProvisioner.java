package dev.kaskade.schemas.topic;

import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.Subjects;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 *
 * <p>{@link #ensure} returns once the topics exist and their schemas are registered. {@link
 * #ensureTopics} returns once the topics exist, with their schemas still being registered in the
 * background (all at once, each on a virtual thread): a component that only needs the topics does
 * not wait for the registry, and whoever promises the schemas waits with {@link #awaitSchemas}.
 * {@code kaskade up} does that before its ready line (docs/performance.md, change 20).
 */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
  private static final long TIMEOUT_SECONDS = 30;
  private static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

  private final Admin admin;
  private final SchemaRegistryClient registry;
  private final TopicReplication replication;

  /** Per topic name: its schema's registration (done, or under way). */
  private final Map<String, CompletableFuture<Void>> schemas = new ConcurrentHashMap<>();

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
    await(ensureTopicsAndSchemas(specs));
  }

  public void ensure(TopicSpec spec) {
    ensure(List.of(spec));
  }

  /**
   * Creates the topics that do not exist yet (one request for all) and starts registering their
   * schemas; returns once the topics exist.
   */
  public void ensureTopics(Collection<TopicSpec> specs) {
    ensureTopicsAndSchemas(specs);
  }

  public void ensureTopics(TopicSpec spec) {
    ensureTopics(List.of(spec));
  }

  /** Waits until every schema registration started so far is done; throws if one failed. */
  public void awaitSchemas() {
    await(List.copyOf(schemas.values()));
  }

  /** The registrations of these topics' schemas, each done or under way. */
  private List<CompletableFuture<Void>> ensureTopicsAndSchemas(Collection<TopicSpec> specs) {
    List<TopicSpec> missing = specs.stream().filter(s -> !provisioned(s.name())).toList();
    if (!missing.isEmpty()) {
      createTopics(missing);
    }
    List<CompletableFuture<Void>> registrations = new ArrayList<>(specs.size());
    for (TopicSpec spec : specs) {
      CompletableFuture<Void> current = schemas.get(spec.name());
      if (current == null || current.isCompletedExceptionally()) {
        current = startRegistration(spec);
      }
      registrations.add(current);
    }
    return registrations;
  }

  /** The spec's registration: a new one, unless another caller started one meanwhile. */
  private CompletableFuture<Void> startRegistration(TopicSpec spec) {
    CompletableFuture<Void> started = new CompletableFuture<>();
    CompletableFuture<Void> current =
        schemas.compute(
            spec.name(),
            (name, earlier) ->
                earlier == null || earlier.isCompletedExceptionally() ? started : earlier);
    if (current == started) {
      register(spec, started);
    }
    return current;
  }

  /** Created, and its schema registered or being registered (a failed one is tried again). */
  private boolean provisioned(String topic) {
    CompletableFuture<Void> registration = schemas.get(topic);
    return registration != null && !registration.isCompletedExceptionally();
  }

  /** Registers the spec's value schema on a virtual thread. */
  private void register(TopicSpec spec, CompletableFuture<Void> registration) {
    if (spec.valueSchema() == null || registry == null) {
      registration.complete(null);
      return;
    }
    String subject = Subjects.valueSubject(spec.name());
    Thread.ofVirtual()
        .name("kaskade-register-" + subject)
        .start(
            () -> {
              try {
                registry.register(subject, spec.valueSchema());
                registration.complete(null);
              } catch (RuntimeException e) {
                registration.completeExceptionally(e);
              }
            });
  }

  private static void await(List<CompletableFuture<Void>> registrations) {
    for (CompletableFuture<Void> registration : registrations) {
      if (registration.isDone() && !registration.isCompletedExceptionally()) {
        continue; // the common case: the dispatcher ensures a revision's topics on every record
      }
      try {
        registration.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException runtime
            ? runtime
            : new IllegalStateException("cannot register a schema", e.getCause());
      } catch (TimeoutException e) {
        throw new IllegalStateException("timed out registering a topic's schema", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted registering a topic's schema", e);
      }
    }
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
