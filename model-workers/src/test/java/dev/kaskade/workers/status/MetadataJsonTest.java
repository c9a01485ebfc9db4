package dev.kaskade.workers.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.workers.testing.LinearModel;
import org.junit.jupiter.api.Test;

class MetadataJsonTest {
  @Test
  void rendersOpenInferenceProtocolModelMetadata() {
    assertThat(MetadataJson.of("iris", "iris-predictor-1", LinearModel.METADATA))
        .isEqualTo(
            "{\"name\":\"iris\",\"versions\":[\"iris-predictor-1\"],\"platform\":\"test_linear\","
                + "\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}],"
                + "\"outputs\":[{\"name\":\"output\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]}");
  }
}
