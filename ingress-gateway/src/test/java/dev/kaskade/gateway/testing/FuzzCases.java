package dev.kaskade.gateway.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random and malformed REST requests for the fuzz suite, drawn from one seeded {@link Random} so a
 * failing case can be replayed from the seed and its index. Every case is built around iris (input
 * FP32 [-1,4]) so that a share of them are valid and must be answered correctly.
 */
public final class FuzzCases {
  /** One REST call: what it exercises, the path, extra headers and the body. */
  public record HttpCase(String label, String path, List<String> headers, byte[] body) {
    @Override
    public String toString() {
      String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
      return label + " POST " + path + " " + headers + " body(" + body.length + "): " + text;
    }
  }

  private static final String[] TYPES = {
    "FP32", "FP64", "INT32", "INT64", "BOOL", "BYTES", "FP16", "BF16", "UINT8", "UINT64", "fp32",
    "", "COMPLEX"
  };
  private static final Object[] ODD_VALUES = {
    null,
    "NaN",
    "Infinity",
    "-Infinity",
    "",
    "☃",
    true,
    1e308,
    -1e308,
    1.7976931348623157e308,
    4.9e-324,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    18446744073709551615.0,
    new JsonObject(),
    0.5
  };

  private final Random random;

  public FuzzCases(long seed) {
    this.random = new Random(seed);
  }

  /** The next case; about one in six is a valid iris request. */
  public HttpCase next() {
    return switch (random.nextInt(6)) {
      case 0 -> v2Json();
      case 1 -> v2Binary();
      case 2 -> v1();
      case 3 -> garbage();
      case 4 -> mutatedJson();
      default -> valid();
    };
  }

  private HttpCase valid() {
    int rows = 1 + random.nextInt(3);
    if (random.nextBoolean()) {
      return json(
          "valid-v1", "/v1/models/iris:predict", new JsonObject().put("instances", rows(rows)));
    }
    JsonObject body = v2Body("FP32", new JsonArray().add(rows).add(4), flat(rows * 4));
    return json("valid-v2", "/v2/models/iris/infer", body);
  }

  private HttpCase v2Json() {
    JsonArray shape = randomShape();
    String type = TYPES[random.nextInt(TYPES.length)];
    Object data = random.nextInt(4) == 0 ? oddValue() : randomData(1 + random.nextInt(12));
    JsonObject body = v2Body(type, shape, data);
    if (random.nextInt(4) == 0) {
      body.put("id", randomId());
    }
    if (random.nextInt(5) == 0) {
      body.put("outputs", new JsonArray().add(new JsonObject().put("name", oddValue())));
    }
    if (random.nextInt(5) == 0) {
      body.put(
          "parameters", random.nextBoolean() ? oddValue() : new JsonObject().put("x", oddValue()));
    }
    return json("v2-json", modelPath(), body);
  }

  private HttpCase v2Binary() {
    int declared = random.nextInt(4) == 0 ? random.nextInt(64) - 8 : 32;
    byte[] blob = bytes(random.nextInt(4) == 0 ? random.nextInt(64) : 32);
    JsonObject params =
        new JsonObject().put("binary_data_size", random.nextInt(5) == 0 ? oddValue() : declared);
    JsonObject body =
        v2Body(
            random.nextBoolean() ? "FP32" : TYPES[random.nextInt(TYPES.length)],
            randomOrIrisShape(),
            null);
    body.getJsonArray("inputs").getJsonObject(0).remove("data");
    body.getJsonArray("inputs").getJsonObject(0).put("parameters", params);
    byte[] header = body.encode().getBytes(StandardCharsets.UTF_8);
    String length =
        switch (random.nextInt(5)) {
          case 0 -> Integer.toString(random.nextInt(header.length + 64) - 16);
          case 1 -> random.nextBoolean() ? "x" : "99999999999";
          default -> Integer.toString(header.length);
        };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    out.writeBytes(blob);
    List<String> headers =
        List.of(
            "content-type", "application/octet-stream", "inference-header-content-length", length);
    return new HttpCase("v2-binary", "/v2/models/iris/infer", headers, out.toByteArray());
  }

  private HttpCase v1() {
    Object instances =
        switch (random.nextInt(5)) {
          case 0 -> oddValue();
          case 1 -> new JsonArray().add(oddValue()).add(1);
          case 2 -> deep(1 + random.nextInt(40));
          case 3 -> new JsonArray();
          default -> rows(1 + random.nextInt(3)).add(randomData(random.nextInt(6)));
        };
    String key = random.nextInt(6) == 0 ? "inputs" : random.nextInt(8) == 0 ? "x" : "instances";
    List<String> headers = new ArrayList<>(List.of("content-type", "application/json"));
    if (random.nextInt(4) == 0) {
      // The JDK client refuses control and non-Latin-1 characters in headers; the rest may go.
      headers.addAll(List.of("x-request-id", randomId().replaceAll("[^\\x20-\\x7e]", "*")));
    }
    if (random.nextInt(6) == 0) {
      headers.addAll(List.of("kaskade-timeout-ms", random.nextBoolean() ? "-5" : "abc"));
    }
    String verb = random.nextInt(5) == 0 ? ":explain" : ":predict";
    byte[] body = new JsonObject().put(key, instances).encode().getBytes(StandardCharsets.UTF_8);
    return new HttpCase("v1", "/v1/models/" + modelName() + verb, headers, body);
  }

  private HttpCase garbage() {
    String path = random.nextBoolean() ? "/v2/models/iris/infer" : "/v1/models/iris:predict";
    byte[] body =
        switch (random.nextInt(4)) {
          case 0 -> bytes(random.nextInt(200));
          case 1 -> "[".repeat(1 + random.nextInt(5000)).getBytes(StandardCharsets.UTF_8);
          case 2 -> "{\"inputs\":".getBytes(StandardCharsets.UTF_8);
          default -> "{\"a\":1}{\"b\":2}".getBytes(StandardCharsets.UTF_8);
        };
    return new HttpCase("garbage", path, List.of("content-type", "application/json"), body);
  }

  /** A valid V2 body with a few characters changed: mostly invalid JSON or wrong types. */
  private HttpCase mutatedJson() {
    byte[] body =
        v2Body("FP32", new JsonArray().add(1).add(4), flat(4))
            .encode()
            .getBytes(StandardCharsets.UTF_8);
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
      body[random.nextInt(body.length)] =
          (byte) " {}[]\",:0-9eE.nulltrue".charAt(random.nextInt(22));
    }
    return new HttpCase(
        "mutated", "/v2/models/iris/infer", List.of("content-type", "application/json"), body);
  }

  private HttpCase json(String label, String path, JsonObject body) {
    return new HttpCase(
        label,
        path,
        List.of("content-type", "application/json"),
        body.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject v2Body(String type, JsonArray shape, Object data) {
    JsonObject input =
        new JsonObject()
            .put("name", "input")
            .put("datatype", type)
            .put("shape", shape)
            .put("data", data);
    return new JsonObject().put("inputs", new JsonArray().add(input));
  }

  private JsonArray randomOrIrisShape() {
    return random.nextBoolean() ? new JsonArray().add(2).add(4) : randomShape();
  }

  private JsonArray randomShape() {
    JsonArray shape = new JsonArray();
    switch (random.nextInt(8)) {
      case 0 -> shape.add(2147483647L).add(0);
      case 1 -> {
        for (int i = 0; i < 17 + random.nextInt(2000); i++) {
          shape.add(1);
        }
      }
      case 2 -> shape.add(1L << 62).add(4);
      case 3 -> shape.add(-1).add(4);
      case 4 -> shape.add(oddValue()).add(4);
      case 5 -> shape.add(0).add(4);
      case 6 -> shape.add(1L << 61);
      default -> shape.add(1 + random.nextInt(3)).add(random.nextInt(6));
    }
    return shape;
  }

  private Object randomData(int n) {
    JsonArray data = new JsonArray();
    for (int i = 0; i < n; i++) {
      data.add(random.nextInt(10) == 0 ? oddValue() : random.nextGaussian() * 5);
    }
    return data;
  }

  private JsonArray rows(int n) {
    JsonArray rows = new JsonArray();
    for (int i = 0; i < n; i++) {
      rows.add(flat(4));
    }
    return rows;
  }

  private JsonArray flat(int n) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < n; i++) {
      out.add(Math.round(random.nextDouble() * 80) / 10.0);
    }
    return out;
  }

  private static JsonArray deep(int depth) {
    JsonArray a = new JsonArray().add(1.0);
    for (int i = 1; i < depth; i++) {
      a = new JsonArray().add(a);
    }
    return a;
  }

  private Object oddValue() {
    return ODD_VALUES[random.nextInt(ODD_VALUES.length)];
  }

  private String modelPath() {
    String version =
        random.nextInt(8) == 0
            ? "/versions/" + java.net.URLEncoder.encode(randomId(), StandardCharsets.UTF_8)
            : "";
    return "/v2/models/" + modelName() + version + "/infer";
  }

  private String modelName() {
    return random.nextInt(4) == 0 ? "m" + Integer.toHexString(random.nextInt()) : "iris";
  }

  /** An id that is sometimes valid, sometimes long, sometimes full of odd characters. */
  public String randomId() {
    return switch (random.nextInt(4)) {
      case 0 -> "id-" + random.nextInt(1000);
      case 1 -> "x".repeat(200 + random.nextInt(200));
      case 2 -> "☃ snow%20" + random.nextInt(9);
      default -> java.util.UUID.randomUUID().toString();
    };
  }

  /** Random bytes. */
  public byte[] bytes(int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  public Random random() {
    return random;
  }
}
