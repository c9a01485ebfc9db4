package dev.kaskade.processors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void removesNestedMemberFromEveryArrayElement() {
    String out = Redactor.removePath("{\"a\":{\"b\":[{\"c\":1,\"d\":2},{\"c\":3}]}}", "$.a.b.c");
    assertThat(out).isEqualTo("{\"a\":{\"b\":[{\"d\":2},{}]}}");
  }

  @Test
  void leavesJsonUntouchedWhenPathIsAbsent() {
    String json = "{\"a\":1}";
    assertThat(Redactor.removePath(json, "$.b")).isSameAs(json);
  }

  private static InferenceRequest request(String json) {
    return InferenceRequest.newBuilder()
        .setId("r")
        .setModel("m")
        .setInputs(
            new java.util.ArrayList<>(
                List.of(Tensors.ofFloats("ssn", List.of(1L), new float[] {123f}))))
        .setParameters(new java.util.HashMap<>(Map.of("ssn", "123", "keep", "1")))
        .setJsonPayload(json)
        .build();
  }

  @Test
  void anUnparseableJsonPayloadIsDroppedAndRecorded() {
    InferenceRequest request = request("{\"ssn\": 123, broken");

    List<String> redacted = Redactor.redact(request, null, List.of("$.ssn"));

    assertThat(request.getJsonPayload()).isNull();
    assertThat(redacted).contains(Redactor.UNPARSEABLE);
  }

  @Test
  void aTensorNameRuleAlsoRedactsJsonAndParameters() {
    InferenceRequest request =
        request(
            "{\"instances\":[{\"ssn\":1,\"age\":2}],\"inputs\":[{\"name\":\"ssn\",\"data\":[1]}]}");

    List<String> redacted = Redactor.redact(request, null, List.of("ssn"));

    assertThat(request.getJsonPayload()).doesNotContain("\"ssn\":1").doesNotContain("\"data\"");
    assertThat(request.getJsonPayload()).contains("\"age\":2");
    assertThat(request.getInputs().get(0).getData().remaining()).isZero();
    assertThat(request.getParameters()).containsOnlyKeys("keep");
    assertThat(redacted).containsExactly("ssn");
  }

  @Test
  void aPathRuleAlsoBlanksTheTensorItNames() {
    InferenceRequest request = request("{\"instances\":[{\"ssn\":1}]}");

    Redactor.redact(request, null, List.of("$.instances.ssn"));

    assertThat(request.getJsonPayload()).isEqualTo("{\"instances\":[{}]}");
    assertThat(request.getInputs().get(0).getData().remaining()).isZero();
  }

  @Test
  void responseParametersAreRedactedToo() {
    InferenceResponse response =
        InferenceResponse.newBuilder()
            .setId("r")
            .setModel("m")
            .setParameters(new java.util.HashMap<>(Map.of("ssn", "1")))
            .build();

    Redactor.redact(null, response, List.of("ssn"));

    assertThat(response.getParameters()).isEmpty();
  }
}
