package dev.kaskade.processors.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * One off-heap budget for every RocksDB store of the Streams applications in this JVM, as Kafka
 * Streams' memory-management guide describes: a shared block cache of {@value #TOTAL_BYTES} bytes
 * that also counts the memtables (at most {@value #MEMTABLE_BYTES} bytes of them, through a shared
 * {@link WriteBufferManager}). Streams' defaults give each store instance, one per task, its own 50
 * MiB block cache and up to three 16 MiB memtables: with the payload logger's pending store
 * uncached (docs/performance.md, change 15) every request is written to RocksDB, and {@code kaskade
 * up}'s resident memory after the product benchmark's load rose to 1,038 MiB (880–892 MiB with this
 * budget). The stores are small and read what was just written, which the memtables hold.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {
  static final long TOTAL_BYTES = 32L * 1024 * 1024;
  static final long MEMTABLE_BYTES = 16L * 1024 * 1024;
  static final long MEMTABLE_SIZE = 4L * 1024 * 1024;
  static final int MEMTABLES = 2;
  private static final double HIGH_PRIORITY_RATIO = 0.1;

  // Shared by every store instance of the JVM, never closed (a store's close must not free them).
  private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, HIGH_PRIORITY_RATIO);
  private static final WriteBufferManager WRITE_BUFFERS =
      new WriteBufferManager(MEMTABLE_BYTES, CACHE);

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(CACHE);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(WRITE_BUFFERS);
    options.setWriteBufferSize(MEMTABLE_SIZE);
    options.setMaxWriteBufferNumber(MEMTABLES);
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // the cache and the write buffer manager are shared: nothing of this store's to free
  }
}
