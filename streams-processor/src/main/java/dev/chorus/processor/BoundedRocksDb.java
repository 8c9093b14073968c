package dev.chorus.processor;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Caps the native memory of every RocksDB store of the processor together (Kafka Streams' defaults
 * give each store instance its own block cache and memtables, which adds up to gigabytes across
 * tasks): one LRU cache shared by all stores, with memtables charged to it. The total comes from
 * {@link #TOTAL_BYTES_CONFIG} ({@code CHORUS_PROCESSOR_ROCKSDB_MEMORY_MB}).
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

  /** Streams property carrying the total in bytes. */
  public static final String TOTAL_BYTES_CONFIG = "chorus.rocksdb.total.bytes";

  private static Cache cache;
  private static WriteBufferManager writeBuffers;

  private static synchronized void init(long totalBytes) {
    if (cache == null) {
      // Half of the budget may hold memtables; index and filter blocks live in the cache too.
      cache = new LRUCache(totalBytes, -1, false, 0.1);
      writeBuffers = new WriteBufferManager(totalBytes / 2, cache);
    }
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Object total = configs.get(TOTAL_BYTES_CONFIG);
    init(total == null ? 128L << 20 : Long.parseLong(total.toString()));
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(cache);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(writeBuffers);
    options.setMaxWriteBufferNumber(2);
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and write buffer manager are shared by every store: never closed per store.
  }
}
