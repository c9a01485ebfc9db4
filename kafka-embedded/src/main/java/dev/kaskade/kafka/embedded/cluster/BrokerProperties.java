package dev.kaskade.kafka.embedded.cluster;

import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code server.properties} of one node of an N-node KRaft cluster where every node is broker and
 * controller (a static controller quorum), with replication factor 3 and {@code
 * min.insync.replicas} 2 for every topic, the internal ones included: a cluster shaped like a small
 * production one, on loopback ports.
 *
 * @param nodeId 1..N
 * @param brokerPorts client port of node i at index i-1
 * @param controllerPorts controller port of node i at index i-1
 * @param logDir the node's data
 */
record BrokerProperties(int nodeId, int[] brokerPorts, int[] controllerPorts, Path logDir) {

  int brokerPort() {
    return brokerPorts[nodeId - 1];
  }

  Properties toProperties() {
    int controllerPort = controllerPorts[nodeId - 1];
    String voters =
        IntStream.range(0, controllerPorts.length)
            .mapToObj(i -> (i + 1) + "@localhost:" + controllerPorts[i])
            .collect(Collectors.joining(","));
    String rf = Integer.toString(Math.min(KafkaCluster.REPLICATION_FACTOR, brokerPorts.length));
    String isr = Integer.toString(Math.min(KafkaCluster.MIN_INSYNC_REPLICAS, brokerPorts.length));
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.quorum.voters", voters);
    p.put(
        "listeners",
        "PLAINTEXT://localhost:" + brokerPort() + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort());
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("default.replication.factor", rf);
    p.put("min.insync.replicas", isr);
    p.put("offsets.topic.replication.factor", rf);
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", rf);
    p.put("transaction.state.log.min.isr", isr);
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", rf);
    p.put("share.coordinator.state.topic.min.isr", isr);
    p.put("group.initial.rebalance.delay.ms", "0");
    // A killed broker is fenced (its partitions led elsewhere) when its heartbeats stop for this
    // long: 6 s instead of Kafka's 9 s shortens the failover the failure tests measure, while four
    // missed heartbeats still keep a live broker on a busy 2-core machine from being fenced.
    p.put("broker.session.timeout.ms", "6000");
    p.put("broker.heartbeat.interval.ms", "1500");
    p.put("auto.create.topics.enable", "false");
    p.put("message.max.bytes", Integer.toString(16 * 1024 * 1024));
    p.put("replica.fetch.max.bytes", Integer.toString(16 * 1024 * 1024));
    // Small heaps on a shared test machine: fewer threads and smaller buffers than the defaults.
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("num.replica.fetchers", "1");
    p.put("log.cleaner.threads", "1");
    return p;
  }
}
