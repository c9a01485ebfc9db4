package dev.kaskade.workers.backend;

import dev.kaskade.events.Tensor;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A model in memory. Implementations must be safe to call from several threads. */
public interface LoadedModel extends AutoCloseable {

  /** Open Inference Protocol metadata: inputs/outputs with -1 for variable dimensions. */
  ModelMetadata metadata();

  /**
   * Runs one (possibly batched) execution. Inputs have been validated against {@link #metadata()}.
   *
   * @param inputs one tensor per model input, batch dimension first
   * @param requestedOutputs output names to return; empty means all
   * @return output tensors, batch dimension first
   */
  List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs) throws InferenceFailure;

  /**
   * Runs one execution that must finish by {@code deadlineEpochMs} (0 = no deadline). In-process
   * backends ignore the deadline; a remote model server (the runtime bridge) bounds its call by it.
   * May throw {@link dev.kaskade.schemas.error.KaskadeException} to answer with a specific reason.
   */
  default List<Tensor> infer(
      List<Tensor> inputs, Set<String> requestedOutputs, long deadlineEpochMs)
      throws InferenceFailure {
    return infer(inputs, requestedOutputs);
  }

  /**
   * Whether the model can answer now. In-process models always can; a remote model server may go
   * away and come back, and the worker reports the change as the revision's status. Must not block.
   */
  default boolean ready() {
    return true;
  }

  /**
   * Batching the model's own configuration asks for (a Triton {@code config.pbtxt}); empty when it
   * has none and the InferenceService's {@code batcher} alone decides.
   */
  default Optional<ModelBatching> batching() {
    return Optional.empty();
  }

  /** Approximate bytes the model occupies (for the multi-model memory budget). */
  long memoryBytes();

  /** Unloads and frees native memory. */
  @Override
  void close();
}
