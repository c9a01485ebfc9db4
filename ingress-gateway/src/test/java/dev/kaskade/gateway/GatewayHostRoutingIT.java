package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.gateway.testing.Cluster;
import dev.kaskade.gateway.testing.GatewayFixture;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KServe's addresses: {@code Host: <name>.<namespace>.<domain>} selects the namespace (and for a
 * graph, {@code POST /} runs it). Requests are written on a raw socket because java.net.http does
 * not let a caller set Host.
 */
class GatewayHostRoutingIT {
  private static final String V1_BODY = "{\"instances\":[[5.1,3.5,1.4,0.2]]}";
  private static GatewayFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(Cluster.shared(), Map.of("control.domain", "kaskade.test"));
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  /** Status and body of one HTTP/1.1 POST with the given Host. */
  private record Reply(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private static Reply post(String host, String path, String body) throws IOException {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", fx.gateway.httpPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: "
              + host
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + payload.length
              + "\r\nConnection: close\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(payload);
      out.flush();
      String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      return new Reply(status, response.substring(response.indexOf("\r\n\r\n") + 4));
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    in.transferTo(buffer);
    return buffer.toByteArray();
  }

  @Test
  void shouldRunAGraphPostedToTheRootOfItsHost() throws Exception {
    Reply r = post("pipeline.default.kaskade.test", "/", V1_BODY);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getJsonArray("predictions")).hasSize(1);
    assertThat(fx.responder.lastHeaders().get("kaskade-model")).isEqualTo("pipeline");
  }

  @Test
  void shouldServeAnInferenceServiceOfTheNamespaceItsHostNames() throws Exception {
    String v2 =
        """
        {"inputs":[{"name":"input","datatype":"FP32","shape":[1,4],"data":[5.1,3.5,1.4,0.2]}]}""";
    Reply team = post("iris.team.kaskade.test:8080", "/v2/models/iris/infer", v2);
    assertThat(team.status()).as(team.body()).isEqualTo(200);
    assertThat(team.json().getString("model_version")).isEqualTo(GatewayFixture.TEAM_IRIS_REV);

    Reply predictorHost = post("iris-predictor.team.kaskade.test", "/v2/models/iris/infer", v2);
    assertThat(predictorHost.json().getString("model_version"))
        .isEqualTo(GatewayFixture.TEAM_IRIS_REV);

    Reply own = post("iris.default.kaskade.test", "/v2/models/iris/infer", v2);
    assertThat(own.json().getString("model_version")).isEqualTo(GatewayFixture.IRIS_REV);

    Reply v1 = post("iris.team.kaskade.test", "/v1/models/iris:predict", V1_BODY);
    assertThat(v1.status()).as(v1.body()).isEqualTo(200);
  }

  @Test
  void shouldFallBackToPathRoutingForAnUnknownHost() throws Exception {
    Reply unknown = post("nothing.team.kaskade.test", "/v2/models/iris/infer", "{\"inputs\":[]}");
    assertThat(unknown.status()).isNotEqualTo(404);
    Reply other = post("iris.team.elsewhere.org", "/v1/models/iris:predict", V1_BODY);
    assertThat(other.status()).as(other.body()).isEqualTo(200);
    Reply root = post("iris.team.kaskade.test", "/", V1_BODY);
    assertThat(root.status()).isEqualTo(404);
  }
}
