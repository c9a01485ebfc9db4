package dev.kaskade.reconciler.cluster;

import dev.kaskade.reconciler.core.ManifestException;
import java.util.List;

/** A model server asks for privileges the operator's {@link RuntimePolicy} does not allow. */
final class RuntimePrivilegeException extends ManifestException {
  /** The reason of the InferenceService's Ready=False condition. */
  static final String REASON = "PrivilegesNotAllowed";

  RuntimePrivilegeException(String resource, List<String> errors) {
    super(resource, errors);
  }
}
