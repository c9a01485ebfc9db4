package dev.kaskade.processors.transform;

import dev.kaskade.processors.kafka.DeadLetters;
import dev.kaskade.processors.kafka.ModelTopic;
import dev.kaskade.processors.topology.ControlStore;
import dev.kaskade.processors.topology.GuardedProcessor;
import dev.kaskade.processors.topology.RouteHeader;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.topic.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * Transformers of every InferenceService that has {@code spec.transformer}:
 *
 * <pre>
 * requests ─► transformer-pre ─► predictor.&lt;revision&gt;   (kaskade-response-topic = predictor-responses)
 * predictor-responses ─► transformer-post ─► responses + caller's reply-to
 * (both also ─► deadletter.stream-processors for undecodable records)
 * </pre>
 *
 * Stateless (the control store is global), so at-least-once is enough: a replayed request is
 * answered twice with the same id, which callers already tolerate.
 */
public final class TransformerTopology {
  public static final String CONTROL_STORE = "transformer-control";
  static final String ROUTED_SINK = "transformer-routed-sink";

  private TransformerTopology() {}

  public static Topology build(
      Topics topics, SchemaRegistryClient registry, TransformerLoader loader) {
    Topology topology = new Topology();
    ControlStore.addTo(topology, CONTROL_STORE, topics.controlResources());
    topology.addSource(
        "transformer-requests-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        ModelTopic.pattern(topics, "requests"));
    topology.addSource(
        "transformer-responses-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        ModelTopic.pattern(topics, "predictor-responses"));
    topology.addProcessor(
        "transformer-pre",
        GuardedProcessor.of(() -> new TransformerProcessor(topics, registry, loader, true)),
        "transformer-requests-source");
    topology.addProcessor(
        "transformer-post",
        GuardedProcessor.of(() -> new TransformerProcessor(topics, registry, loader, false)),
        "transformer-responses-source");
    topology.addSink(
        ROUTED_SINK,
        RouteHeader.extractor(),
        Serdes.String().serializer(),
        RouteHeader.valueSerde().serializer(),
        "transformer-pre",
        "transformer-post");
    return topology;
  }

  /** The dead-letter topic of this module. */
  static String deadLetter(Topics topics) {
    return topics.deadLetter(DeadLetters.COMPONENT);
  }
}
