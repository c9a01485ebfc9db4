package dev.kaskade.workers.backend.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference predictions an example's build.py wrote with the Python library (examples/<format>
 * /reference/<model>.json): the 150 iris rows and, per output name, the library's answer.
 */
public record ReferencePredictions(String library, float[][] inputs, JsonNode outputs) {
  public static final Path EXAMPLES = Path.of("..", "examples");

  public static ReferencePredictions read(String format, String model) throws IOException {
    JsonNode root =
        new ObjectMapper()
            .readTree(
                EXAMPLES.resolve(format).resolve("reference").resolve(model + ".json").toFile());
    JsonNode rows = root.get("inputs");
    float[][] inputs = new float[rows.size()][];
    for (int r = 0; r < rows.size(); r++) {
      inputs[r] = new float[rows.get(r).size()];
      for (int c = 0; c < inputs[r].length; c++) {
        inputs[r][c] = (float) rows.get(r).get(c).asDouble();
      }
    }
    return new ReferencePredictions(root.get("library").asText(), inputs, root.get("outputs"));
  }

  /** All rows as one FP32 {@code [rows, features]} tensor named {@code name}. */
  public Tensor inputTensor(String name) {
    int features = inputs[0].length;
    float[] flat = new float[inputs.length * features];
    for (int r = 0; r < inputs.length; r++) {
      System.arraycopy(inputs[r], 0, flat, r * features, features);
    }
    return Tensors.ofFloats(name, List.of((long) inputs.length, (long) features), flat);
  }

  /** The reference values of a numeric output, flattened row-major. */
  public double[] numbers(String output) {
    List<Double> values = new ArrayList<>();
    for (JsonNode row : outputs.get(output)) {
      if (row.isArray()) {
        row.forEach(v -> values.add(v.asDouble()));
      } else {
        values.add(row.asDouble());
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The reference values of a string output (class labels). */
  public List<String> strings(String output) {
    List<String> values = new ArrayList<>();
    outputs.get(output).forEach(v -> values.add(v.asText()));
    return values;
  }
}
