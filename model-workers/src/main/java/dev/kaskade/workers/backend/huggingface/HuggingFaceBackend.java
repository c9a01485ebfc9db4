package dev.kaskade.workers.backend.huggingface;

import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelBackend;
import dev.kaskade.workers.backend.ModelFiles;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.TensorMetadata;
import dev.kaskade.workers.backend.onnx.OnnxBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Hugging Face predictive tasks (format {@code huggingface}): a folder with an ONNX export ({@code
 * model.onnx} or {@code onnx/model.onnx}, as {@code optimum-cli export onnx} writes it), {@code
 * tokenizer.json} and optionally {@code config.json}. The task comes from the predictor's {@code
 * --task} argument, else from {@code config.json} {@code architectures}; see {@link HfTask}. The
 * ONNX file runs on the ONNX Runtime backend, so its parameters (execution provider, threads)
 * apply.
 */
public final class HuggingFaceBackend implements ModelBackend {
  public static final String NAME = "huggingface";
  static final int DEFAULT_MAX_LENGTH = 512;

  /** Transformer outputs the task heads read, by preference; else the ONNX model's first. */
  static final List<String> TRANSFORMER_OUTPUTS =
      List.of("logits", "last_hidden_state", "token_embeddings");

  private final OnnxBackend onnx = new OnnxBackend();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> formats() {
    return Set.of("huggingface");
  }

  @Override
  public Availability availability() {
    return onnx.availability();
  }

  @Override
  public LoadedModel load(ModelSource source) throws ModelLoadException {
    Path dir =
        Files.isRegularFile(source.localPath())
            ? source.localPath().getParent()
            : source.localPath();
    Path onnxFile = onnxFile(dir);
    Path tokenizerFile = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new ModelLoadException(
          "no tokenizer.json in "
              + dir
              + ": the huggingface backend needs the tokenizer next to the ONNX export");
    }
    HfConfig config = HfConfig.read(dir.resolve("config.json"));
    HfOptions options = HfOptions.from(source.parameters());
    HfTask task = HfTask.resolve(options.task(), config.architectures());
    int maxLength = maxLength(options, config, dir);
    LoadedModel session =
        onnx.load(
            new ModelSource(
                source.name(), source.revision(), onnxFile, "onnx", source.parameters()));
    try {
      TensorMetadata output = transformerOutput(session);
      long width = output.shape().isEmpty() ? -1 : output.shape().get(output.shape().size() - 1);
      if (width < 0 && !config.id2label().isEmpty() && task != HfTask.TEXT_EMBEDDING) {
        width = config.id2label().size();
      }
      TextEncoder encoder = TextEncoder.load(tokenizerFile, maxLength);
      if (task == HfTask.FILL_MASK && encoder.maskId() < 0) {
        encoder.close();
        throw new ModelLoadException("fill_mask needs a [MASK] or <mask> token in tokenizer.json");
      }
      return new HuggingFaceModel(
          source.name(),
          session,
          encoder,
          new TaskOutputs(task, config, options, width),
          output.name(),
          Files.size(tokenizerFile));
    } catch (ModelLoadException | IOException | RuntimeException e) {
      session.close();
      throw e instanceof ModelLoadException m
          ? m
          : new ModelLoadException("cannot load " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Path onnxFile(Path dir) throws ModelLoadException {
    for (Path candidate : List.of(dir.resolve("model.onnx"), dir.resolve("onnx/model.onnx"))) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return ModelFiles.find(dir, List.of(".onnx"));
  }

  /**
   * {@code --max_length}, else the tokenizer's {@code model_max_length}, else config.json's {@code
   * max_position_embeddings}, else 512; never above the position embeddings.
   */
  static int maxLength(HfOptions options, HfConfig config, Path dir) throws ModelLoadException {
    int length = options.maxLength();
    if (length == 0) {
      length = TokenizerConfig.modelMaxLength(dir.resolve("tokenizer_config.json"));
    }
    if (length == 0) {
      length = config.maxPositions() > 0 ? config.maxPositions() : DEFAULT_MAX_LENGTH;
    }
    return config.maxPositions() > 0 ? Math.min(length, config.maxPositions()) : length;
  }

  private static TensorMetadata transformerOutput(LoadedModel session) throws ModelLoadException {
    List<TensorMetadata> outputs = session.metadata().outputs();
    for (String name : TRANSFORMER_OUTPUTS) {
      for (TensorMetadata output : outputs) {
        if (output.name().equals(name)) {
          return output;
        }
      }
    }
    if (outputs.isEmpty()) {
      throw new ModelLoadException("the ONNX export has no outputs");
    }
    return outputs.get(0);
  }
}
