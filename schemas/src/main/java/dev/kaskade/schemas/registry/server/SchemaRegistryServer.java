package dev.kaskade.schemas.registry.server;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.kaskade.schemas.kafka.KafkaSecurity;
import dev.kaskade.schemas.registry.SchemaRegistryClientConfig.BasicAuth;
import dev.kaskade.schemas.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable schema registry serving a subset of the Confluent REST API (see
 * docs/schema-registry.md), stored in a compacted Kafka topic ({@code _schemas} by default) so ids
 * survive restarts and every instance on the same topic serves the same ids. Built on the JDK's
 * HTTP server with one virtual thread per request.
 */
public final class SchemaRegistryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

  /**
   * Where the registry listens and stores.
   *
   * @param bootstrapServers Kafka bootstrap servers of the store
   * @param host interface to bind ({@code 0.0.0.0} for all)
   * @param port port to bind, 0 for a free one
   * @param topic the store topic, created compacted with one partition when missing
   * @param replicationFactor replication of the store topic when this server creates it
   * @param kafkaConfigs extra client configs (security protocol, SASL, TLS) for the store
   * @param basicAuth when not null, every request must carry these HTTP basic credentials (401
   *     otherwise)
   */
  public record Options(
      String bootstrapServers,
      String host,
      int port,
      String topic,
      short replicationFactor,
      Map<String, Object> kafkaConfigs,
      BasicAuth basicAuth) {
    public Options {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(topic, "topic");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      if (replicationFactor < 1) {
        throw new IllegalArgumentException("replicationFactor must be >= 1");
      }
      kafkaConfigs = Map.copyOf(kafkaConfigs);
    }

    /** Localhost, a free port, topic {@value Topics#SCHEMAS_TOPIC}, replication 1. */
    public static Options defaults(String bootstrapServers) {
      return new Options(
          bootstrapServers, "localhost", 0, Topics.SCHEMAS_TOPIC, (short) 1, Map.of(), null);
    }

    public Options withHost(String value) {
      return new Options(
          bootstrapServers, value, port, topic, replicationFactor, kafkaConfigs, basicAuth);
    }

    public Options withPort(int value) {
      return new Options(
          bootstrapServers, host, value, topic, replicationFactor, kafkaConfigs, basicAuth);
    }

    public Options withTopic(String value) {
      return new Options(
          bootstrapServers, host, port, value, replicationFactor, kafkaConfigs, basicAuth);
    }

    public Options withReplicationFactor(short value) {
      return new Options(bootstrapServers, host, port, topic, value, kafkaConfigs, basicAuth);
    }

    /** The store's Kafka client security settings (the same as every other Kaskade client). */
    public Options withKafkaSecurity(KafkaSecurity security) {
      Map<String, Object> configs = new HashMap<>(kafkaConfigs);
      configs.putAll(security.properties());
      return withKafkaConfigs(configs);
    }

    /** Requires HTTP basic auth with these credentials on every request. */
    public Options withBasicAuth(BasicAuth value) {
      return new Options(
          bootstrapServers, host, port, topic, replicationFactor, kafkaConfigs, value);
    }

    public Options withKafkaConfigs(Map<String, Object> value) {
      return new Options(bootstrapServers, host, port, topic, replicationFactor, value, basicAuth);
    }
  }

  private final Options options;
  private KafkaSchemaLog log;
  private HttpServer http;
  private ExecutorService executor;

  public SchemaRegistryServer(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Starts a registry on localhost:port (0 = free port) storing in {@code _schemas}. */
  public static SchemaRegistryServer start(String bootstrapServers, int port) {
    return new SchemaRegistryServer(Options.defaults(bootstrapServers).withPort(port)).start();
  }

  /** Reads the store to its end, then starts serving; returns this. */
  public synchronized SchemaRegistryServer start() {
    if (http != null) {
      return this;
    }
    RegistryState state = new RegistryState();
    log = new KafkaSchemaLog(options, state);
    try {
      log.start();
      executor = Executors.newVirtualThreadPerTaskExecutor();
      http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
      http.setExecutor(executor);
      HttpContext context =
          http.createContext("/", new RegistryHttpHandler(new RegistryService(state, log)));
      if (options.basicAuth() != null) {
        context.setAuthenticator(authenticator(options.basicAuth()));
      }
      http.start();
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot bind schema registry to port " + options.port(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("schema registry serving {} from topic {}", url(), options.topic());
    return this;
  }

  /** Accepts only the configured user and password, compared in constant time. */
  private static BasicAuthenticator authenticator(BasicAuth expected) {
    byte[] user = expected.user().getBytes(StandardCharsets.UTF_8);
    byte[] password = expected.password().getBytes(StandardCharsets.UTF_8);
    return new BasicAuthenticator("kaskade-schema-registry", StandardCharsets.UTF_8) {
      @Override
      public boolean checkCredentials(String username, String pass) {
        boolean userOk = MessageDigest.isEqual(user, username.getBytes(StandardCharsets.UTF_8));
        boolean passOk = MessageDigest.isEqual(password, pass.getBytes(StandardCharsets.UTF_8));
        return userOk & passOk;
      }
    };
  }

  /** The store, for tests that simulate its failure. */
  KafkaSchemaLog store() {
    return log;
  }

  public Options options() {
    return options;
  }

  /** The bound port (the real one when started with port 0). */
  public int port() {
    if (http == null) {
      throw new IllegalStateException("schema registry not started");
    }
    return http.getAddress().getPort();
  }

  /** Base URL for clients, e.g. {@code http://localhost:8081}. */
  public String url() {
    String host = options.host();
    if ("0.0.0.0".equals(host) || "::".equals(host)) {
      host = "localhost";
    }
    return "http://" + host + ":" + port();
  }

  @Override
  public synchronized void close() {
    if (http != null) {
      http.stop(0);
      http = null;
    }
    if (executor != null) {
      executor.close();
      executor = null;
    }
    if (log != null) {
      log.close();
      log = null;
    }
  }
}
