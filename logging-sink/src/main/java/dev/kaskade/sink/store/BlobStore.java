package dev.kaskade.sink.store;

import java.io.IOException;
import java.util.List;

/**
 * Where the audit store keeps its objects: keys are '/'-separated paths relative to the store's
 * root. {@link #put} returns only once the object is durable (fsync'd file and directory, or an
 * acknowledged S3 PUT); a reader never sees a partially written object.
 */
public interface BlobStore extends AutoCloseable {

  /** Writes the object durably, replacing any object with that key. */
  void put(String key, byte[] data) throws IOException;

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
