package dev.kaskade.workers.demo;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains a multinomial logistic regression on the iris CSV with Tribuo and exports it as ONNX with
 * input {@code input} FP32 [-1,4] (sepal_length, sepal_width, petal_length, petal_width) and output
 * {@code output} FP32 [-1,3] (probabilities of setosa, versicolor, virginica, in that order).
 */
public final class IrisModelTrainer {
  /** Class order of the exported output. */
  public static final List<String> CLASSES = List.of("setosa", "versicolor", "virginica");

  /** Feature order of the exported input. */
  public static final List<String> FEATURES =
      List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

  private IrisModelTrainer() {}

  /** One CSV row. */
  public record Row(float[] features, String species) {}

  /** Reads {@code iris.csv} (header line, then four numbers and the species). */
  public static List<Row> readCsv(Path csv) throws IOException {
    List<Row> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",");
      float[] features = new float[4];
      for (int i = 0; i < 4; i++) {
        features[i] = Float.parseFloat(cells[i].trim());
      }
      rows.add(new Row(features, cells[4].trim()));
    }
    return rows;
  }

  /** Trains on the CSV and writes the ONNX model; returns the training accuracy. */
  public static double train(Path csv, Path onnxOut) throws IOException {
    Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
    List<Row> rows = readCsv(csv);
    LabelFactory factory = new LabelFactory();
    MutableDataset<Label> dataset =
        new MutableDataset<>(new SimpleDataSourceProvenance("iris.csv", factory), factory);
    // Tribuo orders features by name; the "fN_" prefix keeps the CSV column order.
    String[] names = new String[4];
    for (int i = 0; i < 4; i++) {
      names[i] = "f" + i + "_" + FEATURES.get(i);
    }
    for (Row row : rows) {
      double[] values = new double[4];
      for (int i = 0; i < 4; i++) {
        values[i] = row.features()[i];
      }
      dataset.add(new ArrayExample<>(new Label(row.species()), names, values));
    }
    LinearSGDTrainer trainer =
        new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5), 300, 150, 1, 1L);
    Model<Label> model = trainer.train(dataset);
    for (int i = 0; i < 4; i++) {
      int id = model.getFeatureIDMap().getID(names[i]);
      if (id != i) {
        throw new IllegalStateException("feature " + names[i] + " got index " + id);
      }
    }
    int[] permutation = new int[CLASSES.size()];
    for (int i = 0; i < CLASSES.size(); i++) {
      permutation[i] = model.getOutputIDInfo().getID(new Label(CLASSES.get(i)));
      if (permutation[i] < 0) {
        throw new IllegalStateException("class " + CLASSES.get(i) + " missing from the model");
      }
    }
    OnnxMl.ModelProto exported =
        ((ONNXExportable) model).exportONNXModel("dev.kaskade.examples.iris", 1);
    OnnxMl.ModelProto fixed = OnnxModels.reorderOutput(exported, "input", "output", permutation);
    Files.createDirectories(onnxOut.toAbsolutePath().getParent());
    Files.write(onnxOut, fixed.toByteArray());
    long correct =
        rows.stream()
            .filter(
                r -> {
                  double[] v = new double[4];
                  for (int i = 0; i < 4; i++) {
                    v[i] = r.features()[i];
                  }
                  return model
                      .predict(new ArrayExample<>(factory.getUnknownOutput(), names, v))
                      .getOutput()
                      .getLabel()
                      .equals(r.species());
                })
            .count();
    return (double) correct / rows.size();
  }
}
