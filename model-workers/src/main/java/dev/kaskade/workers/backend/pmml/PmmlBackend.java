package dev.kaskade.workers.backend.pmml;

import dev.kaskade.events.DataType;
import dev.kaskade.workers.backend.LoadedModel;
import dev.kaskade.workers.backend.ModelBackend;
import dev.kaskade.workers.backend.ModelFiles;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.backend.TensorMetadata;
import dev.kaskade.workers.backend.tabular.TabularTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.dmg.pmml.OpType;
import org.dmg.pmml.ResultFeature;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
import org.jpmml.evaluator.TargetField;

/**
 * PMML through JPMML-Evaluator (format {@code pmml}, platform {@code pmml}), reading one {@code
 * .pmml} (or {@code .xml}) document under the storage path, as KServe's pmmlserver does.
 *
 * <p>The input row holds the model's input fields in MiningSchema order (numeric fields only).
 * Outputs: {@code output-0} the predicted target value (the class label as BYTES for a
 * classification, FP32 for a regression) and, for a classification, {@code probabilities} FP32
 * {@code [rows, classes]} in the target's category order.
 */
public final class PmmlBackend implements ModelBackend {
  public static final String NAME = "pmml";
  public static final String PLATFORM = "pmml";
  public static final String PROBABILITIES = "probabilities";
  public static final List<String> EXTENSIONS = List.of(".pmml", ".xml");

  /** The evaluator holds the parsed document as objects, several times the XML text. */
  static final long MEMORY_FACTOR = 4;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> formats() {
    return Set.of("pmml");
  }

  @Override
  public LoadedModel load(ModelSource source) throws ModelLoadException {
    Path file = ModelFiles.find(source.localPath(), EXTENSIONS);
    Evaluator evaluator;
    long size;
    try {
      // Without PROBABILITY as an extra feature JPMML 1.7 decodes a classification to its label.
      LoadingModelEvaluatorBuilder builder = new LoadingModelEvaluatorBuilder();
      builder.setExtraResultFeatures(EnumSet.of(ResultFeature.PROBABILITY));
      evaluator = builder.load(file.toFile()).build();
      evaluator.verify();
      size = Files.size(file);
    } catch (Exception | LinkageError e) {
      // I/O, JAXB and SAX parse errors, and JPMML's unsupported-element exceptions
      throw new ModelLoadException(
          "PMML evaluator could not parse " + file.getFileName() + ": " + e.getMessage(), e);
    }
    List<String> inputs = numericInputs(evaluator, file);
    TargetField target = singleTarget(evaluator, file);
    List<Object> categories =
        target.getOpType() == OpType.CATEGORICAL ? target.getCategories() : List.of();
    List<TensorMetadata> outputs = new ArrayList<>();
    if (categories.isEmpty()) {
      outputs.add(TabularTensors.output(TabularTensors.OUTPUT, DataType.FP32, 1));
    } else {
      outputs.add(TabularTensors.output(TabularTensors.OUTPUT, DataType.BYTES, 1));
      outputs.add(TabularTensors.output(PROBABILITIES, DataType.FP32, categories.size()));
    }
    ModelMetadata metadata =
        new ModelMetadata(
            source.name(), PLATFORM, List.of(TabularTensors.input(inputs.size())), outputs);
    return new PmmlLoadedModel(
        evaluator, inputs, target.getName(), categories, metadata, size * MEMORY_FACTOR);
  }

  private static List<String> numericInputs(Evaluator evaluator, Path file)
      throws ModelLoadException {
    List<String> names = new ArrayList<>();
    for (InputField field : evaluator.getInputFields()) {
      if (field.getOpType() != OpType.CONTINUOUS) {
        throw new ModelLoadException(
            "PMML input field '"
                + field.getName()
                + "' of "
                + file.getFileName()
                + " is "
                + field.getOpType()
                + "; Kaskade serves PMML models whose input fields are all continuous (numeric)");
      }
      names.add(field.getName());
    }
    return names;
  }

  private static TargetField singleTarget(Evaluator evaluator, Path file)
      throws ModelLoadException {
    List<TargetField> targets = evaluator.getTargetFields();
    if (targets.size() != 1) {
      throw new ModelLoadException(
          "PMML model "
              + file.getFileName()
              + " has "
              + targets.size()
              + " target fields; Kaskade serves models with exactly one");
    }
    return targets.get(0);
  }
}
