package dev.kaskade.workers.backend.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One ONNX Runtime session. {@link OrtSession#run} is thread-safe, so {@link #infer} runs
 * concurrently; a read/write lock makes {@link #close} wait for in-flight runs.
 */
final class OnnxLoadedModel implements LoadedModel {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelMetadata metadata;
  private final Map<String, TensorMetadata> inputs = new HashMap<>();
  private final long memoryBytes;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  OnnxLoadedModel(
      OrtEnvironment env, OrtSession session, ModelMetadata metadata, long memoryBytes) {
    this.env = env;
    this.session = session;
    this.metadata = metadata;
    this.memoryBytes = memoryBytes;
    metadata.inputs().forEach(t -> inputs.put(t.name(), t));
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  @Override
  public List<Tensor> infer(List<Tensor> batch, Set<String> requestedOutputs)
      throws InferenceFailure {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new InferenceFailure("model " + metadata.name() + " is unloaded");
      }
      Set<String> outputNames = outputNames(requestedOutputs);
      Map<String, OnnxTensor> feeds = new HashMap<>();
      try {
        for (Tensor tensor : batch) {
          feeds.put(tensor.getName(), toOnnx(tensor));
        }
        for (String name : inputs.keySet()) {
          if (!feeds.containsKey(name)) {
            throw new InferenceFailure("missing input '" + name + "'");
          }
        }
        try (OrtSession.Result result = session.run(feeds, outputNames)) {
          List<Tensor> out = new ArrayList<>(outputNames.size());
          for (String name : outputNames) {
            OnnxValue value =
                result
                    .get(name)
                    .orElseThrow(() -> new InferenceFailure("model returned no '" + name + "'"));
            out.add(fromOnnx(name, value));
          }
          return out;
        }
      } catch (OrtException e) {
        throw new InferenceFailure("ONNX Runtime run failed: " + e.getMessage(), e);
      } finally {
        feeds.values().forEach(OnnxTensor::close);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private Set<String> outputNames(Set<String> requested) throws InferenceFailure {
    Set<String> names = new LinkedHashSet<>();
    for (TensorMetadata output : metadata.outputs()) {
      if (requested == null || requested.isEmpty() || requested.contains(output.name())) {
        names.add(output.name());
      }
    }
    if (requested != null) {
      for (String name : requested) {
        if (!names.contains(name)) {
          throw new InferenceFailure(
              "unknown output '"
                  + name
                  + "'; model outputs are "
                  + metadata.outputs().stream().map(TensorMetadata::name).toList());
        }
      }
    }
    return names;
  }

  private OnnxTensor toOnnx(Tensor tensor) throws InferenceFailure, OrtException {
    TensorMetadata declared = inputs.get(tensor.getName());
    if (declared == null) {
      throw new InferenceFailure(
          "unknown input '" + tensor.getName() + "'; model inputs are " + inputs.keySet());
    }
    if (declared.datatype() != tensor.getDatatype()) {
      throw new InferenceFailure(
          "input '%s' has datatype %s, model expects %s"
              .formatted(tensor.getName(), tensor.getDatatype(), declared.datatype()));
    }
    OnnxJavaType javaType = OnnxTypes.bufferType(tensor.getDatatype());
    if (javaType == null) {
      throw new InferenceFailure(
          "datatype " + tensor.getDatatype() + " is not supported by the ONNX Runtime backend");
    }
    long[] shape = tensor.getShape().stream().mapToLong(Long::longValue).toArray();
    ByteBuffer data = tensor.getData().duplicate();
    long expected;
    try {
      expected =
          Tensors.byteSize(
              tensor.getName(), Tensors.elementCount(tensor.getShape()), tensor.getDatatype());
    } catch (KaskadeException e) {
      throw new InferenceFailure("input '" + tensor.getName() + "': " + e.getMessage());
    }
    if (data.remaining() != expected) {
      throw new InferenceFailure(
          "input '%s': shape %s needs %d bytes, got %d"
              .formatted(tensor.getName(), tensor.getShape(), expected, data.remaining()));
    }
    // Tensor data is little-endian; a direct buffer in native order is wrapped without a copy.
    ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    direct.put(data).flip();
    return OnnxTensor.createTensor(env, direct, shape, javaType);
  }

  private static Tensor fromOnnx(String name, OnnxValue value) throws InferenceFailure {
    if (!(value instanceof OnnxTensor tensor)) {
      throw new InferenceFailure("output '" + name + "' is not a tensor: " + value.getType());
    }
    var type = OnnxTypes.toDataType(tensor.getInfo().onnxType);
    if (type == null || OnnxTypes.bufferType(type) == null) {
      throw new InferenceFailure(
          "output '" + name + "' has unsupported type " + tensor.getInfo().onnxType);
    }
    ByteBuffer raw = tensor.getByteBuffer().order(ByteOrder.nativeOrder());
    ByteBuffer copy = ByteBuffer.allocate(raw.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    copy.put(raw).flip();
    List<Long> shape = new ArrayList<>();
    for (long dim : tensor.getInfo().getShape()) {
      shape.add(dim);
    }
    return Tensor.newBuilder()
        .setName(name)
        .setDatatype(type)
        .setShape(shape)
        .setData(copy)
        .build();
  }

  @Override
  public long memoryBytes() {
    return memoryBytes;
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      session.close();
    } catch (OrtException e) {
      // The session is gone either way; nothing a caller can do.
    } finally {
      lock.writeLock().unlock();
    }
  }
}
