package dev.kaskade.workers.backend.triton;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelBatching;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A model of a Triton repository, run by the ONNX Runtime or TensorRT backend: reports the
 * configuration's metadata and batching, answers with the configured outputs, and refuses a request
 * whose batch exceeds {@code max_batch_size} as Triton does.
 */
final class TritonLoadedModel implements LoadedModel {
  private final LoadedModel delegate;
  private final ModelMetadata metadata;
  private final ModelBatching batching;
  private final Set<String> outputs;

  TritonLoadedModel(LoadedModel delegate, ModelMetadata metadata, ModelBatching batching) {
    this.delegate = delegate;
    this.metadata = metadata;
    this.batching = batching;
    this.outputs =
        metadata.outputs().stream().map(TensorMetadata::name).collect(Collectors.toSet());
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  @Override
  public Optional<ModelBatching> batching() {
    return Optional.of(batching);
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs)
      throws InferenceFailure {
    return infer(inputs, requestedOutputs, 0);
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs, long deadlineEpochMs)
      throws InferenceFailure {
    int max = batching.maxBatchSize();
    if (max > 0 && !inputs.isEmpty() && !inputs.get(0).getShape().isEmpty()) {
      long rows = inputs.get(0).getShape().get(0);
      if (rows > max) {
        throw KaskadeException.invalid(
            "inference request batch-size must be <= "
                + max
                + " for '"
                + metadata.name()
                + "' (max_batch_size of its config.pbtxt), got "
                + rows);
      }
    }
    Set<String> wanted = requestedOutputs.isEmpty() ? outputs : requestedOutputs;
    return delegate.infer(inputs, wanted, deadlineEpochMs);
  }

  @Override
  public boolean ready() {
    return delegate.ready();
  }

  @Override
  public long memoryBytes() {
    return delegate.memoryBytes();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
