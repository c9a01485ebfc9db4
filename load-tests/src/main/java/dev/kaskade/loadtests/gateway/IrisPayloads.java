package dev.kaskade.loadtests.gateway;

import dev.kaskade.gateway.grpc.proto.InferTensorContents;
import dev.kaskade.gateway.grpc.proto.ModelInferRequest;

/** Single-row iris request bodies (V2 REST, V1 REST, gRPC), cycling over a few real rows. */
public final class IrisPayloads {
  public static final float[][] ROWS = {
    {5.1f, 3.5f, 1.4f, 0.2f}, {6.3f, 3.3f, 6.0f, 2.5f}, {5.9f, 3.0f, 4.2f, 1.5f},
    {4.9f, 3.0f, 1.4f, 0.2f}, {6.7f, 3.1f, 4.4f, 1.4f}, {7.2f, 3.6f, 6.1f, 2.5f},
    {5.5f, 2.4f, 3.8f, 1.1f}, {6.0f, 2.2f, 5.0f, 1.5f}
  };

  private IrisPayloads() {}

  public static float[] row(long i) {
    return ROWS[(int) (i % ROWS.length)];
  }

  private static String values(float[] row) {
    StringBuilder out = new StringBuilder();
    for (int c = 0; c < row.length; c++) {
      out.append(c == 0 ? "" : ",").append(row[c]);
    }
    return out.toString();
  }

  /** Open Inference Protocol REST body with {@code id}. */
  public static String v2(String id, long i) {
    return "{\"id\":\""
        + id
        + "\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":["
        + values(row(i))
        + "]}]}";
  }

  /**
   * A V2 request in the binary tensor data extension: the JSON header (the input carries {@code
   * binary_data_size}) followed by the row as 16 little-endian FP32 bytes. Send it with {@code
   * content-type: application/octet-stream} and {@code Inference-Header-Content-Length:} {@link
   * #binaryHeaderLength}.
   */
  public static byte[] v2Binary(String id, long i) {
    byte[] header = binaryHeader(id).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.nio.ByteBuffer body =
        java.nio.ByteBuffer.allocate(header.length + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    body.put(header);
    for (float f : row(i)) {
      body.putFloat(f);
    }
    return body.array();
  }

  /** The length in bytes of {@link #v2Binary}'s JSON header for this id. */
  public static int binaryHeaderLength(String id) {
    return binaryHeader(id).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static String binaryHeader(String id) {
    return "{\"id\":\""
        + id
        + "\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],"
        + "\"parameters\":{\"binary_data_size\":16}}]}";
  }

  /** KServe V1 body {@code {"instances":[[…]]}}. */
  public static String v1(long i) {
    return "{\"instances\":[[" + values(row(i)) + "]]}";
  }

  /** gRPC ModelInfer request with {@code id}. */
  public static ModelInferRequest grpc(String model, String id, long i) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float f : row(i)) {
      contents.addFp32Contents(f);
    }
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .setId(id)
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input")
                .setDatatype("FP32")
                .addShape(1)
                .addShape(4)
                .setContents(contents))
        .build();
  }
}
