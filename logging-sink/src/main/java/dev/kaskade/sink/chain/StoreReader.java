package dev.kaskade.sink.chain;

import dev.kaskade.sink.store.BlobStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Lists and reads the files of the audit store (used by verify, query and replay). */
public final class StoreReader {
  private final BlobStore store;

  public StoreReader(BlobStore store) {
    this.store = store;
  }

  public BlobStore store() {
    return store;
  }

  /**
   * Keys of data and manifest files under a prefix ("" for all, "ns/" or "ns/isvc/"), whose hour
   * overlaps [fromMs, toMs).
   */
  public List<StoreLayout.FileKey> files(String prefix, long fromMs, long toMs) throws IOException {
    List<StoreLayout.FileKey> files = new ArrayList<>();
    for (String key : store.list(prefix)) {
      StoreLayout.FileKey file = StoreLayout.parse(key);
      if (file != null && file.hourStartMs() < toMs && file.hourStartMs() + 3_600_000L > fromMs) {
        files.add(file);
      }
    }
    return files;
  }

  public Manifest manifest(String key) throws IOException {
    return Manifest.fromJson(store.get(key));
  }

  public List<StoredRecord> records(String dataKey) throws IOException {
    return AuditFiles.read(store.get(dataKey));
  }

  /** Key prefix of a namespace and optionally an InferenceService. */
  public static String prefix(String namespace, String isvc) {
    if (namespace == null) {
      return "";
    }
    return StoreLayout.safe(namespace) + "/" + (isvc == null ? "" : StoreLayout.safe(isvc) + "/");
  }
}
