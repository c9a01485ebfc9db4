package dev.kaskade.workers.validation;

import dev.kaskade.events.DataType;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.ModelMetadata;
import dev.kaskade.workers.backend.TensorMetadata;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a request against the model's metadata before it runs, so a bad request fails alone with
 * an INVALID_ARGUMENT that names the tensor, what was expected and what arrived. Pure.
 */
public final class RequestValidator {
  /**
   * The name the gateway's and graph router's V1 codecs give an {@code instances} tensor when the
   * model's metadata is not known yet (a TrainedModel before its first load).
   */
  public static final String V1_DEFAULT_INPUT = "input-0";

  private RequestValidator() {}

  /**
   * Binds a V1 {@code instances} tensor that was named {@value #V1_DEFAULT_INPUT} because the
   * caller did not know the model yet to the model's single input, so the first V1 call to a model
   * that was not loaded works. Any other request comes back as it is.
   */
  public static List<Tensor> bindDefaultInput(List<Tensor> inputs, ModelMetadata metadata) {
    if (inputs.size() != 1
        || metadata.inputs().size() != 1
        || metadata.inputs().get(0).name().equals(inputs.get(0).getName())
        || !(V1_DEFAULT_INPUT.equals(inputs.get(0).getName()) || texts(inputs.get(0), metadata))) {
      return inputs;
    }
    Tensor input = inputs.get(0);
    Tensor bound =
        new Tensor(
            metadata.inputs().get(0).name(),
            input.getDatatype(),
            input.getShape(),
            input.getData(),
            input.getParameters()); // shares the data: no copy of a large tensor
    return List.of(bound);
  }

  /**
   * Whether a BYTES tensor goes to a model whose single input is BYTES (a text model: any input
   * name is accepted, as KServe's huggingfaceserver reads the first input whatever its name).
   */
  private static boolean texts(Tensor input, ModelMetadata metadata) {
    return input.getDatatype() == DataType.BYTES
        && metadata.inputs().get(0).datatype() == DataType.BYTES;
  }

  /**
   * A V1 body of texts ({@code {"instances": ["a", "b"]}}, which the gateway keeps as {@code
   * json_payload}) becomes the BYTES input {@code [N]} of a model whose single input is BYTES. Any
   * other request comes back as it is.
   *
   * @throws KaskadeException (INVALID_ARGUMENT) when such a model gets instances that are not all
   *     strings
   */
  public static List<Tensor> bindTextInstances(
      List<Tensor> inputs, String jsonPayload, ModelMetadata metadata) {
    if (!inputs.isEmpty()
        || jsonPayload == null
        || metadata.inputs().size() != 1
        || metadata.inputs().get(0).datatype() != DataType.BYTES) {
      return inputs;
    }
    String name = metadata.inputs().get(0).name();
    List<String> texts = TextInstances.parse(jsonPayload, metadata.name());
    return List.of(Tensors.ofStrings(name, List.of((long) texts.size()), texts));
  }

  /** Throws {@link KaskadeException} (INVALID_ARGUMENT) on the first problem found. */
  public static void validate(
      List<Tensor> inputs, Collection<String> requestedOutputs, ModelMetadata metadata) {
    if (metadata.inputs().isEmpty() && metadata.outputs().isEmpty()) {
      return; // a remote model server that publishes no signature (runtime bridge) checks itself
    }
    Map<String, Tensor> byName = new HashMap<>();
    for (Tensor input : inputs) {
      if (byName.put(input.getName(), input) != null) {
        throw KaskadeException.invalid("input '" + input.getName() + "' appears more than once");
      }
      if (metadata.inputs().stream().noneMatch(m -> m.name().equals(input.getName()))) {
        throw KaskadeException.invalid(
            "unknown input '"
                + input.getName()
                + "': model "
                + metadata.name()
                + " expects "
                + names(metadata.inputs()));
      }
    }
    for (TensorMetadata expected : metadata.inputs()) {
      Tensor input = byName.get(expected.name());
      if (input == null) {
        throw KaskadeException.invalid(
            "missing input '"
                + expected.name()
                + "': model "
                + metadata.name()
                + " expects "
                + names(metadata.inputs()));
      }
      checkTensor(expected, input);
    }
    for (String output : requestedOutputs) {
      if (metadata.outputs().stream().noneMatch(m -> m.name().equals(output))) {
        throw KaskadeException.invalid(
            "unknown output '" + output + "': model has " + names(metadata.outputs()));
      }
    }
  }

  static void checkTensor(TensorMetadata expected, Tensor input) {
    if (input.getDatatype() != expected.datatype()) {
      throw KaskadeException.invalid(
          "input '%s': expected datatype %s, got %s"
              .formatted(expected.name(), expected.datatype(), input.getDatatype()));
    }
    if (!shapeMatches(expected.shape(), input.getShape())) {
      throw KaskadeException.invalid(
          "input '%s': expected shape %s, got %s"
              .formatted(expected.name(), expected.shape(), input.getShape()));
    }
    Tensors.checkDataLength(input);
  }

  /** Whether an actual shape fits the declared one; -1 (or any negative) matches any size. */
  public static boolean shapeMatches(List<Long> declared, List<Long> actual) {
    if (declared.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < declared.size(); i++) {
      long want = declared.get(i);
      long got = actual.get(i);
      if (got < 0 || (want >= 0 && want != got)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> names(List<TensorMetadata> tensors) {
    return tensors.stream().map(TensorMetadata::name).toList();
  }
}
