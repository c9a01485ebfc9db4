package dev.kaskade.gateway.route;

/** What a served name refers to. */
public enum ModelKind {
  INFERENCE_SERVICE("InferenceService"),
  TRAINED_MODEL("TrainedModel"),
  INFERENCE_GRAPH("InferenceGraph");

  private final String resourceKind;

  ModelKind(String resourceKind) {
    this.resourceKind = resourceKind;
  }

  public String resourceKind() {
    return resourceKind;
  }

  public static ModelKind ofResourceKind(String kind) {
    for (ModelKind k : values()) {
      if (k.resourceKind.equals(kind)) {
        return k;
      }
    }
    return null;
  }
}
