package dev.kaskade.workers.generation.tinylm;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * kaskade-tiny-lm: a byte bigram language model counted from a committed corpus (the project's own
 * docs prose, {@code tiny-lm/corpus.txt}) and written as an ONNX causal-LM graph, {@code input_ids}
 * INT64 [B,T] to {@code logits} FP32 [B,T,V], as one {@code Gather} of the log-probability table.
 * Counting is exact, so the same corpus always gives the same bytes and greedy output is fixed. It
 * babbles in the corpus' style; it exists so every protocol feature runs on a real model.
 */
public final class TinyLm {
  /** The format name manifests use ({@code modelFormat: tiny-lm}). */
  public static final String FORMAT = "tiny-lm";

  /** The config file that marks a folder as a decoder model for {@link OnnxDecoder}. */
  public static final String CONFIG_FILE = "kaskade-lm.json";

  /** Add-k smoothing: unseen pairs keep a small probability so sampling can leave a loop. */
  static final double SMOOTHING = 0.01;

  private static final String CORPUS = "/tiny-lm/corpus.txt";

  private TinyLm() {}

  /** Writes {@code model.onnx} and {@code kaskade-lm.json} into {@code dir}; returns dir. */
  public static Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("model.onnx"), model(corpus()).toByteArray());
    Files.writeString(
        dir.resolve(CONFIG_FILE),
        "{\"tokenizer\":\"bytes\",\"bos\":256,\"eos\":257,\"chat_template\":\"role-lines\","
            + "\"context\":64,\"max_concurrent\":4}\n");
    return dir;
  }

  /** The committed training text. */
  public static String corpus() {
    try (InputStream in = TinyLm.class.getResourceAsStream(CORPUS)) {
      if (in == null) {
        throw new IllegalStateException(CORPUS + " missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Log-probabilities {@code table[prev * V + next]}, paragraphs framed by bos and eos. */
  static float[] logProbabilities(String corpus) {
    int v = ByteTokenizer.VOCAB;
    double[] counts = new double[v * v];
    for (String paragraph : corpus.split("\n\n")) {
      String text = paragraph.strip();
      if (text.isEmpty()) {
        continue;
      }
      long[] ids = ByteTokenizer.encode(text);
      for (int i = 0; i < ids.length; i++) {
        int next = i + 1 < ids.length ? (int) ids[i + 1] : ByteTokenizer.EOS;
        counts[(int) ids[i] * v + next]++;
      }
    }
    float[] table = new float[v * v];
    for (int prev = 0; prev < v; prev++) {
      double total = 0;
      for (int next = 0; next < v; next++) {
        total += counts[prev * v + next];
      }
      for (int next = 0; next < v; next++) {
        double p = (counts[prev * v + next] + SMOOTHING) / (total + SMOOTHING * v);
        table[prev * v + next] = (float) Math.log(p);
      }
    }
    return table;
  }

  /** The ONNX graph: {@code logits = Gather(table, input_ids, axis=0)}. */
  static OnnxMl.ModelProto model(String corpus) {
    int v = ByteTokenizer.VOCAB;
    float[] table = logProbabilities(corpus);
    ByteBuffer raw = ByteBuffer.allocate(table.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(table);
    OnnxMl.GraphProto graph =
        OnnxMl.GraphProto.newBuilder()
            .setName("kaskade_tiny_lm")
            .addInitializer(
                OnnxMl.TensorProto.newBuilder()
                    .setName("bigram_log_probs")
                    .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                    .addDims(v)
                    .addDims(v)
                    .setRawData(ByteString.copyFrom(raw.array())))
            .addNode(
                OnnxMl.NodeProto.newBuilder()
                    .setOpType("Gather")
                    .setName("next_token_logits")
                    .addInput("bigram_log_probs")
                    .addInput("input_ids")
                    .addOutput("logits")
                    .addAttribute(
                        OnnxMl.AttributeProto.newBuilder()
                            .setName("axis")
                            .setType(OnnxMl.AttributeProto.AttributeType.INT)
                            .setI(0)))
            .addInput(tensor("input_ids", OnnxMl.TensorProto.DataType.INT64, "batch", "sequence"))
            .addOutput(tensor("logits", OnnxMl.TensorProto.DataType.FLOAT, "batch", "sequence", v))
            .build();
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(7)
        .setProducerName("kaskade")
        .setDomain("dev.kaskade.tiny-lm")
        .setModelVersion(1)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph)
        .build();
  }

  private static OnnxMl.ValueInfoProto tensor(
      String name, OnnxMl.TensorProto.DataType type, Object... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (Object dim : dims) {
      var d = OnnxMl.TensorShapeProto.Dimension.newBuilder();
      if (dim instanceof Integer size) {
        d.setDimValue(size);
      } else {
        d.setDimParam(dim.toString());
      }
      shape.addDim(d);
    }
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber())
                        .setShape(shape)))
        .build();
  }
}
