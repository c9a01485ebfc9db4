package dev.kaskade.processors.audit;

import dev.kaskade.events.AuditOutcome;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.runtime.BackgroundPriority;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.serde.PoisonRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Pairs each request with its response by call ({@link #pairingKey}: InferenceService + the
 * gateway's correlation id, else the request id). Whichever arrives first waits in the pending
 * store for at most the window, counted on the {@link PairingClock} (record time while records
 * flow, wall-clock time while none do); a wall-clock punctuator then emits it alone (NO_RESPONSE
 * for a request, RESPONSE_ONLY for a response). Undecodable records go to the dead-letter sink.
 */
final class PairingProcessor implements Processor<String, byte[], String, byte[]> {
  private final PayloadLoggerOptions options;
  private final String auditTopic;
  private final String byRequestIdTopic;
  private final AvroDeserializer<InferenceRequest> requests;
  private final AvroDeserializer<InferenceResponse> responses;
  private final AvroSerializer<PayloadAuditRecord> serializer;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, byte[]> pending;
  private KeyValueStore<String, byte[]> expiry;
  private KeyValueStore<String, byte[]> policies;
  private final AvroDeserializer<ResourceEvent> resources;
  private final Map<String, CachedPolicy> policyCache = new HashMap<>();
  private PairingClock clock;

  PairingProcessor(
      SchemaRegistryClient registry,
      PayloadLoggerOptions options,
      String auditTopic,
      String byRequestIdTopic) {
    this.options = options;
    this.auditTopic = auditTopic;
    this.byRequestIdTopic = byRequestIdTopic;
    this.requests = new AvroDeserializer<>(registry, InferenceRequest.class);
    this.responses = new AvroDeserializer<>(registry, InferenceResponse.class);
    this.serializer = new AvroSerializer<>(registry);
    this.resources = new AvroDeserializer<>(registry, ResourceEvent.class);
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    // Runs on the logger's StreamThread: no caller waits on it, so the calls' threads go first.
    BackgroundPriority.lowerCurrentThread();
    this.context = context;
    this.pending = context.getStateStore(PayloadLoggerTopology.PENDING_STORE);
    this.expiry = context.getStateStore(PayloadLoggerTopology.EXPIRY_STORE);
    this.clock = new PairingClock(rebuildIndex(), context.currentSystemTimeMs());
    this.policies = context.getStateStore(PayloadLoggerTopology.POLICY_STORE);
    context.schedule(
        Duration.ofMillis(options.punctuateMs()), PunctuationType.WALL_CLOCK_TIME, this::expire);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    String topic = meta.topic();
    if (topic.equals(byRequestIdTopic)) {
      String original = KaskadeHeaders.get(record.headers(), RequestIdPlacement.SOURCE_TOPIC);
      topic = original == null ? topic : original;
    }
    IsvcTopic isvc = IsvcTopic.parse(topic);
    clock.onRecord(arrival(record), context.currentSystemTimeMs());
    try {
      if (isvc.isRequests()) {
        onRequest(isvc, requests.deserialize(topic, record.value()), record);
      } else {
        onResponse(isvc, responses.deserialize(topic, record.value()), record);
      }
    } catch (RuntimeException e) {
      deadLetter(record, meta, e);
    }
  }

  /**
   * The pending-store key of one call: the InferenceService plus the gateway's per-call correlation
   * id when the record carries one (workers and transformers copy it onto the response), else the
   * client's request id. So a client that reuses an id gets one audit record per call, and two
   * InferenceServices answering the same id never share an entry; a redelivered copy of the same
   * call still finds its entry and is recorded once. Without a correlation id (async Kafka clients)
   * a reused id within the window is still one call.
   */
  static String pairingKey(IsvcTopic isvc, String requestId, Headers headers) {
    String call = KaskadeHeaders.get(headers, KaskadeHeaders.CORRELATION_ID);
    return isvc.namespace()
        + "/"
        + isvc.isvc()
        + "/"
        + (call == null || call.isEmpty() ? "id:" + requestId : "call:" + call);
  }

  private void onRequest(IsvcTopic isvc, InferenceRequest request, Record<String, byte[]> record) {
    String key = pairingKey(isvc, request.getId(), record.headers());
    Pending waiting = get(key);
    if (waiting != null && (waiting.done() || waiting.audit().getRequest() != null)) {
      return; // another copy of a request already seen (requests + predictor hop, or a redelivery)
    }
    if (waiting != null && waiting.audit().getResponse() != null) {
      PayloadAuditRecord audit = waiting.audit();
      audit.setRequest(request);
      audit.setCeTime(arrival(record));
      audit.setClientTime(clientTime(request));
      audit.setCeMetadata(CloudEventAttributes.metadata(record.headers()));
      audit.setReplay(CloudEventAttributes.isReplay(request, record.headers()));
      audit.setSubject(subject(record.headers()));
      audit.setOutcome(AuditOutcome.PAIRED);
      audit.setCeType(CloudEventAttributes.REQUEST_TYPE);
      markDone(key);
      emit(audit, record.timestamp());
      return;
    }
    PayloadAuditRecord audit =
        CloudEventAttributes.base(isvc, request.getId(), options.source())
            .setRequest(request)
            .setCeTime(arrival(record))
            .setClientTime(clientTime(request))
            .setCeMetadata(CloudEventAttributes.metadata(record.headers()))
            .setReplay(CloudEventAttributes.isReplay(request, record.headers()))
            .setSubject(subject(record.headers()))
            .setOutcome(AuditOutcome.NO_RESPONSE)
            .build();
    redact(audit, policyOf(audit));
    put(key, new Pending(now(), audit));
  }

  private void onResponse(
      IsvcTopic isvc, InferenceResponse response, Record<String, byte[]> record) {
    long completed = arrival(record);
    String key = pairingKey(isvc, response.getId(), record.headers());
    Pending waiting = get(key);
    if (waiting != null && (waiting.done() || waiting.audit().getResponse() != null)) {
      return; // a redelivered response of a pair already recorded
    }
    if (waiting != null && waiting.audit().getRequest() != null) {
      PayloadAuditRecord audit = waiting.audit();
      audit.setResponse(response);
      audit.setResponseTime(completed);
      audit.setOutcome(AuditOutcome.PAIRED);
      markDone(key);
      emit(audit, record.timestamp());
      return;
    }
    PayloadAuditRecord audit =
        CloudEventAttributes.base(isvc, response.getId(), options.source())
            .setResponse(response)
            .setResponseTime(completed)
            .setCeTime(completed)
            .setCeType(CloudEventAttributes.RESPONSE_TYPE)
            .setReplay(KaskadeHeaders.get(record.headers(), KaskadeHeaders.REPLAY_OF) != null)
            .setOutcome(AuditOutcome.RESPONSE_ONLY)
            .build();
    redact(audit, policyOf(audit));
    put(key, new Pending(now(), audit));
  }

  /** The pairing window's time now ({@link PairingClock}). */
  private long now() {
    return clock.now(context.currentSystemTimeMs());
  }

  /**
   * Emits what waited longer than the window on the {@link PairingClock}, at most {@link
   * #MAX_EXPIRED_PER_TICK} entries a tick. Reads only the time index ({@code <first seen>|<key>},
   * zero-padded so keys sort by time) up to the cut-off, not the whole pending store: a tick costs
   * what expires, not what waits. An index entry whose pending entry moved on (the pair completed,
   * so a newer marker was indexed) is just dropped.
   */
  private void expire(long wallNow) {
    long cutoff = clock.now(wallNow) - options.windowMs();
    List<String> due = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it =
        expiry.range(indexKey(0, ""), indexKey(cutoff + 1, null))) {
      while (it.hasNext() && due.size() < MAX_EXPIRED_PER_TICK) {
        due.add(it.next().key);
      }
    }
    for (String index : due) {
      expiry.delete(index);
      long firstSeen = Long.parseLong(index.substring(0, 19));
      String key = index.substring(20);
      byte[] bytes = pending.get(key);
      if (bytes == null || ByteBuffer.wrap(bytes).getLong() != firstSeen) {
        continue; // stale: the entry was replaced after this index entry was written
      }
      pending.delete(key);
      Pending expiredEntry = Pending.decode(bytes);
      if (!expiredEntry.done()) {
        emit(expiredEntry.audit(), wallNow);
      }
    }
  }

  /**
   * The most index entries one tick handles; the next ticks take the rest, oldest first. A tick's
   * records belong to one transaction: after a backlog, hundreds of thousands of halves could fall
   * due at once, and emitting them all in one tick took longer than the transaction timeout, so the
   * broker aborted it and the task redid the same tick after every restore (docs/performance.md,
   * change 16).
   */
  static final int MAX_EXPIRED_PER_TICK = 5_000;

  /** {@code <firstSeen, 19 digits>|<key>}; a null key gives the bound just below that time. */
  static String indexKey(long firstSeenMs, String key) {
    // zero-padded to 19 digits by hand: String.format was 3 % of the logger's thread under load
    String digits = Long.toString(Math.max(0, firstSeenMs));
    StringBuilder index = new StringBuilder(20 + (key == null ? 0 : key.length()));
    index.repeat('0', 19 - digits.length()).append(digits);
    return key == null ? index.toString() : index.append('|').append(key).toString();
  }

  /**
   * Indexes every pending entry by the time it was first seen, and returns the newest such time (-1
   * when nothing waits). The index lives in memory only, so it is rebuilt whenever the task starts:
   * after a restart, a rebalance, or an exactly-once abort that restored the pending store to its
   * last commit (hence cleared first, not just filled).
   */
  private long rebuildIndex() {
    List<String> stale = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> indexed = expiry.all()) {
      indexed.forEachRemaining(entry -> stale.add(entry.key));
    }
    stale.forEach(expiry::delete);
    long newest = -1;
    try (KeyValueIterator<String, byte[]> it = pending.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> entry = it.next();
        long firstSeen = ByteBuffer.wrap(entry.value).getLong();
        expiry.put(indexKey(firstSeen, entry.key), new byte[0]);
        newest = Math.max(newest, firstSeen);
      }
    }
    return newest;
  }

  private void emit(PayloadAuditRecord audit, long timestamp) {
    LoggerPolicy policy = policyOf(audit);
    if (!policy.logsRequests()) {
      audit.setRequest(null);
    }
    if (!policy.logsResponses()) {
      audit.setResponse(null);
    }
    if (audit.getRequest() == null && audit.getResponse() == null) {
      return;
    }
    redact(audit, policy);
    if (audit.getResponse() != null) {
      audit.setCeEndpoint(policy.endpointFor(audit.getResponse().getModelVersion()));
    }
    Headers headers = new RecordHeaders();
    KaskadeHeaders.put(headers, KaskadeHeaders.REQUEST_ID, audit.getCeId());
    KaskadeHeaders.put(headers, KaskadeHeaders.NAMESPACE, audit.getCeNamespace());
    KaskadeHeaders.put(headers, KaskadeHeaders.MODEL, audit.getCeInferenceservicename());
    byte[] value = serializer.serialize(auditTopic, audit);
    context.forward(
        new Record<>(audit.getCeId(), value, timestamp, headers), PayloadLoggerTopology.AUDIT_SINK);
  }

  /**
   * Redacts what the record holds now, adding to what was redacted before: a half is redacted
   * before it waits in the pending store, so the store's changelog topic never holds what the
   * policy removes; the other half is redacted when the pair is emitted.
   */
  private static void redact(PayloadAuditRecord audit, LoggerPolicy policy) {
    java.util.Set<String> all = new java.util.TreeSet<>(audit.getRedactedFields());
    all.addAll(Redactor.redact(audit.getRequest(), audit.getResponse(), policy.redact()));
    audit.setRedactedFields(new ArrayList<>(all));
  }

  private LoggerPolicy policyOf(PayloadAuditRecord audit) {
    String key =
        ResourceKeys.resource(
            "InferenceService", audit.getCeNamespace(), audit.getCeInferenceservicename());
    byte[] bytes = policies.get(key);
    if (bytes == null) {
      return LoggerPolicy.defaults(options.defaultMode());
    }
    CachedPolicy cached = policyCache.get(key);
    if (cached == null || !Arrays.equals(cached.bytes(), bytes)) {
      LoggerPolicy policy =
          LoggerPolicy.of(resources.deserialize(null, bytes), options.defaultMode());
      cached =
          new CachedPolicy(
              bytes, policy == null ? LoggerPolicy.defaults(options.defaultMode()) : policy);
      policyCache.put(key, cached);
    }
    return cached.policy();
  }

  private record CachedPolicy(byte[] bytes, LoggerPolicy policy) {}

  private void deadLetter(Record<String, byte[]> record, RecordMetadata meta, RuntimeException e) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    Reason reason =
        e instanceof org.apache.kafka.common.errors.SerializationException
            ? Reason.DESERIALIZATION_FAILED
            : Reason.INTERNAL;
    KaskadeHeaders.put(headers, KaskadeHeaders.DLQ_REASON, reason.name());
    KaskadeHeaders.put(headers, KaskadeHeaders.DLQ_MESSAGE, String.valueOf(e.getMessage()));
    KaskadeHeaders.put(
        headers,
        KaskadeHeaders.DLQ_SOURCE,
        PoisonRecords.source(meta.topic(), meta.partition(), meta.offset()));
    context.forward(
        new Record<>(record.key(), record.value(), record.timestamp(), headers),
        PayloadLoggerTopology.DEAD_LETTER_SINK);
  }

  /** How far back a record timestamp is believed: Kafka's default retention. */
  static final long MAX_AGE_MS = Duration.ofDays(7).toMillis();

  /**
   * When a record arrived, for ce_time (which also files the record into the sink's hour
   * directories): the Kafka record timestamp, clamped into [now - 7 days, now] so no producer can
   * place a record in 1970 or 9999. The client's own created_epoch_ms is kept as client_time. With
   * {@code message.timestamp.type=LogAppendTime} on the topics it is the broker's time.
   */
  private long arrival(Record<String, byte[]> record) {
    long now = context.currentSystemTimeMs();
    return Math.min(now, Math.max(record.timestamp(), now - MAX_AGE_MS));
  }

  /**
   * Who asked: the subject the gateway verified and put on the request record. Only the request's
   * header counts (a response carries whatever the worker copied); an empty value is no subject.
   */
  private static String subject(Headers headers) {
    String subject = KaskadeHeaders.get(headers, KaskadeHeaders.SUBJECT);
    return subject == null || subject.isEmpty() ? null : subject;
  }

  private static Long clientTime(InferenceRequest request) {
    return request.getCreatedEpochMs() > 0 ? request.getCreatedEpochMs() : null;
  }

  private Pending get(String id) {
    byte[] bytes = pending.get(id);
    return bytes == null ? null : Pending.decode(bytes);
  }

  private void put(String id, Pending entry) {
    pending.put(id, entry.encode());
    expiry.put(indexKey(entry.firstSeenMs(), id), new byte[0]);
  }

  /** Keeps a marker for one window so late copies of a recorded pair are not recorded again. */
  private void markDone(String id) {
    put(id, new Pending(now(), null));
  }

  /**
   * A half of a pair waiting in the store: when it arrived ({@link PairingClock}) and what we know;
   * a null audit marks a pair already recorded.
   */
  record Pending(long firstSeenMs, PayloadAuditRecord audit) {
    boolean done() {
      return audit == null;
    }

    byte[] encode() {
      if (audit == null) {
        return ByteBuffer.allocate(8).putLong(firstSeenMs).array();
      }
      try {
        ByteBuffer body = audit.toByteBuffer();
        ByteBuffer out = ByteBuffer.allocate(8 + body.remaining());
        out.putLong(firstSeenMs).put(body);
        return out.array();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static Pending decode(byte[] bytes) {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      long first = in.getLong();
      if (!in.hasRemaining()) {
        return new Pending(first, null);
      }
      try {
        return new Pending(first, PayloadAuditRecord.fromByteBuffer(in.slice()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
