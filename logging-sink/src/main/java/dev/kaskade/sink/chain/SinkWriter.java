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
 * The write side of the audit store, free of Kafka: records are appended, encoded, to per-chain
 * files in memory (computing their chain values), and {@link #flush} makes them durable in this
 * order: each data file, its manifest, then one checkpoint per partition. {@link #recover} brings a
 * partition back to its last checkpoint, deleting files a crashed flush left behind, so that
 * re-consuming from the checkpoint neither duplicates nor loses a record.
 */
public final class SinkWriter {
  private static final long HOUR_MS = 3_600_000L;
  private final BlobStore store;
  private final String topic;
  private final Map<ChainKey, Head> heads = new HashMap<>();

  /** Per chain, its files being written, one per UTC hour its buffered records fall in. */
  private final Map<ChainKey, List<AuditFileBuilder>> open = new TreeMap<>();

  private final ChunkPool chunks = new ChunkPool();
  private final HeadSigner signer;
  private final Map<Integer, SignedHeads> signed = new TreeMap<>();

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
    byte[] encoded = HashChain.encode(audit);
    byte[] chain = HashChain.next(head.chain(), partition, offset, encoded);
    long ceTime = audit.getCeTime();
    long hour = Math.floorDiv(ceTime, HOUR_MS);
    List<AuditFileBuilder> files = open.computeIfAbsent(key, k -> new ArrayList<>());
    AuditFileBuilder file = files.isEmpty() ? null : files.get(files.size() - 1);
    if (file == null || file.hour() != hour) {
      file = new AuditFileBuilder(chunks, hour, offset, head.offset(), head.chain(), chain);
      files.add(file);
    }
    file.append(topic, partition, offset, head.offset(), timestamp, chain, encoded, ceTime);
    heads.put(key, head.next(offset, chain));
  }

  public int buffered() {
    return open.values().stream().flatMap(List::stream).mapToInt(AuditFileBuilder::count).sum();
  }

  /**
   * Writes every buffered record, then a checkpoint for each partition in {@code nextOffsets}
   * (partition → first offset not yet consumed). Returns once all of it is durable.
   */
  public void flush(Map<Integer, Long> nextOffsets) throws IOException {
    for (Map.Entry<ChainKey, List<AuditFileBuilder>> chain : open.entrySet()) {
      for (AuditFileBuilder file : chain.getValue()) {
        writeFile(chain.getKey(), file);
      }
    }
    open.clear();
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

  private void writeFile(ChainKey key, AuditFileBuilder file) throws IOException {
    String base =
        StoreLayout.hourDirectory(key.namespace(), key.isvc(), file.hour() * HOUR_MS)
            + StoreLayout.baseName(key.partition(), file.firstOffset(), file.lastOffset());
    AuditFileBuilder.Finished finished = file.finish(base + StoreLayout.DATA_SUFFIX, topic, key);
    store.put(base + StoreLayout.DATA_SUFFIX, finished.data());
    file.release();
    store.put(base + StoreLayout.MANIFEST_SUFFIX, finished.manifest().toJson());
  }

  /**
   * Returns the partition to its last checkpoint: drops its buffered records, restores its chain
   * heads and deletes files at or beyond the checkpoint (left by a flush that did not finish).
   * Returns the offset to consume from, or -1 when the partition has no checkpoint yet.
   */
  public long recover(int partition) throws IOException {
    open.keySet().removeIf(k -> k.partition() == partition);
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
