package dev.kaskade.reconciler.standalone;

/**
 * What {@code apply} did with one document.
 *
 * @param kind resource kind
 * @param namespace namespace ("" for cluster-scoped kinds)
 * @param name resource name
 * @param action created, configured or unchanged
 * @param revision the predictor revision of an InferenceService, else null
 * @param warning why the resource was accepted but cannot be served here, else null
 */
public record ApplyResult(
    String kind, String namespace, String name, String action, String revision, String warning) {

  /** kubectl-style line: {@code inferenceservice/iris configured}. */
  @Override
  public String toString() {
    return kind.toLowerCase(java.util.Locale.ROOT)
        + "/"
        + name
        + " "
        + action
        + (warning == null ? "" : " (warning: " + warning + ")");
  }
}
