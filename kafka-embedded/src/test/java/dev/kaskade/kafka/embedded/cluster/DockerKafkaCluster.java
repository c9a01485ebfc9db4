package dev.kaskade.kafka.embedded.cluster;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * The same 3-node KRaft cluster as {@link ProcessKafkaCluster} from the {@code apache/kafka} image:
 * the nodes talk on a Docker network, clients on the host reach each through a fixed host port
 * (advertised as {@code localhost:<port>}). {@link #kill(int)} is {@code docker kill} (SIGKILL);
 * {@link #restart(int)} starts the same container again, with its data.
 */
final class DockerKafkaCluster implements KafkaCluster {
  static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.1.1");
  private static final int INTERNAL = 19092;
  private static final int CONTROLLER = 9093;
  private static final int EXTERNAL = 9092;

  private final Network network = Network.newNetwork();
  private final List<GenericContainer<?>> nodes = new ArrayList<>();
  private final int[] hostPorts;
  private final String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();

  private DockerKafkaCluster(int count) {
    hostPorts = IntStream.range(0, count).map(i -> freePort()).toArray();
    String voters =
        IntStream.rangeClosed(1, count)
            .mapToObj(i -> i + "@kafka-" + i + ":" + CONTROLLER)
            .collect(Collectors.joining(","));
    for (int id = 1; id <= count; id++) {
      nodes.add(node(id, hostPorts[id - 1], voters));
    }
  }

  static DockerKafkaCluster start(int count) {
    DockerKafkaCluster cluster = new DockerKafkaCluster(count);
    Startables.deepStart(cluster.nodes).join(); // together: each waits for a controller quorum
    cluster.awaitBrokers(count);
    return cluster;
  }

  private GenericContainer<?> node(int id, int hostPort, String voters) {
    Properties broker =
        new BrokerProperties(
                id, new int[nodesCount()], new int[nodesCount()], java.nio.file.Path.of("unused"))
            .toProperties();
    GenericContainer<?> node =
        new GenericContainer<>(IMAGE)
            .withNetwork(network)
            .withNetworkAliases("kafka-" + id)
            .withCreateContainerCmdModifier(
                cmd ->
                    cmd.getHostConfig()
                        .withPortBindings(
                            new PortBinding(
                                Ports.Binding.bindPort(hostPort), ExposedPort.tcp(EXTERNAL))));
    // The same replication settings as the process cluster, as the image's KAFKA_* variables.
    for (String key :
        List.of(
            "default.replication.factor",
            "min.insync.replicas",
            "offsets.topic.replication.factor",
            "transaction.state.log.replication.factor",
            "transaction.state.log.min.isr",
            "share.coordinator.state.topic.replication.factor",
            "share.coordinator.state.topic.min.isr",
            "group.initial.rebalance.delay.ms",
            "auto.create.topics.enable")) {
      node.withEnv(env(key), broker.getProperty(key));
    }
    return node.withEnv("KAFKA_NODE_ID", Integer.toString(id))
        .withEnv("KAFKA_PROCESS_ROLES", "broker,controller")
        .withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", voters)
        .withEnv("CLUSTER_ID", clusterId)
        .withEnv(
            "KAFKA_LISTENERS",
            "INTERNAL://:%d,CONTROLLER://:%d,EXTERNAL://:%d"
                .formatted(INTERNAL, CONTROLLER, EXTERNAL))
        .withEnv(
            "KAFKA_ADVERTISED_LISTENERS",
            "INTERNAL://kafka-%d:%d,EXTERNAL://localhost:%d".formatted(id, INTERNAL, hostPort))
        .withEnv(
            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
            "INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT")
        .withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
        .withEnv("KAFKA_INTER_BROKER_LISTENER_NAME", "INTERNAL");
  }

  private int nodesCount() {
    return hostPorts.length;
  }

  private static String env(String key) {
    return "KAFKA_" + key.toUpperCase().replace('.', '_');
  }

  @Override
  public String bootstrapServers() {
    return IntStream.of(hostPorts).mapToObj(p -> "localhost:" + p).collect(Collectors.joining(","));
  }

  @Override
  public List<Integer> nodeIds() {
    return IntStream.rangeClosed(1, nodes.size()).boxed().toList();
  }

  @Override
  public void kill(int nodeId) {
    DockerClientFactory.instance()
        .client()
        .killContainerCmd(nodes.get(nodeId - 1).getContainerId())
        .exec();
  }

  @Override
  public void restart(int nodeId) {
    DockerClientFactory.instance()
        .client()
        .startContainerCmd(nodes.get(nodeId - 1).getContainerId())
        .exec();
    awaitBrokers(nodes.size());
  }

  private void awaitBrokers(int count) {
    Map<String, Object> config =
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    try (Admin admin = Admin.create(config)) {
      while (System.nanoTime() < deadline) {
        try {
          if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= count) {
            return;
          }
        } catch (Exception e) {
          // not yet
        }
        Thread.sleep(500);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("the Docker Kafka cluster did not reach " + count + " brokers");
  }

  @Override
  public void close() {
    nodes.forEach(GenericContainer::stop);
    network.close();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
