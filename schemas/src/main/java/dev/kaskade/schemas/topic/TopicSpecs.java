package dev.kaskade.schemas.topic;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.ExplanationResult;
import dev.kaskade.events.GenerationCancel;
import dev.kaskade.events.GenerationEvent;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.OutlierScore;
import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.events.ResourceEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Pure desired state of every topic: which configs (compaction, retention, max message size) and
 * which value schema. {@link TopicProvisioner} applies it.
 */
public final class TopicSpecs {
  private final Topics topics;
  private final TopicSettings settings;

  public TopicSpecs(Topics topics, TopicSettings settings) {
    this.topics = topics;
    this.settings = settings;
  }

  /** Topics every installation has. */
  public List<TopicSpec> platformTopics() {
    return List.of(
        compacted(topics.controlResources(), ResourceEvent.getClassSchema()),
        compacted(topics.controlStatus(), ComponentStatus.getClassSchema()),
        data(topics.auditPayloads(), PayloadAuditRecord.getClassSchema()),
        // signed heads as JSON (see logging-sink SignedHeads): no Avro schema
        compacted(topics.auditAnchors(), null),
        // requests and responses mixed, so no single value schema
        new TopicSpec(topics.auditByRequestId(), settings.partitions(), dataConfigs(), null),
        data(topics.monitorDrift(), DriftAlert.getClassSchema()),
        data(topics.monitorOutliers(), OutlierScore.getClassSchema()),
        shortLived(topics.generationCancel(), GenerationCancel.getClassSchema()),
        data(topics.payloadLoggerAnchor(), InferenceResponse.getClassSchema()));
  }

  /** Topics of one InferenceService predictor revision (requests, responses, predictor hop). */
  public List<TopicSpec> inferenceServiceTopics(String namespace, String name, String revision) {
    return List.of(
        data(topics.requests(namespace, name), InferenceRequest.getClassSchema()),
        data(topics.responses(namespace, name), InferenceResponse.getClassSchema()),
        data(topics.predictor(namespace, name, revision), InferenceRequest.getClassSchema()),
        data(topics.predictorResponses(namespace, name), InferenceResponse.getClassSchema()),
        data(topics.shadowResponses(namespace, name), InferenceResponse.getClassSchema()),
        data(topics.explainRequests(namespace, name), InferenceRequest.getClassSchema()),
        data(topics.explanations(namespace, name), ExplanationResult.getClassSchema()),
        shortLived(topics.chunks(namespace, name), GenerationEvent.getClassSchema()));
  }

  /** Topics of one InferenceGraph. */
  public List<TopicSpec> graphTopics(String namespace, String graph) {
    return List.of(
        data(topics.graphRequests(namespace, graph), InferenceRequest.getClassSchema()),
        data(topics.graphResponses(namespace, graph), InferenceResponse.getClassSchema()));
  }

  /** A gateway instance's reply topic: short retention, nobody replays replies. */
  public TopicSpec gatewayReplies(String instanceId) {
    Map<String, String> configs = new HashMap<>(dataConfigs());
    configs.put("retention.ms", Long.toString(settings.replyRetentionMs()));
    return new TopicSpec(
        topics.gatewayReplies(instanceId),
        settings.partitions(),
        configs,
        InferenceResponse.getClassSchema());
  }

  /** A gateway instance's stream topic (GenerationEvents), retained like its reply topic. */
  public TopicSpec gatewayChunks(String instanceId) {
    return shortLived(topics.gatewayChunks(instanceId), GenerationEvent.getClassSchema());
  }

  /** A component's dead-letter topic (raw bytes, no schema). */
  public TopicSpec deadLetter(String component) {
    return new TopicSpec(topics.deadLetter(component), 1, dataConfigs(), null);
  }

  /** The schema registry's store. */
  public TopicSpec schemasTopic() {
    return new TopicSpec(
        topics.schemas(), 1, Map.of("cleanup.policy", "compact", "min.insync.replicas", "1"), null);
  }

  private TopicSpec compacted(String name, Schema schema) {
    Map<String, String> configs = new HashMap<>(dataConfigs());
    configs.put("cleanup.policy", "compact");
    configs.put("retention.ms", "-1");
    configs.put("min.compaction.lag.ms", "0");
    configs.put("segment.ms", Long.toString(Math.max(60_000L, settings.compactedSegmentMs())));
    return new TopicSpec(name, 1, configs, schema);
  }

  /** Streams and cancels matter only while a generation runs: reply-topic retention. */
  private TopicSpec shortLived(String name, Schema schema) {
    Map<String, String> configs = new HashMap<>(dataConfigs());
    configs.put("retention.ms", Long.toString(settings.replyRetentionMs()));
    return new TopicSpec(name, settings.partitions(), configs, schema);
  }

  private TopicSpec data(String name, Schema schema) {
    return new TopicSpec(name, settings.partitions(), dataConfigs(), schema);
  }

  private Map<String, String> dataConfigs() {
    return Map.of(
        "max.message.bytes", Integer.toString(settings.maxMessageBytes()),
        "retention.ms", Long.toString(settings.retentionMs()),
        "cleanup.policy", "delete");
  }
}
