package dev.kaskade.workers.backend.tensorrt;

import java.util.List;

/**
 * One input or output of a TensorRT engine, as the native layer reports it.
 *
 * @param name tensor name (bindings are by name)
 * @param input true for inputs, false for outputs
 * @param trtType TensorRT {@code nvinfer1::DataType} enum name, e.g. {@code kFLOAT}
 * @param shape engine shape, -1 for dimensions fixed only at run time
 * @param maxShape largest shape allowed by optimization profile 0 (inputs); equal to {@code shape}
 *     when static; for outputs the shape at the largest input shapes
 */
public record EngineTensor(
    String name, boolean input, String trtType, List<Long> shape, List<Long> maxShape) {
  public EngineTensor {
    shape = List.copyOf(shape);
    maxShape = List.copyOf(maxShape);
  }
}
