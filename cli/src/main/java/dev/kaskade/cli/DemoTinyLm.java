package dev.kaskade.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo generative model {@code tiny-lm} (kaskade-tiny-lm, served over the OpenAI API): the
 * model is counted from its committed corpus into {@code <data-dir>/demo/tiny-lm} at start (a few
 * milliseconds, always the same bytes) next to its manifest. The writer lives in model-workers, a
 * runtime-only dependency of the CLI (modules meet through topics), hence the reflective call.
 */
final class DemoTinyLm {
  static final String MANIFEST =
      """
      # kaskade-tiny-lm: a byte bigram language model counted from the project's own docs and
      # written as ONNX (input_ids -> logits). It babbles; it exists so every OpenAI feature
      # (streaming, stop, max_tokens, n, seed, usage, cancel) runs on a real model.
      #   curl localhost:8080/openai/v1/completions -H content-type:application/json \\
      #     -d '{"model":"tiny-lm","prompt":"The gateway","max_tokens":40}'
      apiVersion: serving.kserve.io/v1beta1
      kind: InferenceService
      metadata:
        name: tiny-lm
        namespace: default
      spec:
        predictor:
          model:
            modelFormat:
              name: tiny-lm
            storageUri: ./model
      """;

  private DemoTinyLm() {}

  private static final String WRITER = "dev.kaskade.workers.generation.tinylm.TinyLm";

  static Path manifestDir(Path dataDir) {
    Path dir = dataDir.resolve("demo").resolve("tiny-lm");
    try {
      Class.forName(WRITER).getMethod("write", Path.class).invoke(null, dir.resolve("model"));
      Files.writeString(dir.resolve("isvc.yaml"), MANIFEST);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo model tiny-lm into " + dir, e);
    } catch (ReflectiveOperationException e) {
      throw new CliException("the demo model tiny-lm cannot be built in this build: " + e);
    }
    return dir;
  }
}
