package dev.kaskade.processors.audit;

/**
 * The namespace, InferenceService and direction of a per-isvc topic {@code
 * <prefix>.<namespace>.<isvc>.requests|responses} or {@code
 * <prefix>.<namespace>.<isvc>.predictor.<revision>} (requests the gateway sends straight to a
 * revision). Kubernetes namespaces, InferenceService names and revision ids contain no dots, so the
 * segments are unambiguous.
 */
record IsvcTopic(String namespace, String isvc, boolean isRequests) {
  static IsvcTopic parse(String topic) {
    String[] parts = topic.split("\\.");
    if (parts.length >= 5 && parts[parts.length - 2].equals("predictor")) {
      return new IsvcTopic(parts[parts.length - 4], parts[parts.length - 3], true);
    }
    if (parts.length < 4) {
      throw new IllegalArgumentException("not a per-InferenceService topic: " + topic);
    }
    String hop = parts[parts.length - 1];
    return new IsvcTopic(parts[parts.length - 3], parts[parts.length - 2], hop.equals("requests"));
  }
}
