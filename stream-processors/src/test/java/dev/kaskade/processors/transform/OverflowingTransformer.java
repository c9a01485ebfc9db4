package dev.kaskade.processors.transform;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import java.util.Map;

/** A broken user SPI transformer for tests: overflows its stack on requests whose id is "boom". */
public class OverflowingTransformer implements Transformer {
  @Override
  public InferenceRequest preprocess(InferenceRequest request, Map<String, String> headers) {
    if (request.getId().equals("boom")) {
      throw new StackOverflowError("recursed forever");
    }
    return request;
  }

  @Override
  public InferenceResponse postprocess(InferenceResponse response, Map<String, String> headers) {
    return response;
  }
}
