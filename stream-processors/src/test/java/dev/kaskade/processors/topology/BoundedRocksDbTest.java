package dev.kaskade.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbTest {
  static {
    RocksDB.loadLibrary();
  }

  @TempDir Path dir;

  /** Options as Kafka Streams hands them to the setter: a block-based table config in place. */
  private static Options storeOptions(String store) {
    Options options = new Options().setCreateIfMissing(true);
    options.setTableFormatConfig(new BlockBasedTableConfig());
    new BoundedRocksDb().setConfig(store, options, Map.of());
    return options;
  }

  @Test
  void twoStoresWritingFarMoreThanTheBudgetKeepTheirMemtablesWithinItAndReadBackEverything()
      throws Exception {
    byte[] value = new byte[1500]; // about one request half of the payload logger
    new Random(3).nextBytes(value);
    int perStore = 20_000; // 30 MB a store, 60 MB in all, against 16 MiB of memtables
    try (Options a = storeOptions("pending-a");
        Options b = storeOptions("pending-b");
        RocksDB first = RocksDB.open(a, dir.resolve("a").toString());
        RocksDB second = RocksDB.open(b, dir.resolve("b").toString())) {
      assertThat(a.writeBufferSize()).isEqualTo(BoundedRocksDb.MEMTABLE_SIZE);
      assertThat(a.maxWriteBufferNumber()).isEqualTo(BoundedRocksDb.MEMTABLES);
      long peakMemtables = 0;
      for (int i = 0; i < perStore; i++) {
        byte[] key = ("request-" + i).getBytes(StandardCharsets.UTF_8);
        first.put(key, value);
        second.put(key, value);
        if (i % 1000 == 0) {
          peakMemtables =
              Math.max(
                  peakMemtables,
                  first.getLongProperty("rocksdb.cur-size-all-mem-tables")
                      + second.getLongProperty("rocksdb.cur-size-all-mem-tables"));
        }
      }
      // the shared manager flushes once both stores' memtables together pass the budget
      assertThat(peakMemtables)
          .isLessThanOrEqualTo(BoundedRocksDb.MEMTABLE_BYTES + 2 * 1024 * 1024);
      for (int i = 0; i < perStore; i += 997) {
        byte[] key = ("request-" + i).getBytes(StandardCharsets.UTF_8);
        assertThat(first.get(key)).isEqualTo(value);
        assertThat(second.get(key)).isEqualTo(value);
      }
    }
  }
}
