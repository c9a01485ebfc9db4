package dev.kaskade.processors.transform;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import java.util.Map;

/** A user SPI transformer for tests: tags the request and the response. */
public class UppercaseModelTransformer implements Transformer {
  @Override
  public InferenceRequest preprocess(InferenceRequest request, Map<String, String> headers) {
    return InferenceRequest.newBuilder(request).setModel(request.getModel().toUpperCase()).build();
  }

  @Override
  public InferenceResponse postprocess(InferenceResponse response, Map<String, String> headers) {
    return InferenceResponse.newBuilder(response)
        .setParameters(
            Map.of(
                "spi",
                "post",
                "saw-reply-to",
                String.valueOf(headers.containsKey("kaskade-final-reply-to"))))
        .build();
  }
}
