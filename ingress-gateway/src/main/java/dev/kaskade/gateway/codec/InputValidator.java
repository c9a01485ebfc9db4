package dev.kaskade.gateway.codec;

import dev.kaskade.events.Tensor;
import dev.kaskade.gateway.route.ModelMetadata;
import dev.kaskade.gateway.route.ModelMetadata.TensorSpec;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks decoded inputs against the model metadata a worker reported, so malformed requests are
 * rejected at the gateway before anything is produced. Without metadata only the data length is
 * checked.
 */
public final class InputValidator {
  private InputValidator() {}

  public static void validate(List<Tensor> inputs, ModelMetadata metadata) {
    Set<String> seen = new HashSet<>();
    for (Tensor t : inputs) {
      if (!seen.add(t.getName())) {
        throw KaskadeException.invalid("tensor '" + t.getName() + "' is given twice");
      }
      Tensors.checkDataLength(t);
      if (metadata.inputs().isEmpty()) {
        continue;
      }
      TensorSpec spec = metadata.input(t.getName());
      if (spec == null) {
        throw KaskadeException.invalid(
            "tensor '%s' is not an input of model %s (inputs: %s)"
                .formatted(t.getName(), metadata.name(), names(metadata)));
      }
      checkTensor(t, spec);
    }
    for (TensorSpec spec : metadata.inputs()) {
      if (!seen.contains(spec.name())) {
        throw KaskadeException.invalid("input tensor '" + spec.name() + "' is missing");
      }
    }
  }

  private static void checkTensor(Tensor t, TensorSpec spec) {
    if (t.getDatatype() != spec.datatype()) {
      throw KaskadeException.invalid(
          "tensor '%s': datatype %s does not match the model's %s"
              .formatted(t.getName(), t.getDatatype(), spec.datatype()));
    }
    List<Long> shape = t.getShape();
    List<Long> expected = spec.shape();
    if (expected.isEmpty()) {
      return;
    }
    boolean ok = shape.size() == expected.size();
    for (int i = 0; ok && i < shape.size(); i++) {
      ok = expected.get(i) < 0 || expected.get(i).equals(shape.get(i));
    }
    if (!ok) {
      throw KaskadeException.invalid(
          "tensor '%s': shape %s does not match the model's %s"
              .formatted(t.getName(), Tensors.abbreviated(shape), expected));
    }
  }

  private static List<String> names(ModelMetadata metadata) {
    return metadata.inputs().stream().map(TensorSpec::name).toList();
  }
}
