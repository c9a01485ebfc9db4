package dev.kaskade.workers.backend.tensorrt;

import dev.kaskade.workers.backend.InferenceFailure;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deserialized TensorRT engine with its execution contexts: the native seam of the TensorRT
 * backend. Everything above it (metadata, validation, batch splitting) is plain Java and is tested
 * without a GPU.
 */
public interface TrtEngine extends AutoCloseable {

  /** Engine inputs and outputs in engine order. */
  List<EngineTensor> tensors();

  /** Bytes of device memory the engine and its contexts hold (estimate). */
  long deviceMemoryBytes();

  /**
   * Runs one batch whose size is within the optimization profile. Thread-safe: concurrent calls use
   * different execution contexts (or wait for one).
   *
   * @param inputs input name → host tensor (every engine input)
   * @param outputs output names to copy back
   * @return output name → host tensor with its actual shape
   */
  Map<String, HostTensor> execute(Map<String, HostTensor> inputs, Set<String> outputs)
      throws InferenceFailure;

  @Override
  void close();
}
