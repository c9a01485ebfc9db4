package dev.kaskade.workers.backend.tensorrt;

import static dev.kaskade.workers.backend.tensorrt.JavaCppTrtNative.check;
import static dev.kaskade.workers.backend.tensorrt.JavaCppTrtNative.dims;
import static dev.kaskade.workers.backend.tensorrt.JavaCppTrtNative.error;
import static dev.kaskade.workers.backend.tensorrt.JavaCppTrtNative.shape;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreate;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import dev.kaskade.workers.backend.InferenceFailure;
import dev.kaskade.workers.backend.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * A deserialized engine with a pool of execution contexts. Each context owns a CUDA stream and one
 * device buffer per I/O tensor sized for the profile's kMAX shapes; bindings are by tensor name
 * (setTensorAddress), shapes are set per call (setInputShape), and a call is enqueueV3 between
 * async host→device and device→host copies on the context's stream.
 */
final class JavaCppTrtEngine implements TrtEngine {
  private final IRuntime runtime;
  private final ICudaEngine engine;
  private final int deviceId;
  private final List<EngineTensor> tensors;
  private final List<Slot> slots = new ArrayList<>();
  private final BlockingQueue<Slot> free;
  private final long deviceBytes;

  /** One execution context with its stream and buffers. */
  private record Slot(
      IExecutionContext context,
      CUstream_st stream,
      Map<String, Pointer> buffers,
      Map<String, Long> capacity) {}

  JavaCppTrtEngine(IRuntime runtime, ICudaEngine engine, int deviceId, int contexts)
      throws ModelLoadException {
    this.runtime = runtime;
    this.engine = engine;
    this.deviceId = deviceId;
    this.free = new ArrayBlockingQueue<>(contexts);
    boolean hasProfile = engine.getNbOptimizationProfiles() > 0;
    Map<String, List<Long>> maxInputs = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    Map<String, Boolean> isInput = new HashMap<>();
    Map<String, String> types = new HashMap<>();
    Map<String, List<Long>> engineShapes = new HashMap<>();
    for (int i = 0; i < engine.getNbIOTensors(); i++) {
      String name = engine.getIOTensorName(i);
      names.add(name);
      boolean input = engine.getTensorIOMode(name) == nvinfer.TensorIOMode.kINPUT;
      isInput.put(name, input);
      types.put(name, engine.getTensorDataType(name).name());
      List<Long> engineShape = shape(engine.getTensorShape(name));
      engineShapes.put(name, engineShape);
      if (input) {
        boolean dynamic = engineShape.stream().anyMatch(d -> d < 0);
        maxInputs.put(
            name,
            dynamic && hasProfile
                ? shape(engine.getProfileShape(name, 0, nvinfer.OptProfileSelector.kMAX))
                : engineShape);
      }
      if (TrtTypes.elementSize(types.get(name)) < 0) {
        throw new ModelLoadException(
            "engine tensor '" + name + "' has unsupported type " + types.get(name));
      }
    }
    long total = 0;
    Map<String, List<Long>> maxShapes = new HashMap<>(maxInputs);
    try {
      for (int c = 0; c < contexts; c++) {
        Slot slot = newSlot(names, types, maxInputs, maxShapes);
        slots.add(slot);
        free.add(slot);
        total += slot.capacity().values().stream().mapToLong(Long::longValue).sum();
      }
    } catch (ModelLoadException | RuntimeException e) {
      close();
      throw e;
    }
    long contextMemory = engine.getDeviceMemorySizeV2();
    this.deviceBytes = total + contextMemory * contexts;
    List<EngineTensor> described = new ArrayList<>();
    for (String name : names) {
      described.add(
          new EngineTensor(
              name,
              isInput.get(name),
              types.get(name),
              engineShapes.get(name),
              maxShapes.get(name)));
    }
    this.tensors = List.copyOf(described);
  }

  private Slot newSlot(
      List<String> names,
      Map<String, String> types,
      Map<String, List<Long>> maxInputs,
      Map<String, List<Long>> maxShapes)
      throws ModelLoadException {
    IExecutionContext context = engine.createExecutionContext();
    if (context == null || context.isNull()) {
      throw new ModelLoadException("TensorRT createExecutionContext failed");
    }
    CUstream_st stream = new CUstream_st();
    check(cudaStreamCreate(stream), "cudaStreamCreate");
    Map<String, Pointer> buffers = new HashMap<>();
    Map<String, Long> capacity = new HashMap<>();
    Slot slot = new Slot(context, stream, buffers, capacity);
    try {
      for (Map.Entry<String, List<Long>> input : maxInputs.entrySet()) {
        if (!context.setInputShape(input.getKey(), dims(input.getValue()))) {
          throw new ModelLoadException(
              "TensorRT rejected shape " + input.getValue() + " for input " + input.getKey());
        }
      }
      for (String name : names) {
        List<Long> max = shape(context.getTensorShape(name));
        if (max.stream().anyMatch(d -> d < 0)) {
          throw new ModelLoadException(
              "tensor '" + name + "' has a data-dependent shape " + max + "; not supported");
        }
        maxShapes.put(name, max);
        long bytes = Math.max(1, elements(max) * TrtTypes.elementSize(types.get(name)));
        Pointer device = new Pointer();
        check(cudaMalloc(device, bytes), "cudaMalloc(" + bytes + ")");
        buffers.put(name, device);
        capacity.put(name, bytes);
        if (!context.setTensorAddress(name, device)) {
          throw new ModelLoadException("TensorRT setTensorAddress failed for " + name);
        }
      }
      return slot;
    } catch (ModelLoadException | RuntimeException e) {
      release(slot);
      throw e;
    }
  }

  private static long elements(List<Long> shape) {
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  @Override
  public List<EngineTensor> tensors() {
    return tensors;
  }

  @Override
  public long deviceMemoryBytes() {
    return deviceBytes;
  }

  @Override
  public Map<String, HostTensor> execute(Map<String, HostTensor> inputs, Set<String> outputs)
      throws InferenceFailure {
    Slot slot;
    try {
      slot = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InferenceFailure("interrupted while waiting for an execution context", e);
    }
    List<Object> keepAlive = new ArrayList<>();
    try {
      cudaSetDevice(deviceId); // the current device is per host thread
      for (Map.Entry<String, HostTensor> input : inputs.entrySet()) {
        String name = input.getKey();
        HostTensor tensor = input.getValue();
        long bytes = tensor.data().remaining();
        Long room = slot.capacity().get(name);
        if (room == null || bytes > room) {
          throw new InferenceFailure(
              "input '" + name + "' of " + bytes + " bytes exceeds the profile (" + room + ")");
        }
        if (!slot.context().setInputShape(name, dims(tensor.shape()))) {
          throw new InferenceFailure(
              "TensorRT rejected shape " + tensor.shape() + " for input '" + name + "'");
        }
        ByteBuffer direct = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        direct.put(tensor.data().duplicate()).flip();
        BytePointer host = new BytePointer(direct);
        keepAlive.add(direct);
        keepAlive.add(host);
        cuda(
            cudaMemcpyAsync(
                slot.buffers().get(name), host, bytes, cudaMemcpyHostToDevice, slot.stream()),
            "copy of input " + name);
      }
      if (!slot.context().enqueueV3(slot.stream())) {
        throw new InferenceFailure("TensorRT enqueueV3 failed (see the TensorRT log)");
      }
      Map<String, HostTensor> results = new LinkedHashMap<>();
      for (String name : outputs) {
        Dims64 dims = slot.context().getTensorShape(name);
        List<Long> shape = shape(dims);
        long bytes = elements(shape) * TrtTypes.elementSize(typeOf(name));
        ByteBuffer direct =
            ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        BytePointer host = new BytePointer(direct);
        keepAlive.add(host);
        cuda(
            cudaMemcpyAsync(
                host, slot.buffers().get(name), bytes, cudaMemcpyDeviceToHost, slot.stream()),
            "copy of output " + name);
        results.put(name, new HostTensor(shape, direct));
      }
      cuda(cudaStreamSynchronize(slot.stream()), "stream synchronize");
      return results;
    } finally {
      keepAlive.clear();
      free.add(slot);
    }
  }

  private String typeOf(String name) {
    for (EngineTensor tensor : tensors) {
      if (tensor.name().equals(name)) {
        return tensor.trtType();
      }
    }
    throw new IllegalArgumentException("no tensor " + name);
  }

  private static void cuda(int status, String what) throws InferenceFailure {
    if (status != cudart.cudaSuccess) {
      throw new InferenceFailure("CUDA " + what + " failed: " + error(status));
    }
  }

  private static void release(Slot slot) {
    for (Pointer buffer : slot.buffers().values()) {
      cudaFree(buffer);
    }
    slot.buffers().clear();
    if (!slot.stream().isNull()) {
      cudaStreamDestroy(slot.stream());
    }
    slot.context().close();
  }

  @Override
  public void close() {
    cudaSetDevice(deviceId);
    for (Slot slot : slots) {
      release(slot);
    }
    slots.clear();
    free.clear();
    engine.close();
    runtime.close();
  }
}
