package dev.kaskade.sink.chain;

import java.util.ArrayDeque;

/**
 * Fixed-size byte chunks that audit files being written are built from, kept for reuse once a file
 * is stored. A file's bytes live until the next flush (seconds): growing one array for them, as a
 * {@code ByteArrayOutputStream} does, left a trail of copies that survived young collections and
 * were promoted, only to die in the old generation (docs/performance.md, change 15). Reused chunks
 * are promoted once and then stay. At most {@code maxFree} chunks are kept; beyond that a returned
 * chunk is left to the collector. Not thread-safe: one per {@link SinkWriter}.
 */
final class ChunkPool {
  static final int CHUNK_BYTES = 16 * 1024;

  /** At most 16 MiB kept between flushes; a flush that needs more allocates the rest anew. */
  static final int DEFAULT_MAX_FREE = 1024;

  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private final int maxFree;

  ChunkPool(int maxFree) {
    if (maxFree < 0) {
      throw new IllegalArgumentException("maxFree must be >= 0: " + maxFree);
    }
    this.maxFree = maxFree;
  }

  ChunkPool() {
    this(DEFAULT_MAX_FREE);
  }

  /** A chunk of {@link #CHUNK_BYTES}, reused when one is free; its content is undefined. */
  byte[] take() {
    byte[] chunk = free.pollLast();
    return chunk != null ? chunk : new byte[CHUNK_BYTES];
  }

  /** Gives a chunk back; the caller must not use it afterwards. */
  void give(byte[] chunk) {
    if (chunk.length == CHUNK_BYTES && free.size() < maxFree) {
      free.addLast(chunk);
    }
  }

  /** Chunks kept for reuse. */
  int free() {
    return free.size();
  }
}
