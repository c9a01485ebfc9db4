package dev.kaskade.workers.demo;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small ONNX graph utilities over the ONNX protobuf classes Tribuo ships. */
public final class OnnxModels {
  static final int OPSET = 13;
  static final long IR_VERSION = 7;

  private OnnxModels() {}

  /**
   * Renames the graph's single input and output to {@code inputName}/{@code outputName} and, when
   * {@code classIds} is not the identity, appends a {@code Gather(axis=1)} so that output column
   * {@code i} is the original column {@code classIds[i]}.
   */
  public static OnnxMl.ModelProto reorderOutput(
      OnnxMl.ModelProto model, String inputName, String outputName, int[] classIds) {
    OnnxMl.GraphProto graph = model.getGraph();
    if (graph.getInputCount() != 1 || graph.getOutputCount() != 1) {
      throw new IllegalArgumentException("expected one input and one output: " + graph.getName());
    }
    String oldIn = graph.getInput(0).getName();
    String oldOut = graph.getOutput(0).getName();
    boolean identity = true;
    for (int i = 0; i < classIds.length; i++) {
      identity &= classIds[i] == i;
    }
    String produced = identity ? outputName : outputName + "_unordered";
    OnnxMl.GraphProto.Builder builder = graph.toBuilder();
    builder.setInput(0, graph.getInput(0).toBuilder().setName(inputName));
    builder.setOutput(0, graph.getOutput(0).toBuilder().setName(outputName));
    for (int n = 0; n < builder.getNodeCount(); n++) {
      OnnxMl.NodeProto.Builder node = builder.getNodeBuilder(n);
      for (int i = 0; i < node.getInputCount(); i++) {
        if (node.getInput(i).equals(oldIn)) {
          node.setInput(i, inputName);
        }
      }
      for (int i = 0; i < node.getOutputCount(); i++) {
        if (node.getOutput(i).equals(oldOut)) {
          node.setOutput(i, produced);
        }
      }
    }
    if (!identity) {
      long[] indices = new long[classIds.length];
      for (int i = 0; i < classIds.length; i++) {
        indices[i] = classIds[i];
      }
      String indexName = outputName + "_class_order";
      builder.addInitializer(
          OnnxMl.TensorProto.newBuilder()
              .setName(indexName)
              .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
              .addDims(classIds.length)
              .addAllInt64Data(java.util.Arrays.stream(indices).boxed().toList()));
      builder.addNode(
          OnnxMl.NodeProto.newBuilder()
              .setOpType("Gather")
              .setName("reorder_classes")
              .addInput(produced)
              .addInput(indexName)
              .addOutput(outputName)
              .addAttribute(
                  OnnxMl.AttributeProto.newBuilder()
                      .setName("axis")
                      .setType(OnnxMl.AttributeProto.AttributeType.INT)
                      .setI(1)));
    }
    return model.toBuilder().setGraph(builder).build();
  }

  /**
   * A dense ReLU multilayer perceptron with softmax output: input {@code input} FP32 [-1,in],
   * output {@code output} FP32 [-1,out]. Weights are Glorot-uniform from a seeded generator, so the
   * same arguments always give the same bytes.
   */
  public static OnnxMl.ModelProto mlp(long seed, int in, int[] hidden, int out) {
    SplittableRandom random = new SplittableRandom(seed);
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("kaskade_mlp");
    graph.addInput(floatMatrix("input", in));
    graph.addOutput(floatMatrix("output", out));
    List<Integer> widths = new ArrayList<>();
    widths.add(in);
    for (int h : hidden) {
      widths.add(h);
    }
    widths.add(out);
    String current = "input";
    for (int layer = 0; layer + 1 < widths.size(); layer++) {
      int fanIn = widths.get(layer);
      int fanOut = widths.get(layer + 1);
      double limit = Math.sqrt(6.0 / (fanIn + fanOut));
      float[] weights = new float[fanIn * fanOut];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
      }
      float[] bias = new float[fanOut];
      for (int i = 0; i < bias.length; i++) {
        bias[i] = (float) ((random.nextDouble() * 2 - 1) * 0.01);
      }
      String w = "dense" + layer + "_weight";
      String b = "dense" + layer + "_bias";
      graph.addInitializer(floatTensor(w, new long[] {fanIn, fanOut}, weights));
      graph.addInitializer(floatTensor(b, new long[] {fanOut}, bias));
      String gemm = "dense" + layer;
      graph.addNode(
          OnnxMl.NodeProto.newBuilder()
              .setOpType("Gemm")
              .setName(gemm)
              .addInput(current)
              .addInput(w)
              .addInput(b)
              .addOutput(gemm));
      boolean last = layer + 2 == widths.size();
      String activated = last ? "output" : gemm + "_relu";
      graph.addNode(
          OnnxMl.NodeProto.newBuilder()
              .setOpType(last ? "Softmax" : "Relu")
              .setName(activated)
              .addInput(gemm)
              .addOutput(activated));
      current = activated;
    }
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("kaskade")
        .setDomain("dev.kaskade.examples")
        .setModelVersion(1)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph)
        .build();
  }

  private static OnnxMl.ValueInfoProto floatMatrix(String name, int columns) {
    OnnxMl.TensorShapeProto shape =
        OnnxMl.TensorShapeProto.newBuilder()
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(columns))
            .build();
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
        .build();
  }

  /** A FLOAT initializer with little-endian raw data (also used by the test model builders). */
  public static OnnxMl.TensorProto floatTensor(String name, long[] dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    OnnxMl.TensorProto.Builder tensor =
        OnnxMl.TensorProto.newBuilder()
            .setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
            .setRawData(ByteString.copyFrom(raw.array()));
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    return tensor.build();
  }
}
