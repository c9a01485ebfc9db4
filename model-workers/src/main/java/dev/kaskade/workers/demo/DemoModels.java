package dev.kaskade.workers.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates the example models under {@code examples/}: {@code iris/model.onnx} (trained on
 * {@code iris/iris.csv}) and {@code mlp/model.onnx} (a deterministic dense MLP for batching and
 * benchmarks).
 *
 * <p>Usage: {@code java -cp <model-workers classpath> dev.kaskade.workers.demo.DemoModels
 * [examplesDir]} (default {@code examples}).
 */
public final class DemoModels {
  /** MLP input width. */
  public static final int MLP_INPUTS = 64;

  /** MLP hidden layer widths. */
  public static final int[] MLP_HIDDEN = {512, 512, 256};

  /** MLP output width. */
  public static final int MLP_OUTPUTS = 10;

  /** MLP weight seed. */
  public static final long MLP_SEED = 20261126L;

  private DemoModels() {}

  public static void main(String[] args) throws IOException {
    Path examples = Path.of(args.length > 0 ? args[0] : "examples");
    Path iris = examples.resolve("iris");
    double accuracy = IrisModelTrainer.train(iris.resolve("iris.csv"), iris.resolve("model.onnx"));
    System.out.printf(
        "iris: wrote %s (training accuracy %.3f)%n", iris.resolve("model.onnx"), accuracy);
    Path mlp = examples.resolve("mlp").resolve("model.onnx");
    writeMlp(mlp);
    System.out.printf("mlp: wrote %s (%d bytes)%n", mlp, Files.size(mlp));
  }

  /** Writes the benchmark MLP. */
  public static void writeMlp(Path out) throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, OnnxModels.mlp(MLP_SEED, MLP_INPUTS, MLP_HIDDEN, MLP_OUTPUTS).toByteArray());
  }
}
