package dev.kaskade.workers.backend.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.workers.backend.ModelMetadata;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** KServe V1 REST or Open Inference Protocol REST over the JDK HTTP client. */
final class RestTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(RestTransport.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Upstream upstream;
  private final UpstreamClient client;

  RestTransport(Upstream upstream) {
    this.upstream = upstream;
    this.client = new UpstreamClient(upstream);
  }

  /** 2xx, and a {@code "ready"} field, when there is one, that is true. */
  @Override
  public boolean ready(Duration timeout) {
    try {
      UpstreamClient.Answer answer = client.get(upstream.readyPath(), timeout);
      return answer.ok() && readyField(answer.body());
    } catch (KaskadeException e) {
      return false;
    }
  }

  private static boolean readyField(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node == null || !node.has("ready") || node.get("ready").asBoolean(true);
    } catch (IOException e) {
      return true; // a plain-text 200 is ready
    }
  }

  /** OIP metadata for V2 servers; none (the server validates) for V1 or when it has none. */
  @Override
  public ModelMetadata metadata() {
    if (upstream.protocol() != Upstream.Protocol.V2) {
      return Transport.unsigned(upstream);
    }
    try {
      UpstreamClient.Answer answer = client.get(upstream.metadataPath(), Duration.ofSeconds(5));
      return answer.ok()
          ? BridgeJson.v2Metadata(answer.body(), upstream.model())
          : Transport.unsigned(upstream);
    } catch (KaskadeException e) {
      LOG.warn("no metadata from {}: {}", upstream, e.getMessage());
      return Transport.unsigned(upstream);
    }
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs, Set<String> requestedOutputs, long deadlineMs) {
    if (upstream.protocol() == Upstream.Protocol.V1) {
      byte[] body = client.post(upstream.inferPath(), BridgeJson.v1Request(inputs), deadlineMs);
      return BridgeJson.v1Outputs(body);
    }
    byte[] request = BridgeJson.v2Request(inputs, requestedOutputs);
    return BridgeJson.v2Outputs(client.post(upstream.inferPath(), request, deadlineMs));
  }

  @Override
  public void close() {
    client.close();
  }
}
