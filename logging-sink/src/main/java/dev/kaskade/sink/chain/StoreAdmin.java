package dev.kaskade.sink.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.sink.store.BlobStore;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** Deleting a tenant's (or one service's) audit data, leaving a marker verify understands. */
public final class StoreAdmin {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StoreAdmin() {}

  /**
   * Deletes every file under {@code namespace/} (or {@code namespace/isvc/}) and writes {@code
   * _deletions/<namespace>[__<isvc>]-<epoch ms>.json} with the last chain value of each deleted
   * chain: when the sink later writes new records of that service, their chain continues from that
   * value, and verify accepts the restart because the marker names it. Returns the number of
   * objects deleted.
   */
  public static int deleteNamespace(BlobStore store, String namespace, String isvc, long nowMs)
      throws IOException {
    String prefix = StoreReader.prefix(namespace, isvc);
    Map<String, String> lastChains = new TreeMap<>();
    Map<String, Long> lastOffsets = new TreeMap<>();
    var keys = store.list(prefix);
    for (String key : keys) {
      StoreLayout.FileKey file = StoreLayout.parse(key);
      if (file != null && file.manifest()) {
        Manifest m = Manifest.fromJson(store.get(key));
        String chain = m.chainKey().toString();
        if (m.lastOffset() >= lastOffsets.getOrDefault(chain, -1L)) {
          lastOffsets.put(chain, m.lastOffset());
          lastChains.put(chain, m.lastChain());
        }
      }
    }
    ObjectNode marker = MAPPER.createObjectNode();
    marker.put("namespace", namespace);
    marker.put("inferenceservice", isvc);
    marker.put("deletedAt", nowMs);
    ObjectNode chains = marker.putObject("chains");
    lastChains.forEach(chains::put);
    String name = StoreLayout.safe(namespace) + (isvc == null ? "" : "__" + StoreLayout.safe(isvc));
    store.put(
        StoreLayout.DELETIONS + name + "-" + nowMs + ".json",
        MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(marker));
    int deleted = 0;
    for (String key : keys) {
      if (key.endsWith(StoreLayout.MANIFEST_SUFFIX)) {
        store.delete(key);
        deleted++;
      }
    }
    for (String key : keys) {
      if (!key.endsWith(StoreLayout.MANIFEST_SUFFIX)) {
        store.delete(key);
        deleted++;
      }
    }
    return deleted;
  }
}
