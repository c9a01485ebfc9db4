package dev.kaskade.reconciler.core;

import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import java.util.List;

/** A manifest that cannot be accepted: unknown kind, bad YAML or failed validation. */
public class ManifestException extends KaskadeException {
  private final List<String> errors;

  public ManifestException(String resource, List<String> errors) {
    super(Reason.INVALID_ARGUMENT, resource + ": " + String.join("; ", errors));
    this.errors = List.copyOf(errors);
  }

  /** Each error names the field and the reason, e.g. {@code spec.predictor: required}. */
  public List<String> errors() {
    return errors;
  }
}
