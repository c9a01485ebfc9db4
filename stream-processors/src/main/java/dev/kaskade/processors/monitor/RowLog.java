package dev.kaskade.processors.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An append-only list of feature rows (a drift window, a learned reference) held in memory and
 * mirrored to a state store in chunks of {@value #CHUNK_ROWS} rows under {@code prefix + chunk
 * number}. An append rewrites only the current chunk; with the store's record cache the changelog
 * then gets each chunk once per commit instead of one record per row. {@link #load} rebuilds the
 * list from the store after a restart or a task move.
 */
final class RowLog {
  static final int CHUNK_ROWS = 64;

  private final KeyValueStore<String, byte[]> store;
  private final String prefix;
  private final List<List<JsonNode>> rows = new ArrayList<>();
  private final ByteArrayOutputStream chunk = new ByteArrayOutputStream();
  private final DataOutputStream chunkOut = new DataOutputStream(chunk);
  private int chunkRows;
  private String chunkKey;

  private RowLog(KeyValueStore<String, byte[]> store, String prefix) {
    this.store = store;
    this.prefix = prefix;
  }

  /** The rows stored under {@code prefix}, in append order. */
  static RowLog load(KeyValueStore<String, byte[]> store, String prefix) {
    RowLog log = new RowLog(store, prefix);
    byte[] last = null;
    List<List<JsonNode>> lastRows = List.of();
    try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        lastRows = RowCodec.readAll(kv.value);
        log.rows.addAll(lastRows);
        last = kv.value;
      }
    }
    if (last != null && lastRows.size() < CHUNK_ROWS) {
      log.chunk.writeBytes(last);
      log.chunkRows = lastRows.size();
      log.chunkKey = key(prefix, (log.rows.size() - 1) / CHUNK_ROWS);
    } else {
      log.chunkRows = CHUNK_ROWS; // the next append starts a new chunk
    }
    return log;
  }

  void append(List<JsonNode> row) {
    if (chunkRows == CHUNK_ROWS) {
      chunk.reset();
      chunkRows = 0;
      chunkKey = key(prefix, rows.size() / CHUNK_ROWS);
    }
    RowCodec.write(row, chunkOut);
    chunkRows++;
    rows.add(row);
    store.put(chunkKey, chunk.toByteArray());
  }

  int size() {
    return rows.size();
  }

  List<List<JsonNode>> rows() {
    return Collections.unmodifiableList(rows);
  }

  /** Forgets every row, in memory and in the store. */
  void clear() {
    int chunks = (rows.size() + CHUNK_ROWS - 1) / CHUNK_ROWS;
    for (int i = 0; i < chunks; i++) {
      store.delete(key(prefix, i));
    }
    rows.clear();
    chunk.reset();
    chunkRows = CHUNK_ROWS;
  }

  private static String key(String prefix, int chunkNumber) {
    String n = Integer.toString(chunkNumber);
    return prefix + "0".repeat(Math.max(0, 10 - n.length())) + n;
  }
}
