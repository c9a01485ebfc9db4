package dev.kaskade.workers.backend;

import java.util.List;

/**
 * Open Inference Protocol model metadata.
 *
 * @param name model name
 * @param platform e.g. {@code onnx_onnxv1} or {@code tensorrt_plan}
 * @param inputs input tensors
 * @param outputs output tensors
 */
public record ModelMetadata(
    String name, String platform, List<TensorMetadata> inputs, List<TensorMetadata> outputs) {
  public ModelMetadata {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
