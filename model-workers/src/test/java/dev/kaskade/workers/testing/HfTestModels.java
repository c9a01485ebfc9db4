package dev.kaskade.workers.testing;

import ai.onnx.proto.OnnxMl;
import dev.kaskade.workers.demo.OnnxModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tiny deterministic Hugging Face folders (ONNX graph + WordPiece {@code tokenizer.json} + {@code
 * config.json}) for the huggingface backend's tests. Every graph is a table lookup, {@code logits =
 * Gather(table, input_ids)}, so what each word means is written below:
 *
 * <ul>
 *   <li>sentiment ({@code BertForSequenceClassification}, NEGATIVE/POSITIVE): the masked sum of the
 *       words' rows; "good"/"great" vote POSITIVE, "bad"/"awful" NEGATIVE.
 *   <li>entities ({@code BertForTokenClassification}, O/B-LOC/B-SENT): cities are B-LOC, sentiment
 *       words B-SENT, everything else O.
 *   <li>fill-mask ({@code BertForMaskedLM}): every token predicts itself, except {@code [MASK]},
 *       which predicts paris, then london, then berlin.
 * </ul>
 */
public final class HfTestModels {
  /** The vocabulary, in id order; ids 0–4 are the special tokens. */
  public static final List<String> VOCAB =
      List.of(
          "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "good", "bad", "great", "awful", "paris",
          "london", "berlin", "is", "the", "capital", "movie", "a", "of", "france");

  static final int CLS = 2;
  static final int SEP = 3;
  static final int MASK = 4;

  private HfTestModels() {}

  /** The sentiment classifier folder. */
  public static Path sentiment(Path dir) throws IOException {
    int v = VOCAB.size();
    float[] table = new float[v * 2];
    vote(table, "good", 0, 2);
    vote(table, "great", 0, 3);
    vote(table, "bad", 2, 0);
    vote(table, "awful", 3, 0);
    write(
        dir,
        gather(table, 2, true),
        config("BertForSequenceClassification", "NEGATIVE", "POSITIVE"));
    return dir;
  }

  /** The entity tagger folder. */
  public static Path entities(Path dir) throws IOException {
    int v = VOCAB.size();
    float[] table = new float[v * 3];
    for (int id = 0; id < v; id++) {
      table[id * 3] = 1; // O
    }
    for (String city : List.of("paris", "london", "berlin", "france")) {
      table[VOCAB.indexOf(city) * 3 + 1] = 5;
    }
    for (String word : List.of("good", "bad", "great", "awful")) {
      table[VOCAB.indexOf(word) * 3 + 2] = 5;
    }
    write(
        dir, gather(table, 3, false), config("BertForTokenClassification", "O", "B-LOC", "B-SENT"));
    return dir;
  }

  /** The masked language model folder. */
  public static Path fillMask(Path dir) throws IOException {
    int v = VOCAB.size();
    float[] table = new float[v * v];
    for (int id = 0; id < v; id++) {
      table[id * v + id] = 4;
    }
    table[MASK * v + MASK] = 0;
    table[MASK * v + VOCAB.indexOf("paris")] = 3;
    table[MASK * v + VOCAB.indexOf("london")] = 2;
    table[MASK * v + VOCAB.indexOf("berlin")] = 1;
    write(dir, gather(table, v, false), config("BertForMaskedLM"));
    return dir;
  }

  private static void vote(float[] table, String word, float negative, float positive) {
    int id = VOCAB.indexOf(word);
    table[id * 2] = negative;
    table[id * 2 + 1] = positive;
  }

  private static void write(Path dir, OnnxMl.ModelProto model, JsonObject config)
      throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("model.onnx"), model.toByteArray());
    Files.writeString(dir.resolve("tokenizer.json"), tokenizer().encodePrettily());
    Files.writeString(dir.resolve("config.json"), config.encodePrettily());
  }

  private static JsonObject config(String architecture, String... labels) {
    JsonObject id2label = new JsonObject();
    for (int i = 0; i < labels.length; i++) {
      id2label.put(Integer.toString(i), labels[i]);
    }
    return new JsonObject()
        .put("architectures", new JsonArray().add(architecture))
        .put("model_type", "bert")
        .put("max_position_embeddings", 32)
        .put("id2label", id2label);
  }

  /**
   * {@code logits = Gather(table, input_ids)}: {@code [batch, seq, width]}; pooled, the rows are
   * multiplied by the attention mask and summed over the sequence: {@code [batch, width]}.
   */
  private static OnnxMl.ModelProto gather(float[] table, int width, boolean pooled) {
    OnnxMl.GraphProto.Builder graph =
        OnnxMl.GraphProto.newBuilder()
            .setName("hf_test")
            .addInput(ids("input_ids"))
            .addInput(ids("attention_mask"))
            .addInput(ids("token_type_ids"))
            .addInitializer(
                OnnxModels.floatTensor("table", new long[] {VOCAB.size(), width}, table))
            .addNode(node("Gather", List.of("table", "input_ids"), pooled ? "rows" : "logits"));
    if (pooled) {
      graph
          .addInitializer(longs("axis2", 2))
          .addInitializer(longs("axis1", 1))
          .addNode(
              node("Cast", List.of("attention_mask"), "mask_f")
                  .addAttribute(
                      OnnxMl.AttributeProto.newBuilder()
                          .setName("to")
                          .setType(OnnxMl.AttributeProto.AttributeType.INT)
                          .setI(OnnxMl.TensorProto.DataType.FLOAT.getNumber())))
          .addNode(node("Unsqueeze", List.of("mask_f", "axis2"), "mask_3d"))
          .addNode(node("Mul", List.of("rows", "mask_3d"), "masked"))
          .addNode(
              node("ReduceSum", List.of("masked", "axis1"), "logits")
                  .addAttribute(
                      OnnxMl.AttributeProto.newBuilder()
                          .setName("keepdims")
                          .setType(OnnxMl.AttributeProto.AttributeType.INT)
                          .setI(0)));
    }
    graph.addOutput(
        pooled ? output("logits", "batch", width) : output("logits", "batch", "sequence", width));
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(7)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph)
        .build();
  }

  private static OnnxMl.NodeProto.Builder node(String op, List<String> inputs, String output) {
    return OnnxMl.NodeProto.newBuilder().setOpType(op).addAllInput(inputs).addOutput(output);
  }

  private static OnnxMl.ValueInfoProto ids(String name) {
    return value(name, OnnxMl.TensorProto.DataType.INT64, "batch", "sequence");
  }

  private static OnnxMl.ValueInfoProto output(String name, Object... dims) {
    return value(name, OnnxMl.TensorProto.DataType.FLOAT, dims);
  }

  private static OnnxMl.ValueInfoProto value(
      String name, OnnxMl.TensorProto.DataType type, Object... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (Object dim : dims) {
      var d = OnnxMl.TensorShapeProto.Dimension.newBuilder();
      shape.addDim(dim instanceof Integer i ? d.setDimValue(i) : d.setDimParam((String) dim));
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

  private static OnnxMl.TensorProto longs(String name, long value) {
    return OnnxMl.TensorProto.newBuilder()
        .setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
        .addDims(1)
        .addInt64Data(value)
        .build();
  }

  /** A WordPiece tokenizer.json over {@link #VOCAB}, lower-casing, with BERT's template. */
  static JsonObject tokenizer() {
    JsonObject vocab = new JsonObject();
    JsonArray added = new JsonArray();
    for (int id = 0; id < VOCAB.size(); id++) {
      vocab.put(VOCAB.get(id), id);
      if (id <= MASK) {
        added.add(
            new JsonObject()
                .put("id", id)
                .put("content", VOCAB.get(id))
                .put("single_word", false)
                .put("lstrip", false)
                .put("rstrip", false)
                .put("normalized", false)
                .put("special", true));
      }
    }
    return new JsonObject()
        .put("version", "1.0")
        .putNull("truncation")
        .putNull("padding")
        .put("added_tokens", added)
        .put(
            "normalizer",
            new JsonObject()
                .put("type", "BertNormalizer")
                .put("clean_text", true)
                .put("handle_chinese_chars", true)
                .putNull("strip_accents")
                .put("lowercase", true))
        .put("pre_tokenizer", new JsonObject().put("type", "BertPreTokenizer"))
        .put("post_processor", template())
        .put(
            "decoder",
            new JsonObject().put("type", "WordPiece").put("prefix", "##").put("cleanup", true))
        .put(
            "model",
            new JsonObject()
                .put("type", "WordPiece")
                .put("unk_token", "[UNK]")
                .put("continuing_subword_prefix", "##")
                .put("max_input_chars_per_word", 100)
                .put("vocab", vocab));
  }

  private static JsonObject template() {
    JsonArray single =
        new JsonArray().add(special("[CLS]")).add(sequence("A")).add(special("[SEP]"));
    JsonArray pair =
        new JsonArray()
            .add(special("[CLS]"))
            .add(sequence("A"))
            .add(special("[SEP]"))
            .add(sequence("B"))
            .add(special("[SEP]"));
    JsonObject specials =
        new JsonObject()
            .put("[CLS]", specialIds("[CLS]", CLS))
            .put("[SEP]", specialIds("[SEP]", SEP));
    return new JsonObject()
        .put("type", "TemplateProcessing")
        .put("single", single)
        .put("pair", pair)
        .put("special_tokens", specials);
  }

  private static JsonObject special(String token) {
    return new JsonObject()
        .put("SpecialToken", new JsonObject().put("id", token).put("type_id", 0));
  }

  private static JsonObject sequence(String id) {
    return new JsonObject().put("Sequence", new JsonObject().put("id", id).put("type_id", 0));
  }

  private static JsonObject specialIds(String token, int id) {
    return new JsonObject()
        .put("id", token)
        .put("ids", new JsonArray().add(id))
        .put("tokens", new JsonArray().add(token));
  }
}
