package dev.kaskade.sink.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.sink.sign.HeadCheck;
import dev.kaskade.sink.sign.SignedHeads;
import dev.kaskade.sink.store.BlobStore;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Walks the hash chains of the audit store and reports the first broken link: a modified, missing,
 * reordered or corrupted record, or a file that was modified, deleted or does not continue its
 * predecessor. Manifests of every chain are linked (previous file's last chain value = this file's
 * previous chain value); the records of files whose hour overlaps [from, to) are re-hashed.
 *
 * <p>Then the signed heads ({@code _heads/}) and the anchors published outside the store are
 * compared with the chains: see {@link HeadCheck}.
 *
 * <p>A chain whose first surviving file does not start at the genesis value is accepted only when a
 * deletion marker ({@code _deletions/*.json}, written by {@link StoreAdmin#deleteNamespace})
 * recorded that chain value as the head of deleted data.
 */
public final class AuditVerifier {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String GENESIS = HashChain.hex(HashChain.GENESIS);

  private AuditVerifier() {}

  /**
   * Where the chain breaks.
   *
   * @param file the data or manifest key
   * @param offset the Kafka offset of the first bad record (or of the file's first record)
   * @param reason what is wrong
   */
  public record BrokenLink(String file, long offset, String reason) {
    @Override
    public String toString() {
      return file + " at offset " + offset + ": " + reason;
    }
  }

  /**
   * The outcome.
   *
   * @param files files whose records were checked
   * @param records records re-hashed
   * @param broken the first broken link, or null when the store verifies
   * @param heads last chain value of every chain (record them elsewhere to detect truncation)
   * @param notes things worth knowing that are not breaks (incomplete files)
   * @param anchors anchors compared with the store (-1: none could be read)
   */
  public record Report(
      int files,
      long records,
      BrokenLink broken,
      Map<String, String> heads,
      List<String> notes,
      int anchors) {
    public boolean ok() {
      return broken == null;
    }

    public String summary() {
      return ok()
          ? "OK: "
              + records
              + " records in "
              + files
              + " files, "
              + heads.size()
              + " chains verified"
              + (anchors < 0 ? "" : ", " + anchors + " anchors match")
          : "BROKEN: " + broken;
    }
  }

  /**
   * What the store's own content cannot vouch for.
   *
   * @param publicKey the sink's Ed25519 public key; null leaves signatures unchecked
   * @param anchors the newest anchor of each partition read from outside the store; null when they
   *     could not be read (rollback to an earlier signed state then goes unnoticed)
   */
  public record Trust(PublicKey publicKey, List<SignedHeads> anchors) {
    public static final Trust NONE = new Trust(null, null);
  }

  public static Report verify(BlobStore store, Instant from, Instant to) throws IOException {
    return verify(store, from, to, Trust.NONE);
  }

  public static Report verify(BlobStore store, Instant from, Instant to, Trust trust)
      throws IOException {
    long fromMs = from == null ? Long.MIN_VALUE / 2 : from.toEpochMilli();
    long toMs = to == null ? Long.MAX_VALUE / 2 : to.toEpochMilli();
    // Read before the files are listed: a sink flushing meanwhile then only adds files beyond these
    // heads, never heads beyond the files this walk sees.
    List<SignedHeads> stored = new ArrayList<>();
    for (String key : store.list(StoreLayout.HEADS)) {
      try {
        stored.add(SignedHeads.fromJson(store.get(key)));
      } catch (IOException e) {
        return new Report(
            0,
            0,
            new BrokenLink(key, -1, "signed heads unreadable: " + e.getMessage()),
            Map.of(),
            List.of(),
            -1);
      }
    }
    StoreReader reader = new StoreReader(store);
    Map<ChainKey, List<StoreLayout.FileKey>> chains = new TreeMap<>();
    Set<String> dataKeys = new HashSet<>();
    for (StoreLayout.FileKey file : reader.files("", Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)) {
      if (file.manifest()) {
        chains
            .computeIfAbsent(
                new ChainKey(file.namespace(), file.isvc(), file.partition()),
                k -> new ArrayList<>())
            .add(file);
      } else {
        dataKeys.add(file.key());
      }
    }
    Map<String, Set<String>> restarts = deletionMarkers(store);
    Walk walk = new Walk(reader, fromMs, toMs, restarts);
    for (Map.Entry<ChainKey, List<StoreLayout.FileKey>> chain : chains.entrySet()) {
      chain.getValue().sort((a, b) -> Long.compare(a.firstOffset(), b.firstOffset()));
      for (StoreLayout.FileKey file : chain.getValue()) {
        dataKeys.remove(StoreLayout.dataKeyOf(file.key()));
      }
      BrokenLink broken = walk.chain(chain.getKey(), chain.getValue());
      if (broken != null) {
        return walk.report(broken);
      }
    }
    dataKeys.stream()
        .sorted()
        .forEach(k -> walk.notes.add("incomplete file without manifest: " + k));
    return walk.report(signedHeads(stored, walk, restarts.keySet(), trust));
  }

  private static BrokenLink signedHeads(
      List<SignedHeads> stored, Walk walk, Set<String> deleted, Trust trust) {
    if (trust.publicKey() == null) {
      walk.notes.add(
          "signatures not checked: no public key (pass --public-key, or keep"
              + " <data-dir>/secrets/audit-signing.pub)");
    } else if (stored.isEmpty() && !walk.heads.isEmpty()) {
      walk.notes.add("the store has no signed heads (written without a signing key)");
    }
    if (trust.anchors() == null) {
      walk.notes.add(
          "anchors not checked (Kafka not reachable): a rollback to an earlier signed state would"
              + " go unnoticed");
    } else {
      walk.anchors = trust.anchors().size();
    }
    return new HeadCheck(walk.ends, deleted, trust.publicKey(), walk.notes)
        .check(stored, trust.anchors());
  }

  private static Map<String, Set<String>> deletionMarkers(BlobStore store) throws IOException {
    Map<String, Set<String>> restarts = new HashMap<>();
    for (String key : store.list(StoreLayout.DELETIONS)) {
      JsonNode chains = MAPPER.readTree(store.get(key)).path("chains");
      chains
          .properties()
          .forEach(
              e ->
                  restarts
                      .computeIfAbsent(e.getKey(), k -> new HashSet<>())
                      .add(e.getValue().asText()));
    }
    return restarts;
  }

  /** The state of one verification run. */
  private static final class Walk {
    final StoreReader reader;
    final long fromMs;
    final long toMs;
    final Map<String, Set<String>> restarts;
    final Map<String, String> heads = new TreeMap<>();
    final List<String> notes = new ArrayList<>();
    final Map<String, NavigableMap<Long, HeadCheck.End>> ends = new HashMap<>();
    int anchors = -1;
    int files;
    long records;

    Walk(StoreReader reader, long fromMs, long toMs, Map<String, Set<String>> restarts) {
      this.reader = reader;
      this.fromMs = fromMs;
      this.toMs = toMs;
      this.restarts = restarts;
    }

    Report report(BrokenLink broken) {
      return new Report(files, records, broken, heads, notes, anchors);
    }

    BrokenLink chain(ChainKey key, List<StoreLayout.FileKey> manifests) throws IOException {
      Manifest previous = null;
      boolean genesis = false;
      long count = 0;
      NavigableMap<Long, HeadCheck.End> chainEnds = new TreeMap<>();
      ends.put(key.toString(), chainEnds);
      for (StoreLayout.FileKey file : manifests) {
        Manifest m;
        try {
          m = reader.manifest(file.key());
        } catch (IOException e) {
          return new BrokenLink(file.key(), file.firstOffset(), "manifest unreadable: " + e);
        }
        BrokenLink link = link(key, previous, m, file.key());
        if (link == null && file.hourStartMs() < toMs && file.hourStartMs() + 3_600_000L > fromMs) {
          link = records(m);
        }
        if (link != null) {
          return link;
        }
        heads.put(key.toString(), m.lastChain());
        genesis = previous == null ? m.prevOffset() == -1 : genesis;
        count += m.count();
        chainEnds.put(m.lastOffset(), new HeadCheck.End(m.lastChain(), count, genesis));
        previous = m;
      }
      return null;
    }

    private BrokenLink link(ChainKey key, Manifest previous, Manifest m, String manifestKey) {
      if (previous == null) {
        boolean genesis = m.prevOffset() == -1 && GENESIS.equals(m.prevChain());
        boolean restarted = restarts.getOrDefault(key.toString(), Set.of()).contains(m.prevChain());
        return genesis || restarted
            ? null
            : new BrokenLink(
                m.file(),
                m.firstOffset(),
                "first file of chain "
                    + key
                    + " continues offset "
                    + m.prevOffset()
                    + ", but no earlier file exists (a file was deleted)");
      }
      if (m.prevOffset() != previous.lastOffset() || !m.prevChain().equals(previous.lastChain())) {
        return new BrokenLink(
            m.file(),
            m.firstOffset(),
            "does not continue "
                + previous.file()
                + " (expected previous offset "
                + previous.lastOffset()
                + ", manifest says "
                + m.prevOffset()
                + "): a file between them is missing or was replaced");
      }
      return null;
    }

    private BrokenLink records(Manifest m) throws IOException {
      byte[] bytes;
      try {
        bytes = reader.store().get(m.file());
      } catch (NoSuchFileException e) {
        return new BrokenLink(m.file(), m.firstOffset(), "data file is missing");
      }
      List<StoredRecord> stored;
      try {
        stored = AuditFiles.read(bytes);
      } catch (IOException e) {
        return new BrokenLink(
            m.file(),
            m.firstOffset(),
            "file is corrupted and cannot be decoded: " + e.getMessage());
      }
      files++;
      for (int i = 1; i < stored.size(); i++) {
        if (stored.get(i).offset() <= stored.get(i - 1).offset()) {
          return new BrokenLink(
              m.file(),
              stored.get(i).offset(),
              "records reordered: offset "
                  + stored.get(i).offset()
                  + " is stored after offset "
                  + stored.get(i - 1).offset());
        }
      }
      long expectedPrev = m.prevOffset();
      byte[] chain = HashChain.fromHex(m.prevChain());
      for (StoredRecord r : stored) {
        if (r.prevOffset() != expectedPrev) {
          return new BrokenLink(
              m.file(),
              r.offset(),
              "record missing: the record at offset "
                  + r.offset()
                  + " follows offset "
                  + r.prevOffset()
                  + " in its chain, but the previous stored record is at offset "
                  + expectedPrev);
        }
        byte[] expected = HashChain.next(chain, r.partition(), r.offset(), r.audit());
        if (!Arrays.equals(expected, r.chain())) {
          return new BrokenLink(
              m.file(), r.offset(), "record modified: its content does not match its chain value");
        }
        records++;
        expectedPrev = r.offset();
        chain = r.chain();
      }
      if (stored.isEmpty()
          || stored.size() != m.count()
          || stored.get(stored.size() - 1).offset() != m.lastOffset()
          || !HashChain.hex(chain).equals(m.lastChain())) {
        return new BrokenLink(
            m.file(),
            stored.isEmpty() ? m.firstOffset() : stored.get(stored.size() - 1).offset(),
            "file holds "
                + stored.size()
                + " records but its manifest lists "
                + m.count()
                + " up to offset "
                + m.lastOffset()
                + " (records missing at the end)");
      }
      if (!HashChain.hex(HashChain.sha256(bytes)).equals(m.sha256())) {
        return new BrokenLink(
            m.file(), m.firstOffset(), "file bytes were modified (SHA-256 differs from manifest)");
      }
      return null;
    }
  }
}
