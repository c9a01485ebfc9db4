package dev.kaskade.sink.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.sink.store.BlobStore;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkedOutputTest {

  /** Writes single bytes and arrays of varied lengths, across chunk boundaries, to both. */
  private static void writeBoth(Random random, ChunkedOutput chunked, ByteArrayOutputStream plain) {
    for (int i = 0; i < 200; i++) {
      if (random.nextInt(4) == 0) {
        int b = random.nextInt(256);
        chunked.write(b);
        plain.write(b);
      } else {
        byte[] bytes = new byte[random.nextInt(3 * ChunkPool.CHUNK_BYTES / 2)];
        random.nextBytes(bytes);
        int offset = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        chunked.write(bytes, offset, bytes.length - offset);
        plain.write(bytes, offset, bytes.length - offset);
      }
    }
  }

  @Test
  void holdsExactlyTheBytesWrittenAcrossChunks() {
    ChunkPool pool = new ChunkPool();
    ChunkedOutput out = new ChunkedOutput(pool);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    writeBoth(new Random(7), out, expected);

    assertThat(out.size()).isEqualTo(expected.size());
    assertThat(out.parts()).hasSizeGreaterThan(10);
    assertThat(BlobStore.concat(out.parts())).isEqualTo(expected.toByteArray());
    assertThat(HashChain.sha256(out.parts())).isEqualTo(HashChain.sha256(expected.toByteArray()));
  }

  @Test
  void releasedChunksAreReusedAndOverwrittenCleanly() {
    ChunkPool pool = new ChunkPool();
    ChunkedOutput first = new ChunkedOutput(pool);
    writeBoth(new Random(1), first, new ByteArrayOutputStream());
    int used = first.parts().size();

    first.release();
    assertThat(pool.free()).isEqualTo(used);
    assertThat(first.size()).isZero();
    assertThat(first.parts()).isEmpty();

    ChunkedOutput second = new ChunkedOutput(pool);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    writeBoth(new Random(2), second, expected);
    assertThat(BlobStore.concat(second.parts())).isEqualTo(expected.toByteArray());
    assertThat(pool.free())
        .as("the second took its chunks from those the first gave back")
        .isEqualTo(Math.max(0, used - second.parts().size()));
  }

  @Test
  void thePoolKeepsAtMostItsBound() {
    ChunkPool pool = new ChunkPool(2);
    ChunkedOutput out = new ChunkedOutput(pool);
    out.write(new byte[5 * ChunkPool.CHUNK_BYTES], 0, 5 * ChunkPool.CHUNK_BYTES);
    assertThat(out.parts()).hasSize(5);

    out.release();

    assertThat(pool.free()).isEqualTo(2);
  }
}
