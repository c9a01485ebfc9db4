package dev.kaskade.sink.chain;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An output stream into {@link ChunkPool} chunks: growing never copies what was written, and {@link
 * #release} gives the chunks back once the bytes are stored. Not thread-safe.
 */
final class ChunkedOutput extends OutputStream {
  private final ChunkPool pool;
  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] current;
  private int position;
  private long size;

  ChunkedOutput(ChunkPool pool) {
    this.pool = pool;
  }

  @Override
  public void write(int b) {
    room();
    current[position++] = (byte) b;
    size++;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    while (length > 0) {
      room();
      int n = Math.min(length, current.length - position);
      System.arraycopy(bytes, offset, current, position, n);
      position += n;
      offset += n;
      length -= n;
      size += n;
    }
  }

  private void room() {
    if (current == null || position == current.length) {
      current = pool.take();
      chunks.add(current);
      position = 0;
    }
  }

  long size() {
    return size;
  }

  /** Read-only views of what was written, in order; valid until {@link #release}. */
  List<ByteBuffer> parts() {
    List<ByteBuffer> parts = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      int length = i == chunks.size() - 1 ? position : chunks.get(i).length;
      parts.add(ByteBuffer.wrap(chunks.get(i), 0, length).asReadOnlyBuffer());
    }
    return parts;
  }

  /** Gives the chunks back to the pool; the stream is empty afterwards. */
  void release() {
    chunks.forEach(pool::give);
    chunks.clear();
    current = null;
    position = 0;
    size = 0;
  }
}
