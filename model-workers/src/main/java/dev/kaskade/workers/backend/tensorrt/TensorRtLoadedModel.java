package dev.kaskade.workers.backend.tensorrt;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A TensorRT engine behind the {@link LoadedModel} contract. Requests larger than the profile's
 * kMAX batch are split, run chunk by chunk and joined.
 */
final class TensorRtLoadedModel implements LoadedModel {
  private final TrtEngine engine;
  private final ModelMetadata metadata;
  private final long maxBatch;
  private final long memoryBytes;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  TensorRtLoadedModel(String name, TrtEngine engine, long hostBytes) throws ModelLoadException {
    this.engine = engine;
    List<TensorMetadata> inputs = new ArrayList<>();
    List<TensorMetadata> outputs = new ArrayList<>();
    long max = Long.MAX_VALUE;
    for (EngineTensor tensor : engine.tensors()) {
      DataType type = TrtTypes.toOip(tensor.trtType());
      if (type == null) {
        throw new ModelLoadException(
            "engine tensor '" + tensor.name() + "' has unsupported type " + tensor.trtType());
      }
      TensorMetadata meta = new TensorMetadata(tensor.name(), type, tensor.shape());
      if (tensor.input()) {
        inputs.add(meta);
        if (!tensor.shape().isEmpty() && tensor.shape().get(0) < 0) {
          max = Math.min(max, tensor.maxShape().get(0));
        }
      } else {
        outputs.add(meta);
      }
    }
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new ModelLoadException("engine has no inputs or no outputs");
    }
    this.maxBatch = max;
    this.metadata = new ModelMetadata(name, TensorRtBackend.PLATFORM, inputs, outputs);
    this.memoryBytes = hostBytes + engine.deviceMemoryBytes();
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  /** Largest batch one execution takes; larger requests are split. */
  long maxBatch() {
    return maxBatch;
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs)
      throws InferenceFailure {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new InferenceFailure("model " + metadata.name() + " is unloaded");
      }
      BindingPlan plan = BindingPlan.create(engine.tensors(), inputs, requestedOutputs);
      List<Map<String, HostTensor>> chunks = HostBatches.split(plan.inputs(), maxBatch);
      Map<String, List<HostTensor>> parts = new LinkedHashMap<>();
      plan.outputs().forEach(name -> parts.put(name, new ArrayList<>()));
      for (Map<String, HostTensor> chunk : chunks) {
        Map<String, HostTensor> result = engine.execute(chunk, plan.outputs());
        for (String name : plan.outputs()) {
          HostTensor out = result.get(name);
          if (out == null) {
            throw new InferenceFailure("engine returned no '" + name + "'");
          }
          parts.get(name).add(out);
        }
      }
      List<Tensor> out = new ArrayList<>();
      for (TensorMetadata output : metadata.outputs()) {
        List<HostTensor> pieces = parts.get(output.name());
        if (pieces == null) {
          continue;
        }
        HostTensor joined = HostBatches.concat(pieces);
        out.add(
            Tensor.newBuilder()
                .setName(output.name())
                .setDatatype(output.datatype())
                .setShape(new ArrayList<>(joined.shape()))
                .setData(joined.data())
                .build());
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long memoryBytes() {
    return memoryBytes;
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        engine.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
