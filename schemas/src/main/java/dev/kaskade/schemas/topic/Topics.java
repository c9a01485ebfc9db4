package dev.kaskade.schemas.topic;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one place that builds Kafka topic names. Every name starts with a configurable prefix ({@code
 * kaskade} by default); per-InferenceService topics are {@code <prefix>.<namespace>.<name>.<hop>}.
 */
public final class Topics {
  public static final String DEFAULT_PREFIX = "kaskade";
  public static final String SCHEMAS_TOPIC = "_schemas";
  private static final int MAX_TOPIC_LENGTH = 249;

  private final String prefix;
  private final Pattern predictorTopics;

  public Topics(String prefix) {
    this.prefix = requireLegal(Objects.requireNonNull(prefix, "prefix"), "prefix");
    this.predictorTopics =
        Pattern.compile(Pattern.quote(prefix + ".") + "[^.]+\\.[^.]+\\.predictor\\.[^.]+");
  }

  public static Topics withDefaultPrefix() {
    return new Topics(DEFAULT_PREFIX);
  }

  public String prefix() {
    return prefix;
  }

  /** Compacted; key kind/namespace/name; value ResourceEvent, tombstone on delete. */
  public String controlResources() {
    return prefix + ".control.resources";
  }

  /** Compacted; key kind/namespace/name/component/revision; value ComponentStatus. */
  public String controlStatus() {
    return prefix + ".control.status";
  }

  /** Where callers (gateway, async Kafka clients) send requests for an InferenceService. */
  public String requests(String namespace, String name) {
    return isvc(namespace, name, "requests");
  }

  /** Where every answer for an InferenceService is published. */
  public String responses(String namespace, String name) {
    return isvc(namespace, name, "responses");
  }

  /**
   * GenerationEvents of streamed OpenAI generations, keyed by request id, for Kafka clients that
   * stream asynchronously; short retention (the final answer is on {@link #responses}).
   */
  public String chunks(String namespace, String name) {
    return isvc(namespace, name, "chunks");
  }

  /** GenerationCancel broadcasts: every worker reads them from the end (see docs/openai.md). */
  public String generationCancel() {
    return prefix + ".control.cancel";
  }

  /** GenerationEvents of the streams a single gateway instance serves. */
  public String gatewayChunks(String instanceId) {
    return join("gateway", requireLegal(instanceId, "instanceId"), "chunks");
  }

  /**
   * True when {@code topic} may be named by a {@code kaskade-stream-to} header: only a gateway
   * instance's {@code <prefix>.gateway.<instance>.chunks} (see {@link #isReplyTopic} for why).
   */
  public boolean isGatewayChunksTopic(String topic) {
    String head = prefix + ".gateway.";
    String tail = ".chunks";
    return topic != null
        && topic.length() > head.length() + tail.length()
        && topic.length() <= MAX_TOPIC_LENGTH
        && topic.startsWith(head)
        && topic.endsWith(tail)
        && NameChars.isTopicName(topic);
  }

  /** The internal hop a worker group of one predictor revision consumes. */
  public String predictor(String namespace, String name, String revision) {
    return isvc(namespace, name, "predictor." + requireLegal(revision, "revision"));
  }

  /**
   * Every {@link #predictor} topic, {@code <prefix>.<namespace>.<name>.predictor.<revision>}, for
   * consumers that subscribe by pattern (the monitor).
   */
  public Pattern predictorPattern() {
    return predictorTopics;
  }

  /** True when {@code topic} is a {@link #predictor} topic of an InferenceService. */
  public boolean isPredictorTopic(String topic) {
    return topic != null
        && topic.length() <= MAX_TOPIC_LENGTH
        && !topic.startsWith(prefix + ".graph.")
        && predictorTopics.matcher(topic).matches();
  }

  /** Raw predictor answers on their way to a transformer's post-processing step. */
  public String predictorResponses(String namespace, String name) {
    return isvc(namespace, name, "predictor-responses");
  }

  /**
   * Answers of a shadow (dark-launched) revision: mirrored requests are answered here, never to the
   * caller or the responses topic, so they can be compared with the live answers.
   */
  public String shadowResponses(String namespace, String name) {
    return isvc(namespace, name, "shadow-responses");
  }

  /** Explain requests (async callers and the gateway's :explain). */
  public String explainRequests(String namespace, String name) {
    return isvc(namespace, name, "explain.requests");
  }

  /** ExplanationResult events. */
  public String explanations(String namespace, String name) {
    return isvc(namespace, name, "explanations");
  }

  /** Requests of an InferenceGraph. */
  public String graphRequests(String namespace, String graph) {
    return join(
        requireLegal(namespace, "namespace"), "graph", requireLegal(graph, "graph"), "requests");
  }

  /** Responses of an InferenceGraph. */
  public String graphResponses(String namespace, String graph) {
    return join(
        requireLegal(namespace, "namespace"), "graph", requireLegal(graph, "graph"), "responses");
  }

  /** The reply topic a single gateway instance owns. */
  public String gatewayReplies(String instanceId) {
    return join("gateway", requireLegal(instanceId, "instanceId"), "replies");
  }

  /**
   * True when {@code topic} may receive a reply named by a record header ({@code kaskade-reply-to},
   * {@code kaskade-final-reply-to}): only {@code <prefix>.gateway.<instance>.replies}, the reply
   * topics gateways and the processors' request/reply clients own. Workers and processors check
   * this before writing where a header says, so a requester cannot use them to write into a topic
   * it could not write itself (a confused deputy once Kafka ACLs exist).
   */
  public boolean isReplyTopic(String topic) {
    String head = prefix + ".gateway.";
    String tail = ".replies";
    return topic != null
        && topic.length() > head.length() + tail.length()
        && topic.length() <= MAX_TOPIC_LENGTH
        && topic.startsWith(head)
        && topic.endsWith(tail)
        && NameChars.isTopicName(topic);
  }

  /**
   * True when {@code topic} may be named by a {@code kaskade-response-topic} header: only a
   * transformer's {@code <prefix>.<namespace>.<name>.predictor-responses} hop, or the {@code
   * .shadow-responses} topic the gateway names for a mirrored (shadow) request.
   */
  public boolean isResponseTopicHeaderTarget(String topic) {
    return topic != null
        && topic.length() <= MAX_TOPIC_LENGTH
        && topic.startsWith(prefix + ".")
        && (topic.endsWith(".predictor-responses") || topic.endsWith(".shadow-responses"))
        && !topic.startsWith(prefix + ".gateway.")
        && NameChars.isTopicName(topic);
  }

  /** PayloadAuditRecord events, read by the logging sink. */
  public String auditPayloads() {
    return prefix + ".audit.payloads";
  }

  /**
   * Compacted; key {@code <audit topic>/p<partition>}; value the audit sink's signed chain heads
   * (JSON): the anchor outside the audit store that shows a rollback or truncation of the store.
   * Only the audit sink writes it.
   */
  public String auditAnchors() {
    return prefix + ".audit.anchors";
  }

  /**
   * The payload logger's re-keying hop: copies of requests that were placed on a partition by
   * something other than their request id (multi-model revisions place them by model) pass through
   * here, keyed by request id, so they meet their responses in one task.
   */
  public String auditByRequestId() {
    return prefix + ".audit.by-request-id";
  }

  /**
   * Always empty: a topic that the payload logger's pattern ({@code <prefix>.<ns>.<isvc>.requests|
   * responses|predictor.<revision>}) matches from the start, so the logger's pattern source never
   * starts without a topic. Kafka Streams fails a task whose pattern source gets its first topic
   * after the task was created for its other input (the logger's re-keying hop, {@link
   * #auditByRequestId()}), and that stopped the audit when the logger started before the first
   * InferenceService. A {@code .responses} topic, so that no other application's pattern (the
   * transformers' {@code requests} and {@code predictor-responses}, the explainer's {@code
   * requests}, the monitor's {@code predictor.<revision>}) matches it. {@code _kaskade} cannot be a
   * Kubernetes namespace (DNS-1123 labels have no {@code _}), so no InferenceService shares it.
   */
  public String payloadLoggerAnchor() {
    return prefix + "._kaskade.payload-logger.responses";
  }

  /** DriftAlert events. */
  public String monitorDrift() {
    return prefix + ".monitor.drift";
  }

  /** OutlierScore events. */
  public String monitorOutliers() {
    return prefix + ".monitor.outliers";
  }

  /** Records a component could not decode or process, with headers saying why. */
  public String deadLetter(String component) {
    return join("deadletter", requireLegal(component, "component"));
  }

  /** The schema registry's compacted store (not prefixed: it is shared like Confluent's). */
  public String schemas() {
    return SCHEMAS_TOPIC;
  }

  /** True when the topic is one of this prefix's per-InferenceService request topics. */
  public boolean isRequestsTopic(String topic) {
    return topic.startsWith(prefix + ".")
        && topic.endsWith(".requests")
        && !topic.contains(".graph.");
  }

  private String isvc(String namespace, String name, String hop) {
    return join(requireLegal(namespace, "namespace"), requireLegal(name, "name"), hop);
  }

  private String join(String... parts) {
    String topic = prefix + "." + String.join(".", parts);
    if (topic.length() > MAX_TOPIC_LENGTH) {
      throw new IllegalArgumentException(
          "topic name longer than " + MAX_TOPIC_LENGTH + " characters: " + topic);
    }
    return topic;
  }

  private static String requireLegal(String part, String what) {
    if (!NameChars.isTopicName(part)) {
      throw new IllegalArgumentException(
          what + " '" + part + "' may only contain letters, digits, '.', '_' and '-'");
    }
    return part;
  }
}
