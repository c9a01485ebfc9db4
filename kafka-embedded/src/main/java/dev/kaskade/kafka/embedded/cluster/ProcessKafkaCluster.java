package dev.kaskade.kafka.embedded.cluster;

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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft cluster of N combined broker+controller nodes, each a child JVM running {@code
 * kafka.Kafka} from this JVM's class path (the Kafka server jars). A child process is what makes
 * {@link #kill(int)} a real {@code kill -9}: no controlled shutdown, no leadership handed over, the
 * controllers notice only when the broker's heartbeats stop ({@code broker.session.timeout.ms}).
 * Each broker's output goes to {@code <dir>/node-<id>/broker.log}.
 */
public final class ProcessKafkaCluster implements KafkaCluster {
  private static final Duration START = Duration.ofMinutes(2);

  private final Path dir;
  private final int[] brokerPorts;
  private final int[] controllerPorts;
  private final Map<Integer, Process> running = new TreeMap<>();
  private final Thread reaper = new Thread(this::destroyAll, "kafka-cluster-stop");

  private ProcessKafkaCluster(Path dir, int nodes) {
    this.dir = dir;
    int[] ports = freePorts(2 * nodes); // all at once: no port handed out twice
    this.brokerPorts = java.util.Arrays.copyOfRange(ports, 0, nodes);
    this.controllerPorts = java.util.Arrays.copyOfRange(ports, nodes, 2 * nodes);
  }

  /** Formats and starts {@code nodes} brokers under {@code dir}; returns once all answer. */
  public static ProcessKafkaCluster start(Path dir, int nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node, got " + nodes);
    }
    ProcessKafkaCluster cluster = new ProcessKafkaCluster(dir, nodes);
    Runtime.getRuntime().addShutdownHook(cluster.reaper);
    try {
      cluster.formatAll();
      for (int id : cluster.nodeIds()) {
        cluster.launch(id);
      }
      cluster.awaitBrokers(cluster.nodeIds(), START);
      return cluster;
    } catch (RuntimeException e) {
      cluster.destroyAll();
      throw e;
    }
  }

  @Override
  public String bootstrapServers() {
    return java.util.Arrays.stream(brokerPorts)
        .mapToObj(p -> "localhost:" + p)
        .collect(Collectors.joining(","));
  }

  @Override
  public List<Integer> nodeIds() {
    List<Integer> ids = new ArrayList<>();
    for (int i = 1; i <= brokerPorts.length; i++) {
      ids.add(i);
    }
    return ids;
  }

  @Override
  public synchronized void kill(int nodeId) {
    Process process = running.remove(nodeId);
    if (process == null) {
      throw new IllegalStateException("broker " + nodeId + " is not running");
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void restart(int nodeId) {
    synchronized (this) {
      if (running.containsKey(nodeId)) {
        throw new IllegalStateException("broker " + nodeId + " is running");
      }
      launch(nodeId);
    }
    awaitBrokers(List.of(nodeId), START);
  }

  /** The log of a broker (its stdout and stderr), for failure messages. */
  public Path logOf(int nodeId) {
    return nodeDir(nodeId).resolve("broker.log");
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }

  private synchronized void destroyAll() {
    running.values().forEach(Process::destroyForcibly);
    for (Process process : running.values()) {
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
  }

  private Path nodeDir(int nodeId) {
    return dir.resolve("node-" + nodeId);
  }

  private BrokerProperties properties(int nodeId) {
    return new BrokerProperties(
        nodeId, brokerPorts, controllerPorts, nodeDir(nodeId).resolve("logs"));
  }

  private Path configFile(int nodeId) {
    return nodeDir(nodeId).resolve("server.properties");
  }

  /**
   * Every node's storage with one cluster id: the static quorum of {@code
   * controller.quorum.voters}.
   */
  private void formatAll() {
    String clusterId = Uuid.randomUuid().toString();
    for (int id : nodeIds()) {
      try {
        Files.createDirectories(nodeDir(id));
        Properties props = properties(id).toProperties();
        try (OutputStream out = Files.newOutputStream(configFile(id))) {
          props.store(out, "kaskade test cluster node " + id);
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream print = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
          rc =
              StorageTool.execute(
                  new String[] {"format", "-t", clusterId, "-c", configFile(id).toString()}, print);
        }
        if (rc != 0) {
          throw new IllegalStateException("formatting node " + id + " failed: " + captured);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare node " + id + " in " + dir, e);
      }
    }
  }

  private synchronized void launch(int nodeId) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        List.of(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            "kafka.Kafka",
            configFile(nodeId).toString());
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logOf(nodeId).toFile()))
              .start();
      running.put(nodeId, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start broker " + nodeId, e);
    }
  }

  /** Waits until the cluster's metadata lists these brokers as alive. */
  private void awaitBrokers(Collection<Integer> ids, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        checkAlive(ids);
        try {
          Collection<Node> nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
          if (nodes.stream().map(Node::id).collect(Collectors.toSet()).containsAll(ids)) {
            return;
          }
        } catch (Exception e) {
          last = e;
        }
        sleep(200);
      }
    }
    throw new IllegalStateException(
        "brokers " + ids + " did not join within " + timeout + " (see " + dir + ")", last);
  }

  private synchronized void checkAlive(Collection<Integer> ids) {
    for (int id : ids) {
      Process process = running.get(id);
      if (process == null || !process.isAlive()) {
        throw new IllegalStateException("broker " + id + " exited; its log: " + logOf(id));
      }
    }
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int[] freePorts(int count) {
    int[] ports = new int[count];
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        held.add(socket);
        ports[i] = socket.getLocalPort();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException e) {
          // best effort
        }
      }
    }
    return ports;
  }
}
