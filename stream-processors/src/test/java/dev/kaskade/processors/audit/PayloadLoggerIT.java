package dev.kaskade.processors.audit;

import static dev.kaskade.processors.audit.AuditFixtures.isvc;
import static dev.kaskade.processors.audit.AuditFixtures.logger;
import static dev.kaskade.processors.audit.AuditFixtures.request;
import static dev.kaskade.processors.audit.AuditFixtures.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.kaskade.events.AuditOutcome;
import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.kafka.embedded.SharedKafka;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.runtime.BackgroundPriority;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadLoggerIT {
  static {
    AvroTrust.install();
  }

  /** One CloudEvent as the receiving HTTP server saw it. */
  record Received(Map<String, List<String>> headers, JsonNode body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  @TempDir Path dir;
  private final String bootstrap = SharedKafka.get().bootstrapServers();
  private final Topics topics = new Topics("pl" + UUID.randomUUID().toString().substring(0, 8));
  private final SchemaRegistryClient registry = AuditItRegistry.get();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private Admin admin;
  private HttpServer http;
  private KafkaProducer<String, byte[]> producer;

  @BeforeEach
  void setUp() throws Exception {
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  Map.copyOf(exchange.getRequestHeaders()), new ObjectMapper().readTree(body)));
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    http.start();
    producer = new KafkaProducer<>(ClientConfigs.producer(bootstrap, 1 << 20));
  }

  @AfterEach
  void tearDown() {
    producer.close();
    http.stop(0);
    admin.close();
  }

  @Test
  void shouldAuditPairsRedactAndDeliverCloudEventsOverHttp() throws Exception {
    String applicationId = "pl-" + UUID.randomUUID();
    KaskadeContext ctx = context(dir, applicationId, 2000);
    TopicProvisioner provisioner = ctx.provisioner();
    provisioner.ensure(
        ctx.topicSpecs().inferenceServiceTopics("default", "iris", "iris-predictor-0000abcd"));
    String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/events";
    send(
        topics.controlResources(),
        ResourceKeys.resource("InferenceService", "default", "iris"),
        new AvroSerializer<>(registry)
            .serialize(
                topics.controlResources(),
                isvc("default", "iris", logger("all", url, List.of("ssn")))));

    try (PayloadLoggerComponent component = new PayloadLoggerComponent(ctx)) {
      component.start();
      AvroSerializer<org.apache.avro.specific.SpecificRecord> ser = new AvroSerializer<>(registry);
      String requests = topics.requests("default", "iris");
      String responses = topics.responses("default", "iris");
      sendAs("alice", requests, "r1", ser.serialize(requests, request("r1", "iris", 1f, 2f)));
      send(responses, "r1", ser.serialize(responses, response("r1", "iris", 0.9f)));
      send(requests, "r2", ser.serialize(requests, request("r2", "iris", 3f)));
      send(requests, "poison", new byte[] {9, 9, 9});
      // a client reusing its id: two gateway calls (two correlation ids), two records
      for (String call : List.of("call-1", "call-2")) {
        sendCall(requests, "dup", ser.serialize(requests, request("dup", "iris", 1f)), call);
        sendCall(responses, "dup", ser.serialize(responses, response("dup", "iris", 0.1f)), call);
      }
      // an id the JDK HTTP client would refuse as a header value
      String hostile = "\u2603\n";
      send(requests, hostile, ser.serialize(requests, request(hostile, "iris", 4f)));
      send(responses, hostile, ser.serialize(responses, response(hostile, "iris", 0.4f)));

      List<PayloadAuditRecord> audited = consumeAudit(5);
      assertThat(niceOfThreadsStartingWith(applicationId))
          .as("the logger's StreamThread runs below the calls' threads (BackgroundPriority)")
          .anyMatch(nice -> nice >= BackgroundPriority.NICE);
      assertThat(audited.stream().filter(a -> a.getCeId().equals("dup")))
          .hasSize(2)
          .allMatch(a -> a.getOutcome() == AuditOutcome.PAIRED);
      PayloadAuditRecord paired =
          audited.stream().filter(a -> a.getCeId().equals("r1")).findFirst().orElseThrow();
      assertThat(paired.getOutcome()).isEqualTo(AuditOutcome.PAIRED);
      assertThat(paired.getRedactedFields()).containsExactly("ssn");
      assertThat(paired.getSubject()).isEqualTo("alice");
      assertThat(paired.getRequest().getInputs().get(1).getData().remaining()).isZero();
      PayloadAuditRecord unanswered =
          audited.stream().filter(a -> a.getCeId().equals("r2")).findFirst().orElseThrow();
      assertThat(unanswered.getOutcome()).isEqualTo(AuditOutcome.NO_RESPONSE);
      assertThat(unanswered.getSubject()).isNull(); // sent without the gateway's subject header
      assertThat(countRecords(topics.deadLetter("payload-logger"))).isEqualTo(1);

      await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 9);
      event("%E2%98%83%0A", CloudEventAttributes.RESPONSE_TYPE);
      Received requestEvent = event("r1", CloudEventAttributes.REQUEST_TYPE);
      assertThat(requestEvent.header("ce-specversion")).isEqualTo("1.0");
      assertThat(requestEvent.header("ce-namespace")).isEqualTo("default");
      assertThat(requestEvent.header("ce-inferenceservicename")).isEqualTo("iris");
      assertThat(requestEvent.header("ce-component")).isEqualTo("predictor");
      assertThat(requestEvent.header("ce-source")).isEqualTo("kaskade-payload-logger");
      // the broker-side record time, not the client's created_epoch_ms (2023-11-14)
      assertThat(java.time.Instant.parse(requestEvent.header("ce-time")))
          .isAfter(java.time.Instant.now().minus(Duration.ofMinutes(5)));
      assertThat(paired.getClientTime()).isEqualTo(1_700_000_000_000L);
      assertThat(requestEvent.header("ce-metadata")).isEqualTo("{}");
      JsonNode inputs = requestEvent.body().get("inputs");
      assertThat(inputs.get(0).get("data").toString()).isEqualTo("[1.0,2.0]");
      assertThat(inputs.get(1).get("name").asText()).isEqualTo("ssn");
      assertThat(inputs.get(1).get("data")).isEmpty();
      Received responseEvent = event("r1", CloudEventAttributes.RESPONSE_TYPE);
      assertThat(responseEvent.header("ce-endpoint")).isEqualTo("default");
      assertThat(responseEvent.body().get("outputs").get(0).get("data").get(0).asDouble())
          .isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
      event("r2", CloudEventAttributes.REQUEST_TYPE);
    }
  }

  /**
   * The HTTP delivery joins its group only once an InferenceService has a logger url, and reads
   * from the time that url was applied: a call made well before it is not posted, one made after
   * is.
   */
  @Test
  void theHttpDeliveryStartsWithTheFirstLoggerUrlAndPostsFromWhenItWasApplied() throws Exception {
    String applicationId = "pl-" + UUID.randomUUID();
    KaskadeContext ctx = context(dir, applicationId, 2000);
    try (PayloadLoggerComponent component = new PayloadLoggerComponent(ctx)) {
      component.start();
      auditLate(ctx, "quiet", "before"); // its logger has no url
      consumeAudit(1);
      Thread.sleep(CloudEventsHttpDelivery.CLOCK_TOLERANCE_MS + 500);
      assertThat(groups()).doesNotContain(applicationId + "-http");

      String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/events";
      applyInferenceService("quiet", url);
      AvroSerializer<org.apache.avro.specific.SpecificRecord> ser = new AvroSerializer<>(registry);
      String requests = topics.requests("default", "quiet");
      String responses = topics.responses("default", "quiet");
      // sent at once: the delivery may still be starting, and must not miss it
      send(requests, "after", ser.serialize(requests, request("after", "quiet", 2f)));
      send(responses, "after", ser.serialize(responses, response("after", "quiet", 0.2f)));

      await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 2);
      event("after", CloudEventAttributes.REQUEST_TYPE);
      event("after", CloudEventAttributes.RESPONSE_TYPE);
      assertThat(groups()).contains(applicationId + "-http");
      Thread.sleep(1000);
      assertThat(received).noneMatch(r -> "before".equals(r.header("ce-id")));
    }
  }

  private List<String> groups() throws Exception {
    return admin.listGroups().all().get().stream()
        .map(org.apache.kafka.clients.admin.GroupListing::groupId)
        .toList();
  }

  @Test
  void shouldPairARequestPlacedOnAnotherPartitionByModelWithItsResponse() throws Exception {
    KaskadeContext ctx = context();
    TopicProvisioner provisioner = ctx.provisioner();
    String revision = "mm-predictor-0000abcd";
    provisioner.ensure(ctx.topicSpecs().inferenceServiceTopics("default", "mm", revision));
    send(
        topics.controlResources(),
        ResourceKeys.resource("InferenceService", "default", "mm"),
        new AvroSerializer<>(registry)
            .serialize(
                topics.controlResources(), isvc("default", "mm", logger("all", null, List.of()))));
    assertThat(ctx.topicSettings().partitions()).isEqualTo(2);

    try (PayloadLoggerComponent component = new PayloadLoggerComponent(ctx)) {
      component.start();
      AvroSerializer<org.apache.avro.specific.SpecificRecord> ser = new AvroSerializer<>(registry);
      String predictor = topics.predictor("default", "mm", revision);
      String responses = topics.responses("default", "mm");
      // as the dispatcher places a TrainedModel request: keyed by id, on the model's partition
      int byId = RequestIdPlacement.partitionOf("m1", 2);
      ProducerRecord<String, byte[]> placed =
          new ProducerRecord<>(
              predictor, 1 - byId, "m1", ser.serialize(predictor, request("m1", "mm", 5f)));
      KaskadeHeaders.put(placed.headers(), KaskadeHeaders.REQUEST_ID, "m1");
      producer.send(placed).get();
      send(responses, "m1", ser.serialize(responses, response("m1", "mm", 0.5f)));

      consumeAudit(1);
      // everything the logger wrote, read after the 2 s window: no NO_RESPONSE / RESPONSE_ONLY
      List<PayloadAuditRecord> audited = consumeFor(Duration.ofSeconds(4));
      assertThat(audited).extracting(PayloadAuditRecord::getCeId).containsExactly("m1");
      assertThat(audited.get(0).getOutcome()).isEqualTo(AuditOutcome.PAIRED);
      assertThat(audited.get(0).getCeInferenceservicename()).isEqualTo("mm");
      assertThat(countRecords(topics.auditByRequestId())).isEqualTo(1);
    }
  }

  @Test
  void shouldAuditAnInferenceServiceWhoseTopicsAndPolicyAppearAfterTheLoggerStarted()
      throws Exception {
    KaskadeContext ctx = context();
    try (PayloadLoggerComponent component = new PayloadLoggerComponent(ctx)) {
      // as when the logger's process starts before any InferenceService exists
      component.start();
      ctx.provisioner()
          .ensure(
              ctx.topicSpecs()
                  .inferenceServiceTopics("default", "late", "late-predictor-0000abcd"));
      send(
          topics.controlResources(),
          ResourceKeys.resource("InferenceService", "default", "late"),
          new AvroSerializer<>(registry)
              .serialize(
                  topics.controlResources(),
                  isvc("default", "late", logger("all", null, List.of()))));
      AvroSerializer<org.apache.avro.specific.SpecificRecord> ser = new AvroSerializer<>(registry);
      String requests = topics.requests("default", "late");
      String responses = topics.responses("default", "late");
      send(requests, "early", ser.serialize(requests, request("early", "late", 1f)));
      send(responses, "early", ser.serialize(responses, response("early", "late", 0.1f)));

      List<PayloadAuditRecord> audited = consumeAudit(1);
      assertThat(audited).extracting(PayloadAuditRecord::getCeId).containsExactly("early");
      assertThat(audited.get(0).getOutcome()).isEqualTo(AuditOutcome.PAIRED);
    }
  }

  @Test
  void shouldAuditASecondInferenceServiceCreatedWhileTheLoggerRuns() throws Exception {
    KaskadeContext ctx = context();
    ctx.provisioner()
        .ensure(ctx.topicSpecs().inferenceServiceTopics("default", "first", "first-predictor-0"));
    try (PayloadLoggerComponent component = new PayloadLoggerComponent(ctx)) {
      component.start();
      auditLate(ctx, "first", "one");
      consumeAudit(1);
      auditLate(ctx, "second", "two");
      List<PayloadAuditRecord> audited = consumeAudit(2);
      assertThat(audited).extracting(PayloadAuditRecord::getCeId).containsExactly("one", "two");
    }
  }

  /**
   * The pending store survives the logger (its changelog), the time index is rebuilt from it: a
   * request still waiting when the logger stopped is emitted NO_RESPONSE, within its window, by the
   * logger that takes over on another machine (a new state dir, restored from the changelog), and a
   * pair recorded before is not recorded again.
   */
  @Test
  void aRequestWaitingWhenTheLoggerStopsExpiresInTheLoggerThatTakesOver() throws Exception {
    String applicationId = "pl-" + UUID.randomUUID();
    int window = 8000;
    KaskadeContext first = context(dir.resolve("first"), applicationId, window);
    try (PayloadLoggerComponent component = new PayloadLoggerComponent(first)) {
      component.start();
      auditLate(first, "iris", "paired");
      assertThat(consumeAudit(1)).extracting(PayloadAuditRecord::getCeId).containsExactly("paired");
      AvroSerializer<org.apache.avro.specific.SpecificRecord> ser = new AvroSerializer<>(registry);
      String requests = topics.requests("default", "iris");
      send(requests, "waiting", ser.serialize(requests, request("waiting", "iris", 1f)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> committedOffset(applicationId, requests) >= 2);
    }
    assertThat(consumeFor(Duration.ofMillis(500)))
        .as("\"waiting\" is still pending when the first logger stops")
        .extracting(PayloadAuditRecord::getCeId)
        .containsExactly("paired");

    KaskadeContext second = context(dir.resolve("second"), applicationId, window);
    try (PayloadLoggerComponent component = new PayloadLoggerComponent(second)) {
      component.start();
      List<PayloadAuditRecord> audited = consumeAudit(2);
      assertThat(audited)
          .extracting(PayloadAuditRecord::getCeId)
          .containsExactly("paired", "waiting");
      assertThat(audited.get(1).getOutcome()).isEqualTo(AuditOutcome.NO_RESPONSE);
      assertThat(consumeFor(Duration.ofSeconds(3))).as("nothing recorded twice").hasSize(2);
    }
  }

  /**
   * The pending store is not cached (docs/performance.md, change 15): each pair writes its request
   * half to the changelog, then the done marker that replaces it, in that order, so a logger that
   * takes over restores either the waiting request or the marker that keeps a late copy from being
   * recorded twice. With Streams' record cache the request half of most pairs never reached the
   * changelog, but the cache's LRU list kept its evicted entries alive into the old generation.
   */
  @Test
  void eachPairWritesItsRequestThenItsDoneMarkerToTheChangelog() throws Exception {
    String applicationId = "pl-" + UUID.randomUUID();
    KaskadeContext ctx = context(dir, applicationId, 60_000);
    int pairs = 20;
    try (PayloadLoggerComponent component = new PayloadLoggerComponent(ctx)) {
      component.start();
      auditLate(ctx, "iris", "pair-0");
      AvroSerializer<org.apache.avro.specific.SpecificRecord> ser = new AvroSerializer<>(registry);
      String requests = topics.requests("default", "iris");
      String responses = topics.responses("default", "iris");
      for (int i = 1; i < pairs; i++) {
        send(requests, "pair-" + i, ser.serialize(requests, request("pair-" + i, "iris", 1f)));
        send(responses, "pair-" + i, ser.serialize(responses, response("pair-" + i, "iris", 2f)));
      }
      assertThat(consumeAudit(pairs)).hasSize(pairs);
    }
    Map<String, List<Integer>> lengthsByKey = new java.util.TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(
          List.of(applicationId + "-" + PayloadLoggerTopology.PENDING_STORE + "-changelog"));
      long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < end) {
        consumer
            .poll(Duration.ofMillis(100))
            .forEach(
                r ->
                    lengthsByKey
                        .computeIfAbsent(r.key(), k -> new ArrayList<>())
                        .add(r.value() == null ? -1 : r.value().length));
      }
    }
    assertThat(lengthsByKey).hasSize(pairs);
    // per pair: the request half (longer than the 8-byte marker), then the marker
    assertThat(lengthsByKey.values())
        .allSatisfy(
            lengths -> {
              assertThat(lengths).hasSize(2);
              assertThat(lengths.get(0)).isGreaterThan(8);
              assertThat(lengths.get(1)).isEqualTo(8);
            });
  }

  /** The logger's committed offsets on every partition of this topic, summed. */
  private long committedOffset(String applicationId, String topic) throws Exception {
    return admin
        .listConsumerGroupOffsets(applicationId)
        .partitionsToOffsetAndMetadata()
        .get()
        .entrySet()
        .stream()
        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  private void auditLate(KaskadeContext ctx, String isvc, String id) throws Exception {
    ctx.provisioner()
        .ensure(ctx.topicSpecs().inferenceServiceTopics("default", isvc, isvc + "-predictor-0"));
    applyInferenceService(isvc, null);
    AvroSerializer<org.apache.avro.specific.SpecificRecord> ser = new AvroSerializer<>(registry);
    String requests = topics.requests("default", isvc);
    String responses = topics.responses("default", isvc);
    send(requests, id, ser.serialize(requests, request(id, isvc, 1f)));
    send(responses, id, ser.serialize(responses, response(id, isvc, 0.1f)));
  }

  /** Puts InferenceService default/{@code isvc} on the control topic, its logger posting to url. */
  private void applyInferenceService(String isvc, String url) throws Exception {
    send(
        topics.controlResources(),
        ResourceKeys.resource("InferenceService", "default", isvc),
        new AvroSerializer<>(registry)
            .serialize(
                topics.controlResources(), isvc("default", isvc, logger("all", url, List.of()))));
  }

  /** A standalone context with a short pairing window and the platform topics created. */
  /**
   * The nice values of this JVM's threads whose kernel name (a Java name's first 15 characters)
   * begins like {@code name}; empty off Linux.
   */
  private static List<Long> niceOfThreadsStartingWith(String name) throws IOException {
    String comm = name.substring(0, Math.min(15, name.length()));
    Path tasks = Path.of("/proc/self/task");
    assumeTrue(Files.isDirectory(tasks), "Linux /proc only");
    List<Long> nices = new ArrayList<>();
    try (var threads = Files.list(tasks)) {
      for (Path task : threads.toList()) {
        try {
          if (Files.readString(task.resolve("comm")).strip().startsWith(comm)) {
            BackgroundPriority.niceOf(Long.parseLong(task.getFileName().toString()))
                .ifPresent(nices::add);
          }
        } catch (IOException ended) {
          // the thread ended while we looked
        }
      }
    }
    return nices;
  }

  private KaskadeContext context() {
    return context(dir, "pl-" + UUID.randomUUID(), 2000);
  }

  private KaskadeContext context(Path dataDir, String applicationId, int windowMs) {
    KaskadeContext ctx =
        new KaskadeContext(
            bootstrap,
            registry,
            topics,
            TopicSettings.standalone(),
            new TopicProvisioner(admin, registry, (short) 1),
            dataDir,
            Map.of(
                PayloadLoggerComponent.WINDOW_MS, Integer.toString(windowMs),
                PayloadLoggerComponent.PUNCTUATE_MS, "200",
                PayloadLoggerComponent.METADATA_MAX_AGE_MS, "1000",
                PayloadLoggerComponent.HTTP_BACKOFF_MS, "50",
                PayloadLoggerComponent.APPLICATION_ID, applicationId));
    ctx.provisioner().ensure(ctx.topicSpecs().platformTopics());
    return ctx;
  }

  /** Every audit record from the start of the topic, read for {@code quiet}. */
  private List<PayloadAuditRecord> consumeFor(Duration quiet) {
    AvroDeserializer<PayloadAuditRecord> de =
        new AvroDeserializer<>(registry, PayloadAuditRecord.class);
    List<PayloadAuditRecord> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(topics.auditPayloads()));
      long end = System.nanoTime() + quiet.toNanos();
      while (System.nanoTime() < end) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          out.add(de.deserialize(r.topic(), r.value()));
        }
      }
    }
    return out;
  }

  private Received event(String id, String type) {
    return received.stream()
        .filter(r -> id.equals(r.header("ce-id")) && type.equals(r.header("ce-type")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " event for " + id + ": " + received));
  }

  private void sendCall(String topic, String key, byte[] value, String correlation)
      throws Exception {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    KaskadeHeaders.put(record.headers(), KaskadeHeaders.CORRELATION_ID, correlation);
    producer.send(record).get();
  }

  /** A request as the gateway sends it for an authenticated caller. */
  private void sendAs(String subject, String topic, String key, byte[] value) throws Exception {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    KaskadeHeaders.put(record.headers(), KaskadeHeaders.SUBJECT, subject);
    producer.send(record).get();
  }

  private void send(String topic, String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  private List<PayloadAuditRecord> consumeAudit(int expected) {
    AvroDeserializer<PayloadAuditRecord> de =
        new AvroDeserializer<>(registry, PayloadAuditRecord.class);
    List<PayloadAuditRecord> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(topics.auditPayloads()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                  out.add(de.deserialize(r.topic(), r.value()));
                }
                return out.size() >= expected;
              });
    }
    return out;
  }

  private int countRecords(String topic) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
                return !out.isEmpty();
              });
    }
    return out.size();
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Map<String, Object> config =
        ClientConfigs.consumer(bootstrap, "c-" + UUID.randomUUID(), 1 << 20);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(config);
  }
}
