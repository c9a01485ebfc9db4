package dev.kaskade.processors.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import java.util.List;
import org.apache.kafka.common.header.Headers;

/** The CloudEvents attributes of KServe's payload logger, as Kaskade fills them. */
public final class CloudEventAttributes {
  public static final String REQUEST_TYPE = "org.kubeflow.serving.inference.request";
  public static final String RESPONSE_TYPE = "org.kubeflow.serving.inference.response";

  /** Request headers copied into ce_metadata (KServe's allow-listed metadata headers). */
  public static final List<String> METADATA_HEADERS =
      List.of(
          KaskadeHeaders.TRACEPARENT,
          KaskadeHeaders.PROTOCOL,
          KaskadeHeaders.MODEL_VERSION,
          KaskadeHeaders.REPLAY_OF);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CloudEventAttributes() {}

  static PayloadAuditRecord.Builder base(IsvcTopic isvc, String id, String source) {
    return PayloadAuditRecord.newBuilder()
        .setCeId(id)
        .setCeSpecversion("1.0")
        .setCeType(REQUEST_TYPE)
        .setCeSource(source)
        .setCeInferenceservicename(isvc.isvc())
        .setCeNamespace(isvc.namespace())
        .setCeComponent("predictor")
        .setCeEndpoint("")
        .setCeMetadata("{}")
        .setContentType("application/json");
  }

  /** KServe's ce-metadata: a JSON string {"Header-Name":["v1",...]} of allow-listed headers. */
  static String metadata(Headers headers) {
    ObjectNode node = MAPPER.createObjectNode();
    for (String name : METADATA_HEADERS) {
      String value = KaskadeHeaders.get(headers, name);
      if (value != null) {
        node.putArray(name).add(value);
      }
    }
    return node.toString();
  }

  static boolean isReplay(InferenceRequest request, Headers headers) {
    return request.getReplayOf() != null
        || KaskadeHeaders.get(headers, KaskadeHeaders.REPLAY_OF) != null;
  }
}
