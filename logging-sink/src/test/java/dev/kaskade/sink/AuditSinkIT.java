package dev.kaskade.sink;

import static dev.kaskade.sink.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.sink.chain.AuditVerifier;
import dev.kaskade.sink.chain.StoredRecord;
import dev.kaskade.sink.query.AuditQuery;
import dev.kaskade.sink.sign.KafkaAnchors;
import dev.kaskade.sink.sign.SignedHeads;
import dev.kaskade.sink.sign.SigningKeys;
import dev.kaskade.sink.store.BlobStore;
import dev.kaskade.sink.store.FileSystemBlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSinkIT {
  @TempDir Path dir;
  private KafkaTestBed bed;
  private KafkaProducer<String, byte[]> producer;
  private AvroSerializer<PayloadAuditRecord> serializer;

  @BeforeEach
  void setUp() {
    bed = new KafkaTestBed();
    bed.provisioner.ensure(bed.context(dir, Map.of()).topicSpecs().platformTopics());
    producer = bed.producer();
    serializer = new AvroSerializer<>(bed.registry);
  }

  @AfterEach
  void tearDown() {
    producer.close();
    bed.close();
  }

  private void produce(int from, int to) {
    String topic = bed.topics.auditPayloads();
    for (int i = from; i < to; i++) {
      String isvc = i % 2 == 0 ? "iris" : "mnist";
      PayloadAuditRecord audit = TestRecords.audit("default", isvc, i, T0 + i * 100L);
      producer.send(
          new ProducerRecord<>(topic, audit.getCeId(), serializer.serialize(topic, audit)));
    }
    producer.flush();
  }

  private List<StoredRecord> stored(BlobStore store) throws IOException {
    return AuditQuery.find(store, new AuditQuery.Criteria(null, null, null, null, null, 0));
  }

  private int countDeadLetters() {
    java.util.List<Object> seen = new java.util.ArrayList<>();
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(
            ClientConfigs.consumer(bed.bootstrap, "dlq-" + UUID.randomUUID(), 1 << 20))) {
      consumer.subscribe(List.of(bed.topics.deadLetter("audit-sink")));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
                return !seen.isEmpty();
              });
    }
    return seen.size();
  }

  private AuditSink sink(BlobStore store, String group) {
    Map<String, Object> consumer =
        ClientConfigs.consumer(bed.bootstrap, group, bed.settings.maxMessageBytes());
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Object> dlq = ClientConfigs.producer(bed.bootstrap, 1 << 20);
    dlq.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new AuditSink(
        consumer,
        new KafkaProducer<>(dlq),
        bed.topics.auditPayloads(),
        bed.topics.deadLetter("audit-sink"),
        store,
        bed.registry,
        200);
  }

  @Test
  void shouldStoreExactlyTheProducedRecordsWithTheirPayloads() throws Exception {
    produce(0, 20);
    producer.send(new ProducerRecord<>(bed.topics.auditPayloads(), "poison", new byte[] {7, 7}));
    produce(20, 40);
    try (AuditSinkComponent component =
        new AuditSinkComponent(
            bed.context(
                dir,
                Map.of(
                    AuditSinkComponent.FLUSH_MS,
                    "300",
                    AuditSinkComponent.GROUP,
                    "g-" + UUID.randomUUID(),
                    AuditSinkComponent.SIGNING_GENERATE,
                    "true")))) {
      component.start();
      FileSystemBlobStore store = new FileSystemBlobStore(dir.resolve("audit"));
      await().atMost(Duration.ofSeconds(30)).until(() -> stored(store).size() == 40);

      List<StoredRecord> records = stored(store);
      assertThat(records.stream().map(r -> r.audit().getCeId()).collect(Collectors.toSet()))
          .hasSize(40);
      StoredRecord seven =
          records.stream()
              .filter(r -> r.audit().getCeId().equals("mnist-req-7"))
              .findFirst()
              .orElseThrow();
      assertThat(Tensors.toFloats(seven.audit().getRequest().getInputs().get(0)))
          .containsExactly(7f, 7.5f);
      assertThat(Tensors.toFloats(seven.audit().getResponse().getOutputs().get(0)))
          .containsExactly(14f);
      assertThat(AuditVerifier.verify(store, null, null).ok()).isTrue();

      produce(40, 41); // a record arriving at a running sink is queryable within 10 s
      await().atMost(Duration.ofSeconds(10)).until(() -> stored(store).size() == 41);
      assertThat(countDeadLetters()).isEqualTo(1);
    }
    // closed: the final signed heads are anchored on Kafka and match the store
    List<SignedHeads> anchors =
        KafkaAnchors.read(
            dev.kaskade.schemas.kafka.KafkaConnection.plaintext(bed.bootstrap),
            bed.topics.auditAnchors(),
            Duration.ofSeconds(15));
    assertThat(anchors).isNotEmpty();
    AuditVerifier.Report report =
        AuditVerifier.verify(
            new FileSystemBlobStore(dir.resolve("audit")),
            null,
            null,
            new AuditVerifier.Trust(
                SigningKeys.readPublic(
                    SigningKeys.publicKeyBeside(SigningKeys.defaultPrivateKey(dir))),
                anchors));
    assertThat(report.ok()).as(report.summary()).isTrue();
    assertThat(report.anchors()).isEqualTo(anchors.size());
    assertThat(
            anchors.stream()
                .mapToLong(a -> a.chains().values().stream().mapToLong(c -> c.count()).sum())
                .sum())
        .isEqualTo(41);
  }

  @Test
  void shouldNeitherLoseNorDuplicateWhenSinkCrashesMidFileAndRestarts() throws Exception {
    FileSystemBlobStore store = new FileSystemBlobStore(dir.resolve("crash"));
    String group = "g-" + UUID.randomUUID();
    produce(0, 30);
    AuditSink first = sink(store, group);
    await().atMost(Duration.ofSeconds(30)).until(() -> stored(store).size() == 30);
    produce(30, 60);
    first.halt(); // no flush, no checkpoint, no commit for whatever was buffered

    try (AuditSink second = sink(store, group)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> stored(store).size() >= 60);
      Thread.sleep(600); // two more flush periods: nothing more may appear
      List<StoredRecord> records = stored(store);
      assertThat(records).hasSize(60);
      Set<String> ids = records.stream().map(r -> r.audit().getCeId()).collect(Collectors.toSet());
      assertThat(ids).hasSize(60);
      assertThat(AuditVerifier.verify(store, null, null).ok()).isTrue();
    }
  }

  @Test
  void shouldRewindAndRetryWhenStoreFailsBeforeTheCheckpoint() throws Exception {
    FileSystemBlobStore disk = new FileSystemBlobStore(dir.resolve("flaky"));
    AtomicBoolean failed = new AtomicBoolean();
    BlobStore flaky = HookedStore.failingOnceOnCheckpoint(disk, failed);
    produce(0, 25);
    try (AuditSink sink = sink(flaky, "g-" + UUID.randomUUID())) {
      // The rewind deletes the files of the failed flush: a read racing it can see one vanish.
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptionsInstanceOf(java.nio.file.NoSuchFileException.class)
          .until(() -> failed.get() && stored(disk).size() == 25);
      Thread.sleep(600);
      assertThat(stored(disk)).hasSize(25);
      AuditVerifier.Report report = AuditVerifier.verify(disk, null, null);
      assertThat(report.ok()).as(report.summary()).isTrue();
    }
  }

  @Test
  void anIdleSinkRewritesNoCheckpoint() throws Exception {
    FileSystemBlobStore disk = new FileSystemBlobStore(dir.resolve("idle"));
    java.util.concurrent.atomic.AtomicInteger puts =
        new java.util.concurrent.atomic.AtomicInteger();
    BlobStore counting = HookedStore.counting(disk, puts);
    produce(0, 10);
    try (AuditSink sink = sink(counting, "g-" + UUID.randomUUID())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> stored(disk).size() == 10);
      Thread.sleep(600); // the flush that stored them is over
      int written = puts.get();

      Thread.sleep(1000); // five flush intervals with nothing new

      assertThat(puts.get()).as("blobs written while idle").isEqualTo(written);
      produce(10, 11); // and a record after the idle spell is still stored
      await().atMost(Duration.ofSeconds(10)).until(() -> stored(disk).size() == 11);
    }
  }

  /** Runs before each write of a key; may throw to fail it. */
  private interface BeforePut {
    void check(String key) throws IOException;
  }

  /** A store that runs a hook before each write: counts them, or fails one. */
  private record HookedStore(BlobStore delegate, BeforePut beforePut) implements BlobStore {
    /** Counts every write. */
    static HookedStore counting(
        BlobStore delegate, java.util.concurrent.atomic.AtomicInteger puts) {
      return new HookedStore(delegate, key -> puts.incrementAndGet());
    }

    /** Fails the first checkpoint write, after the data files of that flush landed. */
    static HookedStore failingOnceOnCheckpoint(BlobStore delegate, AtomicBoolean failed) {
      return new HookedStore(
          delegate,
          key -> {
            if (key.startsWith("_checkpoints/") && failed.compareAndSet(false, true)) {
              throw new IOException("injected failure");
            }
          });
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
      beforePut.check(key);
      delegate.put(key, data);
    }

    @Override
    public byte[] get(String key) throws IOException {
      return delegate.get(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
      return delegate.exists(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
      return delegate.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
      delegate.delete(key);
    }

    @Override
    public String describe() {
      return "hooked " + delegate.describe();
    }
  }
}
