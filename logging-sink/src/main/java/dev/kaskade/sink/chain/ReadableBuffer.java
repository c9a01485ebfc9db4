package dev.kaskade.sink.chain;

import java.io.ByteArrayOutputStream;

/** A growable buffer whose backing array can be read without a copy, for reused encoders. */
final class ReadableBuffer extends ByteArrayOutputStream {
  ReadableBuffer() {
    super(1024);
  }

  byte[] array() {
    return buf;
  }
}
