package dev.kaskade.workers.backend.onnx;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny hand-built ONNX models for backend tests. */
final class OnnxTestModels {
  private OnnxTestModels() {}

  /** {@code y = Identity(x)} for one element type, shape [-1, columns]. */
  static Path identity(Path dir, OnnxMl.TensorProto.DataType type, int columns) throws IOException {
    OnnxMl.GraphProto graph =
        OnnxMl.GraphProto.newBuilder()
            .setName("identity")
            .addInput(value("x", type, columns))
            .addOutput(value("y", type, columns))
            .addNode(
                OnnxMl.NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("y"))
            .build();
    return write(dir.resolve("identity-" + type + ".onnx"), graph);
  }

  /** Two outputs: {@code sum = a + b} and {@code diff = a - b}, FP32 [-1, 2]. */
  static Path sumAndDiff(Path dir) throws IOException {
    var f = OnnxMl.TensorProto.DataType.FLOAT;
    OnnxMl.GraphProto graph =
        OnnxMl.GraphProto.newBuilder()
            .setName("sum_diff")
            .addInput(value("a", f, 2))
            .addInput(value("b", f, 2))
            .addOutput(value("sum", f, 2))
            .addOutput(value("diff", f, 2))
            .addNode(
                OnnxMl.NodeProto.newBuilder()
                    .setOpType("Add")
                    .addInput("a")
                    .addInput("b")
                    .addOutput("sum"))
            .addNode(
                OnnxMl.NodeProto.newBuilder()
                    .setOpType("Sub")
                    .addInput("a")
                    .addInput("b")
                    .addOutput("diff"))
            .build();
    return write(dir.resolve("sum-diff.onnx"), graph);
  }

  private static Path write(Path file, OnnxMl.GraphProto graph) throws IOException {
    OnnxMl.ModelProto model =
        OnnxMl.ModelProto.newBuilder()
            .setIrVersion(7)
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
            .setGraph(graph)
            .build();
    Files.createDirectories(file.getParent());
    Files.write(file, model.toByteArray());
    return file;
  }

  private static OnnxMl.ValueInfoProto value(
      String name, OnnxMl.TensorProto.DataType type, int columns) {
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber())
                        .setShape(
                            OnnxMl.TensorShapeProto.newBuilder()
                                .addDim(
                                    OnnxMl.TensorShapeProto.Dimension.newBuilder()
                                        .setDimParam("batch"))
                                .addDim(
                                    OnnxMl.TensorShapeProto.Dimension.newBuilder()
                                        .setDimValue(columns)))))
        .build();
  }
}
