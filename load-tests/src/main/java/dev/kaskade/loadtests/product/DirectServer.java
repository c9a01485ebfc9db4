package dev.kaskade.loadtests.product;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.loadtests.workers.Testbed;
import dev.kaskade.workers.backend.onnx.OrtRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The "direct server" baseline: the iris model behind a bare Vert.x HTTP endpoint calling ONNX
 * Runtime, no Kafka — the most this machine can do for HTTP + inference. It answers {@code POST
 * /v2/models/iris/infer} with a V2 JSON body (FP32 input {@code [rows, 4]}) and {@code GET
 * /v2/models/iris/ready}. One HTTP server per core share the port (Vert.x spreads connections over
 * their event loops); the model runs on the event loop (iris takes microseconds).
 */
public final class DirectServer {
  static final String READY = "direct server ready";

  private final OrtEnvironment env = OrtRuntime.environment();
  private final OrtSession session;
  private final String inputName;

  private DirectServer(String model) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    session = env.createSession(model, options);
    inputName = session.getInputNames().iterator().next();
  }

  public static void main(String[] argv) throws Exception {
    Testbed.quietLogs();
    BenchArgs args = new BenchArgs(argv);
    String model = args.string("model", Testbed.exampleModel("iris").toString());
    DirectServer server = new DirectServer(model);
    int port = args.integer("port", 18090);
    int instances = args.integer("instances", Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx();
    for (int i = 0; i < instances; i++) {
      vertx
          .createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
          .requestHandler(server::handle)
          .listen(port, "127.0.0.1")
          .await(30, TimeUnit.SECONDS);
    }
    System.out.println(READY + " on 127.0.0.1:" + port);
    System.out.flush();
  }

  private void handle(HttpServerRequest request) {
    if (request.path().endsWith("/ready")) {
      request.response().end("{\"name\":\"iris\",\"ready\":true}");
      return;
    }
    request
        .body()
        .onSuccess(
            body -> {
              try {
                request.response().putHeader("content-type", "application/json").end(infer(body));
              } catch (OrtException | RuntimeException e) {
                request
                    .response()
                    .setStatusCode(400)
                    .end(new JsonObject().put("error", e.toString()).encode());
              }
            });
  }

  /** Runs a V2 JSON request and returns the V2 JSON response. */
  Buffer infer(Buffer body) throws OrtException {
    JsonObject request = body.toJsonObject();
    JsonObject input = request.getJsonArray("inputs").getJsonObject(0);
    JsonArray shape = input.getJsonArray("shape");
    JsonArray data = input.getJsonArray("data");
    float[] values = new float[data.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = data.getNumber(i).floatValue();
    }
    long[] dims = {shape.getLong(0), shape.getLong(1)};
    JsonArray outputs = new JsonArray();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), dims);
        OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
      for (Map.Entry<String, OnnxValue> output : result) {
        if (output.getValue() instanceof OnnxTensor t) {
          outputs.add(output(output.getKey(), t));
        }
      }
    }
    return new JsonObject()
        .put("id", request.getString("id"))
        .put("model_name", "iris")
        .put("outputs", outputs)
        .toBuffer();
  }

  private static JsonObject output(String name, OnnxTensor tensor) {
    TensorInfo info = tensor.getInfo();
    JsonArray data = new JsonArray();
    String datatype;
    switch (info.type) {
      case FLOAT -> {
        datatype = "FP32";
        FloatBuffer buffer = tensor.getFloatBuffer();
        while (buffer.hasRemaining()) {
          data.add(buffer.get());
        }
      }
      case INT64 -> {
        datatype = "INT64";
        java.nio.LongBuffer buffer = tensor.getLongBuffer();
        while (buffer.hasRemaining()) {
          data.add(buffer.get());
        }
      }
      default -> datatype = info.type.name();
    }
    JsonArray shape = new JsonArray();
    for (long d : info.getShape()) {
      shape.add(d);
    }
    return new JsonObject()
        .put("name", name)
        .put("datatype", datatype)
        .put("shape", shape)
        .put("data", data);
  }
}
