package dev.kaskade.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) started in this JVM from
 * the production server classes. Data lives in {@code dataDir} and survives a restart: storage is
 * formatted only the first time.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String META_PROPERTIES = "meta.properties";

  /** Marks a data dir formatted with the admin's SCRAM credential (secured). */
  private static final String SECURED = "secured";

  private final EmbeddedKafkaConfig config;
  private KafkaRaftServer server;
  private int brokerPort;

  private EmbeddedKafka(EmbeddedKafkaConfig config) {
    this.config = config;
  }

  /** Formats storage if needed, starts the broker and waits until it answers. */
  public static EmbeddedKafka start(EmbeddedKafkaConfig config) {
    EmbeddedKafka kafka = new EmbeddedKafka(config);
    kafka.startServer();
    return kafka;
  }

  public String bootstrapServers() {
    return "localhost:" + brokerPort;
  }

  public int port() {
    return brokerPort;
  }

  public Path dataDir() {
    return config.dataDir();
  }

  /** Stops the broker, keeping its data. */
  public synchronized void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  /** Starts a stopped broker again on the same port and data. */
  public synchronized void restart() {
    stop();
    startServer();
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void startServer() {
    try {
      Files.createDirectories(config.dataDir());
      brokerPort = brokerPort != 0 ? brokerPort : portOrFree(config.port());
      int controllerPort = freePort();
      Properties props = serverProperties(brokerPort, controllerPort);
      Path logDir = config.dataDir().resolve("kraft-logs");
      if (!Files.exists(logDir.resolve(META_PROPERTIES))) {
        format(props);
      } else if (config.secrets() != null && !Files.exists(config.dataDir().resolve(SECURED))) {
        throw new IllegalStateException(
            "the Kafka data in "
                + config.dataDir()
                + " was created without --secure; start secured on a new data dir");
      } else if (config.secrets() == null && Files.exists(config.dataDir().resolve(SECURED))) {
        // Never serve data written under authentication to anyone who connects.
        throw new IllegalStateException(
            "the Kafka data in " + config.dataDir() + " was created with --secure; add --secure");
      }
      server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
      server.startup();
      awaitReady(Duration.ofSeconds(60));
      if (config.secrets() != null) {
        provisionUsers();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded Kafka in " + config.dataDir(), e);
    }
  }

  private void provisionUsers() {
    try {
      SecureListeners.provisionUsers(config.secrets(), bootstrapServers(), 60_000);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the Kafka users: " + e.getMessage(), e);
    }
  }

  /**
   * Kafka client properties for the admin principal when secured (empty otherwise), for tools and
   * tests that need a superuser client of this broker.
   */
  public Map<String, Object> adminClientProperties() {
    Map<String, Object> props = new java.util.HashMap<>();
    if (config.secrets() != null) {
      props.putAll(config.secrets().clientProperties(BrokerSecrets.ADMIN));
    }
    return props;
  }

  /** Whether the broker accepts only SASL_SSL. */
  public boolean secured() {
    return config.secrets() != null;
  }

  private Properties serverProperties(int port, int controllerPort) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
    props.put(
        "listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", config.dataDir().resolve("kraft-logs").toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "4");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", "1");
    props.put("auto.create.topics.enable", "false");
    props.put("message.max.bytes", Integer.toString(config.maxMessageBytes()));
    props.put("replica.fetch.max.bytes", Integer.toString(config.maxMessageBytes()));
    props.put("log.cleaner.backoff.ms", "1000");
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(CLEANER_DEDUPE_BUFFER_BYTES));
    props.putAll(threadPools(Runtime.getRuntime().availableProcessors()));
    if (config.secrets() != null) {
      SecureListeners.apply(props, config.secrets(), port, controllerPort);
    }
    props.putAll(config.overrides());
    return props;
  }

  /**
   * The log cleaner's offset map for compacted topics (control, schemas, changelogs). Kafka's
   * default of 128 MiB is a heap array allocated at start whether or not anything is compacted: it
   * was 60 % of an idle {@code kaskade up}'s live heap (docs/performance.md). 16 MiB maps about
   * 600,000 keys per cleaning pass (24 bytes a key at 90 % load), far more than one machine's
   * compacted topics hold; a pass with more keys than that cleans in several rounds.
   */
  static final int CLEANER_DEDUPE_BUFFER_BYTES = 16 * 1024 * 1024;

  /**
   * Thread pools sized to the machine instead of Kafka's data-centre defaults (8 request handlers
   * for the broker and 8 for the controller, 3 + 3 network threads, 10 background and 4 group
   * coordinator threads): one embedded broker serving one process's clients never keeps more
   * handlers busy than there are cores, and on a 2-core laptop the defaults alone were 35 of {@code
   * kaskade up}'s threads (docs/performance.md).
   */
  static Map<String, String> threadPools(int cores) {
    return Map.of(
        "num.io.threads", Integer.toString(Math.clamp(cores, 2, 8)),
        "num.network.threads", Integer.toString(Math.clamp(cores / 2, 1, 3)),
        "background.threads", Integer.toString(Math.clamp(cores, 2, 10)),
        "group.coordinator.threads", Integer.toString(Math.clamp(cores / 2, 1, 4)));
  }

  private void format(Properties props) throws IOException {
    Path cfg = Files.createTempFile("kaskade-kraft", ".properties");
    try (OutputStream out = Files.newOutputStream(cfg)) {
      props.store(out, "kaskade embedded broker");
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> args =
        new ArrayList<>(
            List.of(
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                cfg.toString(),
                "--standalone"));
    if (config.secrets() != null) {
      // SCRAM credentials live in the metadata log: the admin's must be there before the broker
      // can accept any login (the others are added through it once it runs).
      args.addAll(List.of("--add-scram", SecureListeners.adminScramArgument(config.secrets())));
    }
    int rc;
    try (PrintStream print = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      rc = StorageTool.execute(args.toArray(String[]::new), print);
    } finally {
      Files.deleteIfExists(cfg);
    }
    if (rc != 0) {
      throw new IllegalStateException("formatting Kafka storage failed: " + captured);
    }
    if (config.secrets() != null) {
      Files.writeString(config.dataDir().resolve(SECURED), "SASL_SSL\n");
    }
  }

  private void awaitReady(Duration timeout) {
    Map<String, Object> adminConfig = adminClientProperties();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Admin admin = Admin.create(adminConfig)) {
        admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        break;
      } catch (Exception e) {
        // Secured: the admin's SCRAM credential reaches the broker through the metadata log a
        // moment after the controller stored it, and a failed login is not retried by the client.
        if (!secured() || System.nanoTime() > deadline) {
          throw new IllegalStateException("embedded Kafka did not become ready: " + e, e);
        }
        sleepQuietly(200);
      }
    }
    LOG.info("embedded Kafka ready at {} (data in {})", bootstrapServers(), config.dataDir());
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int portOrFree(int requested) {
    return requested > 0 ? requested : freePort();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
