package dev.kaskade.sink.chain;

import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.sink.chain.Checkpoint.Head;
import dev.kaskade.sink.sign.HeadSigner;
import dev.kaskade.sink.sign.SignedHeads;
import dev.kaskade.sink.store.BlobStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The write side of the audit store, free of Kafka: records are appended to per-chain buffers
 * (computing their chain values), and {@link #flush} makes them durable in this order: each data
 * file, its manifest, then one checkpoint per partition. {@link #recover} brings a partition back
 * to its last checkpoint, deleting files a crashed flush left behind, so that re-consuming from the
 * checkpoint neither duplicates nor loses a record.
 */
public final class SinkWriter {
  private static final long HOUR_MS = 3_600_000L;
  private final BlobStore store;
  private final String topic;
  private final Map<ChainKey, Head> heads = new HashMap<>();
  private final Map<ChainKey, List<Entry>> buffers = new TreeMap<>();
  private final HeadSigner signer;
  private final Map<Integer, SignedHeads> signed = new TreeMap<>();

  private record Entry(StoredRecord record, byte[] prevChain) {}

  public SinkWriter(BlobStore store, String topic) {
    this(store, topic, null);
  }

  /**
   * @param signer signs the heads after every checkpoint ({@code _heads/}); null writes none (the
   *     format of stores written before signing)
   */
  public SinkWriter(BlobStore store, String topic, HeadSigner signer) {
    this.store = store;
    this.topic = topic;
    this.signer = signer;
  }

  /** The latest signed heads of every partition written so far (for the anchor topic). */
  public List<SignedHeads> signedHeads() {
    return List.copyOf(signed.values());
  }

  public void append(int partition, long offset, long timestamp, PayloadAuditRecord audit) {
    ChainKey key = ChainKey.of(audit, partition);
    Head head = heads.getOrDefault(key, Head.START);
    byte[] chain = HashChain.next(head.chain(), partition, offset, audit);
    StoredRecord record =
        new StoredRecord(topic, partition, offset, head.offset(), timestamp, chain, audit);
    heads.put(key, head.next(offset, chain));
    buffers.computeIfAbsent(key, k -> new ArrayList<>()).add(new Entry(record, head.chain()));
  }

  public int buffered() {
    return buffers.values().stream().mapToInt(List::size).sum();
  }

  /**
   * Writes every buffered record, then a checkpoint for each partition in {@code nextOffsets}
   * (partition → first offset not yet consumed). Returns once all of it is durable.
   */
  public void flush(Map<Integer, Long> nextOffsets) throws IOException {
    for (Map.Entry<ChainKey, List<Entry>> chain : buffers.entrySet()) {
      for (List<Entry> run : runsByHour(chain.getValue())) {
        writeFile(chain.getKey(), run);
      }
    }
    buffers.clear();
    for (Map.Entry<Integer, Long> next : nextOffsets.entrySet()) {
      Map<String, Head> partitionHeads = new TreeMap<>();
      heads.forEach(
          (k, h) -> {
            if (k.partition() == next.getKey()) {
              partitionHeads.put(k.namespace() + "/" + k.isvc(), h);
            }
          });
      Checkpoint checkpoint = new Checkpoint(topic, next.getKey(), next.getValue(), partitionHeads);
      store.put(StoreLayout.checkpoint(topic, next.getKey()), checkpoint.toJson());
      if (signer != null) {
        SignedHeads heads = signer.sign(checkpoint);
        store.put(StoreLayout.signedHeads(topic, next.getKey()), heads.toJson());
        signed.put(next.getKey(), heads);
      }
    }
  }

  /** Splits one chain's records (one namespace and InferenceService) where the UTC hour changes. */
  private static List<List<Entry>> runsByHour(List<Entry> entries) {
    List<List<Entry>> runs = new ArrayList<>();
    long hour = Long.MIN_VALUE;
    for (Entry e : entries) {
      long h = Math.floorDiv(e.record().audit().getCeTime(), HOUR_MS);
      if (h != hour) {
        runs.add(new ArrayList<>());
        hour = h;
      }
      runs.get(runs.size() - 1).add(e);
    }
    return runs;
  }

  private static String dir(StoredRecord r) {
    return StoreLayout.hourDirectory(
        r.audit().getCeNamespace(), r.audit().getCeInferenceservicename(), r.audit().getCeTime());
  }

  private void writeFile(ChainKey key, List<Entry> run) throws IOException {
    StoredRecord first = run.get(0).record();
    StoredRecord last = run.get(run.size() - 1).record();
    String base = dir(first) + StoreLayout.baseName(key.partition(), first.offset(), last.offset());
    List<StoredRecord> records = run.stream().map(Entry::record).toList();
    byte[] data = AuditFiles.write(records);
    long minTime = records.stream().mapToLong(r -> r.audit().getCeTime()).min().orElse(0);
    long maxTime = records.stream().mapToLong(r -> r.audit().getCeTime()).max().orElse(0);
    Manifest manifest =
        new Manifest(
            base + StoreLayout.DATA_SUFFIX,
            topic,
            key.partition(),
            key.namespace(),
            key.isvc(),
            first.offset(),
            last.offset(),
            records.size(),
            first.prevOffset(),
            HashChain.hex(run.get(0).prevChain()),
            HashChain.hex(first.chain()),
            HashChain.hex(last.chain()),
            minTime,
            maxTime,
            HashChain.hex(HashChain.sha256(data)));
    store.put(base + StoreLayout.DATA_SUFFIX, data);
    store.put(base + StoreLayout.MANIFEST_SUFFIX, manifest.toJson());
  }

  /**
   * Returns the partition to its last checkpoint: drops its buffered records, restores its chain
   * heads and deletes files at or beyond the checkpoint (left by a flush that did not finish).
   * Returns the offset to consume from, or -1 when the partition has no checkpoint yet.
   */
  public long recover(int partition) throws IOException {
    buffers.keySet().removeIf(k -> k.partition() == partition);
    heads.keySet().removeIf(k -> k.partition() == partition);
    String checkpointKey = StoreLayout.checkpoint(topic, partition);
    long next = 0;
    long result = -1;
    if (store.exists(checkpointKey)) {
      Checkpoint checkpoint = Checkpoint.fromJson(store.get(checkpointKey));
      next = checkpoint.nextOffset();
      result = next;
      checkpoint
          .heads()
          .forEach(
              (k, h) -> {
                String[] parts = k.split("/", 2);
                heads.put(new ChainKey(parts[0], parts[1], partition), h);
              });
    }
    deleteOrphans(partition, next);
    countLegacyHeads(partition);
    String headsKey = StoreLayout.signedHeads(topic, partition);
    if (signer != null && store.exists(headsKey)) {
      signer.resume(partition, SignedHeads.fromJson(store.get(headsKey)).sequence());
    }
    return result;
  }

  /**
   * A checkpoint written before counts were kept has none: count the chain's records once from its
   * manifests, so that the signed heads can state how many records each chain holds.
   */
  private void countLegacyHeads(int partition) throws IOException {
    Map<ChainKey, Long> counts = new HashMap<>();
    boolean legacy = heads.entrySet().stream().anyMatch(e -> e.getValue().count() < 0);
    if (!legacy) {
      return;
    }
    for (String key : store.list("")) {
      StoreLayout.FileKey file = StoreLayout.parse(key);
      if (file != null && file.manifest() && file.partition() == partition) {
        ChainKey chain = new ChainKey(file.namespace(), file.isvc(), partition);
        Head head = heads.get(chain);
        if (head != null && file.lastOffset() <= head.offset()) {
          counts.merge(chain, (long) Manifest.fromJson(store.get(key)).count(), Long::sum);
        }
      }
    }
    heads.replaceAll(
        (k, h) -> h.count() >= 0 ? h : new Head(h.offset(), h.chain(), counts.getOrDefault(k, 0L)));
  }

  private void deleteOrphans(int partition, long next) throws IOException {
    List<StoreLayout.FileKey> orphans = new ArrayList<>();
    for (String key : store.list("")) {
      StoreLayout.FileKey file = StoreLayout.parse(key);
      if (file != null && file.partition() == partition && file.firstOffset() >= next) {
        orphans.add(file);
      }
    }
    // Manifests first: a data file without a manifest is not part of the store.
    for (StoreLayout.FileKey file : orphans) {
      if (file.manifest()) {
        store.delete(file.key());
      }
    }
    for (StoreLayout.FileKey file : orphans) {
      if (!file.manifest()) {
        store.delete(file.key());
      }
    }
  }
}
