package dev.kaskade.workers.backend.triton;

import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelBackend;
import dev.kaskade.workers.backend.ModelBatching;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.onnx.OnnxBackend;
import dev.kaskade.workers.backend.tensorrt.TensorRtBackend;
import dev.kaskade.workers.backend.triton.proto.ModelConfig;
import java.nio.file.Path;
import java.util.Set;

/**
 * Triton model repositories (format {@code triton}, KServe's kserve-tritonserver): the model's
 * {@code config.pbtxt} is read with {@link TritonConfigs}, its ONNX file is run by {@link
 * OnnxBackend} and its TensorRT plan by {@link TensorRtBackend}; other Triton backends fail to load
 * with a reason that names the runtime bridge. See docs/model-formats.md.
 */
public final class TritonBackend implements ModelBackend {
  public static final String NAME = "triton";

  private final OnnxBackend onnx;
  private final TensorRtBackend tensorrt;

  public TritonBackend() {
    this(new OnnxBackend(), new TensorRtBackend());
  }

  /**
   * With the backends that run the repository's files (tests give TensorRT a fake native layer).
   */
  TritonBackend(OnnxBackend onnx, TensorRtBackend tensorrt) {
    this.onnx = onnx;
    this.tensorrt = tensorrt;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> formats() {
    return Set.of("triton");
  }

  @Override
  public LoadedModel load(ModelSource source) throws ModelLoadException {
    Path modelDir = TritonRepository.modelDir(source.localPath(), source.name());
    String model = modelDir.getFileName().toString();
    ModelConfig config = TritonConfigs.read(modelDir);
    ModelBatching batching = TritonSignature.batching(config, model);
    Path versionDir = TritonRepository.versionDir(modelDir, config);
    TritonPlatform platform = TritonPlatform.of(config, model, versionDir);
    Path file = TritonRepository.modelFile(versionDir, config, platform);
    ModelBackend backend = platform == TritonPlatform.ONNX ? onnx : tensorrt;
    ModelBackend.Availability availability = backend.availability();
    if (!availability.available()) {
      throw new ModelLoadException(
          "Triton model " + model + " needs " + backend.name() + ": " + availability.reason());
    }
    LoadedModel loaded =
        backend.load(
            new ModelSource(
                source.name(), source.revision(), file, platform.format, source.parameters()));
    try {
      ModelMetadata metadata =
          TritonSignature.metadata(config, model, source.name(), loaded.metadata());
      return new TritonLoadedModel(loaded, metadata, batching);
    } catch (ModelLoadException | RuntimeException e) {
      loaded.close();
      throw e;
    }
  }
}
