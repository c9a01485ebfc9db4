package dev.kaskade.processors.explain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kaskade.events.DataType;
import dev.kaskade.events.ExplanationResult;
import dev.kaskade.events.InferenceError;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InstanceExplanation;
import dev.kaskade.events.Tensor;
import dev.kaskade.processors.explain.KernelShap.Attribution;
import dev.kaskade.processors.explain.KernelShap.Plan;
import dev.kaskade.processors.json.Json;
import dev.kaskade.processors.json.Payloads;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.schemas.tensor.DataTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Explains one request: builds ONE batched predictor request holding the background rows and, per
 * instance, the instance and its masked coalition rows; solves KernelSHAP from the answer. The
 * model call is a function so tests can run it in-process and the service over Kafka.
 */
public final class Explainer {

  /** Sends one batched request to the model and returns its answer. */
  @FunctionalInterface
  public interface ModelCall {
    CompletableFuture<InferenceResponse> call(InferenceRequest batch);
  }

  /** The explanation event and the V1 :explain body (or the error). */
  public record Outcome(ExplanationResult result, String v1Body, InferenceError error) {}

  static {
    // Builders that copy records (newBuilder(other)) load generated classes through Avro's
    // class validator; user transformers do the same.
    AvroTrust.install();
  }

  private Explainer() {}

  public static CompletableFuture<Outcome> explain(
      InferenceRequest request, ExplainerConfig config, double[][] background, ModelCall model) {
    return explain(request, config, background, model, ExplainerLimits.defaults());
  }

  /** Explains within the operator's limits: too large a request fails with PAYLOAD_TOO_LARGE. */
  public static CompletableFuture<Outcome> explain(
      InferenceRequest request,
      ExplainerConfig config,
      double[][] background,
      ModelCall model,
      ExplainerLimits limits) {
    double[][] rows;
    Plan plan;
    InferenceRequest batch;
    try {
      rows = Payloads.rows(request);
      if (rows.length > limits.maxInstances()) {
        throw new KaskadeException(
            Reason.PAYLOAD_TOO_LARGE,
            "explain request has "
                + rows.length
                + " instances; at most "
                + limits.maxInstances()
                + " allowed (setting "
                + ExplainerLimits.MAX_INSTANCES
                + ")");
      }
      if (background == null || background.length == 0) {
        throw KaskadeException.unavailable(
            "no background data for " + request.getModel() + " yet: configure one or send traffic");
      }
      checkWidth(rows, background);
      plan =
          KernelShap.plan(
              background[0].length,
              config.tuning().maxExactFeatures(),
              config.tuning().samples(),
              config.tuning().seed());
      checkBatchRows(rows.length, background.length, plan, limits);
      batch = batchRequest(request, rows, background, plan);
    } catch (KaskadeException e) {
      return CompletableFuture.completedFuture(failure(request, e.toInferenceError()));
    }
    double[][] bg = background;
    return model
        .call(batch)
        .thenApply(response -> answer(request, config, rows, bg, plan, response))
        .exceptionally(e -> failure(request, errorOf(e)));
  }

  /** background + rows x (1 + coalitions x background), without overflow, within the limit. */
  static void checkBatchRows(int rows, int background, Plan plan, ExplainerLimits limits) {
    long total;
    try {
      long perInstance =
          Math.addExact(1L, Math.multiplyExact((long) plan.coalitions().size(), background));
      total = Math.addExact(background, Math.multiplyExact(rows, perInstance));
    } catch (ArithmeticException e) {
      total = Long.MAX_VALUE;
    }
    if (total > limits.maxBatchRows()) {
      throw new KaskadeException(
          Reason.PAYLOAD_TOO_LARGE,
          "explaining "
              + rows
              + " instances needs "
              + (total == Long.MAX_VALUE ? "too many" : String.valueOf(total))
              + " model rows; at most "
              + limits.maxBatchRows()
              + " allowed (setting "
              + ExplainerLimits.MAX_BATCH_ROWS
              + "): send fewer instances or a smaller background");
    }
  }

  private static void checkWidth(double[][] rows, double[][] background) {
    for (double[] row : rows) {
      if (row.length != background[0].length) {
        throw KaskadeException.invalid(
            "instance has "
                + row.length
                + " features but the background has "
                + background[0].length);
      }
    }
  }

  static InferenceRequest batchRequest(
      InferenceRequest request, double[][] rows, double[][] background, Plan plan) {
    int perInstance = KernelShap.rowsPerInstance(plan, background.length);
    double[][] all = new double[background.length + rows.length * perInstance][];
    System.arraycopy(background, 0, all, 0, background.length);
    for (int i = 0; i < rows.length; i++) {
      double[][] masked = KernelShap.maskedRows(rows[i], background, plan);
      System.arraycopy(masked, 0, all, background.length + i * perInstance, perInstance);
    }
    String name = Payloads.DEFAULT_INPUT;
    DataType type = DataType.FP32;
    for (Tensor t : request.getInputs()) {
      if (DataTypes.elementSize(t.getDatatype()) > 0) {
        name = t.getName();
        type = t.getDatatype() == DataType.FP64 ? DataType.FP64 : DataType.FP32;
        break;
      }
    }
    return InferenceRequest.newBuilder(request)
        .setId(request.getId() + "-explain")
        .setInputs(List.of(Payloads.tensor(name, type, all)))
        .setJsonPayload(null)
        .setRequestedOutputs(List.of())
        .build();
  }

  private static Outcome answer(
      InferenceRequest request,
      ExplainerConfig config,
      double[][] rows,
      double[][] background,
      Plan plan,
      InferenceResponse response) {
    if (response.getError() != null) {
      return failure(request, response.getError());
    }
    Tensor output = pickOutput(response, config.output());
    double[][] answers = Payloads.matrix(output);
    int perInstance = KernelShap.rowsPerInstance(plan, background.length);
    if (answers.length != background.length + rows.length * perInstance) {
      throw new KaskadeException(
          Reason.INTERNAL,
          "output '"
              + output.getName()
              + "' has "
              + answers.length
              + " rows, expected "
              + (background.length + rows.length * perInstance));
    }
    int outputs = answers.length == 0 ? 0 : answers[0].length;
    List<InstanceExplanation> explanations = new ArrayList<>();
    ArrayNode predictions = Json.array();
    for (int i = 0; i < rows.length; i++) {
      ArrayNode instancePredictions = Json.array();
      for (int o = 0; o < outputs; o++) {
        double base = KernelShap.mean(KernelShap.column(slice(answers, 0, background.length), o));
        int from = background.length + i * perInstance;
        double[] values = KernelShap.column(slice(answers, from, perInstance), o);
        Attribution a = KernelShap.solve(plan, values, background.length, base);
        explanations.add(
            explanation(
                i, o, outputs == 1 ? output.getName() : output.getName() + "[" + o + "]", a));
        instancePredictions.add(a.prediction());
      }
      predictions.add(outputs == 1 ? instancePredictions.get(0) : instancePredictions);
    }
    ExplanationResult result =
        ExplanationResult.newBuilder()
            .setId(request.getId())
            .setModel(request.getModel())
            .setModelVersion(response.getModelVersion())
            .setMethod("kernel_shap")
            .setFeatureNames(featureNames(config, plan.features()))
            .setExplanations(explanations)
            .build();
    return new Outcome(result, v1Body(predictions, result), null);
  }

  private static double[][] slice(double[][] rows, int from, int count) {
    double[][] out = new double[count][];
    System.arraycopy(rows, from, out, 0, count);
    return out;
  }

  private static InstanceExplanation explanation(
      int instance, int output, String outputName, Attribution a) {
    List<Double> attributions = new ArrayList<>();
    for (double phi : a.attributions()) {
      attributions.add(phi);
    }
    return InstanceExplanation.newBuilder()
        .setInstance(instance)
        .setOutput(output)
        .setOutputName(outputName)
        .setBaseValue(a.baseValue())
        .setAttributions(attributions)
        .setPrediction(a.prediction())
        .build();
  }

  static Tensor pickOutput(InferenceResponse response, String wanted) {
    Tensor fallback = null;
    for (Tensor t : response.getOutputs()) {
      if (wanted != null && t.getName().equals(wanted)) {
        return t;
      }
      boolean floating =
          t.getDatatype() == DataType.FP32
              || t.getDatatype() == DataType.FP64
              || t.getDatatype() == DataType.FP16;
      if (wanted == null && floating) {
        return t;
      }
      if (fallback == null && DataTypes.elementSize(t.getDatatype()) > 0) {
        fallback = t;
      }
    }
    if (fallback == null || wanted != null) {
      throw KaskadeException.invalid(
          wanted != null
              ? "the model has no output '" + wanted + "'"
              : "the model returned no numeric output to explain");
    }
    return fallback;
  }

  private static List<String> featureNames(ExplainerConfig config, int features) {
    if (config.featureNames().size() == features) {
      return config.featureNames();
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < features; i++) {
      names.add("f" + i);
    }
    return names;
  }

  /** {"predictions":[...],"explanations":[{"base_value","attributions","prediction",...}]} */
  static String v1Body(ArrayNode predictions, ExplanationResult result) {
    ObjectNode body = Json.object();
    body.set("predictions", predictions);
    ArrayNode list = body.putArray("explanations");
    for (InstanceExplanation e : result.getExplanations()) {
      ObjectNode entry = list.addObject();
      entry.put("instance", e.getInstance());
      entry.put("output", e.getOutput());
      entry.put("output_name", e.getOutputName());
      entry.put("base_value", e.getBaseValue());
      ArrayNode attributions = entry.putArray("attributions");
      e.getAttributions().forEach(attributions::add);
      entry.put("prediction", e.getPrediction());
    }
    ArrayNode names = body.putArray("feature_names");
    result.getFeatureNames().forEach(names::add);
    body.put("method", "kernel_shap");
    return Json.write(body);
  }

  static Outcome failure(InferenceRequest request, InferenceError error) {
    ExplanationResult result =
        ExplanationResult.newBuilder()
            .setId(request.getId())
            .setModel(request.getModel())
            .setError(error)
            .build();
    return new Outcome(result, null, error);
  }

  private static InferenceError errorOf(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof KaskadeException k) {
      return k.toInferenceError();
    }
    return new InferenceError(Reason.INTERNAL.name(), String.valueOf(cause.getMessage()));
  }
}
