package dev.kaskade.sink.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Where the audit store keeps its objects: keys are '/'-separated paths relative to the store's
 * root. {@link #put} returns only once the object is durable (fsync'd file and directory, or an
 * acknowledged S3 PUT); a reader never sees a partially written object.
 */
public interface BlobStore extends AutoCloseable {

  /** Writes the object durably, replacing any object with that key. */
  void put(String key, byte[] data) throws IOException;

  /**
   * Writes the object whose bytes are the parts' remaining bytes in order, as {@link #put(String,
   * byte[])} does; a store that can write them without joining them first overrides this.
   */
  default void put(String key, List<ByteBuffer> parts) throws IOException {
    put(key, concat(parts));
  }

  /** The parts' remaining bytes in order, in one array; the parts' positions are not moved. */
  static byte[] concat(List<ByteBuffer> parts) {
    long total = 0;
    for (ByteBuffer part : parts) {
      total += part.remaining();
    }
    ByteBuffer joined = ByteBuffer.allocate(Math.toIntExact(total));
    for (ByteBuffer part : parts) {
      joined.put(part.duplicate());
    }
    return joined.array();
  }

  /** The object's bytes; throws {@link java.nio.file.NoSuchFileException} when absent. */
  byte[] get(String key) throws IOException;

  /** Whether the object exists. */
  boolean exists(String key) throws IOException;

  /** Every key under the prefix ("" for all), sorted. */
  List<String> list(String prefix) throws IOException;

  /** Deletes the object if it exists. */
  void delete(String key) throws IOException;

  /** For messages: where this store lives. */
  String describe();

  @Override
  default void close() {}
}
