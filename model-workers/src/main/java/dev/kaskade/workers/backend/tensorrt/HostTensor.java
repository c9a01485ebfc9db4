package dev.kaskade.workers.backend.tensorrt;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A tensor in host memory: shape and raw little-endian row-major bytes.
 *
 * @param shape dimensions, batch first
 * @param data bytes from position to limit
 */
public record HostTensor(List<Long> shape, ByteBuffer data) {
  public HostTensor {
    shape = List.copyOf(shape);
  }
}
