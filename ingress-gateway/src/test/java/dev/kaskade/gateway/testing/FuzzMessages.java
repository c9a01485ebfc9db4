package dev.kaskade.gateway.testing;

import com.google.protobuf.ByteString;
import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.Tensor;
import dev.kaskade.gateway.grpc.proto.InferTensorContents;
import dev.kaskade.gateway.grpc.proto.ModelInferRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Random gRPC messages and Kafka request records for the fuzz suite, drawn from the same seeded
 * generator as {@link FuzzCases}: valid iris requests mixed with huge, empty, overflowing and
 * high-rank shapes, NaN and infinities, BYTES, wrong datatypes, garbage bytes and wrong schema ids.
 */
public final class FuzzMessages {
  private static final String[] TYPES = {"FP32", "FP64", "INT32", "BYTES", "FP16", "BOOL", "", "X"};
  private final FuzzCases cases;

  public FuzzMessages(FuzzCases cases) {
    this.cases = cases;
  }

  /** A gRPC ModelInfer body: a (mostly odd) request, or bytes that are not a request at all. */
  public byte[] grpcBody() {
    var random = cases.random();
    if (random.nextInt(8) == 0) {
      return cases.bytes(random.nextInt(100));
    }
    List<Long> shape = random.nextInt(3) == 0 ? List.of(2L, 4L) : shape();
    String type = random.nextInt(3) == 0 ? "FP32" : TYPES[random.nextInt(TYPES.length)];
    ModelInferRequest.InferInputTensor.Builder in =
        ModelInferRequest.InferInputTensor.newBuilder()
            .setName(random.nextInt(6) == 0 ? "x" : "input")
            .setDatatype(type)
            .addAllShape(shape);
    ModelInferRequest.Builder b =
        ModelInferRequest.newBuilder().setModelName(random.nextInt(5) == 0 ? "nope" : "iris");
    if (random.nextInt(4) == 0) {
      b.setId(cases.randomId());
    }
    if (random.nextBoolean()) {
      InferTensorContents.Builder c = InferTensorContents.newBuilder();
      for (float f : floats(random.nextInt(3) == 0 ? 8 : random.nextInt(12))) {
        c.addFp32Contents(f);
      }
      if (random.nextInt(5) == 0) {
        c.addBytesContents(ByteString.copyFrom(cases.bytes(5)));
      }
      in.setContents(c);
      b.addInputs(in);
    } else {
      b.addInputs(in);
      b.addRawInputContents(
          ByteString.copyFrom(raw(random.nextInt(3) == 0 ? 8 : random.nextInt(12))));
      if (random.nextInt(6) == 0) {
        b.addRawInputContents(ByteString.copyFrom(cases.bytes(3)));
      }
    }
    return b.build().toByteArray();
  }

  /** An InferenceRequest for iris with an odd (sometimes valid) tensor. */
  public InferenceRequest request(String id) {
    var random = cases.random();
    List<Long> shape = random.nextInt(3) == 0 ? List.of(2L, 4L) : shape();
    DataType type =
        random.nextInt(3) == 0
            ? DataType.FP32
            : DataType.values()[random.nextInt(DataType.values().length)];
    int elements = random.nextInt(3) == 0 ? 8 : random.nextInt(12);
    ByteBuffer data =
        type == DataType.BYTES && random.nextBoolean()
            ? ByteBuffer.wrap(cases.bytes(random.nextInt(20)))
            : ByteBuffer.wrap(raw(elements));
    Tensor t =
        Tensor.newBuilder()
            .setName(random.nextInt(6) == 0 ? "x" : "input")
            .setDatatype(type)
            .setShape(new ArrayList<>(shape))
            .setData(data)
            .build();
    List<Tensor> inputs = random.nextInt(10) == 0 ? List.of() : List.of(t);
    return InferenceRequest.newBuilder()
        .setId(id)
        .setModel("iris")
        .setNamespace("default")
        .setInputs(inputs)
        .setParameters(Map.of())
        .setRequestedOutputs(random.nextInt(8) == 0 ? List.of("nope") : List.of())
        .build();
  }

  private List<Long> shape() {
    var random = cases.random();
    return switch (random.nextInt(8)) {
      case 0 -> List.of(2147483647L, 0L);
      case 1 -> Collections.nCopies(17 + random.nextInt(3000), 1L);
      case 2 -> List.of(1L << 62, 4L);
      case 3 -> List.of(1L << 61);
      case 4 -> List.of(0L, 4L);
      case 5 -> List.of(-1L, 4L);
      case 6 -> List.of();
      default -> List.of((long) random.nextInt(4), (long) random.nextInt(6));
    };
  }

  /** FP32 values with NaN and infinities mixed in. */
  private float[] floats(int n) {
    var random = cases.random();
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] =
          switch (random.nextInt(10)) {
            case 0 -> Float.NaN;
            case 1 -> Float.POSITIVE_INFINITY;
            case 2 -> Float.NEGATIVE_INFINITY;
            case 3 -> Float.MAX_VALUE;
            default -> random.nextFloat() * 8;
          };
    }
    return out;
  }

  private byte[] raw(int elements) {
    ByteBuffer out = ByteBuffer.allocate(elements * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : floats(elements)) {
      out.putFloat(f);
    }
    return out.array();
  }
}
