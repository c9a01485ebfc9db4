package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.kaskade.gateway.grpc.proto.GRPCInferenceServiceGrpcClient;
import dev.kaskade.gateway.grpc.proto.InferTensorContents;
import dev.kaskade.gateway.grpc.proto.ModelInferRequest;
import dev.kaskade.gateway.grpc.proto.ModelInferResponse;
import dev.kaskade.gateway.grpc.proto.ServerLiveRequest;
import dev.kaskade.gateway.testing.Cluster;
import dev.kaskade.gateway.testing.GatewayFixture;
import dev.kaskade.gateway.testing.Tokens;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway with {@code gateway.auth.*} set, on a real broker: no or a bad token answers 401, a
 * valid token the policy does not allow 403, on V1, V2 REST and gRPC alike, and neither reaches the
 * request topic; an allowed caller's subject travels with the request.
 */
class GatewayAuthIT {
  private static final String V2_BODY =
      """
      {"id":"a-1","inputs":[{"name":"input","datatype":"FP32","shape":[1,4],
        "data":[[5.1,3.5,1.4,0.2]]}]}""";
  private static final Tokens IDP = new Tokens();
  private static GatewayFixture fx;
  private static Vertx vertx;
  private static GrpcClient grpc;
  private static String alice;
  private static String bob;
  private static Path jwks;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("gateway-auth-it");
    jwks = IDP.writeJwks(dir.resolve("jwks.json"));
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(
        policy,
        """
        - subjects: [alice]
          namespaces: [default]
          models: [iris]
          verbs: [infer, metadata]
        """);
    fx =
        new GatewayFixture(
            Cluster.shared(),
            Map.of(
                "gateway.auth.jwks",
                jwks.toString(),
                "gateway.auth.issuer",
                Tokens.ISSUER,
                "gateway.auth.audience",
                Tokens.AUDIENCE,
                "gateway.auth.policy",
                policy.toString(),
                "gateway.auth.metrics",
                "true",
                "gateway.auth.jwks.min.refresh.ms",
                "0"));
    alice = IDP.rs256(Tokens.claims("alice").build());
    bob = IDP.es256(Tokens.claims("bob").build());
    vertx = Vertx.vertx();
    grpc = GrpcClient.client(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
    if (fx != null) {
      fx.close();
    }
  }

  private static HttpResponse<byte[]> infer(String token) {
    return token == null
        ? fx.postJson("/v2/models/iris/infer", V2_BODY)
        : fx.postJson("/v2/models/iris/infer", V2_BODY, "authorization", "Bearer " + token);
  }

  private static JsonObject json(HttpResponse<byte[]> r) {
    return new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
  }

  @Test
  void restCallsWithoutAValidTokenGet401AndReachNoTopic() {
    int before = fx.responder.received();

    HttpResponse<byte[]> none = infer(null);
    HttpResponse<byte[]> garbage = infer("not-a-token");
    HttpResponse<byte[]> v1 =
        fx.postJson("/v1/models/iris:predict", "{\"instances\":[[5.1,3.5,1.4,0.2]]}");

    for (HttpResponse<byte[]> r : new HttpResponse[] {none, garbage, v1}) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("www-authenticate")).contains("Bearer");
      assertThat(json(r).getString("error")).contains("bearer token");
    }
    assertThat(infer(alice).statusCode()).isEqualTo(200);
    assertThat(fx.responder.received()).isEqualTo(before + 1);
  }

  @Test
  void aCallerThePolicyDoesNotAllowGets403AndReachesNoTopic() {
    int before = fx.responder.received();

    HttpResponse<byte[]> denied = infer(bob);

    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(json(denied).getString("error")).contains("bob").contains("iris");
    assertThat(fx.get("/v2/models/stalled").statusCode()).isEqualTo(401);
    assertThat(
            fx.send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(fx.url("/v2/models/stalled")))
                        .header("authorization", "Bearer " + alice)
                        .build())
                .statusCode())
        .isEqualTo(403);
    HttpResponse<byte[]> trailingSlash =
        fx.postJson("/v2/models/stalled/infer/", V2_BODY, "authorization", "Bearer " + alice);
    assertThat(trailingSlash.statusCode()).isEqualTo(403);
    assertThat(infer(alice).statusCode()).isEqualTo(200);
    assertThat(fx.responder.received()).isEqualTo(before + 1);
  }

  @Test
  void theAllowedCallersSubjectTravelsWithTheRequest() {
    assertThat(infer(alice).statusCode()).isEqualTo(200);

    assertThat(fx.responder.lastHeaders()).containsEntry(KaskadeHeaders.SUBJECT, "alice");
  }

  @Test
  void healthStaysOpenAndMetricsNeedAToken() {
    assertThat(fx.get("/v2/health/ready").statusCode()).isEqualTo(200);
    assertThat(fx.get("/v2/health/live").statusCode()).isEqualTo(200);
    assertThat(fx.get("/").statusCode()).isEqualTo(200);
    assertThat(fx.get("/metrics").statusCode()).isEqualTo(401);
    assertThat(
            fx.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(fx.url("/metrics")))
                        .header("authorization", "Bearer " + alice)
                        .build())
                .statusCode())
        .isEqualTo(200);
  }

  private static int getWith(String path, String token) {
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(fx.url(path)));
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    return fx.send(request.build()).statusCode();
  }

  @Test
  void theConsolePagesAreOpenButItsApiFollowsTheTokenAndThePolicy() {
    assertThat(getWith("/ui/models", null)).isEqualTo(200);
    assertThat(getWith("/ui/assets/console.js", null)).isEqualTo(200);
    assertThat(getWith("/api/models", null)).isEqualTo(401);
    assertThat(getWith("/api/models", alice)).isEqualTo(200);
    assertThat(getWith("/api/monitor/iris", alice)).isEqualTo(200);
    assertThat(getWith("/api/monitor/stalled", alice)).isEqualTo(403);
    // alice may infer and read metadata of iris, not read its audit records
    assertThat(getWith("/api/audit?model=iris", alice)).isEqualTo(403);
    assertThat(getWith("/api/audit/records/a-1", alice)).isEqualTo(403);
    assertThat(getWith("/api/models", bob)).isEqualTo(403);
  }

  @Test
  void openAiPathsAnswerInOpenAisErrorShape() {
    HttpResponse<byte[]> r =
        fx.postJson("/openai/v1/chat/completions", "{\"model\":\"iris\",\"messages\":[]}");

    assertThat(r.statusCode()).isEqualTo(401);
    JsonObject error = json(r).getJsonObject("error");
    assertThat(error.getString("message")).contains("bearer token");
    assertThat(error.getString("type")).isEqualTo("authentication_error");
    assertThat(error.getString("code")).isEqualTo("invalid_api_key");
  }

  @Test
  void grpcCallsAreAuthenticatedAndAuthorizedOnBothPorts() throws Exception {
    int before = fx.responder.received();
    for (int port : new int[] {fx.gateway.grpcPort(), fx.gateway.httpPort()}) {
      assertThat(status(infer(port, null))).isEqualTo(GrpcStatus.UNAUTHENTICATED);
      assertThat(status(infer(port, "garbage"))).isEqualTo(GrpcStatus.UNAUTHENTICATED);
      assertThat(status(infer(port, bob))).isEqualTo(GrpcStatus.PERMISSION_DENIED);
      assertThat(infer(port, alice).await(30, TimeUnit.SECONDS).getModelName()).isEqualTo("iris");
    }
    assertThat(fx.responder.received()).isEqualTo(before + 2);
    assertThat(fx.responder.lastHeaders()).containsEntry(KaskadeHeaders.SUBJECT, "alice");
    var live =
        GRPCInferenceServiceGrpcClient.create(
                grpc, SocketAddress.inetSocketAddress(fx.gateway.grpcPort(), "127.0.0.1"))
            .serverLive(ServerLiveRequest.getDefaultInstance())
            .await(30, TimeUnit.SECONDS);
    assertThat(live.getLive()).isTrue();
  }

  @Test
  void keysAddedToTheJwksAreFetchedOnTheirFirstTokenOnBothTransports() throws Exception {
    RSAKey grpcKey = new RSAKeyGenerator(2048).keyID("rsa-grpc").generate();
    RSAKey restKey = new RSAKeyGenerator(2048).keyID("rsa-rest").generate();
    List<JWK> keys = new ArrayList<>(IDP.jwks().getKeys());
    keys.add(grpcKey.toPublicJWK());
    Tokens.writeJwks(jwks, new JWKSet(keys));

    String grpcToken = Tokens.rs256(grpcKey, "rsa-grpc", Tokens.claims("alice").build());
    assertThat(infer(fx.gateway.grpcPort(), grpcToken).await(30, TimeUnit.SECONDS).getModelName())
        .isEqualTo("iris");

    keys.add(restKey.toPublicJWK());
    Tokens.writeJwks(jwks, new JWKSet(keys));
    String restToken = Tokens.rs256(restKey, "rsa-rest", Tokens.claims("alice").build());
    assertThat(infer(restToken).statusCode()).isEqualTo(200);
  }

  private static Future<ModelInferResponse> infer(int port, String token) {
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    for (float f : new float[] {5.1f, 3.5f, 1.4f, 0.2f}) {
      c.addFp32Contents(f);
    }
    ModelInferRequest message =
        ModelInferRequest.newBuilder()
            .setModelName("iris")
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("input")
                    .setDatatype("FP32")
                    .addShape(1)
                    .addShape(4)
                    .setContents(c))
            .build();
    return grpc.request(
            SocketAddress.inetSocketAddress(port, "127.0.0.1"),
            GRPCInferenceServiceGrpcClient.ModelInfer)
        .compose(
            req -> {
              if (token != null) {
                req.headers().set("authorization", "Bearer " + token);
              }
              return req.send(message).compose(resp -> resp.last());
            });
  }

  private static GrpcStatus status(Future<?> call) {
    Throwable failure = catchThrowable(() -> call.await(30, TimeUnit.SECONDS));
    if (failure instanceof InvalidStatusException e) {
      return e.actualStatus();
    }
    if (failure instanceof GrpcErrorException e) {
      return e.status();
    }
    throw new AssertionError("expected a gRPC status failure, got " + failure, failure);
  }
}
