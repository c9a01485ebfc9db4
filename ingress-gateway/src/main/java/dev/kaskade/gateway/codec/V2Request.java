package dev.kaskade.gateway.codec;

import dev.kaskade.events.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A decoded V2 (REST or gRPC) inference request.
 *
 * @param id request id (generated when the caller sent none)
 * @param inputs decoded input tensors
 * @param parameters request parameters rendered as strings
 * @param outputs requested outputs; empty means all
 * @param binaryOutputs REST: {@code binary_data_output}; gRPC: answer with raw contents
 */
public record V2Request(
    String id,
    List<Tensor> inputs,
    Map<String, String> parameters,
    List<RequestedOutput> outputs,
    boolean binaryOutputs) {

  public V2Request {
    inputs = List.copyOf(inputs);
    parameters = Map.copyOf(parameters);
    outputs = List.copyOf(outputs);
  }

  /** A requested output; {@code binary} is null when the request did not say. */
  public record RequestedOutput(String name, Boolean binary) {}

  public List<String> outputNames() {
    return outputs.stream().map(RequestedOutput::name).toList();
  }
}
